"""Every planner prices port customs by the same regime (routes.pricing.query_graph).

Nukus (Uzbekistan) to Baku: the best route takes the ferry from Kuryk, so the cargo only passes
through Kazakhstan and pays a transit declaration at Kuryk, not export clearance. Route, rank,
reach (to one place and by region), reach --within, the Pareto set, the alternatives and the HTTP
API give it the same figures, on the networkx graph and on the arrays (rank those the search
minimises, road rest at its long-run rate).
"""

from __future__ import annotations

import dataclasses
import json

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from corridors.geo.errors import QueryError
from corridors.routes import api, cli, engine, loading, reach, reach_plan, scenarios, server


@pytest.fixture(scope="module", params=["networkx", "arrays"])
def loaded(request):
    threshold = 0 if request.param == "arrays" else loading.ARRAY_THRESHOLD
    found = loading.load(array_threshold=threshold, use_cache=False)
    assert isinstance(found.G, engine.ArrayGraph) == (request.param == "arrays")
    return found


@pytest.fixture(scope="module")
def best(loaded):
    """The route planner's best route by time, Nukus to Baku."""
    planned = api.plan("Nukus", "Baku", network=loaded, by="time")
    assert planned.query["cargo_countries"] == [["UZB"], ["AZE"]]
    return planned.routes[0]


def test_the_pair_calls_at_a_port_in_transit(best):
    names = [c.name for c in best.crossings]
    assert "Kuryk customs (transit)" in names
    assert "Kuryk customs" not in names


def searched(loaded):
    """The same network and graph with road rest per moving hour: its routes' figures are those
    the search minimises (rest at the long-run rate, routes.rest), which rank measures by."""
    costs = dataclasses.replace(loaded.network.costs, road_rest=None)
    return loading.Loaded(dataclasses.replace(loaded.network, costs=costs), loaded.G)


def test_rank_gives_the_route_figures_the_search_minimises(loaded, best):
    for by in ("time", "cost"):
        ranking = scenarios.rank(loaded, origin="Nukus", destination="Baku", by=by)
        planned = api.plan("Nukus", "Baku", network=searched(loaded), by=by).routes[0]
        counted = api.plan("Nukus", "Baku", network=loaded, by=by).routes[0]
        assert counted.total(by) <= planned.total(by) + 1e-9
        assert ranking.values[scenarios.TODAY] == {
            ("nukus", planned.destination): pytest.approx(planned.total(by))
        }


def test_rank_from_a_country_gives_each_pair_its_route(loaded):
    ranking = scenarios.rank(loaded, origin="Uzbekistan", destination="Baku", by="time")
    today = ranking.values[scenarios.TODAY]
    for origin in ("nukus", "bukhara"):
        name = loaded.network.nodes[origin].name
        planned = api.plan(name, "Baku", network=searched(loaded), by="time").routes[0]
        assert today[(origin, planned.destination)] == pytest.approx(planned.total("time"))


def test_reach_gives_the_route_figures(loaded, best):
    found = reach.reach(loaded, "Baku", origin="Uzbekistan", by="time")
    by_id = {p.node_id: p for p in found.places}
    assert by_id["nukus"].route.total("time") == pytest.approx(best.total("time"))
    assert [c.name for c in by_id["nukus"].route.crossings] == [c.name for c in best.crossings]
    planned = reach_plan.plan_reach(loaded, "Baku", origin="Uzbekistan", by="time")
    centres = {
        r.centre.node_id: r.centre.route for r in planned.result.regions if r.centre and r.centre.route
    }
    assert centres["nukus"].total("time") == pytest.approx(best.total("time"))


def test_within_gives_the_route_time(loaded, best):
    bands = reach.within(loaded, "Nukus", [best.total("time") + 1.0])
    assert bands.time_h[best.destination] == pytest.approx(best.total("time"))


def test_tradeoff_views_use_the_regime(loaded, best):
    front = api.plan("Nukus", "Baku", network=loaded, pareto=["time", "cost"]).routes
    assert min(r.total("time") for r in front) == pytest.approx(best.total("time"))
    for r in front + api.plan("Nukus", "Baku", network=loaded, by="time", k=3).routes:
        kazakh = [c.name for c in r.crossings if c.node_id in ("kuryk", "aktau")]
        assert all(name.endswith("(transit)") for name in kazakh), kazakh


def test_http_api_gives_the_same_figures(loaded, best):
    client = TestClient(server.create_app(loaded), raise_server_exceptions=False)
    time_h = best.total("time")
    route = client.get("/v1/route", params={"from": "Nukus", "to": "Baku"}).json()
    assert route["routes"][0]["totals"]["time_h"] == pytest.approx(time_h, abs=1e-3)
    got = client.get("/v1/reach", params={"from": "Uzbekistan", "to": "Baku"}).json()
    nukus = next(p for p in got["places"] if p["id"] == "nukus")
    assert nukus["totals"]["time_h"] == pytest.approx(time_h, abs=1e-3)


def test_regime_copies_are_kept_per_pair_and_never_shared_between_pairs(loaded):
    from corridors.routes import pricing

    net, G = loaded.network, loaded.G
    uzb, aze, kaz = frozenset({"UZB"}), frozenset({"AZE"}), frozenset({"KAZ"})
    transit = pricing.customs_regime(G, net, uzb, aze)
    assert transit is not G  # Kuryk in transit
    assert pricing.customs_regime(G, net, uzb, aze) is transit  # kept
    assert pricing.customs_regime(G, net, kaz, aze) is not transit  # Kuryk clears export here
    later = api.plan("Nukus", "Baku", network=loaded, by="time")  # through the kept copy
    assert "Kuryk customs (transit)" in [c.name for c in later.routes[0].crossings]
    kept = pricing.REGIMES_KEPT if G.__class__.__name__ == "DiGraph" else pricing.REGIMES_KEPT_ARRAYS
    for i in range(kept + 1):
        pricing.customs_regime(G, net, frozenset({f"X{i}"}), aze)
    assert pricing.customs_regime(G, net, uzb, aze) is not transit  # the oldest pair was let go


def test_a_regime_copy_changes_the_transit_calls_alone_and_leaves_the_graph_as_it_was(loaded):
    from corridors.routes import pricing

    net, G = loaded.network, loaded.G
    if not isinstance(G, nx.DiGraph):
        pytest.skip("the array form copies its value arrays")
    uzb, aze = frozenset({"UZB"}), frozenset({"AZE"})
    before = {(u, v): dict(d) for u, v, d in G.edges(data=True)}
    calls = set(pricing.transit_calls(G, net, uzb, aze))
    H = pricing.customs_regime(G, net, uzb, aze)
    assert {(u, v): dict(d) for u, v, d in G.edges(data=True)} == before
    changed = {(u, v) for u, v, d in H.edges(data=True) if d != before[u, v]}
    assert calls and changed == calls
    assert all(H.pred[v][u] is H.succ[u][v] for u, v in calls)
    assert H.number_of_edges() == G.number_of_edges()


def test_rank_and_reach_take_the_cargo_countries_as_route_does(loaded):
    """Containers for Georgia from Aktau to Baku pass through Azerbaijan: transit at Alat."""
    onward = api.plan("Aktau", "Baku", network=loaded, by="time", cargo_to="GEO").routes[0]
    ending = api.plan("Aktau", "Baku", network=loaded, by="time").routes[0]
    assert "Alat (Port of Baku) customs (transit)" in [c.name for c in onward.crossings]
    assert onward.total("time") != pytest.approx(ending.total("time"))
    pair = ("aktau", onward.destination)
    ranked = scenarios.rank(loaded, origin="Aktau", destination="Baku", by="time", cargo_to="GEO")
    minimised = api.plan("Aktau", "Baku", network=searched(loaded), by="time", cargo_to="GEO").routes[0]
    assert ranked.values[scenarios.TODAY] == {pair: pytest.approx(minimised.total("time"))}
    assert ranked.cargo == (None, "GEO")
    found = reach.reach(loaded, "Baku", origin="Aktau", by="time", cargo_to="GEO")
    (aktau,) = found.places
    assert aktau.route.total("time") == pytest.approx(onward.total("time"))
    assert [c.name for c in aktau.route.crossings] == [c.name for c in onward.crossings]
    assert found.query["cargo_to"] == "GEO" and found.query["cargo_from"] is None
    if isinstance(loaded.G, engine.ArrayGraph):
        # Georgian cargo would be loaded on a ship at the ports beyond the Caspian (Jebel Ali):
        # the array form does not price that port call (routes.port_ends) and refuses.
        with pytest.raises(QueryError, match=r"^`cargo_to`: the port call at .*\(array form\)"):
            reach.within(loaded, "Aktau", [onward.total("time") + 1.0], cargo_to="GEO")
        return
    band = reach.within(loaded, "Aktau", [onward.total("time") + 1.0], cargo_to="GEO")
    assert band.time_h[onward.destination] == pytest.approx(onward.total("time"))


def test_rank_and_reach_take_the_cargo_options_on_the_command_line_and_the_api(loaded, capsys):
    onward = api.plan("Aktau", "Baku", network=loaded, by="time", cargo_to="GEO").routes[0]
    minimised = api.plan("Aktau", "Baku", network=searched(loaded), by="time", cargo_to="GEO").routes[0]
    assert cli.main(["rank", "--from", "Aktau", "--to", "Baku", "--cargo-to", "GEO", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["cargo_to"] == "GEO"
    assert doc["today"][f"aktau>{onward.destination}"] == pytest.approx(minimised.total("time"), abs=1e-3)
    assert cli.main(["reach", "Baku", "--from", "Aktau", "--cargo-to", "Georgia?", "--json"]) == 2
    assert "--cargo-to: 'Georgia?' is neither a country" in capsys.readouterr().err
    client = TestClient(server.create_app(loaded), raise_server_exceptions=False)
    got = client.get("/v1/reach", params={"from": "Aktau", "to": "Baku", "cargo_to": "GEO"}).json()
    assert got["places"][0]["totals"]["time_h"] == pytest.approx(onward.total("time"), abs=1e-3)
    ranked = client.get("/v1/rank", params={"from": "Aktau", "to": "Baku", "cargo_to": "GEO"}).json()
    assert ranked["today"] == doc["today"]
    bad = client.get("/v1/rank", params={"cargo_from": "Georgia?"})
    assert bad.status_code == 400 and bad.json()["error"]["parameter"] == "cargo_from"
