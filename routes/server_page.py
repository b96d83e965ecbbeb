"""The planner page at ``/``: its files, its settings (``/static/config.json``) and Leaflet.

Everything the page loads comes from this server (Leaflet from the installed package); tiles
from another host only when the server is started with them.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from corridors.geo import objectives
from corridors.routes.server_errors import json_bytes
from corridors.routes.server_queries import Limits

STATIC = Path(__file__).parent / "static"
#: Tile layers the page can draw under the network: name -> (URL template, attribution).
TILES = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors",
    ),
}


def add_page(app: FastAPI, limits: Limits, tiles: str | None, api_version: str) -> None:
    """Serve the page, its settings and its assets."""
    from xstatic.pkg import leaflet

    from corridors.maps import style

    headers = {
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:"
        + (f" {TILES[tiles][0].split('/{z}')[0]}" if tiles else "")
        + "; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
    }
    config = {
        "api": api_version,
        "tiles": dict(zip(("url", "attribution"), TILES[tiles], strict=True)) if tiles else None,
        "style": {
            "modes": style.MODE_COLOURS,
            "other": style.OTHER_COLOUR,
            "suspended": style.SUSPENDED_COLOUR,
            "routes": style.ROUTE_COLOURS,
            "dashes": {s: style.dash_array(s) for s in style.STATUSES},
            "status_labels": style.STATUS_LABELS,
            "nodes": style.NODE_STYLES,
            "node_labels": style.NODE_LABELS,
            "country": style.COUNTRY_STYLE,
            "link_weight": style.LINK_WEIGHT,
            "route_weight": style.ROUTE_WEIGHT,
            "top_route_weight": style.TOP_ROUTE_WEIGHT,
        },
        "limits": {"max_k": limits.max_k, "max_via": limits.max_via},
        "objectives": list(objectives.names()),
    }
    config_json = json_bytes(config)

    @app.get("/", include_in_schema=False)
    async def page() -> Response:
        return FileResponse(STATIC / "index.html", headers=headers)

    @app.get("/static/config.json", include_in_schema=False)
    async def page_config() -> Response:
        return Response(config_json, media_type="application/json")

    @app.get("/static/map.css", include_in_schema=False)
    async def map_css() -> Response:
        return Response(style.PAGE_CSS, media_type="text/css")

    app.mount("/static/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
