"""Errors raised while drawing or saving maps."""

from __future__ import annotations

from corridors.geo.errors import CorridorError


class MapError(CorridorError):
    """Input that cannot be drawn, or a page that cannot be written (exit status 2 at the CLI)."""
