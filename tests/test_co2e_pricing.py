"""CO2e of every step, costs for the payload at hand, generalised cost: hand-worked on the tiny network.

Tiny fixture emissions (tests/data/tiny/costs.toml): road 0.1 and diesel rail 0.03 kg CO2e/t-km;
rail in CHN is half electric at 0.04 kWh/t-km from a 0.5 kg/kWh grid: 0.5 x 0.04 x 0.5 +
0.5 x 0.03 = 0.025 kg/t-km; gauge change 1, road-rail 2 kg/t; borders 0. Per-shipment costs:
the border crossings and the gauge change.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from corridors.geo.errors import QueryError
from corridors.routes import api, costs, loading, output
from tests.conftest import run_cli

TINY = Path(__file__).parent / "data" / "tiny"

# All rail a -> c: 180 + 160 km KAZ diesel, Xgate 0, gauge change 1, 160 km in CHN at 0.025.
RAIL_CO2E = 180 * 0.03 + 160 * 0.03 + 0 + 1 + 160 * 0.025  # 15.2
EXPRESS_CO2E = (190 + 160 + 170) * 0.1  # 52.0


def test_every_step_carries_its_co2e_and_the_route_sums_them(tiny):
    route = api.plan("Aqsu", "Chenggu", by="cost", network=tiny).routes[0]
    assert [s.link_id for s in route.segments] == ["a_b_rail", "b_x_rail", "x_c_rail"]
    per_step = [round(s.values["co2e_kg_per_t"], 6) for s in route.steps]
    assert per_step == [5.4, 4.8, 0.0, 1.0, 4.0]
    assert route.total("co2") == pytest.approx(RAIL_CO2E)
    chn = route.segments[-1]
    assert "test fixture: CHN traction mix" in chn.sources["co2e_kg_per_t_km"]
    assert route.segments[0].sources["co2e_kg_per_t_km"] == "test fixture: diesel rail co2e"
    assert route.crossings[0].sources["co2e_kg_per_t"] == costs.BORDER_CO2E_SOURCE
    assert route.transfers[0].sources["co2e_kg_per_t"] == "test fixture: gauge change co2e"


def test_by_co2_minimises_emissions(tiny):
    route = api.plan("Aqsu", "Chenggu", by="co2", network=tiny).routes[0]
    assert route.total("co2") == pytest.approx(RAIL_CO2E)
    fastest = api.plan("Aqsu", "Chenggu", by="time", projects="all", network=tiny).routes[0]
    assert fastest.total("co2") == pytest.approx(EXPRESS_CO2E)


def test_pareto_on_time_cost_and_co2(tiny):
    plan = api.plan("Aqsu", "Chenggu", pareto=["time", "cost", "co2"], projects="all", network=tiny)
    got = [tuple(round(r.total(c), 6) for c in ("time", "cost", "co2")) for r in plan.routes]
    # The five time/cost routes: express road 52; express road then rail at Xgate 19 + 16 + 2 + 4
    # = 41; rail then road at Bay 5.4 + 2 + 16 + 17 = 40.4; rail to Xgate, to road on the Kazakh
    # side and over by road 5.4 + 4.8 + 2 + 17 = 29.2; all rail 15.2. No other route is better on
    # any of the three.
    assert got == [
        (18.6, 57.0, 52.0),
        (33.6, 56.0, 41.0),
        (35.8, 55.0, 40.4),
        (39.0, 47.0, 29.2),
        (45.0, 41.0, 15.2),
    ]


def test_network_without_co2e_tables_takes_the_built_in_factors(tmp_path):
    region = loading.load(Path(__file__).parent / "data" / "region")
    builtin = tomllib.loads(Path(costs.__file__).parent.parent.joinpath("seeds", "costs.toml").read_text())
    road = builtin["co2e"]["road"]["kg_co2e_per_t_km"]
    route = api.plan("Kapa", "Chenshi", network=region).routes[0]
    assert route.total("co2") == pytest.approx(route.distance_km * road)


def test_a_bigger_payload_spreads_per_shipment_costs(tiny):
    # 40 t: Xgate rail 6 -> 3 $/t, gauge change 10 -> 5 $/t; line haul unchanged: 9 + 8 + 3 + 5 + 8.
    plan = api.plan("Aqsu", "Chenggu", by="cost", payload_t=40, network=tiny)
    route = plan.routes[0]
    assert route.cost_usd_per_t == pytest.approx(33.0)
    assert [round(s.cost_usd_per_t, 6) for s in route.steps] == [9.0, 8.0, 3.0, 5.0, 8.0]
    assert plan.query["payload_t"] == 40
    assert "40 t payload" in plan.notes[0]
    # The cached graph is untouched.
    assert api.plan("Aqsu", "Chenggu", by="cost", network=tiny).routes[0].cost_usd_per_t == pytest.approx(41)


def test_value_of_time_flips_the_generalised_choice(tiny):
    # 24 USD/t/day = 1 $/t per hour: express road 57 + 18.6 = 75.6 beats rail 41 + 45 = 86.
    fast = api.plan(
        "Aqsu", "Chenggu", by="generalised", value_of_time=24, projects="all", network=tiny
    ).routes[0]
    assert fast.total("generalised") == pytest.approx(75.6)
    assert fast.segments[0].link_id == "a_b_express"
    # 2.4 USD/t/day: rail 41 + 4.5 = 45.5 beats the express 57 + 1.86.
    slow = api.plan(
        "Aqsu", "Chenggu", by="generalised", value_of_time=2.4, projects="all", network=tiny
    ).routes[0]
    assert slow.total("generalised") == pytest.approx(45.5)
    assert slow.segments[0].link_id == "a_b_rail"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"payload_t": 0}, "`payload_t` must be 1-100 tonnes"),
        ({"payload_t": float("nan")}, "`payload_t` must be"),
        ({"value_of_time": -1}, "`value_of_time` must be"),
        ({"value_of_time": float("inf")}, "`value_of_time` must be"),
        ({"value_of_time": float("nan")}, "`value_of_time` must be"),
        ({"value_of_time": 1e308}, "`value_of_time` must be .* from 0 to 1,000,000"),
    ],
)
def test_bad_payload_and_value_of_time_are_query_errors(tiny, kwargs, message):
    with pytest.raises(QueryError, match=message):
        api.plan("Aqsu", "Chenggu", network=tiny, **kwargs)


def test_cli_co2_totals_json_and_explain(tiny_dir):
    out = run_cli("route", "a", "c", "--by", "co2", "--json", "--network", str(tiny_dir))
    doc = json.loads(out.stdout)
    route = doc["routes"][0]
    assert route["totals"]["co2e_kg_per_t"] == pytest.approx(RAIL_CO2E)
    assert [s["co2e_kg_per_t"] for s in route["segments"]] == [5.4, 4.8, 4.0]
    explain = run_cli("route", "a", "c", "--by", "co2", "--explain", "--sources", "--network", str(tiny_dir))
    assert "15.20 kg CO2e/t" in explain.stdout
    assert "co2e_kg_per_t_km: test fixture: diesel rail co2e" in explain.stdout
    bad = run_cli("route", "a", "c", "--payload-t", "500", "--network", str(tiny_dir))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_route_dict_carries_co2e_on_stops(tiny):
    doc = output.plan_dict(api.plan("Aqsu", "Chenggu", by="cost", network=tiny))["routes"][0]
    assert doc["transfers"][0]["co2e_kg_per_t"] == 1.0
    assert doc["border_crossings"][0]["co2e_kg_per_t"] == 0.0
