"""Errors raised while drawing or saving maps."""

from __future__ import annotations


class MapError(Exception):
    """Input that cannot be drawn, or a page that cannot be written."""
