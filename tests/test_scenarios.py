"""Ranking projects on a hand-made network whose right answer is worked out by hand.

tests/data/projects: Oskel (o) and Otau (o2) reach Portu (p, Arabian Sea) by road through Mid
(m): o-m 300 km, o2-m 300 km, m-p 450 km at 50 km/h, so today both take 6 + 9 = 15 h.
Projects: "Shortcut" (m-p road, 350 km: 7 h) saves 2 h on both pairs. "North Rail" (o-x) and
"South Rail" (x-p), 300 km each at 60 km/h, help only together: o-x-p takes 10 h, 5 h less
than today and 3 h less than with the Shortcut alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corridors.geo.errors import QueryError
from corridors.routes import api, loading, scenarios
from tests.conftest import run_cli

PROJECTS = Path(__file__).parent / "data" / "projects"


@pytest.fixture(scope="module")
def loaded():
    return loading.load(PROJECTS)


@pytest.fixture(scope="module")
def ranking(loaded):
    return scenarios.rank(loaded, origin="KAZ", destination="Arabian Sea", by="time")


def test_projects_are_grouped_by_property(loaded):
    found = scenarios.projects(loaded.network)
    assert set(found) == {"Shortcut", "North Rail", "South Rail"}
    assert found["South Rail"].statuses == ("under_construction",)
    assert found["North Rail"].years == (2032,)
    assert found["Shortcut"].length_km == 350


def test_scenario_values_match_the_hand_worked_hours(ranking):
    v = ranking.values
    assert v["today"] == {("o", "p"): pytest.approx(15), ("o2", "p"): pytest.approx(15)}
    assert v["Shortcut"][("o", "p")] == pytest.approx(13)
    assert v["North Rail"][("o", "p")] == pytest.approx(15)
    assert v["South Rail"][("o", "p")] == pytest.approx(15)
    assert v["all projects"] == {("o", "p"): pytest.approx(10), ("o2", "p"): pytest.approx(13)}
    assert v["all but Shortcut"][("o2", "p")] == pytest.approx(15)
    assert v["all but North Rail"][("o", "p")] == pytest.approx(13)


def test_ranking_order_and_measures(ranking):
    names = [r.project.name for r in ranking.results]
    assert names[0] == "Shortcut"
    top = ranking.results[0]
    assert top.mean_gain == pytest.approx(2)
    assert sorted((o, d) for o, d, _ in top.improved) == [("o", "p"), ("o2", "p")]
    assert top.best_gain == pytest.approx(2)
    assert top.best_route.link_ids >= {"m_p_new"}
    assert ranking.all_gain == pytest.approx((5 + 2) / 2)


def test_projects_that_only_pay_together(ranking):
    by_name = {r.project.name: r for r in ranking.results}
    for name in ("North Rail", "South Rail"):
        r = by_name[name]
        assert r.improved == []
        assert r.only_together
        # As the last project added, it saves o the 3 h between 13 h and 10 h: a mean of 1.5 h.
        assert r.marginal_mean_gain == pytest.approx(1.5)
    assert not by_name["Shortcut"].only_together
    assert by_name["Shortcut"].marginal_mean_gain == pytest.approx(1.0)  # o2: 15 -> 13; o: 10 -> 10


def test_weights_change_the_mean(loaded, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("origin,destination,weight\nOskel,Portu,3\nOtau,Portu,1\n")
    weights = scenarios.pair_weights(path, loaded.network)
    ranking = scenarios.rank(loaded, origin="KAZ", destination="Arabian Sea", weights=weights)
    assert weights == {("o", "p"): 3.0, ("o2", "p"): 1.0}
    top = ranking.results[0]
    assert top.project.name == "Shortcut"
    assert top.mean_gain == pytest.approx(2)
    assert ranking.all_gain == pytest.approx((3 * 5 + 1 * 2) / 4)


def test_huge_weights_weigh_as_their_ratios(loaded):
    """Weights near the largest float (whose sum overflows) rank as 3:1 does."""
    text = "origin,destination,weight\nOskel,Portu,1.5e308\nOtau,Portu,0.5e308\n"
    weights = scenarios.parse_weights(text, loaded.network)
    ranking = scenarios.rank(loaded, origin="KAZ", destination="Arabian Sea", weights=weights)
    assert ranking.results[0].mean_gain == pytest.approx(2)
    assert ranking.all_gain == pytest.approx((3 * 5 + 1 * 2) / 4)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("", "weights: no rows under the header"),
        ("\n\n", "weights: no rows under the header"),
        ("Oskel,Portu,0\nOtau,Portu,0\n", "weights: no pair has a weight above 0"),
        ("Oskel,Portu,1,2\n", "weights: line 2: expected origin,destination,weight, got 4 values"),
        ("Oskel,Portu\n", "weights: line 2: expected origin,destination,weight, got 2 values"),
        ("Oskel,Atlantis,1\n", "weights: line 2: expected origin,destination,weight (unknown place"),
    ],
)
def test_weights_that_weigh_nothing_or_are_malformed_are_refused(loaded, rows, message):
    with pytest.raises(QueryError, match="^" + re.escape(message)) as caught:
        scenarios.parse_weights("origin,destination,weight\n" + rows, loaded.network)
    assert caught.value.parameter == "weights"


def test_project_behind_a_suspended_crossing_says_what_reopening_would_give():
    """In tests/data/region the proposed Trans-Test Railway runs towards the suspended
    Khybergate: by cost it saves nothing today, and something if the crossing reopened. The
    reopened gain is checked against independent place-to-place searches."""
    loaded = loading.load(PROJECTS.parent / "region")
    ranking = scenarios.rank(loaded, by="cost")
    (r,) = ranking.results
    assert r.improved == [] and r.mean_gain == 0
    gains = []
    for o, d in ranking.pairs:
        before = api.plan(o, d, by="cost", status=["operational"], include_suspended=True, network=loaded)
        after = api.plan(
            o, d, by="cost", status=["operational", "proposed"], include_suspended=True, network=loaded
        )
        gains.append(before.routes[0].cost_usd_per_t - after.routes[0].cost_usd_per_t)
    assert max(gains) > 0
    assert r.reopened_mean_gain == pytest.approx(sum(gains) / len(gains))


def rank_json(*args: str) -> dict:
    res = run_cli("rank", *args, "--json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_rank_by_year_ranks_what_the_year_leaves_out():
    """By 2030 the Shortcut (2030) and South Rail (2028) are built: both pairs take 13 h, and
    North Rail alone then gives Oskel o-x-p in 10 h (3 h saved), Otau nothing: 1.5 h on average."""
    doc = rank_json("--from", "KAZ", "--year", "2030", "--network", str(PROJECTS))
    assert doc["scenario"]["year"] == 2030 and doc["in_base"] == ["Shortcut", "South Rail"]
    assert doc["today"] == {"o>p": 13.0, "o2>p": 13.0}
    (north,) = doc["projects"]
    assert north["project"] == "North Rail"
    assert (north["mean_gain"], north["best_gain"], north["best_pair"]) == (1.5, 3.0, ["o", "p"])


def test_rank_with_a_crossing_reopened_matches_the_routes_of_that_scenario():
    """Khybergate reopened, the Trans-Test Railway saves by cost what route --projects finds,
    pair by pair, with the same crossing reopened."""
    region = PROJECTS.parent / "region"
    doc = rank_json("--by", "cost", "--reopen", "Khybergate", "--network", str(region))
    loaded = loading.load(region)
    gains = []
    for o, d in doc["pairs"]:
        before = api.plan(o, d, by="cost", reopen=["Khybergate"], network=loaded).routes[0]
        after = api.plan(
            o, d, by="cost", reopen=["Khybergate"], projects=["Trans-Test Railway"], network=loaded
        ).routes[0]
        assert doc["today"][f"{o}>{d}"] == pytest.approx(before.cost_usd_per_t, abs=1e-3)
        gains.append(before.cost_usd_per_t - after.cost_usd_per_t)
    (rail,) = doc["projects"]
    assert max(gains) > 0 and rail["mean_gain"] == pytest.approx(sum(gains) / len(gains), abs=1e-3)
    table = run_cli("rank", "--by", "cost", "--reopen", "Khybergate", "--network", str(region)).stdout
    assert "base: today + Khybergate reopened." in table
    bad = run_cli("rank", "--reopen", "Nowhere", "--network", str(region))
    assert bad.returncode == 2 and "unknown suspended crossing 'Nowhere'" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_a_weighted_ranking_says_its_means_are_weighted(loaded):
    from corridors.routes import rank_output

    names = {n.id: n.name for n in loaded.network.nodes.values()}
    plain = scenarios.rank(loaded, origin="KAZ", destination="Arabian Sea")
    rows = "origin,destination,weight\nOskel,Portu,3\nOtau,Portu,0\n"
    weights = scenarios.parse_weights(rows, loaded.network)
    weighted = scenarios.rank(loaded, origin="KAZ", destination="Arabian Sea", weights=weights)
    # Only Oskel weighs: all projects take it from 15 h to 10 h (Otau's 2 h count for nothing).
    table = rank_output.ranking_table(weighted, names)
    assert table.startswith("Projects ranked by weighted mean time saved (hours) over 2 origin-destination\n")
    assert "pairs, 1 of them with a weight above 0;" in table
    assert table.endswith("all projects together: weighted mean 5.0 h saved, 2 pairs improved")
    assert "weighted" not in rank_output.ranking_table(plain, names)
    header = rank_output.ranking_csv(weighted, names).splitlines()[0].split(",")
    assert "weighted_mean_gain_time" in header and "weighted_mean_gain_as_last_time" in header
    assert "mean_gain_time" in rank_output.ranking_csv(plain, names).splitlines()[0].split(",")
    assert rank_output.ranking_dict(weighted, names)["weighted"] is True
    assert rank_output.ranking_dict(plain, names)["weighted"] is False
