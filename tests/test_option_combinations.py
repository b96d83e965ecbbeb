"""Options that do not combine: refused with one line naming them (exit 2), nothing written.

And the combinations that used to drop an output and now give it: ``--compare`` with ``--csv``
or ``--geojson``, ``reach --within --csv``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import pytest

from corridors.routes import cli as cli_module

ROUTE = ("route", "Almaty", "Karachi")


def cli(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli_module.main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*ROUTE, "--compare", "--pareto"], "--compare does not combine with --pareto"),
        ([*ROUTE, "--compare", "--gateways"], "--compare does not combine with --gateways"),
        ([*ROUTE, "--compare", "--explain"], "--compare does not combine with --explain"),
        ([*ROUTE, "--compare", "--csv", "{out}", "--explain"], "--compare does not combine with --explain"),
        ([*ROUTE, "--compare", "--map", "{out}"], "--compare does not combine with --map"),
        ([*ROUTE, "--compare", "--chart", "{out}"], "--compare does not combine with --chart"),
        ([*ROUTE, "--sources", "--geojson", "{out}"], "--sources is for --explain"),
        ([*ROUTE, "--json", "--map", "-"], "--json and --map - both write to standard output"),
        ([*ROUTE, "--csv", "--geojson", "{out}"], "not allowed with argument"),
        ([*ROUTE, "--geojson", "-", "--map", "-"], "--geojson - and --map - both write"),
        ([*ROUTE, "--tiles", "none", "--geojson", "{out}"], "--tiles is for the page --map writes"),
        ([*ROUTE, "--offline", "--csv", "{out}"], "--offline is for the page --map writes"),
        (["reach", "--within", "3d", "--compare"], "--within does not combine with --compare"),
        (["reach", "--within", "3d", "--by", "time"], "--within does not combine with --by"),
        (["reach", "Gwadar", "--within", "3d"], "--within does not combine with a destination (TO)"),
        (
            ["reach", "--within", "3d", "--measure", "cost", "--map", "{out}"],
            "--within does not combine with --measure",
        ),
        (["reach", "--measure", "cost", "--geojson", "{out}"], "--measure is what --map colours"),
        (["reach", "--csv", "--map", "-"], "--csv and --map - both write to standard output"),
        (["reach", "--json", "--geojson", "-"], "--json and --geojson - both write"),
        (["reach", "--tiles", "none", "--geojson", "{out}"], "--tiles is for the page --map writes"),
        (["rank", "--json", "--map", "-"], "--map - and --json both write to standard output"),
        (["rank", "--offline"], "--offline is for the page --map writes"),
        (["network", "--tiles", "none"], "--tiles is for the page --map writes"),
        (["network", "init", "{out}", "--offline"], "usage: corridors network init DIR"),
    ],
)
def test_refused_combinations(tmp_path, args, message):
    out = tmp_path / "out.html"
    status, stdout, err = cli(*(str(out) if a == "{out}" else a for a in args))
    assert status == 2
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert message in lines[0]
    assert stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_map_options_still_work_with_a_map(tmp_path):
    page = tmp_path / "reach.html"
    status, stdout, err = cli("reach", "--within", "2d", "--from", "Almaty", "--map", page, "--tiles", "none")
    assert status == 0, err
    assert page.exists()
    assert "within 2d" in stdout  # the table still comes when the map goes to a file


def test_route_compare_csv_has_both_scenarios(tmp_path):
    status, stdout, err = cli(*ROUTE, "--compare", "--csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert [r["scenario"] for r in rows] == ["today", "scenario"]
    _, plain, _ = cli(*ROUTE, "--csv")
    assert stdout.splitlines()[1] == "today," + plain.splitlines()[1]
    _, projects, _ = cli(*ROUTE, "--projects", "all", "--csv")
    assert stdout.splitlines()[2] == "scenario," + projects.splitlines()[1]
    compared = json.loads(cli(*ROUTE, "--compare", "--json")[1])
    assert float(rows[0]["time_h"]) == compared["today"]["routes"][0]["totals"]["time_h"]
    assert float(rows[1]["time_h"]) == compared["scenario"]["routes"][0]["totals"]["time_h"]


def test_route_compare_geojson_has_both_scenarios(tmp_path):
    path = tmp_path / "compare.geojson"
    status, stdout, err = cli(*ROUTE, "--compare", "--geojson", path)
    assert status == 0, err
    assert "today" in stdout  # the comparison table still prints
    doc = json.loads(path.read_text(encoding="utf-8"))
    compared = json.loads(cli(*ROUTE, "--compare", "--json")[1])
    assert doc["difference"] == compared["difference"]
    assert {f["properties"]["scenario"] for f in doc["features"]} == {"today", "scenario"}
    for which in ("today", "scenario"):
        props = [f["properties"] for f in doc["features"] if f["properties"]["scenario"] == which]
        expected = [s["link_id"] for s in compared[which]["routes"][0]["segments"]]
        assert [p["link_id"] for p in props if p["kind"] == "segment"] == expected
        assert doc[which]["query"] == compared[which]["query"]


def test_reach_compare_csv_has_both_scenarios():
    status, stdout, err = cli("reach", "--compare", "--csv")
    assert status == 0, err
    _, today, _ = cli("reach", "--csv")
    _, scenario, _ = cli("reach", "--projects", "all", "--csv")
    header, *rows = stdout.splitlines()
    assert header == "scenario," + today.splitlines()[0]
    assert rows == ["today," + r for r in today.splitlines()[1:]] + [
        "scenario," + r for r in scenario.splitlines()[1:]
    ]


def test_reach_within_csv_is_the_json():
    status, stdout, err = cli("reach", "--within", "2d,3d", "--from", "Almaty", "--csv")
    assert status == 0, err
    doc = json.loads(cli("reach", "--within", "2d,3d", "--from", "Almaty", "--json")[1])
    rows = list(csv.DictReader(io.StringIO(stdout)))
    expected = [(b["within_h"], p["id"], p["time_h"]) for b in doc["bands"] for p in b["places"]]
    got = [(float(r["within_h"]), r["id"], float(r["time_h"])) for r in rows]
    assert sorted(got) == sorted(expected)
    assert len(rows) > 0
    times = [(float(r["within_h"]), float(r["time_h"])) for r in rows]
    assert times == sorted(times)
