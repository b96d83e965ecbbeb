"""Turn a rendered folium page into a self-contained one: Leaflet inlined, CDN links gone.

Leaflet's JavaScript, CSS and images come from the ``xstatic-leaflet`` package. folium's
other default assets (jQuery, Bootstrap, Font Awesome, Leaflet.awesome-markers) serve
``folium.Popup`` and ``folium.Icon``, which the maps drawn here never use: they are
dropped, and a page that does use those elements is refused rather than left broken.
Tile layers are kept: tiles load when there is a connection, and the country outlines
carry the map when there is none (draw with ``tiles=None`` for a page that makes no
request at all).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import folium
from branca.element import Element

from corridors.maps import errors

_SCRIPT_TAG = re.compile(r'<script\s+src="(?P<url>[^"]*)"\s*>\s*</script>')
_STYLESHEET_TAG = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]*)"\s*/?>')
_EXTERNAL = re.compile(
    r'<(?:script|link|img|iframe)\b[^>]*\s(?:src|href)="(?P<url>(?:https?:)?//[^"]*)"', re.I
)
_CSS_IMAGE = re.compile(r"url\((?P<path>images/[\w.-]+\.png)\)")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.M)


def self_contained(page: str, m: folium.Map) -> str:
    """Return `page` with Leaflet inlined and folium's other CDN assets removed.

    Parameters
    ----------
    page
        The HTML that ``m.get_root().render()`` returned.
    m
        The map it was rendered from, to check which assets its elements need.

    Returns
    -------
    str
        A page whose scripts and styles need no network.

    Raises
    ------
    MapError
        If ``xstatic-leaflet`` is not installed, if the map uses an element that needs
        a CDN asset (``folium.Popup``, ``folium.Icon``, a plugin), or if a reference to
        another host would remain.
    """
    leaflet = _leaflet_dir()
    assets = _folium_assets()
    unsupported = _unsupported_elements(m)
    if unsupported:
        msg = f"an offline page cannot include {', '.join(sorted(unsupported))} (it needs assets from a CDN)"
        raise errors.MapError(msg)

    def inline(wanted: str, tag: str, text: str):
        """Replace a tag that loads a CDN asset: Leaflet's by its inlined text, folium's extras by nothing."""

        def replace(match: re.Match[str]) -> str:
            name = assets.get(match["url"])
            if name is None:
                msg = f"an offline page cannot load {match['url']}"
                raise errors.MapError(msg)
            return f"<{tag}>{text}</{tag}>" if name == wanted else ""

        return replace

    script = inline("leaflet", "script", _leaflet_js(leaflet))
    stylesheet = inline("leaflet_css", "style", _leaflet_css(leaflet))
    page = _STYLESHEET_TAG.sub(stylesheet, _SCRIPT_TAG.sub(script, page))
    remaining = external_urls(page)
    if remaining:
        msg = f"an offline page cannot load {', '.join(remaining)}"
        raise errors.MapError(msg)
    return page


def external_urls(page: str) -> list[str]:
    """Return the URLs on other hosts that the page's markup loads (scripts, styles, images)."""
    return [match["url"] for match in _EXTERNAL.finditer(page)]


def _leaflet_dir() -> Path:
    try:
        from xstatic.pkg import leaflet
    except ModuleNotFoundError as err:
        msg = "offline maps need the xstatic-leaflet package: pip install xstatic-leaflet"
        raise errors.MapError(msg) from err
    return Path(leaflet.BASE_DIR)


def _folium_assets() -> dict[str, str]:
    """Map each of folium's default asset URLs to its name (``leaflet``, ``jquery``...)."""
    return {url: name for name, url in [*folium.Map.default_js, *folium.Map.default_css]}


def _leaflet_js(leaflet: Path) -> str:
    code = _SOURCE_MAP.sub("", (leaflet / "leaflet.js").read_text(encoding="utf-8"))
    images = {
        name: _data_uri(leaflet / "images" / f"{name}.png")
        for name in ("marker-icon", "marker-icon-2x", "marker-shadow")
    }
    # Leaflet finds its default marker images from the stylesheet's URL; point it at data URIs
    icons = (
        'L.Icon.Default.imagePath = "";\n'
        f'L.Icon.Default.mergeOptions({{iconUrl: "{images["marker-icon"]}", '
        f'iconRetinaUrl: "{images["marker-icon-2x"]}", shadowUrl: "{images["marker-shadow"]}"}});\n'
    )
    return _no_end_tag(code + "\n" + icons, "script")


def _leaflet_css(leaflet: Path) -> str:
    css = (leaflet / "leaflet.css").read_text(encoding="utf-8")
    css = _CSS_IMAGE.sub(lambda match: f'url("{_data_uri(leaflet / match["path"])}")', css)
    return _no_end_tag(css, "style")


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _no_end_tag(text: str, tag: str) -> str:
    if f"</{tag}" in text.lower():
        msg = f"cannot inline a file that contains </{tag}>"
        raise errors.MapError(msg)
    return text


def _unsupported_elements(m: folium.Map) -> set[str]:
    """Return the elements of `m` that need jQuery or Leaflet.awesome-markers."""
    found = set()
    for element in _walk(m.get_root()):
        if isinstance(element, folium.Popup):
            found.add("folium.Popup (jQuery)")
        elif isinstance(element, folium.GeoJson) and not element.embed:
            found.add("folium.GeoJson(embed=False) (jQuery)")
        elif isinstance(element, folium.Icon):
            found.add("folium.Icon (Leaflet.awesome-markers)")
    return found


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)
