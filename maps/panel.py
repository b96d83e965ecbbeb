"""A side panel on a map holding a figure (an SVG drawing), shut until the reader opens it."""

from __future__ import annotations

import re

import folium

from corridors.maps import escape
from corridors.maps.errors import MapError

CSS_CLASS = "corridors-panel"
_STYLE = (
    f".{CSS_CLASS}{{position:absolute;right:10px;bottom:24px;z-index:1000;background:#fff;"
    "border:1px solid #999;border-radius:4px;padding:4px 8px;max-width:42vw;font:12px sans-serif}"
    f".{CSS_CLASS} svg{{width:100%;height:auto;max-height:60vh}}"
    f".{CSS_CLASS} summary{{cursor:pointer;font-weight:bold}}"
)
_UNSAFE = re.compile(r"<\s*(script|foreignObject|iframe)|\son\w+\s*=|javascript:", re.IGNORECASE)


def add_figure(m: folium.Map, svg: str, *, title: str) -> folium.Map:
    """Add a folding panel with ``svg`` (a drawing made by the caller) under ``title`` (escaped).

    Raises
    ------
    MapError
        If ``svg`` is not an SVG drawing or holds scripts or event handlers.
    """
    start = svg.find("<svg")
    if start < 0 or _UNSAFE.search(svg):
        msg = "panel figure: expected an SVG drawing without scripts"
        raise MapError(msg)
    body = (
        f'<style>{_STYLE}</style><details class="{CSS_CLASS}">'
        f"<summary>{escape.text(title)}</summary>{svg[start:]}</details>"
    )
    m.get_root().html.add_child(folium.Element(body))
    return m
