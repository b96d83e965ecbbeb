"""Waits that are a daily rest start the crew's driving clock again, hand-worked.

The border case uses ``tests/data/ranges`` with the two crews of ``test_road_rest`` and the
crossing's KAZ>CHN road dwell set to 30 / 30 / 120 h: Aqsu -> Chenggu by road drives a-b 4 h and
b-x 3.2 h before Xgate, x-c 3.4 h after it (4.25 h at the slow end): 7.2 h, then 3.4 h (4.25 h
at the high end). The ferry case is steps made here: 15 h of road, a sea leg, 15 h of road.
"""

from __future__ import annotations

import json
import math

import pytest

from corridors.geo import io, model
from corridors.geo.errors import NetworkDataError
from corridors.routes import api, costs, loading, reach, rest, search
from corridors.routes.route import Segment
from tests.test_road_rest import CREWS, ROAD, _with_crews, ends

WAITS = """
[dwell.road.waits_as_rest.border]
min_h = 9
ends = ["low", "central"]
source = "test fixture: a border wait of 9 h is a daily rest at the low and central ends"
"""


def _thirty_hour_border(folder, waits: str = WAITS):
    _with_crews(folder, CREWS + waits)
    path = folder / "nodes.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    (x,) = [f for f in data["features"] if f["properties"]["id"] == "x"]
    x["properties"]["border"]["hours"]["road"]["KAZ>CHN"] = {"low": 30, "central": 30, "high": 120}
    path.write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def border30(tmp_path_factory):
    return loading.load(_thirty_hour_border(tmp_path_factory.mktemp("b30") / "net"), use_cache=False)


@pytest.fixture(scope="module")
def border30_no_rule(tmp_path_factory):
    return loading.load(_thirty_hour_border(tmp_path_factory.mktemp("b30n") / "net", ""), use_cache=False)


def test_a_border_wait_restarts_the_clock_at_the_ends_named(border30):
    # one driver (low 5/2, central 4/8, high 4/10):
    # low: 7.2 h -> ceil(7.2/5) - 1 = 1 stop, 3.4 h -> 0: 2 h (one stretch of 10.6 h: 2 stops, 4 h)
    # central: 7.2 h -> ceil(7.2/4) - 1 = 1 stop, 3.4 h -> 0: 8 h (10.6 h: 2 stops, 16 h)
    # high: the wait does not count: 11.45 h -> ceil(11.45/4) - 1 = 2 stops x 10 h = 20 h
    route = api.plan("Aqsu", "Chenggu", **ROAD, network=border30, drivers=1).routes[0]
    assert ends(route) == (round(10.6 + 30 + 2, 6), round(10.6 + 30 + 8, 6), round(11.45 + 120 + 20, 6))
    # unknown crew: low 0 (two drivers 8/0), central two drivers 8/3: 7.2 and 3.4 h, no stop
    # (one stretch of 10.6 h: 1 stop, 3 h), high max(one driver 20 h, two drivers 6/4: 4 h)
    route = api.plan("Aqsu", "Chenggu", **ROAD, network=border30).routes[0]
    assert ends(route) == (round(10.6 + 30, 6), round(10.6 + 30, 6), round(11.45 + 120 + 20, 6))
    for s in route.steps:
        assert s.time_h_low <= s.time_h <= s.time_h_high


def test_without_the_rule_the_clock_runs_on_across_the_border(border30_no_rule):
    route = api.plan("Aqsu", "Chenggu", **ROAD, network=border30_no_rule, drivers=1).routes[0]
    assert ends(route) == (round(10.6 + 30 + 4, 6), round(10.6 + 30 + 16, 6), round(11.45 + 120 + 20, 6))


def test_a_wait_shorter_than_the_daily_rest_does_not_count(tmp_path):
    short = WAITS.replace("min_h = 9", "min_h = 31")
    loaded = loading.load(_thirty_hour_border(tmp_path / "net", short), use_cache=False)
    route = api.plan("Aqsu", "Chenggu", **ROAD, network=loaded, drivers=1).routes[0]
    assert ends(route)[1] == round(10.6 + 30 + 16, 6)


def test_the_search_still_bounds_the_route_from_above(border30):
    net = border30.network
    for by, attr in (("time", "time_h"), ("time-high", "time_h_high")):
        route = api.plan("Aqsu", "Chenggu", **ROAD, by=by, network=border30).routes[0]
        priced = [costs.price_link(net.links[s.link_id], net.nodes, net.costs) for s in route.segments]
        searched = sum(p.values[attr] for p in priced) + sum(c.values[attr] for c in route.crossings)
        assert route.totals[attr] < searched if attr == "time_h" else route.totals[attr] <= searched


def test_reach_counts_the_rest_as_route_does(border30):
    road = search.Constraints(modes=frozenset({"road"}), statuses=frozenset({"operational"}))
    found = reach.within(border30, "Aqsu", [41.0], constraints=road)
    route = api.plan("Aqsu", "Chenggu", **ROAD, network=border30).routes[0]
    assert math.isclose(found.time_h["c"], route.time_h)
    assert math.isclose(found.time_h["c"], 10.6 + 30)
    # 40.6 h: within 41 h only with the reset counted (43.6 h without it), and found although
    # the search's long-run figure, 10.6 x (1 + 3/8) + 30 = 44.575 h, is more than one
    # stop (3 h) past it
    assert "c" in found.bands[0].node_ids


def test_bad_waits_are_refused_in_one_line(tmp_path):
    bad = WAITS.replace('ends = ["low", "central"]', 'ends = ["low", "middle"]')
    with pytest.raises(NetworkDataError, match=r"\[dwell.road.waits_as_rest.border\] ends: expected a list"):
        io.read_network(_with_crews(tmp_path / "a", CREWS + bad))
    bad = WAITS.replace("waits_as_rest.border]", "waits_as_rest.queue]")
    with pytest.raises(NetworkDataError, match=r"waits_as_rest.queue\] expected a kind of wait"):
        io.read_network(_with_crews(tmp_path / "b", CREWS + bad))
    bad = WAITS.replace("min_h = 9", 'min_h = "9"')
    with pytest.raises(NetworkDataError, match=r"waits_as_rest.border\] min_h: expected a number"):
        io.read_network(_with_crews(tmp_path / "c", CREWS + bad))


# --- the ferry leg: a road + sea route, steps made here -------------------------------------

ONE = model.Crew(1, model.Cycle(10, 9.75), model.Cycle(9, 15), model.Cycle(9, 15), "test")
TWO = model.Crew(2, model.Cycle(20, 0), model.Cycle(20, 10), model.Cycle(20, 10), "test")
SEA = model.RestWait(11, frozenset(model.SPAN_ENDS), "test: a sea leg of 11 h is a regular daily rest")


def _segment(seq: int, mode: str, moving_h: float, other_h: float = 0.0) -> Segment:
    hours = moving_h + other_h
    values = {"time_h_low": hours, "time_h": hours, "time_h_high": hours}
    values |= {"cost_usd_per_t": 1.0, "generalised_usd_per_t": 1.0 + hours}
    part = "rest" if mode == "road" else "wait"
    parts = {"moving": (moving_h,) * 3, part: (other_h,) * 3}
    return Segment(
        seq,
        f"l{seq}",
        f"n{seq}",
        f"n{seq + 1}",
        "a",
        "b",
        mode,
        "operational",
        "c",
        values,
        (),
        time_parts=parts,
    )


def _road_sea_road(sea_h: float) -> list:
    return [_segment(0, "road", 15), _segment(1, "sea", sea_h - 4, 4), _segment(2, "road", 15)]


@pytest.mark.parametrize(
    ("sea_h", "want"),
    [
        # 21 h at sea (Aktau-Alat, 450 km at 21 km/h, less its wait): two stretches of 15 h.
        # low: two drivers 0 h; central: 20/10, 15 h -> no stop each: 0 h;
        # high: one driver 9/15, ceil(15/9) - 1 = 1 stop each: 30 h (two drivers 0 h)
        (21, (0.0, 0.0, 30.0)),
        # 10 h at sea, short of the 11 h rest: one stretch of 30 h.
        # central: ceil(30/20) - 1 = 1 stop x 10 h; high: ceil(30/9) - 1 = 3 x 15 h = 45 h
        (10, (0.0, 10.0, 45.0)),
    ],
)
def test_the_crew_rests_on_the_ferry(sea_h, want):
    rules = model.RoadRest({1: ONE, 2: TWO}, 2, "test", waits={"sea": SEA})
    steps = rest.by_driving_day(_road_sea_road(sea_h), rules)
    stood = tuple(math.fsum(s.time_parts["rest"][e] for s in steps if s.mode == "road") for e in range(3))
    assert stood == want
    assert steps[1] == _road_sea_road(sea_h)[1]  # the sea leg keeps its hours
    # the long-run rate (0, 0.5, 15/9 per moving hour) bounds it from above
    assert all(w <= 30 * r + 1e-9 for w, r in zip(want, (0, 0.5, 15 / 9), strict=True))
    without = rest.by_driving_day(_road_sea_road(sea_h), model.RoadRest({1: ONE, 2: TWO}, 2, "test"))
    assert math.fsum(s.time_parts["rest"][1] for s in without if s.mode == "road") == 10.0


def test_the_seeds_count_border_waits_at_the_low_and_central_ends_only():
    """The built-in rule, read here from costs.toml: a wait counts at the ends it names."""
    import tomllib
    from pathlib import Path

    from corridors.geo import paths

    text = (Path(paths.builtin_folder()) / "costs.toml").read_text(encoding="utf-8")
    waits = tomllib.loads(text)["dwell"]["road"]["waits_as_rest"]
    got = loading.load().network.costs.road_rest.waits
    assert set(got) == set(waits)
    for kind, w in waits.items():
        assert got[kind].min_h == w["min_h"] and got[kind].ends == frozenset(w["ends"])
    assert "high" not in got["border"].ends
