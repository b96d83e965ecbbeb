"""Scenarios by name through the real command line: today by default, projects, a year, reopening.

Figures are worked by hand from tests/data/projects (road 50 km/h, 0.1 $/t-km; the rail links
run at their own 60 km/h, 0.05 $/t-km) and tests/data/region (road 50 km/h, 0.1 $/t-km):

- Oskel → Portu today: Old Road 300 + 450 km = 750 km, 15 h, 75 $/t.
- with Shortcut (2030): 300 + 350 km = 650 km, 13 h, 65 $/t.
- with North Rail (2032) and South Rail (2028): 300 + 300 km of rail = 600 km, 10 h, 30 $/t.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import DATA, run_cli

PROJECTS = str(DATA / "projects")
REGION = str(DATA / "region")


def route_json(*args: str, network: str = PROJECTS) -> dict:
    res = run_cli("route", *args, "--json", "--network", network)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def best(doc: dict) -> dict:
    return doc["routes"][0]


def central(totals: dict) -> dict:
    """Distance, central time and cost of a totals object (the fixtures give no time ranges)."""
    return {k: totals[k] for k in ("distance_km", "time_h", "cost_usd_per_t")}


def test_today_is_the_default():
    doc = route_json("Oskel", "Portu")
    assert doc["version"] == 2
    assert central(best(doc)["totals"]) == {"distance_km": 750, "time_h": 15, "cost_usd_per_t": 75}
    assert best(doc)["relies_on"] == [] and best(doc)["relies_on_links"] == []
    assert doc["query"]["scenario"]["label"] == "today's network"
    assert doc["query"]["status"] == ["operational"]


@pytest.mark.parametrize(
    ("option", "totals", "label"),
    [
        (["--projects", "shortcut"], (650, 13, 65), "today + Shortcut"),
        (["--projects", "NORTH rail,South Rail"], (600, 10, 30), "today + North Rail, South Rail"),
        (["--projects", "all"], (600, 10, 30), "today + all projects"),
        (["--year", "2030"], (650, 13, 65), "planned by 2030 (Shortcut, South Rail)"),
        (["--year", "2032"], (600, 10, 30), "planned by 2032 (North Rail, Shortcut, South Rail)"),
        (["--year", "2027"], (750, 15, 75), "planned by 2027 (nothing new)"),
    ],
)
def test_projects_and_years_by_name(option, totals, label):
    doc = route_json("Oskel", "Portu", *option)
    got = best(doc)["totals"]
    assert (got["distance_km"], got["time_h"], got["cost_usd_per_t"]) == totals
    assert doc["query"]["scenario"]["label"] == label


def test_needs_names_the_projects_and_their_links():
    doc = route_json("Oskel", "Portu", "--projects", "all")
    assert best(doc)["relies_on"] == [
        {"kind": "project", "project": "North Rail", "status": "proposed", "year": 2032, "links": ["o_x"]},
        {
            "kind": "project",
            "project": "South Rail",
            "status": "under_construction",
            "year": 2028,
            "links": ["x_p"],
        },
    ]
    assert best(doc)["relies_on_links"] == ["o_x", "x_p"]
    res = run_cli("route", "Oskel", "Portu", "--projects", "all", "--network", PROJECTS)
    assert "scenario: today + all projects" in res.stdout.splitlines()[1]
    assert (
        "needs North Rail (proposed, expected 2032): o_x; South Rail (under construction, expected 2028): x_p"
        in " ".join(res.stdout.split())
    )
    res = run_cli("route", "Oskel", "Portu", "--projects", "all", "--explain", "--network", PROJECTS)
    assert res.stdout.splitlines()[0] == "Scenario: today + all projects"
    assert "  needs North Rail (proposed, expected 2032): o_x" in res.stdout


def test_unknown_project_says_did_you_mean():
    res = run_cli("route", "Oskel", "Portu", "--projects", "Shortcutt", "--network", PROJECTS)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "corridors: error: unknown project 'Shortcutt'; did you mean 'Shortcut'? "
        "(`corridors projects` lists them)"
    ]


def test_compare_names_today_and_the_scenario():
    doc = route_json("Oskel", "Portu", "--compare", "--projects", "Shortcut")
    assert doc["today"]["query"]["scenario"]["label"] == "today's network"
    assert doc["scenario"]["query"]["scenario"]["label"] == "today + Shortcut"
    assert central(doc["difference"]) == {"distance_km": -100, "time_h": -2, "cost_usd_per_t": -10}
    res = run_cli("route", "Oskel", "Portu", "--compare", "--network", PROJECTS)
    assert res.stdout.splitlines()[0] == "scenario: today + all projects"


def test_reopen_a_suspended_crossing_by_name():
    """Kapa → Pport avoiding CHN and IRN needs Khybergate (suspended): 763.1 + 89.4 + 625.9 +
    443.6 + 234.1 + 239.3 + 1479.5 = 3874.9 km, 77.498 h on the road + 6 + 12 + 28 h at
    Uzgate, Afgate and Khybergate = 123.498 h; 387.49 + 4 + 6 + 13 = 410.49 $/t."""
    res = run_cli("route", "Kapa", "Pport", "--avoid", "CHN,IRN", "--network", REGION)
    assert res.returncode == 1 and "--reopen all" in res.stderr
    for option in (["--reopen", "khybergate"], ["--reopen", "all"], ["--include-suspended"]):
        doc = route_json("Kapa", "Pport", "--avoid", "CHN,IRN", *option, network=REGION)
        totals = central(best(doc)["totals"])
        assert totals == {"distance_km": 3874.9, "time_h": 123.498, "cost_usd_per_t": 410.49}
        assert {"kind": "crossing", "node": "ap", "name": "Khybergate", "status": "suspended"} in best(doc)[
            "relies_on"
        ]
    doc = route_json("Kapa", "Pport", "--avoid", "CHN,IRN", "--reopen", "Khybergate", network=REGION)
    assert doc["query"]["scenario"]["label"] == "today + Khybergate reopened"
    res = run_cli("route", "Kapa", "Pport", "--reopen", "Kazgate", "--network", REGION)
    assert res.returncode == 2 and "Kazgate is not suspended" in res.stderr


def test_builtin_route_is_today_by_default():
    res = run_cli("route", "Almaty", "Karachi", "-k", "3", "--json")
    doc = json.loads(res.stdout)
    assert doc["query"]["scenario"]["label"] == "today's network"
    for r in doc["routes"]:
        assert r["relies_on"] == []
        assert all(s["status"] == "operational" for s in r["segments"])
        assert all(c["status"] == "operational" for c in r["border_crossings"])


def test_map_title_names_the_scenario(tmp_path):
    out = tmp_path / "m.html"
    res = run_cli(
        "route", "Oskel", "Portu", "--projects", "Shortcut", "--map", str(out), "--network", PROJECTS
    )
    assert res.returncode == 0, res.stderr
    html = out.read_text()
    assert "<title>Oskel → Portu, best by time; today + Shortcut</title>" in html
