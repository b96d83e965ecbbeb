"""Ranking projects on a hand-made network whose right answer is worked out by hand.

tests/data/projects: Oskel (o) and Otau (o2) reach Portu (p, Arabian Sea) by road through Mid
(m): o-m 300 km, o2-m 300 km, m-p 450 km at 50 km/h, so today both take 6 + 9 = 15 h.
Projects: "Shortcut" (m-p road, 350 km: 7 h) saves 2 h on both pairs. "North Rail" (o-x) and
"South Rail" (x-p), 300 km each at 60 km/h, help only together: o-x-p takes 10 h, 5 h less
than today and 3 h less than with the Shortcut alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.routes import api, scenarios

PROJECTS = Path(__file__).parent / "data" / "projects"


@pytest.fixture(scope="module")
def loaded():
    return api.load(PROJECTS)


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


def test_project_behind_a_suspended_crossing_says_what_reopening_would_give():
    """In tests/data/region the proposed Trans-Test Railway runs towards the suspended
    Khybergate: by cost it saves nothing today, and something if the crossing reopened. The
    reopened gain is checked against independent place-to-place searches."""
    loaded = api.load(PROJECTS.parent / "region")
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
