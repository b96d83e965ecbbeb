"""Write a map to an HTML file, atomically."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

import folium

from corridors.maps import errors
from corridors.maps import offline as offline_page

log = logging.getLogger(__name__)


def save_map(m: folium.Map, path: str | os.PathLike[str], *, offline: bool = False) -> Path:
    """Write `m` as an HTML page at `path`.

    The page is rendered in memory, written to a temporary file in the same folder,
    then moved over `path`: an error leaves no file, or the previous one, never half
    a page.

    Parameters
    ----------
    m
        The map, as returned by `maps.network_map` or `maps.routes_map`.
    path
        Where to write the page; its folder must exist.
    offline
        Write a self-contained page: Leaflet inlined, no script or style from a CDN.

    Returns
    -------
    pathlib.Path
        `path`.

    Raises
    ------
    MapError
        If the page cannot be written, or (offline) cannot be made self-contained.
    """
    path = Path(path)
    page = m.get_root().render()
    if offline:
        page = offline_page.self_contained(page, m)
    _write_atomic(path, page)
    log.info("Wrote %s (%s bytes%s)", path, f"{len(page.encode()):,}", ", self-contained" if offline else "")
    return path


def _write_atomic(path: Path, text: str) -> None:
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        msg = f"cannot write the map to {path}: {err.strerror}"
        raise errors.MapError(msg) from err
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(err, OSError):
            msg = f"cannot write the map to {path}: {err.strerror or err}"
            raise errors.MapError(msg) from err
        raise
