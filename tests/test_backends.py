"""One search interface over both backends: ranking, reverse costs, alternatives and diagnosis.

The array backend is forced with ``array_threshold=0``; the projects network's answers are the
hand-worked ones of tests/test_scenarios.py (today 15 h on both pairs, the Shortcut saves 2 h,
North and South Rail together 5 h).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from corridors.geo.errors import NoRouteError
from corridors.routes import api, arrays, backends, cli, engine, loading, scenarios, search
from corridors.routes.constraints import RULES, Constraints

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module", params=["networkx", "arrays"])
def projects(request):
    threshold = 0 if request.param == "arrays" else loading.ARRAY_THRESHOLD
    loaded = loading.load(DATA / "projects", array_threshold=threshold, use_cache=False)
    assert isinstance(loaded.G, engine.ArrayGraph) == (request.param == "arrays")
    return loaded


def test_both_graphs_answer_through_the_backend_interface(projects):
    assert isinstance(backends.backend(projects.G), backends.Backend)


def test_ranking_runs_on_either_backend_with_the_hand_worked_hours(projects):
    ranking = scenarios.rank(projects, origin="KAZ", destination="Arabian Sea", by="time")
    today = ranking.values["today"]
    assert sorted(today.values()) == pytest.approx([15.0, 15.0])
    by_name = {r.project.name: r for r in ranking.results}
    assert by_name["Shortcut"].mean_gain == pytest.approx(2.0)
    assert by_name["Shortcut"].best_route is not None
    assert by_name["North Rail"].mean_gain == pytest.approx(0.0)
    assert by_name["North Rail"].only_together
    assert ranking.all_gain == pytest.approx((5.0 + 2.0) / 2)


def test_rank_values_are_the_same_on_both_backends():
    kwargs = {"origin": "KAZ", "destination": "Arabian Sea", "by": "cost"}
    nx_ranking = scenarios.rank(loading.load(DATA / "projects", use_cache=False), **kwargs)
    arr_ranking = scenarios.rank(
        loading.load(DATA / "projects", use_cache=False, array_threshold=0), **kwargs
    )
    assert [r.project.name for r in arr_ranking.results] == [r.project.name for r in nx_ranking.results]
    for name, values in nx_ranking.values.items():
        assert arr_ranking.values[name] == pytest.approx(values), name


def test_rank_command_on_the_array_backend(monkeypatch, capsys):
    """`corridors rank` on a network searched in arrays (it once failed: no `reverse`)."""
    monkeypatch.setattr(loading, "ARRAY_THRESHOLD", 0)
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", "off")
    args = ["rank", "--json", "--network", str(DATA / "projects"), "--from", "KAZ"]
    assert cli.main(args) == 0
    arrays = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(loading, "ARRAY_THRESHOLD", 10**9)
    assert cli.main(args) == 0
    graph = json.loads(capsys.readouterr().out)
    assert arrays == graph
    assert arrays["projects"][0]["project"] == "Shortcut"
    assert arrays["projects"][0]["mean_gain"] == pytest.approx(2.0)


def test_reverse_costs_agree_on_the_region(request):
    nx_loaded = loading.load(DATA / "region", use_cache=False)
    ag = arrays.from_graph(nx_loaded.G, nx_loaded.network)
    a, b = backends.backend(nx_loaded.G), backends.backend(ag)
    for c in (Constraints(), Constraints(statuses=frozenset({"operational"}), month=1)):
        for target in sorted(nx_loaded.network.nodes)[:6]:
            for attr in ("time_h", "cost_usd_per_t", "distance_km"):
                ra = a.reverse_costs(target, attr=attr, constraints=c)
                rb = b.reverse_costs(target, attr=attr, constraints=c)
                assert ra.keys() == rb.keys()
                assert [ra[k] for k in sorted(ra)] == pytest.approx([rb[k] for k in sorted(ra)])
    assert a.reverse_costs("no_such_place", attr="time_h", constraints=Constraints()) == {}
    assert b.reverse_costs("no_such_place", attr="time_h", constraints=Constraints()) == {}


def test_diagnosis_names_the_constraint_on_either_backend(projects):
    with pytest.raises(NoRouteError, match=r"allowed modes \(`modes`\)"):
        api.plan("Oskel", "Portu", modes=["sea"], network=projects)


def test_alternatives_on_either_backend(projects):
    plan = api.plan("Oskel", "Portu", k=3, max_overlap=0.9, projects="all", network=projects)
    times = [r.time_h for r in plan.routes]
    assert times[0] == pytest.approx(10.0)
    assert times == sorted(times)
    assert all(math.isfinite(t) for t in times)


def test_every_rule_reads_a_field_both_backends_know(request):
    nx_loaded = loading.load(DATA / "tiny", use_cache=False)
    ag = arrays.from_graph(nx_loaded.G, nx_loaded.network)
    for rule in RULES:
        if rule.test != "open_in":
            assert engine._columns(ag, rule.field)
    assert search.Constraints is Constraints


def test_label_searches_run_on_either_backend():
    """The Pareto set comes through the contract: the same front whatever the graph's form."""
    fronts = []
    for threshold in (loading.ARRAY_THRESHOLD, 0):
        loaded = loading.load(DATA / "region", array_threshold=threshold, use_cache=False)
        backend = backends.backend(loaded.G)
        assert backend.large == (threshold == 0)
        everything = {"projects": "all", "reopen": "all"}
        plan = api.plan("Kazakhstan", "Arabian Sea", pareto=["time", "cost"], **everything, network=loaded)
        fronts.append([(r.link_ids, round(r.time_h, 6), round(r.cost_usd_per_t, 6)) for r in plan.routes])
    assert len(fronts[0]) > 1 and fronts[0] == fronts[1]
    costs = [c for _, _, c in fronts[0]]
    assert costs == sorted(costs, reverse=True)  # sorted by time, so each faster route costs more
