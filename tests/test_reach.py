"""corridors reach: every place and region to the sea, time bands, regions joined to places."""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import shutil

import pytest
from shapely.geometry import Point, shape

from corridors.geo import paths, regions
from corridors.geo.errors import NetworkDataError
from corridors.routes import api, loading, reach, reach_plan, search
from tests.conftest import run_cli

SEEDS = paths.builtin_folder()
TODAY = search.Constraints(statuses=frozenset({"operational"}))


@pytest.fixture(scope="module")
def loaded():
    return loading.load()


@pytest.fixture(scope="module")
def all_regions():
    return regions.read_regions(SEEDS / "regions.geojson")


@pytest.fixture(scope="module")
def kaz_regions(all_regions):
    return [r for r in all_regions if r.country == "KAZ"]


@pytest.fixture(scope="module")
def result(loaded, kaz_regions):
    net = loaded.network
    inside = regions.join_places(kaz_regions, [n for n in net.nodes.values() if n.country == "KAZ"])
    return reach.reach(loaded, regions=kaz_regions, region_places=inside)


def test_the_regions_file_covers_kazakhstan_with_its_twenty_first_level_units(kaz_regions):
    assert len(kaz_regions) == 20
    kinds = sorted(r.name for r in kaz_regions if r.kind == "city")
    assert kinds == ["Almaty", "Astana", "Shymkent"]
    assert all(r.country == "KAZ" and r.source for r in kaz_regions)
    # The outlines overlap in slivers at most (the three cities are holes in the regions around
    # them): under 2 % of the smaller of any two, a city included.
    shapes = [shape(r.geometry) for r in kaz_regions]
    for i, a in enumerate(shapes):
        for b in shapes[i + 1 :]:
            assert a.intersection(b).area < 0.02 * min(a.area, b.area)


def test_places_are_joined_to_the_region_that_contains_them(loaded, kaz_regions):
    nodes = loaded.network.nodes
    inside = regions.join_places(kaz_regions, [n for n in nodes.values() if n.country == "KAZ"])
    where = {n: r for r, ns in inside.items() for n in ns}
    # Checked by hand against the outlines, independently of the join.
    by_hand = {r.id: shape(r.geometry) for r in kaz_regions}
    for node_id in ("almaty", "balkhash", "pavlodar", "shymkent"):
        node = nodes[node_id]
        holder = [rid for rid, g in by_hand.items() if g.contains(Point(node.lon, node.lat))]
        assert where[node_id] == holder[0]
    assert where["almaty"] == "almaty_city"  # the city, not the region around it
    assert where["balkhash"] == "karaganda_region"
    # Aktau lies on the shore, just outside the simplified outline: the nearest region takes it.
    assert where["aktau"] == "mangystau_region"


def test_each_place_has_the_figures_of_its_own_best_route(loaded, result):
    """Reach's one reverse search gives the same totals as `corridors route` place by place."""
    checked = 0
    for place in result.places:
        if place.route is None:
            continue
        plan = api.plan(place.node_id, "Arabian Sea", status=["operational"], network=loaded)
        best = plan.routes[0]
        assert place.route.time_h == pytest.approx(best.time_h, abs=1e-6)
        assert place.route.origin == place.node_id
        assert loaded.network.nodes[place.route.destination].sea == "Arabian Sea"
        checked += 1
    assert checked >= 15


def test_a_region_reports_its_best_place_and_its_regional_centre(result):
    by_name = {g.name: g for g in result.regions}
    karaganda = by_name["Karaganda Region"]
    assert karaganda.centre.node_id == "karaganda"
    assert karaganda.best.route.time_h <= karaganda.centre.route.time_h
    assert karaganda.best.node_id in karaganda.node_ids
    for g in result.regions:
        if g.best and g.centre:
            assert g.best.route.time_h <= g.centre.route.time_h + 1e-9


def test_gateway_is_the_last_crossing_and_port_is_on_the_sea(loaded, result):
    for place in result.places:
        if place.route and place.route.crossings:
            assert place.gateway == place.route.crossings[-1]
            assert place.gateway.countries[1] == loaded.network.nodes[place.port].country


def test_reach_json_csv_and_geojson_through_a_process(tmp_path):
    res = run_cli("reach", "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["query"]["scenario"] == "today's network"
    assert len(doc["regions"]) == 20
    first = doc["places"][0]
    assert set(first["totals"]) >= {"distance_km", "time_h", "cost_usd_per_t"}
    times = [p["totals"]["time_h"] for p in doc["places"] if p["totals"]]
    assert times == sorted(times)
    rows = list(csv.DictReader(io.StringIO(run_cli("reach", "--csv").stdout)))
    assert {r["kind"] for r in rows} == {"place", "region_best", "region_centre"}
    almaty = next(r for r in rows if r["kind"] == "place" and r["id"] == "almaty")
    assert float(almaty["time_h"]) == pytest.approx(
        next(p for p in doc["places"] if p["id"] == "almaty")["totals"]["time_h"]
    )
    out = tmp_path / "reach.geojson"
    assert run_cli("reach", "--geojson", str(out)).returncode == 0
    fc = json.loads(out.read_text())
    polygons = [f for f in fc["features"] if f["properties"]["kind"] == "region"]
    assert len(polygons) == 20
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in polygons)
    astana = next(f for f in polygons if f["properties"]["id"] == "astana_city")
    assert astana["properties"]["centre_place"] == "Astana"
    assert astana["properties"]["centre_time_h"] > 0


def test_compare_reports_what_the_scenario_saves(tmp_path):
    res = run_cli("reach", "--compare", "--status", "operational,under_construction,proposed", "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    today = {p["id"]: p["totals"]["time_h"] for p in doc["today"]["places"] if p["totals"]}
    future = {p["id"]: p["totals"]["time_h"] for p in doc["scenario"]["places"] if p["totals"]}
    assert any(future[n] < today[n] - 1 for n in today)  # the projects shorten some
    # Adding links never makes the search's figure longer (road rest at the long-run rate); the
    # route shown counts rest by driving day, which the search bounds from above, so a place
    # whose best route by the search changes may show a little more (Aktobe through Khunjerab
    # rather than Gabd, whose borders and transfers rest the crew).
    loaded = loading.load()
    plan = reach_plan.plan_reach(
        loaded, compare=True, status=["operational", "under_construction", "proposed"]
    )
    rate = loaded.network.costs.road_rest.rates().central

    def searched(p) -> float:
        road = [s for s in p.route.segments if s.mode == "road" and "wait_h" not in s.sources]
        rest = math.fsum(s.time_parts["rest"][1] for s in road)
        return p.route.time_h - rest + math.fsum(s.time_parts["moving"][1] for s in road) * rate

    before = {p.node_id: searched(p) for p in plan.today.places if p.route}
    after = {p.node_id: searched(p) for p in plan.result.places if p.route}
    assert all(after[n] <= before[n] + 1e-6 for n in before)
    # and what a place shows in the scenario is never more than today's route's search figure
    assert all(future[n] <= before[n] + 1e-6 for n in before)
    out = tmp_path / "gain.geojson"
    assert (
        run_cli("reach", "--compare", "--status", "operational,proposed", "--geojson", str(out)).returncode
        == 0
    )
    props = [
        f["properties"] for f in json.loads(out.read_text())["features"] if f["properties"]["kind"] == "place"
    ]
    assert all(
        p["gain_time_h"] == pytest.approx(p["today_time_h"] - p["time_h"], abs=0.02)
        for p in props
        if "gain_time_h" in p
    )
    plain = json.loads(run_cli("reach", "--compare", "--json").stdout)  # with no scenario: all projects
    assert plain["scenario"]["query"]["scenario"] == "today + all projects"
    assert plain["today"]["query"]["scenario"] == "today's network"
    named = json.loads(run_cli("reach", "--projects", "ml-1 upgrade", "--json").stdout)
    assert named["query"]["scenario"] == "today + ML-1 Upgrade"
    bad = run_cli("reach", "--projects", "ML-9")
    assert bad.returncode == 2 and "ML-9" in bad.stderr and "Traceback" not in bad.stderr


def test_within_bands_from_one_origin(loaded):
    found = reach.within(loaded, "Almaty", [72.0, 120.0, 168.0], constraints=TODAY)
    seen = [n for b in found.bands for n in b.node_ids]
    assert len(seen) == len(set(seen))  # each place in one band only
    lower = 0.0
    for band in found.bands:
        assert all(lower < found.time_h[n] <= band.hours for n in band.node_ids)
        lower = band.hours
    # A place's band time is its best route time from Almaty.
    for node_id in ("tashkent", "karachi"):
        if node_id in found.time_h:
            best = api.plan("Almaty", node_id, status=["operational"], network=loaded).routes[0]
            assert found.time_h[node_id] == pytest.approx(best.time_h, abs=1e-6)
    assert "tashkent" in found.bands[0].node_ids


def test_within_through_a_process_rejects_bad_durations():
    ok = run_cli("reach", "--from", "Almaty", "--within", "3d,5d,7d", "--json")
    assert ok.returncode == 0, ok.stderr
    bands = json.loads(ok.stdout)["bands"]
    assert [b["within_h"] for b in bands] == [72.0, 120.0, 168.0]
    bad = run_cli("reach", "--from", "Almaty", "--within", "3 weeks")
    assert bad.returncode == 2 and "--within" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda p: p.pop("centre"), "`centre` is missing"),
        (lambda p: p.update(kind="province"), "`kind` must be one of region, city"),
    ],
)
def test_a_bad_regions_file_is_one_line_naming_file_feature_and_property(tmp_path, edit, message):
    folder = tmp_path / "net"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    doc = json.loads((folder / "regions.geojson").read_text())
    edit(doc["features"][2]["properties"])
    (folder / "regions.geojson").write_text(json.dumps(doc))
    with pytest.raises(NetworkDataError, match="feature 2"):
        regions.read_regions(folder / "regions.geojson")
    res = run_cli("reach", "--network", str(folder))
    assert res.returncode == 2
    line = res.stderr.strip().splitlines()[-1]
    assert "regions.geojson: feature 2 (aktobe_region)" in line and message in line


def test_csv_cells_cannot_start_a_formula():
    from corridors.routes import reach_output

    assert reach_output._cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert reach_output._cell("Almaty") == "Almaty"


def test_durations_parse_days_and_hours():
    from corridors.routes import cli_reach

    assert cli_reach.durations("3d, 36h,12") == [12.0, 36.0, 72.0]
    assert cli_reach.durations("365d") == [8760.0]
    for bad in ("0d", "x", "-2d", "366d", "8761h", "1000000000000000000000000h"):
        with pytest.raises(argparse.ArgumentTypeError, match=f"^{bad!r} (is not|must be|is longer)"):
            cli_reach.durations(bad)


def test_regions_path_is_none_for_a_folder_without_one(tmp_path, loaded):
    from dataclasses import replace

    net = replace(loaded.network, folder=str(tmp_path))
    assert regions.regions_path(net) is None
