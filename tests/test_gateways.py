"""One route per gateway, and routes that never enter a country twice.

Region figures (tests/data/region, road 50 km/h and 0.10 $/t-km), worked by hand from the files:

- High Pass (CHN→PAK): Kapa-Kazgate-Chenshi-High Pass-Pakabad-Pport, 3,642.1 km = 72.842 h and
  364.21 $/t, plus Kazgate 8 h / 10 $/t and High Pass 6 h / 12 $/t: 86.842 h, 386.21 $/t.
- Khybergate (AFG→PAK, suspended): Kapa-Uzgate-Uzshahr-Afgate-Afghanabad-Khybergate-Pakabad-Pport,
  3,874.9 km = 77.498 h and 387.49 $/t, plus 6 + 12 + 28 h and 4 + 6 + 13 $/t: 123.498 h, 410.49 $/t.
- Taftgate (IRN→PAK): Kapa-Kbeta-Turkgate-Turkshahr-Irangate-Iranshahr-Taftgate-Quettabad-Pport,
  6,332.7 km = 126.654 h and 633.27 $/t, plus 6 + 12 + 24 h and 5 + 8 + 12 $/t: 168.654 h, 658.27 $/t.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corridors.geo.errors import QueryError
from corridors.routes import api, countries, loading, output

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def region():
    return loading.load(DATA / "region")


def test_one_route_per_gateway_with_what_each_needs(region):
    plan = api.plan("Kapa", "Pport", gateways=True, network=region)
    by_name = {g.name: g for g in plan.gateways}
    assert set(by_name) == {"High Pass", "Khybergate", "Taftgate"}
    expected = {
        "High Pass": (1, 86.842, 386.21, True, ()),
        "Khybergate": (2, 123.498, 410.49, False, ("reopening the Khybergate crossing",)),
        "Taftgate": (3, 168.654, 658.27, True, ()),
    }
    for name, (rank, time_h, cost, in_scenario, needs) in expected.items():
        g = by_name[name]
        assert g.route.rank == rank
        assert g.route.time_h == pytest.approx(time_h)
        assert g.route.cost_usd_per_t == pytest.approx(cost)
        assert g.in_scenario is in_scenario
        assert g.needs == needs
        into_pak = [c.node_id for c in g.route.crossings if c.countries[1] == "PAK"]
        assert into_pak == [g.node_id]
    assert [r.rank for r in plan.routes] == [1, 2, 3]
    assert by_name["Khybergate"].from_country == "AFG" and by_name["Khybergate"].to_country == "PAK"


def test_an_avoided_gateway_has_no_route_and_says_why(region):
    plan = api.plan("Kapa", "Pport", gateways=True, avoid=["AFG"], network=region)
    khyber = next(g for g in plan.gateways if g.name == "Khybergate")
    assert khyber.route is None and khyber.reason == "avoided (`avoid`)"
    assert len(plan.routes) == 2


def test_gateways_from_inside_the_country_is_a_query_error(region):
    with pytest.raises(QueryError, match="already in the destination's country"):
        api.plan("Pakabad", "Pport", gateways=True, network=region)


def _write_loop_network(folder: Path) -> None:
    """A, B in KAZ joined directly (400 km at 20 km/h: 20 h) and through Kyrgyzstan
    (4 x 120 km at 50 km/h = 9.6 h, plus two 1 h borders): the fast way re-enters KAZ."""
    folder.mkdir()
    shutil.copy(DATA / "tiny" / "costs.toml", folder / "costs.toml")
    (folder / "links").mkdir()
    places = {"a": (70, 45, "KAZ"), "b": (74, 45, "KAZ"), "k": (72, 44, "KGZ")}
    gates = {"g1": (71, 44.5), "g2": (73, 44.5)}
    border = {"countries": ["KAZ", "KGZ"], "hours": {"road": 1}, "usd_per_t": {"road": 1}}
    gate = {"country": "KAZ", "kind": "border_crossing", "status": "operational", "border": border}
    nodes = [
        _point(i, (x, y), {"name": i.upper(), "country": c, "kind": "city"})
        for i, (x, y, c) in places.items()
    ]
    nodes += [_point(i, xy, {"name": i.upper(), **gate}) for i, xy in gates.items()]
    coords = {**{i: v[:2] for i, v in places.items()}, **gates}
    hops = [("a", "b", 400, 20), ("a", "g1", 120, None), ("g1", "k", 120, None), ("k", "g2", 120, None)]
    hops.append(("g2", "b", 120, None))
    links = [_line(a, b, coords, km, speed) for a, b, km, speed in hops]
    for name, features in (("nodes.geojson", nodes), ("links/loop.geojson", links)):
        text = json.dumps({"type": "FeatureCollection", "features": features})
        (folder / name).write_text(text)


def _point(node_id: str, xy: tuple, props: dict) -> dict:
    geometry = {"type": "Point", "coordinates": list(xy)}
    return {"type": "Feature", "geometry": geometry, "properties": {"id": node_id, "source": "test", **props}}


def _line(a: str, b: str, coords: dict, km: float, speed: float | None) -> dict:
    props = {"id": f"{a}_{b}", "from": a, "to": b, "mode": "road", "status": "operational"}
    props.update(corridor=f"{a}-{b}", source="test", length_km=km)
    if speed:
        props["speed_kmh"] = speed
    geometry = {"type": "LineString", "coordinates": [list(coords[a]), list(coords[b])]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    folder = tmp_path_factory.mktemp("loop") / "net"
    _write_loop_network(folder)
    return loading.load(folder)


def test_the_best_route_never_enters_a_country_twice(loop):
    plan = api.plan("a", "b", network=loop)
    (route,) = plan.routes
    assert [s.link_id for s in route.segments] == ["a_b"]
    assert route.time_h == pytest.approx(20)
    assert "entered KAZ twice" in plan.notes[0]


def test_alternatives_that_re_enter_a_country_are_discarded_and_said_so(loop):
    plan = api.plan("a", "b", k=2, network=loop)
    assert len(plan.routes) == 1
    assert "entered a country twice (KAZ → KGZ → KAZ)" in plan.notes[-1]


def test_pareto_routes_never_enter_a_country_twice(loop):
    plan = api.plan("a", "b", pareto=["time", "cost"], network=loop)
    assert [[s.link_id for s in r.segments] for r in plan.routes] == [["a_b"]]
    for r in plan.routes:
        assert countries.reentered(r, loop.network.nodes) is None


def test_a_port_call_from_abroad_is_a_gateway_priced_as_route_prices_it():
    """Karachi is reached by sea from Iran (Bandar Abbas, Chabahar) and the Emirates (Jebel
    Ali): the call there, customs at Karachi, is a way into Pakistan beside the land crossings."""
    net = loading.load()
    plan = api.plan("Almaty", "Karachi", gateways=True, network=net)
    port = next(g for g in plan.gateways if g.node_id == "karachi")
    assert (port.kind, port.name, port.to_country) == ("port", "Karachi customs", "PAK")
    # Customs on leaving the Iranian port, then on arriving at Karachi; no land crossing into PAK.
    into = [c for c in port.route.crossings if c.countries[1] == "PAK"]
    assert [net.network.nodes[c.node_id].country for c in into] == ["IRN", "PAK"]
    entry = into[-1]
    assert entry.node_id == "karachi" and entry.mode == "sea" and port.from_country == entry.countries[0]
    # The planner's own best route once every land crossing into Pakistan is avoided.
    land = [g.node_id for g in plan.gateways if g.kind == "crossing"]
    assert land and all(net.network.nodes[n].is_crossing for n in land)
    alone = api.plan("Almaty", "Karachi", avoid=land, network=net).routes[0]
    assert port.route.total("time") == pytest.approx(alone.total("time"))
    assert port.in_scenario
    # Cargo going on to Afghanistan passes through Pakistan: the call is a transit declaration,
    # named and priced as route names and prices it.
    onward = api.plan("Almaty", "Karachi", gateways=True, cargo_to="AFG", network=net)
    transit = next(g for g in onward.gateways if g.node_id == "karachi")
    assert transit.name == "Karachi customs (transit)"
    assert transit.name in [c.name for c in transit.route.crossings]
    routed = api.plan("Almaty", "Karachi", avoid=land, cargo_to="AFG", network=net).routes[0]
    assert transit.route.total("cost") == pytest.approx(routed.total("cost"))
    doc = output.gateway_dict(transit)
    assert doc["kind"] == "port" and doc["node"] == "karachi"
