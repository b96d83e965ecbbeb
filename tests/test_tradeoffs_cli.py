"""The command line of the trade-off answers: --pareto, --gateways and --csv."""

from __future__ import annotations

import csv
import io
import json

import pytest

from corridors.routes import views
from tests.conftest import run_cli


def test_pareto_table_and_json(tiny_dir):
    out = run_cli("route", "Aqsu", "Chenggu", "--pareto", "--projects", "all", "--network", str(tiny_dir))
    assert out.returncode == 0, out.stderr
    assert "5 routes that no other beats on both time and cost, by time" in out.stdout.splitlines()[0]
    args = ["route", "a", "c", "--pareto", "time,cost", "--json", "--projects", "all"]
    doc = json.loads(run_cli(*args, "--network", str(tiny_dir)).stdout)
    assert doc["query"]["pareto"] == ["time", "cost"]
    assert [r["totals"]["time_h"] for r in doc["routes"]] == [18.6, 33.6, 35.8, 39.0, 45.0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pareto", "time,speed"], "unknown criterion 'speed'"),
        (["--pareto", "-k", "2"], "-k does not combine with --pareto"),
        (["--gateways", "--pareto"], "different answers"),
    ],
)
def test_bad_tradeoff_options_exit_2_with_one_line(tiny_dir, args, message):
    out = run_cli("route", "a", "c", *args, "--network", str(tiny_dir))
    assert out.returncode == 2
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_gateways_table(tiny_dir):
    out = run_cli("route", "Aqsu", "Chenggu", "--gateways", "--network", str(tiny_dir))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Aqsu → Chenggu: the best route by time through each border crossing into CHN"
    assert lines[3].split()[:3] == ["1", "Xgate", "KAZ"]


def test_csv_one_row_per_route_and_per_step(tiny_dir, tmp_path):
    out = run_cli("route", "a", "c", "--pareto", "--csv", "--projects", "all", "--network", str(tiny_dir))
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [float(r["time_h"]) for r in rows] == [18.6, 33.6, 35.8, 39.0, 45.0]
    assert rows[0]["countries"] == "KAZ > CHN"
    target = tmp_path / "steps.csv"
    out = run_cli(
        "route", "a", "c", "--by", "cost", "--csv", str(target), "--explain", "--network", str(tiny_dir)
    )
    assert out.returncode == 0, out.stderr
    steps = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [s["step"] for s in steps] == ["segment", "segment", "border", "transfer", "segment"]
    # Running totals end at the route's totals: 45 h and 41 $/t by rail (hand-worked).
    assert float(steps[-1]["cum_time_h"]) == pytest.approx(45.0)
    assert float(steps[-1]["cum_cost_usd_per_t"]) == pytest.approx(41.0)
    assert sum(float(s["cost_usd_per_t"]) for s in steps) == pytest.approx(41.0)


def test_csv_cells_never_start_a_formula(tiny_copy):
    path = tiny_copy / "links" / "tiny.geojson"
    data = json.loads(path.read_text())
    for f in data["features"]:
        f["properties"]["corridor"] = '=HYPERLINK("http://x")'
    path.write_text(json.dumps(data))
    out = run_cli("route", "a", "c", "--csv", "--network", str(tiny_copy))
    assert out.returncode == 0, out.stderr
    row = next(csv.DictReader(io.StringIO(out.stdout)))
    assert row["corridors"].startswith("'=HYPERLINK")
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1"):
        assert views.safe_cell(cell) == "'" + cell
    assert views.safe_cell(-1.5) == -1.5
    assert views.safe_cell("Almaty") == "Almaty"
