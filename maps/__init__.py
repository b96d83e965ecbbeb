"""Draw the corridor network and routes on folium (Leaflet) maps.

The package draws GeoJSON dicts (a network, routes, country outlines) and knows
nothing of routing. Importing it imports folium.

Examples
--------
Draw routes (GeoJSON dicts) over the network and write a page that needs no network::

    import corridors.maps as maps

    m = maps.routes_map(routes, network=network, countries=countries, tiles=None)
    maps.save_map(m, "route.html", offline=True)
"""

from __future__ import annotations

from corridors.maps.errors import MapError
from corridors.maps.panel import add_figure
from corridors.maps.render import network_map, routes_map
from corridors.maps.save import page_html, save_map

__all__ = ["MapError", "add_figure", "network_map", "page_html", "routes_map", "save_map"]
