"""Time ranges: low, central and high hours of every step and route, hand-worked on fixtures.

``tests/data/ranges`` is the tiny network with dwell and ranges in its ``costs.toml``
(rest 0 / 0.5 / 1.5 h per moving hour, yard 1 / 2 / 4 h per 100 km, gauge change 4 / 5 / 10 h,
Chinese roads 50 km/h with a slow end of 40 km/h)
and border hours by direction at Xgate (road KAZ>CHN 4 / 10 / 50 h, CHN>KAZ 2 h; rail into
Kazakhstan 20 h, out of it 8 / 12 / 16 h). Expected figures are worked out from those files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridors.geo import io, objectives
from corridors.geo.errors import NetworkDataError
from corridors.routes import api, costs, loading, output, places, plan_text

RANGES = Path(__file__).parent / "data" / "ranges"
ROAD = {"modes": ["road"], "status": ["operational"]}
RAIL = {"modes": ["rail"], "status": ["operational"]}


@pytest.fixture(scope="module")
def ranges():
    return loading.load(RANGES)


def ends(route) -> tuple[float, float, float]:
    return (round(route.time_h_low, 6), round(route.time_h, 6), round(route.time_h_high, 6))


def test_a_cost_file_without_dwell_or_ranges_gives_no_spread(tiny):
    """Old files stay valid: the tiny fixture's figures are points, low = central = high."""
    for _, _, d in tiny.G.edges(data=True):
        assert d["time_h_low"] == d["time_h"] == d["time_h_high"]
    route = api.plan("Aqsu", "Chenggu", modes=["road"], status=["operational"], network=tiny).routes[0]
    # 200 km + 160 km + 170 km at 50 km/h, Xgate road 10 h: 4 + 3.2 + 10 + 3.4 = 20.6 h
    assert ends(route) == (20.6, 20.6, 20.6)


def test_road_range_is_moving_time_plus_rest_plus_border_dwell_by_direction(ranges):
    route = api.plan("Aqsu", "Chenggu", **ROAD, network=ranges).routes[0]
    # a-b 200 km: moving 4 h, rest 0 / 2 / 6; b-x 160 km: 3.2 h, rest 0 / 1.6 / 4.8;
    # Xgate KAZ>CHN 4 / 10 / 50; x-c 170 km: moving 3.4 / 3.4 / 4.25 (50, 50, 40 km/h),
    # rest 0 / 1.7 / 6.375 (1.5 x 4.25)
    assert ends(route) == (14.6, 25.9, 78.625)
    last = route.segments[-1]
    assert last.time_parts == {"moving": (3.4, 3.4, 4.25), "rest": (0.0, 1.7, 6.375)}
    first = route.segments[0]
    assert first.time_parts == {"moving": (4.0, 4.0, 4.0), "rest": (0.0, 2.0, 6.0)}
    (crossing,) = route.crossings
    assert crossing.countries == ("KAZ", "CHN")
    assert (crossing.time_h_low, crossing.time_h, crossing.time_h_high) == (4.0, 10.0, 50.0)


def test_the_other_direction_pays_its_own_dwell(ranges):
    route = api.plan("Chenggu", "Aqsu", **ROAD, network=ranges).routes[0]
    (crossing,) = route.crossings
    assert crossing.countries == ("CHN", "KAZ")
    # 3.4 / 5.1 / 10.625 + 2 + 3.2 / 4.8 / 8.0 + 4 / 6 / 10
    assert ends(route) == (12.6, 17.9, 30.625)


def test_rail_range_is_running_time_plus_yard_border_and_gauge_change(ranges):
    out = api.plan("Aqsu", "Chenggu", **RAIL, network=ranges).routes[0]
    # a-b 180 km: running 7.2 h, yard 1.8 / 3.6 / 7.2; b-x 160 km: 6.4 h, yard 1.6 / 3.2 / 6.4;
    # Xgate rail out of Kazakhstan 8 / 12 / 16; gauge change 4 / 5 / 10; x-c 160 km as b-x
    assert ends(out) == (37.0, 47.0, 66.0)
    assert out.segments[0].time_parts == {"running": (7.2, 7.2, 7.2), "yard": (1.8, 3.6, 7.2)}
    back = api.plan("Chenggu", "Aqsu", **RAIL, network=ranges).routes[0]
    # into Kazakhstan 20 h: 8.0 / 9.6 / 12.8 + 20 + 4 / 5 / 10 + 8.0 / 9.6 / 12.8 + 9.0 / 10.8 / 14.4
    assert ends(back) == (49.0, 55.0, 70.0)


def test_by_time_high_takes_the_route_that_is_not_late(ranges):
    """By road the central time is least (25.9 h) but the road border can take 50 h (high end
    78.625 h); changing to rail on the Kazakh side of Xgate and crossing by rail (out of
    Kazakhstan at most 16 h) has the least high end: road a-b 10 + b-x 8 + road-rail 12 +
    border 16 + rail x-c 12.8."""
    common = {"status": ["operational"], "network": ranges}
    central = api.plan("Aqsu", "Chenggu", by="time", **common).routes[0]
    safe = api.plan("Aqsu", "Chenggu", by="time-high", **common).routes[0]
    assert central.modes == ["road"] and ends(central) == (14.6, 25.9, 78.625)
    assert safe.modes == ["road", "rail"] and [t.kind for t in safe.transfers] == ["road_rail"]
    # low 4 + 3.2 + 12 + 8 + 8; central 6 + 4.8 + 12 + 12 + 9.6
    assert ends(safe) == (35.2, 44.4, 58.8)
    assert safe.total("time-high") < central.total("time-high")


def test_json_gives_every_step_and_the_totals_a_range(ranges):
    plan = api.plan("Aqsu", "Chenggu", **RAIL, network=ranges)
    doc = output.plan_dict(plan)["routes"][0]
    totals = doc["totals"]
    assert (totals["time_h_low"], totals["time_h"], totals["time_h_high"]) == (37.0, 47.0, 66.0)
    steps = [*doc["segments"], *doc["border_crossings"], *doc["transfers"]]
    for end in ("time_h_low", "time_h", "time_h_high"):
        assert sum(s[end] for s in steps) == pytest.approx(totals[end])
    (transfer,) = doc["transfers"]
    assert (transfer["time_h_low"], transfer["time_h"], transfer["time_h_high"]) == (4.0, 5.0, 10.0)
    assert doc["segments"][0]["time_parts"]["yard"] == {"low": 1.8, "central": 3.6, "high": 7.2}


def test_table_and_explain_show_the_ranges(ranges):
    plan = api.plan("Aqsu", "Chenggu", **ROAD, network=ranges)
    names = {n.id: n.name for n in ranges.network.nodes.values()}
    table = plan_text.table(plan, names)
    # 14.6 h down to half a day, 78.6 h up to 3.5 days
    assert "range" in table.splitlines()[3] and "0.5–3.5 d" in table
    text = plan_text.explain(plan)
    assert "range 0.5–3.5 d" in text.splitlines()[1]
    assert "moving 4.0 h + rest 2.0 (0.0–6.0) h" in text
    assert "(4.0–50.0)" in text


@pytest.mark.parametrize(
    ("low", "high", "text"), [(5, 12, "5–12 h"), (144, 216, "6–9 d"), (20, 30, "0.5–1.5 d"), (48, 48, "2 d")]
)
def test_time_range_text(low, high, text):
    assert plan_text.time_range(low, high) == text


def test_time_high_is_searchable_and_time_low_is_not():
    assert "time-high" in objectives.names()
    assert "time-low" not in objectives.names()
    assert objectives.get("time-low").attr == "time_h_low"


def test_the_seed_ferry_waits_for_a_sailing():
    """Alat–Aktau, 470 km at 21 km/h, plus the wait for a sailing of 0 / 12 / 60 h (costs.toml)."""
    net = loading.load().network
    priced = costs.price_link(net.links["sea_aktau_alat"], net.nodes, net.costs)
    assert priced.parts["sailing"].central == pytest.approx(470 / 21)
    wait = priced.parts["wait"]
    assert (wait.low, wait.central, wait.high) == (0.0, 12.0, 60.0)
    assert priced.values["time_h_high"] == pytest.approx(470 / 21 + 60)


def test_a_feeder_waits_for_its_own_sailing_frequency():
    """Karachi–Jebel Ali, 1,278 km at a feeder's 29.6 km/h (16 knots, the link's own speed), waits
    for the weekly PS2 sailing: 0 / 84 / 168 h."""
    net = loading.load().network
    priced = costs.price_link(net.links["sea_karachi_jebel_ali"], net.nodes, net.costs)
    wait = priced.parts["wait"]
    assert (wait.low, wait.central, wait.high) == (0.0, 84.0, 168.0)
    assert priced.values["time_h"] == pytest.approx(1278 / 29.6 + 84)
    assert "portnews" in priced.sources["wait_h"]
    assert "Container_ship" in priced.sources["speed_kmh"]


def _copy(tmp_path: Path) -> Path:
    dest = tmp_path / "net"
    shutil.copytree(RANGES, dest)
    return dest


def test_ends_out_of_order_are_a_one_line_error(tmp_path):
    folder = _copy(tmp_path)
    toml = folder / "costs.toml"
    toml.write_text(toml.read_text().replace("low = 1, central = 2", "low = 3, central = 2"))
    with pytest.raises(NetworkDataError, match=r"\[dwell.rail\].*expected low <= central <= high") as err:
        io.read_network(folder)
    assert "\n" not in str(err.value)


def test_a_slow_end_above_the_speed_is_refused(tmp_path):
    folder = _copy(tmp_path)
    toml = folder / "costs.toml"
    toml.write_text(toml.read_text().replace("speed_kmh_slow = 40", "speed_kmh_slow = 60"))
    with pytest.raises(NetworkDataError, match="speed_kmh_slow <= speed_kmh <= speed_kmh_fast"):
        io.read_network(folder)


def test_border_hours_for_an_unknown_direction_are_refused(tmp_path):
    folder = _copy(tmp_path)
    nodes = folder / "nodes.geojson"
    nodes.write_text(nodes.read_text().replace('"CHN>KAZ": 2', '"CHN>UZB": 2'))
    with pytest.raises(NetworkDataError, match=r"border\.hours"):
        io.read_network(folder)


def test_only_a_sea_link_waits_for_a_sailing(tmp_path):
    folder = _copy(tmp_path)
    links = folder / "links" / "tiny.geojson"
    links.write_text(links.read_text().replace('"id": "a_b_road",', '"id": "a_b_road", "wait_h": 5,', 1))
    with pytest.raises(NetworkDataError, match="only a sea link waits for a sailing"):
        io.read_network(folder)


def test_calibration_runs_on_the_trips_file_and_every_place_resolves():
    from benchmarks import calibrate

    trips = calibrate.read_trips()
    assert len(trips) >= 15
    assert {m for t in trips for m in t.modes} == {"road", "rail", "sea"}
    loaded = loading.load()
    for t in trips:
        for place in (t.origin, *t.via, t.destination):
            assert places.resolve(loaded.network, place).node_ids, (t.id, place)
        assert t.source_url.startswith("http"), t.id
    results = [calibrate.model_trip(t, loaded) for t in trips]
    assert [r.trip.id for r in results if r.error] == []
    text = calibrate.report(results)
    assert "independent trips:" in text and "inside the range" in text
    summary = calibrate.summary(results)
    assert summary["n"] == len(trips)
    assert 0 < summary["median_ratio"] < 3
