"""Reach maps write the text of their data (region and place names, ports, gateways, centres,
the title) as text: markup in a name never reaches the page as markup."""

from __future__ import annotations

from corridors.maps import reach as reach_map

#: A name that runs a script if it is written into the page as HTML.
HOSTILE = "<img src=x onerror=alert(1)>"


def _assert_escaped(html: str) -> None:
    # Tooltips and titles are JSON strings in the page's script, with `<` written as \u003c.
    assert "<img" not in html and "\\u003cimg" not in html
    assert "&lt;img" in html or "\\u0026lt;img" in html


def _region() -> dict:
    props = {"kind": "region", "id": "r", "name": HOSTILE, "centre": HOSTILE}
    for part in ("centre", "best"):
        props.update(
            {
                f"{part}_place": HOSTILE,
                f"{part}_time_h": 48.0,
                f"{part}_cost_usd_per_t": 90.0,
                f"{part}_port": HOSTILE,
                f"{part}_gateway": HOSTILE,
            }
        )
    ring = [[70, 40], [71, 40], [71, 41], [70, 41], [70, 40]]
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def _place(**props: object) -> dict:
    return {
        "type": "Feature",
        "properties": {"id": "p", "name": HOSTILE, **props},
        "geometry": {"type": "Point", "coordinates": [70.5, 40.5]},
    }


def test_reach_map_escapes_region_and_place_text():
    place = _place(kind="place", time_h=10.0, cost_usd_per_t=50.0, port_name=HOSTILE, gateway_name=HOSTILE)
    leg = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "LineString", "coordinates": [[70, 40], [71, 41]]},
    }
    route = {
        "type": "FeatureCollection",
        "route": {"origin_name": HOSTILE, "destination_name": "Karachi"},
        "features": [leg],
    }
    for which in ("centre", "best"):
        doc = {"type": "FeatureCollection", "features": [_region(), place]}
        html = reach_map.reach_map(doc, which=which, routes=[route], title=HOSTILE).get_root().render()
        _assert_escaped(html)
        # Every piece of text: the region's name, both places, ports, gateways, the route and the title.
        assert html.count("lt;img") >= 7


def test_within_map_escapes_place_names_and_title():
    bands = {"bands": [{"within_h": 24.0, "places": [{"id": "p", "name": HOSTILE, "time_h": 10.0}]}]}
    network = {"type": "FeatureCollection", "features": [_place()]}
    html = reach_map.within_map(bands, network, title=HOSTILE).get_root().render()
    _assert_escaped(html)
    assert html.count("lt;img") >= 2
