"""Pareto routes against hand-worked sets and against every simple path of the fixtures.

The expected sets here never use the search: the tiny set is worked by hand (see
tests/test_routing.py for the figures), the region set by pricing every simple path of the
region's links straight from its GeoJSON and costs.toml.
"""

from __future__ import annotations

import itertools
import json
import tomllib
from pathlib import Path

import networkx as nx
import pytest

from corridors.geo.errors import QueryError
from corridors.routes import api, loading

DATA = Path(__file__).parent / "data"
REGION = DATA / "region"

# Tiny network a -> c, every route priced by hand (time h, cost $/t):
#   express road, road, road:               2 + 3.2 + 10 + 3.4      = 18.6   19 + 16 + 5 + 17      = 57
#   express road, road, border, to rail:    2 + 3.2 + 10 + 12 + 6.4 = 33.6   19 + 16 + 5 + 8 + 8   = 56
#   rail, to road, road, border, road:      7.2 + 12 + 3.2 + 10 + 3.4 = 35.8  9 + 8 + 16 + 5 + 17  = 55
#   rail, rail, to road, border, road:      7.2 + 6.4 + 12 + 10 + 3.4 = 39    9 + 8 + 8 + 5 + 17    = 47
#   rail, rail, border, gauge change, rail: 7.2 + 6.4 + 20 + 5 + 6.4 = 45     9 + 8 + 6 + 10 + 8    = 41
# (the transfer to road at Xgate happens on the Kazakh side, before the border; over the border by
# rail and then to road would take 49 h). Everything else is beaten on both (all road today 20.6 h / 58).
TINY_FRONT = [(18.6, 57.0), (33.6, 56.0), (35.8, 55.0), (39.0, 47.0), (45.0, 41.0)]


@pytest.fixture(scope="module")
def region():
    return loading.load(REGION)


def totals(plan, *criteria) -> list[tuple[float, ...]]:
    return [tuple(round(r.total(c), 6) for c in criteria) for r in plan.routes]


def same(got: list[tuple[float, ...]], expected: list[tuple[float, ...]]) -> bool:
    """Two lists of criteria vectors are equal to within 1e-6."""
    return len(got) == len(expected) and all(
        g == pytest.approx(e, abs=1e-6) for g, e in zip(got, expected, strict=True)
    )


def test_tiny_pareto_set_is_the_hand_worked_one(tiny):
    plan = api.plan("Aqsu", "Chenggu", pareto=["time", "cost"], projects="all", network=tiny)
    assert same(totals(plan, "time", "cost"), TINY_FRONT)
    assert [r.rank for r in plan.routes] == [1, 2, 3, 4, 5]
    assert "5 routes" in plan.notes[-1] and "exact" in plan.notes[-1]
    assert plan.query["pareto"] == ["time", "cost"]


def test_tiny_pareto_with_today_network_drops_the_express(tiny):
    plan = api.plan("Aqsu", "Chenggu", pareto=["time", "cost"], status=["operational"], network=tiny)
    # Without the express: all road 20.6 h / 58; road then rail at Xgate 4 + 3.2 + 10 + 12 + 6.4
    # = 35.6 h / 20 + 16 + 5 + 8 + 8 = 57; rail then road at Bay 35.8 / 55; rail then road at
    # Xgate, before the border, 39 / 47; all rail 45 / 41.
    expected = [(20.6, 58.0), (35.6, 57.0), (35.8, 55.0), (39.0, 47.0), (45.0, 41.0)]
    assert same(totals(plan, "time", "cost"), expected)


def _region_paths(origin: str, target: str) -> list[tuple[float, float]]:
    """Time and cost of every simple path, priced from the region's files alone."""
    costs = tomllib.loads((REGION / "costs.toml").read_text())
    nodes = {
        f["properties"]["id"]: f["properties"]
        for f in json.loads((REGION / "nodes.geojson").read_text())["features"]
    }
    features = json.loads((REGION / "links" / "region.geojson").read_text())["features"]
    links = [f["properties"] for f in features]
    M = nx.MultiGraph()
    for link in links:
        if link["status"] != "suspended":
            M.add_edge(link["from"], link["to"], key=link["id"], link=link)
    out = []
    for nodes_path in nx.all_simple_paths(M, origin, target):
        choices = [
            [d["link"] for d in M.get_edge_data(u, v).values()] for u, v in itertools.pairwise(nodes_path)
        ]
        for chosen in itertools.product(*choices):
            priced = _price(nodes_path, chosen, nodes, costs)
            if priced is not None:
                out.append(priced)
    return out


def _price(path, chosen, nodes, costs) -> tuple[float, float] | None:
    time = cost = 0.0
    seen, current = [], None
    for i, link in enumerate(chosen):
        hauls = costs["line_haul"][link["mode"]]
        time += link["length_km"] / hauls["speed_kmh"]
        cost += link["length_km"] * hauls["usd_per_t_km"]
        place = nodes[path[i + 1]]
        if i + 1 < len(chosen):
            if "border" in place:
                if place.get("status") == "suspended":
                    return None
                mode = link["mode"]
                time += place["border"]["hours"].get(mode, costs["border"][mode]["hours"])
                cost += place["border"]["usd_per_t"].get(mode, costs["border"][mode]["usd_per_t"])
            if chosen[i + 1]["mode"] != link["mode"]:
                time += costs["transfer"]["road_rail"]["hours"]
                cost += costs["transfer"]["road_rail"]["usd_per_t"]
        if "border" not in place and place["country"] != current:
            if place["country"] in seen:
                return None  # enters a country twice
            seen.append(current := place["country"])
    return time, cost


def _front(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    unique = sorted(set((round(t, 6), round(c, 6)) for t, c in points))
    return [p for p in unique if not any(q != p and q[0] <= p[0] and q[1] <= p[1] for q in unique)]


@pytest.mark.parametrize(
    ("origin", "target", "size"), [("kapa", "pport", 1), ("kbeta", "gport", 1), ("kapa", "iport", 2)]
)
def test_region_pareto_set_equals_the_front_of_all_simple_paths(region, origin, target, size):
    expected = _front(_region_paths(origin, target))
    plan = api.plan(origin, target, pareto=["time", "cost"], network=region)
    assert same(totals(plan, "time", "cost"), expected)
    assert len(expected) == size  # kapa-iport: a real trade-off, not one dominant route


def test_pareto_routes_beat_each_other_on_no_criterion_and_enter_no_country_twice(region):
    plan = api.plan("Kazakhstan", "Arabian Sea", pareto=["time", "cost", "distance"], network=region)
    points = totals(plan, "time", "cost", "distance")
    for i, p in enumerate(points):
        for j, q in enumerate(points):
            assert i == j or not all(a <= b for a, b in zip(q, p, strict=True))
    for r in plan.routes:
        assert len(r.countries) == len(set(r.countries))


def test_pareto_options_are_checked(region):
    with pytest.raises(QueryError, match="unknown criterion 'speed'"):
        api.plan("kapa", "pport", pareto=["time", "speed"], network=region)
    with pytest.raises(QueryError, match="two or more"):
        api.plan("kapa", "pport", pareto=["time"], network=region)
    with pytest.raises(QueryError, match="`k` does not combine"):
        api.plan("kapa", "pport", pareto=["time", "cost"], k=3, network=region)
    with pytest.raises(QueryError, match="`via` does not combine"):
        api.plan("kapa", "pport", gateways=True, via=["tcity"], network=region)


def test_pareto_search_says_when_it_was_capped(region):
    from corridors.routes import search, tradeoffs

    # Kapa -> Iport has two Pareto routes, found after 55 labels (one vertex per side of each
    # crossing); at 53 only the first is.
    routes, notes = tradeoffs.pareto_routes(
        region.G, region.network, ["kapa"], ["iport"], criteria=["time", "cost"],
        constraints=search.Constraints(), max_labels=53,
    )  # fmt: skip
    assert len(routes) == 1
    assert notes[-1].startswith("1 route found before the search stopped at 53 labels")
    assert "incomplete" in notes[-1]


def test_region_to_sea_pareto_set_is_the_front_over_every_origin_and_port(region):
    pairs = itertools.product(["kapa", "kbeta"], ["pport", "gport"])
    expected = _front([p for o, d in pairs for p in _region_paths(o, d)])
    plan = api.plan("Kazakhstan", "Arabian Sea", pareto=["time", "cost"], network=region)
    assert same(totals(plan, "time", "cost"), expected)


def test_pareto_without_any_route_says_why(region):
    from corridors.geo.errors import NoRouteError
    from corridors.routes import search, tradeoffs

    with pytest.raises(NoRouteError, match="avoided countries"):
        api.plan("kapa", "pport", pareto=["time", "cost"], avoid=["CHN", "IRN"], network=region)
    with pytest.raises(NoRouteError, match="stopped at 1 labels before it finished a route"):
        tradeoffs.pareto_routes(
            region.G, region.network, ["kapa"], ["pport"], criteria=["time", "cost"],
            constraints=search.Constraints(), max_labels=1,
        )  # fmt: skip
