"""The objective registry: one table that graph, routes, output, the CLI and the maps read."""

from __future__ import annotations

import json

import pytest

from corridors.geo import objectives
from corridors.geo.errors import QueryError
from corridors.routes import api, cli, output, scenarios
from tests.conftest import run_cli


def test_get_names_every_valid_objective_when_the_name_is_unknown():
    assert objectives.get("time").attr == "time_h"
    with pytest.raises(QueryError) as err:
        objectives.get("speed")
    message = str(err.value)
    assert message.startswith("unknown objective 'speed'; expected ")
    for name in objectives.names():
        assert name in message


def test_plan_and_rank_refuse_an_unknown_objective(tiny):
    with pytest.raises(QueryError, match="unknown objective 'co2x'"):
        api.plan("Aqsu", "Chenggu", by="co2x", network=tiny)
    with pytest.raises(QueryError, match="unknown objective 'co2x'"):
        scenarios.rank(tiny, origin="Aqsu", destination="Chenggu", by="co2x")


def test_by_choices_are_the_registry():
    for command in ("route", "rank"):
        parser = cli.build_parser(command)
        sub = next(a for a in parser._actions if a.dest == "command").choices[command]
        by = next(a for a in sub._actions if a.dest == "by")
        assert tuple(by.choices) == objectives.names()
        assert by.default == objectives.DEFAULT


def test_every_edge_carries_every_objective(tiny):
    for _, _, d in tiny.G.edges(data=True):
        assert set(objectives.attrs()) <= d.keys()


def test_json_totals_and_steps_are_keyed_by_the_registry(tiny):
    plan = api.plan("Aqsu", "Chenggu", by="cost", network=tiny)
    doc = output.plan_dict(plan)["routes"][0]
    expected = ["distance_km", "time_h_low", "time_h", "time_h_high", "cost_usd_per_t"]
    expected += ["co2e_kg_per_t", "generalised_usd_per_t"]
    assert list(doc["totals"]) == expected
    assert list(doc["totals"]) == list(objectives.attrs())
    stop_attrs = [o.attr for o in objectives.OBJECTIVES if o.on_stops]
    for seg in doc["segments"]:
        assert set(objectives.attrs()) <= seg.keys()
    for stop in doc["transfers"] + doc["border_crossings"]:
        assert [k for k in stop if k in objectives.attrs()] == stop_attrs
        assert "distance_km" not in stop


def test_route_total_follows_the_objective_it_was_found_by(tiny):
    route = api.plan("Aqsu", "Chenggu", by="cost", network=tiny).routes[0]
    assert route.total() == route.total("cost") == route.cost_usd_per_t
    assert route.totals == {o.attr: route.total(o.name) for o in objectives.OBJECTIVES}
    with pytest.raises(QueryError, match="unknown objective"):
        route.total("speed")


def test_a_step_priced_without_an_objective_is_an_error_not_a_zero():
    with pytest.raises(KeyError, match="no 'cost_usd_per_t' for link 'x'"):
        objectives.values(
            {"distance_km": 1.0, "time_h_low": 1.0, "time_h": 2.0, "time_h_high": 3.0}, what="link 'x'"
        )


def test_combine_is_checked_and_max_combines_by_maximum():
    with pytest.raises(ValueError, match="`combine`"):
        objectives.Objective("x", "x", "u", "u", "x", "u", digits=1, shown=1, precise=1, combine="mean")
    peak = objectives.Objective("p", "p", "u", "u", "p", "u", digits=1, shown=1, precise=1, combine="max")
    assert peak.total([1.0, 3.0, 2.0]) == 3.0
    assert peak.total([]) == 0.0


def test_table_figures():
    time, cost, distance = (objectives.get(n) for n in ("time", "cost", "distance"))
    assert time.text(154.6) == "6d 11h"
    assert time.text(7.46) == "7.5h"
    assert time.delta(-3.46) == "-3.5 h"
    assert cost.text(139.4) == "139 $/t"
    assert distance.delta(-120.4) == "-120 km"
    assert distance.long(1598.66) == "1,598.7 km"
    assert time.long(30.0) == "30.0 h (1d 06h)"
    assert cost.long(12.345) == "12.35 USD/t"


def test_cli_rejects_an_unknown_by_in_one_line(tiny_dir):
    proc = run_cli("route", "Aqsu", "Chenggu", "--by", "speed", "--network", str(tiny_dir))
    assert proc.returncode == 2
    assert "invalid choice: 'speed'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_rank_json_unit_comes_from_the_registry(tiny_dir):
    args = ("--from", "Aqsu", "--to", "Chenggu", "--by", "cost", "--json", "--network", str(tiny_dir))
    proc = run_cli("rank", *args)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["unit"] == objectives.get("cost").unit
