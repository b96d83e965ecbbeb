"""Rank, reach and reach --within make the port call at a route's end as route does.

Built-in network, worked from ``seeds/costs.toml``: Indian cargo landed at Chabahar (India has
no land border with Iran) pays the transit declaration and the port transfer sea → road before
it leaves for Zaranj; cargo for India from Kabul pays the transfer road → sea and the transit
declaration at Chabahar. On the networkx graph every planner gives route's figures (rank those
the search minimises, road rest at its long-run rate); the array form of large networks does not
price the call and refuses the query (a one-line error, 400 on the HTTP API).
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corridors.geo.errors import QueryError
from corridors.routes import api, cli, engine, loading, reach, scenarios, server

SEED_COSTS = Path(__file__).resolve().parent.parent / "seeds" / "costs.toml"


def _call_h() -> float:
    """Hours of the port call at Chabahar for cargo in transit, by ``seeds/costs.toml``."""
    c = tomllib.loads(SEED_COSTS.read_text())
    return c["port_customs"]["transit"]["hours"] + c["transfer"]["port"]["hours"]


def _searched(loaded):
    """Road rest per moving hour: the figures the search minimises, which rank measures by."""
    costs = dataclasses.replace(loaded.network.costs, road_rest=None)
    return loading.Loaded(dataclasses.replace(loaded.network, costs=costs), loaded.G)


@pytest.fixture(scope="module")
def graph():
    found = loading.load()
    assert not isinstance(found.G, engine.ArrayGraph)
    return found


@pytest.fixture(scope="module")
def arrays():
    found = loading.load(array_threshold=0, use_cache=False)
    assert isinstance(found.G, engine.ArrayGraph)
    return found


def _time(loaded, origin, destination, **cargo) -> float:
    return api.plan(origin, destination, network=loaded, by="time", **cargo).routes[0].total("time")


def test_rank_from_a_port_with_cargo_landed_there_gives_the_route_figures(graph):
    searched = _searched(graph)
    landed = _time(searched, "Chabahar", "Zaranj", cargo_from="IND")
    assert landed == pytest.approx(_time(searched, "Chabahar", "Zaranj") + _call_h())
    ranked = scenarios.rank(graph, origin="Chabahar", destination="Zaranj", by="time", cargo_from="IND")
    assert ranked.values[scenarios.TODAY] == {("chabahar", "zaranj"): pytest.approx(landed)}
    onward = _time(searched, "Kabul", "Chabahar", cargo_to="IND")
    ranked = scenarios.rank(graph, origin="Kabul", destination="Chabahar", by="time", cargo_to="IND")
    assert ranked.values[scenarios.TODAY] == {("kabul", "chabahar"): pytest.approx(onward)}


def test_reach_from_and_to_a_port_with_the_cargo_at_sea_gives_the_route_figures(graph):
    planned = api.plan("Chabahar", "Zaranj", network=graph, by="time", cargo_from="IND").routes[0]
    (place,) = reach.reach(graph, "Zaranj", origin="Chabahar", by="time", cargo_from="IND").places
    assert place.route.total("time") == pytest.approx(planned.total("time"))
    assert [c.name for c in place.route.crossings] == [c.name for c in planned.crossings]
    plain = _time(graph, "Kabul", "Chabahar")
    onward = _time(graph, "Kabul", "Chabahar", cargo_to="IND")
    assert onward == pytest.approx(plain + _call_h())
    found = reach.reach(graph, "Chabahar", origin="Afghanistan", by="time", cargo_to="IND")
    kabul = next(p for p in found.places if p.node_id == "kabul")
    assert kabul.route.total("time") == pytest.approx(onward)
    band = reach.within(graph, "Kabul", [onward + 1.0], cargo_to="IND")
    assert band.time_h["chabahar"] == pytest.approx(onward)
    assert reach.within(graph, "Kabul", [onward + 1.0]).time_h["chabahar"] == pytest.approx(plain)


def test_the_cli_and_the_api_reach_give_the_route_figures(graph, capsys):
    landed = _time(graph, "Chabahar", "Zaranj", cargo_from="IND")
    assert cli.main(["reach", "Zaranj", "--from", "Chabahar", "--cargo-from", "IND", "--json"]) == 0
    (place,) = json.loads(capsys.readouterr().out)["places"]
    assert place["totals"]["time_h"] == pytest.approx(landed, abs=1e-3)
    client = TestClient(server.create_app(graph), raise_server_exceptions=False)
    params = {"from": "Chabahar", "to": "Zaranj", "cargo_from": "IND"}
    got = client.get("/v1/reach", params=params).json()
    assert got["places"][0]["totals"]["time_h"] == pytest.approx(landed, abs=1e-3)


@pytest.mark.parametrize(
    ("plan", "starts"),
    [
        (
            lambda L: api.plan("Chabahar", "Zaranj", network=L, cargo_from="IND"),
            "`cargo_from`: the port call at Chabahar",
        ),
        (
            lambda L: scenarios.rank(L, origin="Chabahar", destination="Zaranj", cargo_from="IND"),
            "`cargo_from`: the port call at Chabahar",
        ),
        (
            lambda L: reach.reach(L, "Zaranj", origin="Chabahar", cargo_from="IND"),
            "`cargo_from`: the port call at Chabahar",
        ),
        (
            lambda L: reach.reach(L, "Chabahar", origin="Kabul", cargo_to="IND"),
            "`cargo_to`: the port call at Chabahar",
        ),
        # Every port where Indian cargo would go on by ship is a destination of --within.
        (lambda L: reach.within(L, "Kabul", [100.0], cargo_to="IND"), "`cargo_to`: the port call at "),
    ],
)
def test_the_array_form_refuses_a_port_call_at_an_end(arrays, plan, starts):
    with pytest.raises(QueryError) as err:
        plan(arrays)
    msg = str(err.value)
    assert msg.startswith(starts) and "(array form)" in msg and "\n" not in msg


def test_the_array_form_keeps_cargo_countries_that_make_no_port_call(arrays, graph):
    args = {"origin": "Zaranj", "destination": "Chabahar", "by": "time", "cargo_from": "IND"}
    on_arrays = scenarios.rank(arrays, **args).values[scenarios.TODAY]
    assert on_arrays == pytest.approx(scenarios.rank(graph, **args).values[scenarios.TODAY])


def test_the_api_answers_400_for_a_port_call_on_the_array_form(arrays):
    client = TestClient(server.create_app(arrays), raise_server_exceptions=False)
    bad = client.get("/v1/reach", params={"from": "Chabahar", "to": "Zaranj", "cargo_from": "IND"})
    assert bad.status_code == 400 and bad.json()["error"]["parameter"] == "cargo_from"
