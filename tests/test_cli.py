"""The command line through a real process: output, JSON contract, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import run_cli
from tests.handcalc import Fixture


def test_route_json_contract(tiny_dir):
    res = run_cli("route", "Aqsu", "Chenggu", "--by", "distance", "--json", "--network", str(tiny_dir))
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["query"]["by"] == "distance"
    (route,) = doc["routes"]
    assert route["rank"] == 1
    totals = {"distance_km", "time_h_low", "time_h", "time_h_high", "cost_usd_per_t"}
    totals |= {"co2e_kg_per_t", "generalised_usd_per_t"}
    assert set(route["totals"]) == totals
    for seg in route["segments"]:
        assert {
            "link_id",
            "from",
            "to",
            "mode",
            "status",
            "corridor",
            "distance_km",
            "time_h",
            "cost_usd_per_t",
        } <= set(seg)
    # The totals against the figures recomputed from the fixture's files, not from the output.
    fx = Fixture(tiny_dir)
    parts = [fx.segment(s["link_id"]) for s in route["segments"]]
    parts += [fx.transfer(t["node"], t["kind"]) for t in route["transfers"]]
    parts += [fx.crossing(c["node"], c["mode"]) for c in route["border_crossings"]]
    assert route["totals"]["distance_km"] == pytest.approx(sum(p.km for p in parts))
    assert route["totals"]["time_h"] == pytest.approx(sum(p.hours for p in parts), abs=0.01)
    assert route["totals"]["cost_usd_per_t"] == pytest.approx(sum(p.usd_per_t for p in parts), abs=0.01)
    assert route["totals"]["co2e_kg_per_t"] == pytest.approx(sum(p.co2e_kg_per_t for p in parts), abs=0.01)
    assert route["totals"]["distance_km"] == 500
    assert [t["kind"] for t in route["transfers"]] == ["gauge_change"]
    assert route["border_crossings"][0]["from_country"] == "KAZ"
    assert route["countries"] == ["KAZ", "CHN"]
    steps = route["segments"] + route["transfers"] + route["border_crossings"]
    assert sorted(p["seq"] for p in steps) == list(range(len(steps)))


def test_route_table(tiny_dir):
    res = run_cli("route", "Aqsu", "Chenggu", "--status", "operational", "--network", str(tiny_dir))
    assert res.returncode == 0, res.stderr
    assert "530 km" in res.stdout
    assert "Xgate (KAZ→CHN)" in res.stdout
    assert max(len(line) for line in res.stdout.splitlines()) <= 80


def test_unknown_place_exits_2_with_suggestion(tiny_dir):
    res = run_cli("route", "Aqsy", "Chenggu", "--network", str(tiny_dir))
    assert res.returncode == 2
    assert "did you mean Aqsu" in res.stderr
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_no_route_exits_1_with_reason(tiny_dir):
    res = run_cli("route", "Aqsu", "Chenggu", "--avoid", "CHN", "--network", str(tiny_dir))
    assert res.returncode == 1
    assert "no route" in res.stderr and "CHN" in res.stderr
    assert "Traceback" not in res.stderr


def test_bad_network_file_exits_2_naming_file_feature_property(tiny_copy):
    path = tiny_copy / "links" / "tiny.geojson"
    data = json.loads(path.read_text())
    data["features"][1]["properties"]["gauge_mm"] = 3000  # no railway runs on 3 m gauge
    path.write_text(json.dumps(data))
    res = run_cli("route", "Aqsu", "Chenggu", "--network", str(tiny_copy))
    assert res.returncode == 2
    line = res.stderr.strip()
    assert "tiny.geojson" in line and "feature 1 (id 'a_b_rail')" in line and "'gauge_mm'" in line
    assert "Traceback" not in res.stderr


def test_places_search(tiny_dir):
    res = run_cli("places", "chen", "--network", str(tiny_dir))
    assert res.returncode == 0
    assert res.stdout.split()[0] == "c"
    assert "Chenggu" in res.stdout


def test_geojson_output_is_a_feature_collection(tiny_dir, tmp_path):
    out = tmp_path / "route.geojson"
    res = run_cli("route", "Aqsu", "Chenggu", "--geojson", str(out), "--network", str(tiny_dir))
    assert res.returncode == 0, res.stderr
    doc = json.loads(out.read_text())
    assert doc["type"] == "FeatureCollection"
    kinds = [f["properties"]["kind"] for f in doc["features"]]
    assert kinds.count("segment") == 3 and kinds.count("border_crossing") == 1
    for f in doc["features"]:
        assert f["geometry"]["type"] in ("LineString", "Point")


def test_rank_json_and_csv(tmp_path):
    folder = str(tiny_projects())
    res = run_cli("rank", "--from", "KAZ", "--json", "--network", folder)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["projects"][0]["project"] == "Shortcut"
    assert doc["projects"][0]["mean_gain"] == 2.0
    assert doc["all_projects"]["mean_gain"] == 3.5
    assert {p["project"]: p["only_together"] for p in doc["projects"]} == {
        "Shortcut": False,
        "North Rail": True,
        "South Rail": True,
    }
    res = run_cli("rank", "--from", "KAZ", "--csv", "--network", folder)
    rows = res.stdout.strip().splitlines()
    assert rows[0].startswith("rank,project") and len(rows) == 4


def test_route_compare(tmp_path):
    res = run_cli("route", "Oskel", "Portu", "--compare", "--json", "--network", str(tiny_projects()))
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["today"]["routes"][0]["totals"]["time_h"] == 15
    assert doc["scenario"]["routes"][0]["totals"]["time_h"] == 10
    assert doc["difference"]["time_h"] == -5


def tiny_projects():
    from tests.conftest import DATA

    return DATA / "projects"


def test_rank_map_colours_projects_by_rank(tmp_path):
    out = tmp_path / "projects.html"
    res = run_cli(
        "rank", "--from", "KAZ", "--map", str(out), "--tiles", "none", "--network", str(tiny_projects())
    )
    assert res.returncode == 0, res.stderr
    page = out.read_text()
    for rank, name in enumerate(["Shortcut", "North Rail", "South Rail"], 1):
        assert f"{rank}. {name}" in page
        assert f"corridors-route-{rank}" in page


def test_route_with_a_user_file_warns_about_it(tmp_path, tiny_dir):
    extra = tmp_path / "extra.geojson"
    extra.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {
                            "mode": "road",
                            "status": "proposed",
                            "name": "Bypass",
                            "source": "s",
                            "colour": "red",
                        },
                        "geometry": {"type": "LineString", "coordinates": [[70, 45], [71, 45.5], [72, 45]]},
                    }
                ],
            }
        )
    )
    res = run_cli(
        "route", "Aqsu", "Bay", "--by", "distance", "--with", str(extra), "--network", str(tiny_dir)
    )
    assert res.returncode == 0, res.stderr
    assert "extra.geojson: feature 0" in res.stderr and "'colour'" in res.stderr and "warning" in res.stderr


def test_plain_route_imports_only_what_it_uses():
    """Cold start: the modules of --pareto, --gateways, the text table and the other commands stay
    unloaded for `corridors route A B --json`."""
    code = (
        "import sys; from corridors.routes import cli; cli.main(['route', 'Almaty', 'Karachi', '--json']); "
        "print(sorted(m for m in ('corridors.routes.pareto', 'corridors.routes.tradeoffs', "
        "'corridors.routes.plan_text', 'corridors.routes.cli_rank') if m in sys.modules))"
    )
    cmd = [sys.executable, "-c", code]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
