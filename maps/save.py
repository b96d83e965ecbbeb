"""Write a map to an HTML file, atomically."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

import folium

from corridors.geo import safeio
from corridors.geo.errors import FileAccessError
from corridors.maps import errors
from corridors.maps import offline as offline_page

log = logging.getLogger(__name__)


def page_html(m: folium.Map, *, offline: bool = False) -> str:
    """The HTML page of `m`; with `offline`, self-contained (Leaflet inlined, no CDN).

    Raises
    ------
    MapError
        If (offline) the page cannot be made self-contained.
    """
    page = m.get_root().render()
    return offline_page.self_contained(page, m) if offline else page


def save_map(
    m: folium.Map,
    path: str | os.PathLike[str],
    *,
    offline: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Write `m` as an HTML page at `path`.

    The page is rendered in memory, written to a temporary file in the same folder,
    then moved over `path`: an error leaves no file, or the previous one, never half
    a page. An existing file keeps its permissions; a symbolic link, a device, a folder or
    one of `inputs` is refused, not replaced (see `geo.safeio.write_bytes`).

    Parameters
    ----------
    m
        The map, as returned by `maps.network_map` or `maps.routes_map`.
    path
        Where to write the page; its folder must exist.
    offline
        Write a self-contained page: Leaflet inlined, no script or style from a CDN.
    inputs
        Files that must not be replaced (the files the map was drawn from).

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
    data = page_html(m, offline=offline).encode()
    try:
        safeio.write_bytes(path, data, inputs=inputs)
    except FileAccessError as err:
        msg = f"cannot write the map to {err}"
        raise errors.MapError(msg) from None
    log.info("Wrote %s (%s bytes%s)", path, f"{len(data):,}", ", self-contained" if offline else "")
    return path
