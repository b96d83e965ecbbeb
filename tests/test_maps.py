"""Maps rendered to HTML, and what the page says: layers, styles, legend, escaping, saving."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path

import folium
import pytest

from corridors import maps
from corridors.maps import escape, labels, offline, style
from tests import maps_fixtures

#: The dash pattern of each status on a 3 px network link, written out independently.
DASHES = {"operational": None, "under_construction": "10 6", "proposed": "1 6", "suspended": "12 5 1 5"}

_POLYLINE = re.compile(r"L\.polyline\(\s*\[.*?\],\s*(\{[^{}]*\})\s*\)", re.S)
_CIRCLE = re.compile(r"L\.circleMarker\(\s*\[.*?\],\s*(\{[^{}]*\})\s*\)", re.S)
_TOOLTIP = re.compile(r"\.bindTooltip\((\"(?:[^\"\\]|\\.)*\"),")
_POPUP = re.compile(r"\.bindPopup\((\"(?:[^\"\\]|\\.)*\"),")
_OVERLAY = re.compile(r"^\s*(\"(?:[^\"\\]|\\.)*\") : (feature_group|geo_json)_\w+,$", re.M)


@pytest.fixture(scope="module")
def network() -> dict:
    return maps_fixtures.load("network")


@pytest.fixture(scope="module")
def routes() -> list[dict]:
    return maps_fixtures.load("routes")


@pytest.fixture(scope="module")
def countries() -> dict:
    return maps_fixtures.load("countries")


def page(m: folium.Map) -> str:
    return m.get_root().render()


def polylines(html: str) -> list[dict]:
    return [json.loads(options) for options in _POLYLINE.findall(html)]


def circles(html: str) -> list[dict]:
    return [json.loads(options) for options in _CIRCLE.findall(html)]


def tooltips(html: str) -> list[str]:
    return [json.loads(text) for text in _TOOLTIP.findall(html)]


def popups(html: str) -> list[str]:
    return [json.loads(text) for text in _POPUP.findall(html)]


def overlays(html: str) -> list[str]:
    return [json.loads(name) for name, _ in _OVERLAY.findall(html)]


def legend_of(html: str) -> str:
    (content,) = re.findall(r"div\.innerHTML = (\"(?:[^\"\\]|\\.)*\");", html)
    return json.loads(content)


def links_of(network: dict) -> list[dict]:
    return [f["properties"] for f in network["features"] if f["geometry"]["type"] == "LineString"]


# --- the network ---------------------------------------------------------------------------------


def test_network_map_has_a_layer_per_mode_and_kind_of_place(network, countries):
    html = page(maps.network_map(network, countries=countries))
    assert overlays(html) == [
        "Country outlines",
        "Road",
        "Rail",
        "Sea",
        "Border crossings",
        "Ports",
        "Places",
    ]


def test_each_status_has_its_own_dash_pattern(network):
    lines = polylines(page(maps.network_map(network, tiles=None)))
    assert len(lines) == len(links_of(network))
    seen = {}
    for options in lines:
        status = re.search(r"corridors-status-(\w+)", options["className"]).group(1)
        seen.setdefault(status, set()).add(options["dashArray"])
    assert seen == {status: {dashes} for status, dashes in DASHES.items()}
    assert len(set(DASHES.values())) == len(DASHES)


def test_links_are_coloured_by_mode_and_suspended_links_grey(network):
    lines = polylines(page(maps.network_map(network, tiles=None)))
    colours = {}
    for options in lines:
        mode = re.search(r"corridors-mode-(\w+)", options["className"]).group(1)
        status = re.search(r"corridors-status-(\w+)", options["className"]).group(1)
        colours.setdefault("suspended" if status == "suspended" else mode, set()).add(options["color"])
    assert all(len(found) == 1 for found in colours.values())
    assert len({found.pop() for found in colours.values()}) == len(colours) == 4  # road, rail, sea, suspended


def test_link_tooltip_names_corridor_ends_and_key_figures(network):
    html = page(maps.network_map(network, tiles=None))
    tip = next(t for t in tooltips(html) if "Khunjerab Railway" in t and "Kashgar" in t)
    assert "<b>Khunjerab Railway</b>" in tip
    assert "Kashgar – Khunjerab Pass" in tip
    assert "rail · Proposed · 380 km · 1,676 mm gauge" in tip


def test_crossings_and_ports_are_markers_with_dwell_hours(network):
    html = page(maps.network_map(network, tiles=None))
    kinds = [re.search(r"corridors-kind-(\w+)", c["className"]).group(1) for c in circles(html)]
    assert sorted(kinds) == sorted(
        f["properties"]["kind"] for f in network["features"] if "kind" in f["properties"]
    )
    tip = next(t for t in tooltips(html) if t.startswith("<b>Khorgos</b>"))
    assert "Dwell: road 8.0 h, rail 60.0 h" in tip
    suspended = next(t for t in tooltips(html) if t.startswith("<b>Chaman</b>"))
    assert "Suspended" in suspended


def test_popups_carry_sources_and_notes(network):
    html = page(maps.network_map(network, tiles=None))
    popup = next(p for p in popups(html) if "Chabahar–Zahedan Railway" in p)
    assert "<th>Source</th><td>hand-made test fixture</td>" in popup
    assert "<th>Note</th><td>Expected 2026</td>" in popup


def test_legend_explains_modes_statuses_and_places(network):
    html = page(maps.network_map(network, tiles=None))
    assert html.count("L.control({position:") == 1
    assert 'L.DomUtil.create("div", "corridors-legend")' in html
    legend = legend_of(html)
    for title in ("Modes", "Status", "Places", "Under construction", "Border crossing", "Dry port"):
        assert title in legend


@pytest.mark.parametrize("tiles", [None, "none", "None"])
def test_no_tiles(network, tiles):
    html = page(maps.network_map(network, tiles=tiles))
    assert "L.tileLayer" not in html


def test_default_tiles_are_openstreetmap(network):
    assert "tile.openstreetmap.org" in page(maps.network_map(network))


# --- routes --------------------------------------------------------------------------------------


def test_each_route_has_its_colour_and_route_one_is_thickest(routes):
    lines = polylines(page(maps.routes_map(routes, tiles=None)))
    by_rank = {}
    for options in lines:
        if "casing" in options["className"]:
            continue
        rank = int(re.search(r"corridors-route-(\d+)", options["className"]).group(1))
        by_rank.setdefault(rank, []).append(options)
    assert {rank: len(found) for rank, found in by_rank.items()} == {1: 6, 2: 5, 3: 7}
    colours = {rank: {o["color"] for o in found} for rank, found in by_rank.items()}
    assert all(len(c) == 1 for c in colours.values()) and len(set.union(*colours.values())) == 3
    weights = {rank: {o["weight"] for o in found} for rank, found in by_rank.items()}
    assert weights[1].pop() > weights[2].pop() == weights[3].pop()


def test_dashed_route_segments_lie_on_a_pale_solid_casing(routes):
    lines = polylines(page(maps.routes_map(routes, tiles=None)))
    casings = [o for o in lines if "corridors-route-casing" in o["className"]]
    assert sorted(o["className"].split()[-1] for o in casings) == [
        "corridors-route-casing-2",
        "corridors-route-casing-2",
        "corridors-route-casing-3",
    ]
    assert all(o["dashArray"] is None for o in casings)
    assert casings[0]["color"] == "#F0C7A6"  # Okabe–Ito vermillion #D55E00, 65 % white
    dashed = [o for o in lines if o["className"].startswith("corridors-route ") and o["dashArray"]]
    assert [(o["className"], o["dashArray"]) for o in dashed] == [
        ("corridors-route corridors-route-2", "2 10"),
        ("corridors-route corridors-route-2", "2 10"),
        ("corridors-route corridors-route-3", "17 10"),
    ]


def test_route_one_is_drawn_above_the_others(routes):
    html = page(maps.routes_map(routes, tiles=None))
    panes = dict(re.findall(r'createPane\(\s*"([\w-]+)"\);\s*\w+\.style\.zIndex = "?(\d+)"?;', html))
    lines = {o["pane"] for o in polylines(html)}
    assert lines == {"corridors-route-1", "corridors-route-2", "corridors-route-3"}
    z = {name: int(value) for name, value in panes.items()}
    assert 400 < z["corridors-route-3"] < z["corridors-route-2"] < z["corridors-route-1"] < 500
    # every route's stops lie above every route's lines
    assert min(z[f"corridors-stops-{rank}"] for rank in (1, 2, 3)) > z["corridors-route-1"]


def test_routes_are_ranked_whatever_the_order_given(routes):
    html = page(maps.routes_map(list(reversed(routes)), tiles=None))
    names = [name for name in overlays(html) if "Route" in name]
    assert [re.search(r"Route (\d)", name).group(1) for name in names] == ["1", "2", "3"]
    assert "Route 1: Almaty → Karachi" in names[0]


def test_a_single_route_collection_is_accepted(routes):
    html = page(maps.routes_map(routes[2], tiles=None))
    assert {o["className"].split()[-1] for o in polylines(html)} == {
        "corridors-route-3",
        "corridors-route-casing-3",
    }


def test_one_collection_of_several_routes_is_split_by_rank(routes):
    plan = {
        "type": "FeatureCollection",
        "routes": [route["route"] for route in routes],
        "features": [feature for route in routes for feature in route["features"]],
    }
    assert page(maps.routes_map(plan, tiles=None)).count("L.polyline(") == page(
        maps.routes_map(routes, tiles=None)
    ).count("L.polyline(")
    names = [name for name in overlays(page(maps.routes_map(plan, tiles=None))) if "Route" in name]
    assert len(names) == 3 and "Route 3: Almaty → Gwadar" in names[2]


def test_transfers_crossings_and_ends_are_marked(routes):
    html = page(maps.routes_map(routes, tiles=None))
    stops = [c["className"] for c in circles(html)]
    for rank, route in enumerate(routes, start=1):
        kinds = sorted(f["properties"]["kind"] for f in route["features"] if f["geometry"]["type"] == "Point")
        mine = sorted(
            re.search(r"corridors-stop-(\w+)", c).group(1)
            for c in stops
            if c.endswith(f"corridors-stop-{rank}")
        )
        assert mine == sorted([*kinds, "endpoint", "endpoint"])


def with_a_port_call(routes: list[dict]) -> list[dict]:
    """The routes with route 3 going on by sea from Gwadar: a port call at its end, as
    ``route --cargo-to`` writes it (the last step, customs in the port's country)."""
    out = copy.deepcopy(routes)
    props = {"kind": "port_call", "rank": 3, "seq": 9, "node": "gwadar", "name": "Gwadar customs"}
    props |= {"detail": "in PAK, sea PAK → OMN", "time_h": 24.0, "cost_usd_per_t": 6.0}
    point = {"type": "Point", "coordinates": [62.33, 25.12]}
    out[2]["features"].append({"type": "Feature", "geometry": point, "properties": props})
    return out


def test_port_calls_have_their_own_marker_and_legend_row(routes):
    html = page(maps.routes_map(with_a_port_call(routes), tiles=None))
    drawn = circles(html)
    (call,) = [c for c in drawn if "corridors-stop-port_call" in c["className"]]
    # the route's colour around the fill of a port among the places; bigger than a border's
    assert (call["color"], call["fillColor"]) == ("#009E73", "#88CCEE")
    assert (call["radius"], call["weight"]) == (7, 3)
    others = {(c["color"], c["fillColor"], c["radius"]) for c in drawn if c is not call}
    assert (call["color"], call["fillColor"], call["radius"]) not in others
    (tip,) = [t for t in tooltips(html) if "Port customs at" in t]
    said = "<b>Route 3: Almaty → Gwadar</b><br>Port customs at Gwadar customs<br>in PAK, sea PAK → OMN"
    assert tip.startswith(said)
    rows = re.findall(r'<div class="corridors-legend-row">(.*?)</div>', legend_of(html))
    (row,) = [r for r in rows if "Port customs" in r]
    assert row == (
        '<svg width="34" height="20" aria-hidden="true"><circle cx="17" cy="10" r="7" '
        'stroke="#555555" stroke-width="3" fill="#88CCEE"/></svg>'
        "<span>Port customs (where a ship calls)</span>"
    )


def test_text_of_a_port_call_is_escaped(routes):
    html = page(maps.routes_map(maps_fixtures.hostile(with_a_port_call(routes)), tiles=None))
    assert "corridors-stop-port_call" in html
    for payload in maps_fixtures.PAYLOADS:
        assert payload not in html
    (tip,) = [t for t in tooltips(html) if "Port customs at" in t]
    assert "Gwadar customs" in tip and "<img" not in tip and "<svg" not in tip


def test_itinerary_popup_lists_every_step_and_the_totals(routes):
    html = page(maps.routes_map(routes, tiles=None))
    itinerary = next(p for p in popups(html) if "Route 1: Almaty → Karachi" in p)
    steps = re.findall(r"<tr><td>(\d+)</td>", itinerary)
    assert steps == [str(n) for n in range(1, len(routes[0]["features"]) + 1)]
    assert "ranked by time · 4,390 km · 142.1 h · 353.7 USD/t" in itinerary
    assert "Border crossing at Khorgos: KAZ → CHN, road" in itinerary
    assert "Transfer at Islamabad: road → rail 1676 mm" in itinerary
    assert "<b>Border crossings:</b> Khorgos, Khunjerab Pass" in itinerary
    relies = next(p for p in popups(html) if "Route 2:" in p)
    assert (
        "<b>Relies on (not open today):</b> kashgar_khunjerab_rail; khunjerab_islamabad_rail"
        in relies
    )


def test_bounds_fit_the_routes(routes, network):
    html = page(maps.routes_map(routes, network=network, tiles=None))
    bounds = json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.S).group(1))
    coords = []
    for route in routes:
        for feature in route["features"]:
            geometry = feature["geometry"]
            coords += (
                geometry["coordinates"] if geometry["type"] == "LineString" else [geometry["coordinates"]]
            )
    lons, lats = [c[0] for c in coords], [c[1] for c in coords]
    assert bounds == [[min(lats), min(lons)], [max(lats), max(lons)]]


def test_network_under_routes_is_grey_context(routes, network):
    html = page(maps.routes_map(routes, network=network, tiles=None))
    context = [o for o in polylines(html) if "corridors-link" in o["className"]]
    assert len(context) == len(links_of(network))
    assert {o["color"] for o in context} == {style.CONTEXT_COLOUR, style.SUSPENDED_COLOUR}
    assert "pane" not in context[0]  # the overlay pane, under the routes' panes
    assert overlays(html)[0] == "Network"


def test_country_outlines_without_their_properties(network, countries):
    html = page(maps.network_map(network, countries=countries, tiles=None))
    assert "Kazakhstan" not in html and '"interactive": false' in html
    assert '"pane": "corridors-countries"' in html


def test_maps_drawn_in_turns_share_one_legend_and_one_layer_control(network, routes):
    m = maps.network_map(network, tiles=None)
    assert maps.routes_map(routes, m=m) is m
    html = page(m)
    assert html.count("L.control.layers(") == 1 and html.count("L.control({position:") == 1
    assert html.rindex("L.featureGroup(") < html.index("L.control.layers(")
    assert len(overlays(html)) == 6 + 3
    titles = re.findall(r'<div class="corridors-legend-title">(.*?)</div>', legend_of(html))
    assert titles == ["Modes", "Status", "Places", "Routes", "On the route"]


# --- escaping ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_page(network, routes, countries) -> str:
    bad_network, bad_routes = maps_fixtures.hostile(network), maps_fixtures.hostile(routes)
    m = maps.network_map(bad_network, countries=countries, tiles=None)
    return page(maps.routes_map(bad_routes, network=bad_network, m=m))


def test_hostile_text_never_reaches_the_page_raw(hostile_page, network, routes):
    benign = page(maps.routes_map(routes, network=network, m=maps.network_map(network, tiles=None)))
    for payload in maps_fixtures.PAYLOADS:
        assert payload not in hostile_page
    assert "<img" not in hostile_page and "<svg onload" not in hostile_page
    assert hostile_page.count("<script") == benign.count("<script")
    # no template literal for ${...} to run in: text reaches scripts only as JSON strings
    assert "`" not in benign


def test_hostile_text_is_shown_as_text(hostile_page):
    texts = tooltips(hostile_page) + popups(hostile_page) + overlays(hostile_page)
    assert any("Almaty${alert(3)}`\\u0041\\" in t for t in texts)
    assert any("Khorgos&quot;&#x27;&gt;&lt;svg onload=alert(4)&gt;" in t for t in texts)
    assert any("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in t for t in texts)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in t for t in texts)
    for text in texts:
        assert "<img" not in text and "<script" not in text and "<svg onload" not in text


def test_hostile_structural_values_fall_back_to_other(network):
    bad = json.loads(json.dumps(network))
    link = next(f for f in bad["features"] if f["geometry"]["type"] == "LineString")
    link["properties"].update(mode="<img src=x onerror=alert(1)>", status='" onload="x')
    node = bad["features"][0]
    node["properties"]["kind"] = "<b>"
    html = page(maps.network_map(bad, tiles=None))
    assert "Other modes" in overlays(html)
    assert any(
        o["className"] == "corridors-link corridors-mode-other corridors-status-other"
        for o in polylines(html)
    )
    assert any(c["className"] == "corridors-node corridors-kind-other" for c in circles(html))
    assert "<img" not in html and '" onload="x' not in html


def test_escape_link_only_links_http_urls():
    assert escape.link("https://example.org/a?b=1&c=2") == (
        '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">'
        "https://example.org/a?b=1&amp;c=2</a>"
    )
    assert escape.link("javascript:alert(1)") == "javascript:alert(1)"
    assert (
        escape.link('https://x.org/" onmouseover="alert(1)')
        == "https://x.org/&quot; onmouseover=&quot;alert(1)"
    )


def test_quantities_are_formatted_and_odd_values_escaped():
    assert labels.quantity(3456.7, "km", digits=0) == "3,457 km"
    assert labels.quantity(6, "h") == "6.0 h"
    assert labels.quantity("<b>", "h") == "&lt;b&gt; h"
    assert labels.quantity(None, "h") == ""
    assert labels.quantity(True, "h") == "True h"


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("network", "message"),
    [
        ([], "`network` must be a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection", "features": {}}, "'features' must be a list"),
        (
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "a"}}]},
            "network, feature 0 ('a'): the feature has no geometry",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [10, 200]}}],
            },
            "network, feature 0: [10, 200] is not a [longitude, latitude] position",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1, 2]]}}
                ],
            },
            "a line needs at least two positions",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}}],
            },
            "a network feature must be a Point or a LineString",
        ),
    ],
)
def test_bad_network_raises_map_error(network, message):
    with pytest.raises(maps.MapError) as caught:
        maps.network_map(network)
    assert message in str(caught.value)


def test_no_routes_raises_map_error():
    with pytest.raises(maps.MapError, match="`routes` is empty"):
        maps.routes_map([])


def test_routes_need_distinct_ranks(routes):
    with pytest.raises(maps.MapError, match=r"each route needs its own rank, got ranks \[1, 1\]"):
        maps.routes_map([routes[0], routes[0]])


def test_countries_must_be_polygons(network):
    bad = {"type": "FeatureCollection", "features": network["features"][:1]}
    with pytest.raises(maps.MapError, match=r"countries, feature 0 .*expected a Polygon or MultiPolygon"):
        maps.network_map(network, countries=bad)


# --- saving --------------------------------------------------------------------------------------


def test_save_map_writes_the_page(tmp_path: Path, routes):
    m = maps.routes_map(routes, tiles=None)
    path = maps.save_map(m, tmp_path / "route.html")
    assert path == tmp_path / "route.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert os.listdir(tmp_path) == ["route.html"]


def test_a_failed_save_leaves_the_old_page_and_no_temporary_file(tmp_path: Path, routes, monkeypatch):
    target = tmp_path / "route.html"
    target.write_text("old", encoding="utf-8")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(maps.MapError, match=r"cannot write the map to .*No space left on device"):
        maps.save_map(maps.routes_map(routes, tiles=None), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["route.html"]


def test_save_into_a_missing_folder_raises_map_error(tmp_path: Path, routes):
    with pytest.raises(maps.MapError, match="cannot write the map"):
        maps.save_map(maps.routes_map(routes, tiles=None), tmp_path / "missing" / "route.html")


def test_offline_page_inlines_leaflet_and_drops_other_assets(tmp_path: Path, routes, network, countries):
    m = maps.routes_map(routes, network=network, countries=countries, tiles=None)
    html = maps.save_map(m, tmp_path / "route.html", offline=True).read_text(encoding="utf-8")
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html
    assert offline.external_urls(html) == []
    assert "Leaflet 1.9.3" in html and "sourceMappingURL" not in html
    assert 'url("data:image/png;base64,' in html and "images/layers.png" not in html
    for dropped in ("jquery", "bootstrap", "awesome-markers", "fontawesome"):
        assert dropped not in html.lower()


def test_offline_page_keeps_the_tile_layer(tmp_path: Path, network):
    html = maps.save_map(maps.network_map(network), tmp_path / "n.html", offline=True).read_text(
        encoding="utf-8"
    )
    assert "tile.openstreetmap.org" in html and offline.external_urls(html) == []


def test_xstatic_leaflet_is_the_leaflet_folium_asks_for():
    from xstatic.pkg import leaflet

    assert f"leaflet@{leaflet.VERSION}/" in dict(folium.Map.default_js)["leaflet"]


@pytest.mark.parametrize(
    "element",
    [lambda: folium.Marker((40, 70), popup="hello"), lambda: folium.Marker((40, 70), icon=folium.Icon())],
)
def test_offline_page_refuses_elements_that_need_a_cdn(tmp_path: Path, routes, element):
    m = maps.routes_map(routes, tiles=None)
    element().add_to(m)
    with pytest.raises(maps.MapError, match="an offline page cannot include folium"):
        maps.save_map(m, tmp_path / "route.html", offline=True)
    assert not any(tmp_path.iterdir())
