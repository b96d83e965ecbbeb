"""Alternatives, constraints and region endpoints on a small hand-made region (tests/data/region).

The region: Kazakh cities Kapa (east) and Kbeta (west); three ways to the Arabian Sea ports
Pport and Gport (Pakistan): east through China and a seasonal High Pass (open April-November),
west through Turkmenistan and Iran, south through Uzbekistan and Afghanistan, whose crossing
into Pakistan (Khybergate) is suspended. A proposed railway runs Uzshahr-Afghanabad.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from corridors.geo import objectives
from corridors.geo.errors import NoRouteError
from corridors.routes import alternatives, api, backends, loading, search

REGION = Path(__file__).parent / "data" / "region"


@pytest.fixture(scope="module")
def region():
    return loading.load(REGION)


def crossing_ids(route) -> list[str]:
    return [c.node_id for c in route.crossings]


def test_country_to_sea_finds_best_origin_port_pair(region):
    plan = api.plan("Kazakhstan", "Arabian Sea", network=region)
    (route,) = plan.routes
    assert route.origin in {"kapa", "kbeta"}
    assert route.destination in {"pport", "gport"}
    # Best over every pair: no single place-to-place query does better.
    for o, d in itertools.product(["kapa", "kbeta"], ["pport", "gport"]):
        single = api.plan(o, d, network=region).routes[0]
        assert route.time_h <= single.time_h + 1e-9
    assert plan.endpoints[1].kind == "sea"
    assert set(plan.endpoints[1].node_ids) == {"pport", "gport"}  # Iport is on the Gulf of Oman


def test_alternatives_differ_in_substance(region):
    plan = api.plan("Kapa", "Pport", k=3, max_overlap=0.5, max_stretch=3, network=region)
    routes = plan.routes
    assert len(routes) >= 2
    for a, b in itertools.combinations(routes, 2):
        assert alternatives.overlap(a, b) <= 0.5
        assert crossing_ids(a) != crossing_ids(b)
    assert [r.rank for r in routes] == list(range(1, len(routes) + 1))
    assert [r.time_h for r in routes] == sorted(r.time_h for r in routes)
    if len(routes) < 3:
        assert plan.notes and "found" in plan.notes[-1]


def test_fewer_alternatives_than_asked_says_why(region):
    plan = api.plan("Kapa", "Pport", k=3, max_stretch=1.01, network=region)
    assert len(plan.routes) == 1
    assert "times the best by time" in plan.notes[-1]


def test_overlap_is_measured_on_physical_links(region):
    east = api.plan("Kapa", "Pport", network=region).routes[0]
    assert alternatives.overlap(east, east) == pytest.approx(1.0)
    west = api.plan("Kapa", "Pport", avoid=["CHN"], network=region).routes[0]
    shared = east.link_ids & west.link_ids
    expected = sum(s.distance_km for s in east.segments if s.link_id in shared)
    shorter = min(east.distance_km, west.distance_km)
    assert alternatives.overlap(east, west) == pytest.approx(expected / shorter)


def test_via_is_visited_in_order_and_works_with_alternatives(region):
    plan = api.plan("Kapa", "Pport", via=["Turkshahr"], k=2, max_stretch=3, network=region)
    for route in plan.routes:
        visited = [s.to_id for s in route.segments]
        assert "tcity" in visited
        assert route.origin == "kapa" and route.destination == "pport"
    best = plan.routes[0]
    first_leg = api.plan("Kapa", "Turkshahr", network=region).routes[0]
    second_leg = api.plan("Turkshahr", "Pport", network=region).routes[0]
    assert best.time_h == pytest.approx(first_leg.time_h + second_leg.time_h)


def test_month_closes_the_seasonal_pass(region):
    summer = api.plan("Kapa", "Pport", month=7, network=region).routes[0]
    winter = api.plan("Kapa", "Pport", month=1, network=region).routes[0]
    assert "pass" in crossing_ids(summer)
    assert "pass" not in crossing_ids(winter)
    assert any("open only in months 4,5,6,7,8,9,10,11" in w for w in summer.warnings)


def test_avoid_country_never_enters_it(region):
    route = api.plan("Kapa", "Pport", avoid=["China"], network=region).routes[0]
    assert "CHN" not in route.countries
    for s in route.segments:
        assert region.network.nodes[s.from_id].country != "CHN"


def test_suspended_crossing_is_closed_unless_asked_for(region):
    with pytest.raises(NoRouteError, match="`reopen` all"):
        api.plan("Kapa", "Pport", avoid=["CHN", "IRN"], network=region)
    route = api.plan("Kapa", "Pport", avoid=["CHN", "IRN"], include_suspended=True, network=region).routes[0]
    assert "ap" in crossing_ids(route)
    assert "AFG" in route.countries
    assert any("Khybergate crossing is suspended" in w for w in route.warnings)


def test_today_uses_no_proposed_link(region):
    plan = api.plan("Uzshahr", "Afghanabad", by="cost", projects="all", network=region)
    assert plan.routes[0].relies_on == ["ucity_acity_rail"]
    today = api.plan("Uzshahr", "Afghanabad", by="cost", network=region)
    assert today.routes[0].relies_on == []
    assert all(s.status == "operational" for s in today.routes[0].segments)


def test_avoiding_the_destination_country_says_so(region):
    with pytest.raises(NoRouteError, match="Pport lies in PAK, which `avoid` excludes"):
        api.plan("Kapa", "Pport", avoid=["PAK"], network=region)


def test_modes_cut_off_route_is_named(region):
    with pytest.raises(NoRouteError, match="allowed modes"):
        api.plan("Kapa", "Pport", modes=["rail"], network=region)


def path_cost(G, path, weight) -> float:
    return sum(weight(u, v, G.edges[u, v]) for u, v in itertools.pairwise(path))


@pytest.mark.parametrize("folder", ["region", "tiny", "projects"])
def test_astar_matches_dijkstra(folder):
    """A* (one origin, one target) and multi-source Dijkstra agree on every pair and objective,
    parallel links and statuses included."""
    loaded = loading.load(REGION.parent / folder)
    G, net = loaded.G, loaded.network
    ids = sorted(net.nodes)[:8]
    for by in ("time", "distance", "cost"):
        attr = objectives.get(by).attr
        for constraints in (search.Constraints(), search.Constraints(statuses=frozenset({"operational"}))):
            weight = backends.weight_function(constraints, attr)
            for o, d in itertools.permutations(ids, 2):
                a = backends.vertex_path(G, [o], [d], weight, attr)
                b = backends.vertex_path(G, [o, o], [d, d], weight, attr)  # forces Dijkstra
                assert (a is None) == (b is None)
                if a:
                    assert path_cost(G, a, weight) == pytest.approx(path_cost(G, b, weight))
