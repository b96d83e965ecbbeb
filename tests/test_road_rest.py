"""Road rest by driving day and the crew option, hand-worked on the ranges fixture.

``tests/data/ranges`` with its ``[dwell.road]`` replaced by two crews (below). Aqsu -> Chenggu
by road: a-b 200 km (moving 4 h), b-x 160 km (3.2 h), Xgate KAZ>CHN 4 / 10 / 50 h, x-c 170 km
(3.4 h, 4.25 h at the slow end, 40 km/h): driving 10.6 / 10.6 / 11.45 h, borders 4 / 10 / 50 h.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.geo import io
from corridors.geo.errors import NetworkDataError, QueryError
from corridors.routes import api, costs, loading

RANGES = Path(__file__).parent / "data" / "ranges"
ROAD = {"modes": ["road"], "status": ["operational"]}
CREWS = """[dwell.road]
default_drivers = 2
source = "test fixture: crews"

[dwell.road.drivers.1]
low = { driving_h = 5, standing_h = 2 }
central = { driving_h = 4, standing_h = 8 }
high = { driving_h = 4, standing_h = 10 }
source = "test fixture: one driver"

[dwell.road.drivers.2]
low = { driving_h = 8, standing_h = 0 }
central = { driving_h = 8, standing_h = 3 }
high = { driving_h = 6, standing_h = 4 }
source = "test fixture: two drivers"
"""


def _with_crews(folder: Path, crews: str = CREWS) -> Path:
    shutil.copytree(RANGES, folder)
    path = folder / "costs.toml"
    text = path.read_text(encoding="utf-8")
    old = (
        "[dwell.road]\nrest_h_per_moving_h = { low = 0, central = 0.5, high = 1.5 }\n"
        'source = "test fixture: rest"\n'
    )
    assert old in text
    path.write_text(text.replace(old, crews), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def crews(tmp_path_factory):
    return loading.load(_with_crews(tmp_path_factory.mktemp("crews") / "net"), use_cache=False)


def ends(route) -> tuple[float, float, float]:
    return (round(route.time_h_low, 6), round(route.time_h, 6), round(route.time_h_high, 6))


def test_unknown_crew_the_low_end_stands_least_the_high_end_most(crews):
    route = api.plan("Aqsu", "Chenggu", **ROAD, network=crews).routes[0]
    # low: one driver ceil(10.6 / 5) - 1 = 2 stops x 2 h = 4 h; two drivers 1 stop x 0 h: 0 h
    # central: two drivers, 1 stop x 3 h; high: one driver ceil(11.45 / 4) - 1 = 2 x 10 = 20 h,
    # two drivers 1 x 4 h: 20 h
    assert ends(route) == (10.6 + 4 + 0, 10.6 + 10 + 3, 11.45 + 50 + 20)
    rests = [s.time_parts["rest"] for s in route.segments]
    assert [round(sum(r[e] for r in rests), 9) for e in range(3)] == [0.0, 3.0, 20.0]
    # shared by moving time: a-b is 4 of the 10.6 h driven at the central end
    assert math.isclose(route.segments[0].time_parts["rest"][1], 3 * 4 / 10.6)
    assert math.isclose(route.segments[-1].time_parts["rest"][2], 20 * 4.25 / 11.45)
    for s in route.steps:
        assert s.time_h_low <= s.time_h <= s.time_h_high
    for attr in ("time_h_low", "time_h", "time_h_high"):
        assert math.isclose(math.fsum(s.values[attr] for s in route.steps), route.totals[attr])


@pytest.mark.parametrize(
    ("drivers", "want"),
    [
        # one driver: low 2 x 2 h; central ceil(10.6 / 4) - 1 = 2 x 8 h; high 2 x 10 h
        (1, (10.6 + 4 + 4, 10.6 + 10 + 16, 11.45 + 50 + 20)),
        # two drivers: low 0; central 1 x 3 h; high ceil(11.45 / 6) - 1 = 1 x 4 h
        (2, (10.6 + 4 + 0, 10.6 + 10 + 3, 11.45 + 50 + 4)),
    ],
)
def test_a_known_crew_narrows_the_range(crews, drivers, want):
    plan = api.plan("Aqsu", "Chenggu", **ROAD, network=crews, drivers=drivers)
    assert ends(plan.routes[0]) == tuple(round(w, 6) for w in want)
    assert plan.query["drivers"] == drivers
    assert api.plan("Aqsu", "Chenggu", **ROAD, network=crews).query["drivers"] is None


def test_a_trip_shorter_than_a_driving_day_stands_nowhere(crews):
    # Aqsu -> b: 4 h of driving, under every crew's driving_h: no rest at any end
    route = api.plan("Aqsu", "Bay", **ROAD, network=crews).routes[0]
    assert ends(route) == (4.0, 4.0, 4.0)
    assert route.segments[0].time_parts["rest"] == (0.0, 0.0, 0.0)


def test_the_search_minimises_the_long_run_rate_which_bounds_the_route_from_above(crews):
    """Links are priced (and searched) with rest at standing_h / driving_h: 0 (two drivers'
    low), 3/8 (central) and 10/4 (one driver's high) per moving hour."""
    net = crews.network
    for by, attr in (("time", "time_h"), ("time-high", "time_h_high")):
        route = api.plan("Aqsu", "Chenggu", **ROAD, by=by, network=crews).routes[0]
        priced = [costs.price_link(net.links[s.link_id], net.nodes, net.costs) for s in route.segments]
        searched = sum(p.values[attr] for p in priced) + sum(c.values[attr] for c in route.crossings)
        want = {"time_h": 10.6 * (1 + 3 / 8) + 10, "time_h_high": 11.45 * 3.5 + 50}[attr]
        assert math.isclose(searched, want)
        assert route.totals[attr] <= searched


def test_without_crews_rest_stays_per_moving_hour():
    route = api.plan("Aqsu", "Chenggu", **ROAD, network=loading.load(RANGES)).routes[0]
    assert ends(route) == (14.6, 25.9, 78.625)


def test_bad_crews_are_refused_in_one_line(tmp_path):
    bad = CREWS.replace("default_drivers = 2", "default_drivers = 3")
    with pytest.raises(NetworkDataError, match=r"costs.toml: \[dwell.road\] default_drivers: expected"):
        io.read_network(_with_crews(tmp_path / "a", bad))
    bad = CREWS.replace("low = { driving_h = 5, standing_h = 2 }", "low = { driving_h = 0, standing_h = 2 }")
    with pytest.raises(NetworkDataError, match=r"drivers.1\] low: driving_h must be more than 0"):
        io.read_network(_with_crews(tmp_path / "b", bad))
    bad = CREWS.replace("[dwell.road.drivers.2]", "[dwell.road.drivers.two]")
    with pytest.raises(NetworkDataError, match=r"\[dwell.road.drivers.two\] expected a number of drivers"):
        io.read_network(_with_crews(tmp_path / "c", bad))


def test_an_unknown_crew_is_a_query_error(crews):
    with pytest.raises(QueryError, match=r"^`drivers`: no crew of 3 drivers; expected 1 or 2$"):
        api.plan("Aqsu", "Chenggu", **ROAD, network=crews, drivers=3)
    with pytest.raises(QueryError, match=r"gives no crews"):
        api.plan("Aqsu", "Chenggu", **ROAD, network=loading.load(RANGES), drivers=1)


def test_cli_drivers(crews, tmp_path):
    folder = _with_crews(tmp_path / "net")
    run = [sys.executable, "-m", "corridors", "route", "Aqsu", "Chenggu", "--network", str(folder)]
    out = subprocess.run(
        [*run, "--modes", "road", "--drivers", "1", "--json"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    totals = json.loads(out.stdout)["routes"][0]["totals"]
    assert (totals["time_h_low"], totals["time_h"], totals["time_h_high"]) == (18.6, 36.6, 81.45)
    bad = subprocess.run([*run, "--drivers", "4"], capture_output=True, text=True)
    assert bad.returncode != 0
    assert bad.stderr.strip().count("\n") == 0 and "--drivers: no crew of 4 drivers" in bad.stderr


def test_the_http_api_takes_drivers(crews):
    from fastapi.testclient import TestClient

    from corridors.routes import server

    client = TestClient(server.create_app(crews), raise_server_exceptions=False)
    got = client.get("/v1/route", params={"from": "Aqsu", "to": "Chenggu", "modes": "road", "drivers": "1"})
    assert got.status_code == 200
    totals = got.json()["routes"][0]["totals"]
    assert (totals["time_h_low"], totals["time_h"], totals["time_h_high"]) == (18.6, 36.6, 81.45)
    assert got.json()["query"]["drivers"] == 1
    bad = client.get("/v1/route", params={"from": "Aqsu", "to": "Chenggu", "drivers": "3"})
    assert bad.status_code == 400 and bad.json()["error"]["parameter"] == "drivers"


def test_the_built_in_crews_count_stops_by_driving_day():
    """The seeds' cycles, read here from costs.toml: a route's rest at each end is whole stops
    of its crew over the route's driving time."""
    import tomllib

    from corridors.geo import paths

    folder = paths.builtin_folder()
    road = tomllib.loads((Path(folder) / "costs.toml").read_text(encoding="utf-8"))["dwell"]["road"]
    crews = road["drivers"]
    default = crews[str(road["default_drivers"])]["central"]
    loaded = loading.load()
    for origin, destination in (("Tashkent", "Andijan"), ("Tashkent", "Kashgar"), ("Almaty", "Karachi")):
        route = api.plan(origin, destination, **ROAD, network=loaded).routes[0]
        road_steps = [s for s in route.segments if s.mode == "road"]
        driving = [math.fsum(s.time_parts["moving"][e] for s in road_steps) for e in range(3)]
        rest = [math.fsum(s.time_parts["rest"][e] for s in road_steps) for e in range(3)]

        def stood(cycle, hours):
            return max(0, math.ceil(hours / cycle["driving_h"] - 1e-9) - 1) * cycle["standing_h"]

        assert math.isclose(rest[1], stood(default, driving[1]), abs_tol=1e-9)
        assert math.isclose(rest[0], min(stood(c["low"], driving[0]) for c in crews.values()), abs_tol=1e-9)
        assert math.isclose(rest[2], max(stood(c["high"], driving[2]) for c in crews.values()), abs_tol=1e-9)
        if driving[2] < min(c["high"]["driving_h"] for c in crews.values()):
            assert rest == [0.0, 0.0, 0.0]
