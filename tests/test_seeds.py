"""Data tests on the built-in network (seeds/): sources, topology, gauges, lengths, reach."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from corridors.geo import geodesy, io, paths
from corridors.routes import api
from tests.handcalc import Fixture, assert_priced_as_the_data_says

SEEDS = paths.builtin_folder()
#: Rail gauges by country (mm); the exceptions below are documented in seeds/SOURCES.md.
GAUGES = {
    "KAZ": 1520,
    "TKM": 1520,
    "UZB": 1520,
    "KGZ": 1520,
    "TJK": 1520,
    "AFG": 1520,
    "IRN": 1435,
    "CHN": 1435,
    "AZE": 1520,
    "PAK": 1676,
}
GAUGE_EXCEPTIONS = {
    # The Pakistani broad-gauge line runs into Iran up to Zahedan (break of gauge there).
    "iti_taftan_mirjaveh",
    "iti_mirjaveh_zahedan",
    # Proposed lines whose far end meets another gauge at a border crossing.
    "khr_khunjerab_kashgar",
    "tar_pul_i_alam_kharlachi",
}
# Published route lengths (km) that the network must reproduce within 3 %.
PUBLISHED = [
    ("Hasan Abdal", "Khunjerab Pass", "road", 806),  # NHA, N-35
    ("Zhanaozen", "Gorgan", "rail", 928),  # TASS 2014, KTI railway
    ("Quetta", "Zahedan", "rail", 721.6),  # de-WP chainage, Trans-Baluchistan line
    ("Bafq", "Bandar Abbas", "rail", 626),  # RAI
    ("Almaty", "Nur Zholy", "road", 304),  # Almaty governor 2016
    ("Urumqi", "Kashgar", "rail", 1588),  # Southern Xinjiang / Lanzhou–Xinjiang chainage
]
CORRIDORS = [
    "Karakoram Highway",
    "CPEC Eastern Alignment",
    "CPEC Western Alignment",
    "CPEC Central Alignment",
    "ML-1",
    "Kazakhstan–Turkmenistan–Iran Railway",
    "Pakistan–Iran–Turkey Railway",
    "Bafq–Bandar Abbas Railway",
    "Caspian shipping",
    "Trans-Afghan Railway",
    "Khunjerab Railway",
    "Chabahar–Zahedan Railway",
    "Termez–Hairatan–Mazar-i-Sharif Railway",
]


@pytest.fixture(scope="module")
def loaded():
    return api.load()


@pytest.fixture(scope="module")
def raw_features() -> list[tuple[str, dict]]:
    files = [SEEDS / "nodes.geojson", *sorted((SEEDS / "links").glob("*.geojson"))]
    return [(f.name, feat) for f in files for feat in json.loads(f.read_text())["features"]]


def test_size(loaded):
    assert len(loaded.network.nodes) >= 100
    assert len(loaded.network.links) >= 150


def test_every_feature_has_a_source_and_a_unique_id(raw_features):
    ids = [(f["geometry"]["type"], f["properties"]["id"]) for _, f in raw_features]
    assert len(ids) == len(set(ids))
    for name, f in raw_features:
        assert str(f["properties"].get("source", "")).strip(), (name, f["properties"]["id"])


def test_link_ends_lie_on_their_nodes(loaded):
    net = loaded.network
    for link in net.links.values():
        for node_id, pos in ((link.from_id, link.coords[0]), (link.to_id, link.coords[-1])):
            node = net.nodes[node_id]
            assert geodesy.great_circle_km(node.lon, node.lat, *pos) <= 1.0, link.id


def test_no_length_shorter_than_the_great_circle(loaded):
    net = loaded.network
    for link in net.links.values():
        a, b = net.nodes[link.from_id], net.nodes[link.to_id]
        assert link.length_km >= geodesy.great_circle_km(a.lon, a.lat, b.lon, b.lat) * 0.999, link.id


def test_node_countries_agree_with_the_outlines(loaded):
    outlines = json.loads((SEEDS / "countries.geojson").read_text())["features"]
    shapes = [shape(f["geometry"]) for f in outlines]
    codes = [f["properties"]["iso3"] for f in outlines]
    tree = STRtree(shapes)
    wrong = []
    for node in loaded.network.nodes.values():
        if node.is_crossing:
            assert node.country in node.border.countries, node.id
            continue
        point = Point(node.lon, node.lat)
        inside = {codes[i] for i in tree.query(point, predicate="intersects")}
        if node.country not in inside:
            wrong.append((node.id, node.country, sorted(inside)))
    assert not wrong


def test_gauges_agree_with_countries(loaded):
    net = loaded.network
    for link in net.links.values():
        if link.mode != "rail" or link.id in GAUGE_EXCEPTIONS:
            continue
        for node in (net.nodes[link.from_id], net.nodes[link.to_id]):
            if not node.is_crossing:
                assert link.gauge_mm == GAUGES[node.country], (link.id, node.id, link.gauge_mm)


def test_gauge_breaks_where_gauges_meet(loaded):
    from corridors.routes import graph

    layers = graph.layers_by_node(loaded.network)
    breaks = {n for n, ls in layers.items() if len({x for x in ls if x.startswith("rail")}) > 1}
    # Operational breaks of gauge (1520/1435/1676 mm); proposed lines add Khunjerab and Kharlachi.
    assert {"dostyk", "altynkol", "incheh_borun", "sarakhs", "zahedan"} <= breaks


@pytest.mark.parametrize(("a", "b", "mode", "published_km"), PUBLISHED)
def test_published_section_lengths(loaded, a, b, mode, published_km):
    route = api.plan(a, b, by="distance", modes=[mode], status=["operational"], network=loaded).routes[0]
    assert route.distance_km == pytest.approx(published_km, rel=0.03)


@pytest.mark.parametrize("corridor", CORRIDORS)
def test_named_corridor_present(loaded, corridor):
    assert any(link.corridor == corridor for link in loaded.network.links.values())


def test_pakistan_afghanistan_crossings_are_suspended(loaded):
    crossings = [
        n
        for n in loaded.network.nodes.values()
        if n.is_crossing and set(n.border.countries) == {"PAK", "AFG"}
    ]
    assert len(crossings) >= 2
    assert all(n.status == "suspended" for n in crossings)


def _kaz_cities(loaded) -> list[str]:
    return sorted(n.id for n in loaded.network.nodes.values() if n.country == "KAZ" and n.kind == "city")


def test_every_kazakh_city_reaches_the_arabian_sea_by_road(loaded):
    cities = _kaz_cities(loaded)
    assert len(cities) >= 10
    for city in cities:
        route = api.plan(city, "Arabian Sea", modes=["road"], status=["operational"], network=loaded).routes[
            0
        ]
        assert route.modes == ["road"]
        assert loaded.network.nodes[route.destination].sea == "Arabian Sea"


def test_every_kazakh_city_on_rail_reaches_the_arabian_sea_by_rail(loaded):
    from corridors.routes import graph

    layers = graph.layers_by_node(loaded.network)
    on_rail = [c for c in _kaz_cities(loaded) if any(x.startswith("rail") for x in layers[c])]
    assert len(on_rail) >= 5
    for city in on_rail:
        route = api.plan(city, "Arabian Sea", modes=["rail"], status=["operational"], network=loaded).routes[
            0
        ]
        assert route.modes == ["rail"]


def test_almaty_karachi_over_the_karakoram_highway(loaded):
    route = api.plan("Almaty", "Karachi", modes=["road"], network=loaded).routes[0]
    assert "Karakoram Highway" in route.corridors
    assert "khunjerab_pass" in [c.node_id for c in route.crossings]
    fixture = Fixture(SEEDS)
    assert_priced_as_the_data_says(route, fixture)
    assert route.time_h == pytest.approx(fixture.route(route).hours)


def test_zhanaozen_bandar_abbas_by_rail_changes_gauge_at_the_turkmen_iranian_border(loaded):
    route = api.plan("Zhanaozen", "Bandar Abbas", modes=["rail"], by="distance", network=loaded).routes[0]
    changes = [t for t in route.transfers if t.kind == "gauge_change"]
    assert len(changes) == 1
    node = loaded.network.nodes[changes[0].node_id]
    assert node.is_crossing and set(node.border.countries) == {"TKM", "IRN"}
    assert changes[0].time_h > 0 and changes[0].cost_usd_per_t > 0


def test_cost_model_figures_have_sources():
    costs = io.read_costs(Path(SEEDS) / "costs.toml")
    assert costs.line_haul["road"].source and costs.circuity_source
    for fig in [*costs.transfer.values(), *costs.border.values()]:
        assert fig.source
