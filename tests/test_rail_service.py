"""Rail services: wagonload and container block trains wait in yards for different times.

``tests/data/ranges`` prices rail yard time at 1 / 2 / 4 h per 100 km; here a copy names those
figures the ``wagon`` service and adds a ``block`` service of 0.5 / 1 / 2 h per 100 km, with a
Chinese figure of its own (3 h per 100 km, no spread). Expected figures are worked out by hand
from those files; the built-in network is checked step by step against ``tests/handcalc.py``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corridors.geo import io, paths
from corridors.geo.errors import NetworkDataError, QueryError
from corridors.routes import api, costs, loading
from tests.conftest import run_cli
from tests.handcalc import Fixture, assert_priced_as_the_data_says

RANGES = Path(__file__).parent / "data" / "ranges"
RAIL = {"modes": ["rail"], "status": ["operational"]}
BLOCK = """
[dwell.rail.service.block]
yard_h_per_100km = { low = 0.5, central = 1, high = 2 }
source = "test fixture: block train yard"
"""
BLOCK_CHN = """
[dwell.rail.service.block.country.CHN]
yard_h_per_100km = 3
source = "test fixture: Chinese block train yard"
"""


def _services(
    tmp_path: Path, extra: str = "", default: str = 'default_service = "wagon"\n', border: str | None = None
) -> Path:
    folder = tmp_path / "net"
    shutil.copytree(RANGES, folder)
    toml = folder / "costs.toml"
    text = toml.read_text().replace("[dwell.rail]\n", f"[dwell.rail]\n{default}")
    toml.write_text(text + BLOCK + extra)
    if border is not None:  # Xgate's hours for another key of border.hours
        nodes = folder / "nodes.geojson"
        doc = json.loads(nodes.read_text())
        (xgate,) = [f for f in doc["features"] if f["properties"]["id"] == "x"]
        xgate["properties"]["border"]["hours"][border] = {"low": 1, "central": 2, "high": 3}
        nodes.write_text(json.dumps(doc))
    return folder


def ends(route) -> tuple[float, float, float]:
    return (round(route.time_h_low, 6), round(route.time_h, 6), round(route.time_h_high, 6))


def test_the_default_service_keeps_the_figures_and_block_trains_wait_less(tmp_path):
    loaded = loading.load(_services(tmp_path))
    wagon = api.plan("Aqsu", "Chenggu", **RAIL, network=loaded)
    # as in test_time_ranges: running 7.2 + 6.4 + 6.4, yard at 1 / 2 / 4 h per 100 km over
    # 180 + 160 + 160 km, Xgate out of Kazakhstan 8 / 12 / 16, gauge change 4 / 5 / 10
    assert ends(wagon.routes[0]) == (37.0, 47.0, 66.0)
    assert wagon.query["rail_service"] == "wagon"
    block = api.plan("Aqsu", "Chenggu", **RAIL, network=loaded, rail_service="block")
    # yard at 0.5 / 1 / 2: 0.9 / 1.8 / 3.6 + 0.8 / 1.6 / 3.2 + 0.8 / 1.6 / 3.2
    assert ends(block.routes[0]) == (34.5, 42.0, 56.0)
    assert block.routes[0].segments[0].time_parts["yard"] == (0.9, 1.8, 3.6)
    assert block.query["rail_service"] == "block"
    assert any("'block' service" in n for n in block.notes)


def test_a_service_country_figure_wins_over_the_service_figure(tmp_path):
    loaded = loading.load(_services(tmp_path, BLOCK_CHN))
    block = api.plan("Aqsu", "Chenggu", **RAIL, network=loaded, rail_service="block").routes[0]
    # x-c (China) 160 km at 3 h per 100 km: 4.8 in place of 0.8 / 1.6 / 3.2
    assert ends(block) == (38.5, 45.2, 57.6)
    assert block.segments[-1].time_parts["yard"] == pytest.approx((4.8, 4.8, 4.8))


def test_a_country_the_service_leaves_out_keeps_the_default_service_figure(tmp_path):
    """Pakistan's timetables price every service in the built-in network: Karachi–Lahore is
    the same by block train and by wagon."""
    wagon = api.plan("Karachi", "Lahore", modes=["rail"], rail_service="wagon").routes[0]
    block = api.plan("Karachi", "Lahore", modes=["rail"], rail_service="block").routes[0]
    assert ends(block) == ends(wagon)


@pytest.mark.parametrize("service", ["wagon", "block"])
def test_every_step_of_the_builtin_network_is_priced_as_the_files_say(service):
    fixture = Fixture(paths.builtin_folder(), rail_service=service)
    for origin, destination in (
        ("Altynkol", "Aktau"),
        ("Tashkent", "Bandar Abbas"),
        ("Tashkent", "Naibabad"),
    ):
        plan = api.plan(origin, destination, **RAIL, rail_service=service)
        for route in plan.routes:
            assert_priced_as_the_data_says(route, fixture)


def test_builtin_kazakh_block_train_hand_worked():
    """kzr_shalkar_beyneu by block train: running at 57.9 km/h, yard 0.58 / 0.98 / 1.75 h per
    100 km ([dwell.rail.service.block.country.KAZ]); by wagon 4.81 / 7.89 / 9.51."""
    net = loading.load().network
    km = net.links["kzr_shalkar_beyneu"].length_km
    route = api.plan("Shalkar", "Beyneu", **RAIL, rail_service="block").routes[0]
    (segment,) = [s for s in route.segments if s.link_id == "kzr_shalkar_beyneu"]
    running = km / 57.9
    want = (running + 0.58 * km / 100, running + 0.98 * km / 100, running + 1.75 * km / 100)
    assert (segment.time_h_low, segment.time_h, segment.time_h_high) == pytest.approx(want)
    wagon = api.plan("Shalkar", "Beyneu", **RAIL).routes[0]
    (segment,) = [s for s in wagon.segments if s.link_id == "kzr_shalkar_beyneu"]
    assert segment.time_h == pytest.approx(running + 7.89 * km / 100)


def test_an_unknown_service_is_a_one_line_error_naming_the_services():
    with pytest.raises(
        QueryError, match=r"`rail_service`: unknown service 'express'; expected wagon or block"
    ):
        api.plan("Almaty", "Aktau", rail_service="express")


def test_a_network_without_services_refuses_a_service_and_takes_none(tiny):
    assert api.plan("Aqsu", "Chenggu", network=tiny).query["rail_service"] is None
    with pytest.raises(QueryError, match="names no services"):
        api.plan("Aqsu", "Chenggu", network=tiny, rail_service="block")


def test_service_tables_without_a_default_service_name_are_refused(tmp_path):
    with pytest.raises(NetworkDataError, match=r"\[dwell.rail\] default_service") as err:
        io.read_network(_services(tmp_path, default=""))
    assert "\n" not in str(err.value)


def test_the_command_line_takes_the_service_and_says_so():
    done = run_cli("route", "Altynkol", "Aktau", "--modes", "rail", "--rail-service", "block", "--json")
    assert done.returncode == 0, done.stderr
    assert '"rail_service": "block"' in done.stdout
    bad = run_cli("route", "Altynkol", "Aktau", "--rail-service", "express")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "expected wagon or block" in bad.stderr


def test_the_calibration_routes_each_trip_by_its_service_and_end():
    from benchmarks import calibrate

    trips = {t.id: t for t in calibrate.read_trips()}
    assert all(t.rail_service in ("block", "wagon") for t in trips.values() if "rail" in t.modes)
    assert all(not t.rail_service for t in trips.values() if "rail" not in t.modes)
    loaded = loading.load()
    torkham = trips["uz-pk-road-tashkent-torkham-2021"]
    assert torkham.end_crossing == "excluded" and torkham.via[-1] == "Jalalabad"
    # to Jalalabad as routed, then the Kabul–Torkham highway into the crossing, without its dwell
    route = api.plan(
        torkham.origin,
        "Jalalabad",
        via=torkham.via[:-1],
        modes=torkham.modes,
        network=loaded,
        status=["operational"],
        include_suspended=True,
    ).routes[0]
    net = loaded.network
    last = costs.price_link(net.links["af_jalalabad_torkham"], net.nodes, net.costs).values
    result = calibrate.model_trip(torkham, loaded)
    assert result.central_h == pytest.approx(route.time_h + last["time_h"])
    assert result.high_h == pytest.approx(route.time_h_high + last["time_h_high"])
    km = net.links["af_jalalabad_torkham"].length_km
    assert result.distance_km == pytest.approx(route.distance_km + km)
    no_via = calibrate.Trip(**{**vars(torkham), "via": ()})
    assert "last via" in calibrate.model_trip(no_via, loaded).error


def test_a_crossing_gives_a_block_train_its_own_border_dwell(tmp_path):
    """Xgate's "rail.block" hours (1 / 2 / 3) replace its rail hours out of Kazakhstan (8 / 12 / 16)
    for a block train; a wagon keeps them."""
    loaded = loading.load(_services(tmp_path, border="rail.block"))
    block = api.plan("Aqsu", "Chenggu", **RAIL, network=loaded, rail_service="block").routes[0]
    (crossing,) = block.crossings
    assert (crossing.time_h_low, crossing.time_h, crossing.time_h_high) == (1.0, 2.0, 3.0)
    # 34.5 / 42.0 / 56.0 with the border at 8 / 12 / 16 (above), now 1 / 2 / 3
    assert ends(block) == (27.5, 32.0, 43.0)
    wagon = api.plan("Aqsu", "Chenggu", **RAIL, network=loaded).routes[0]
    assert ends(wagon) == (37.0, 47.0, 66.0)
    fixture = Fixture(loaded.network.folder, rail_service="block")
    assert_priced_as_the_data_says(block, fixture)


@pytest.mark.parametrize("key", ["air.block", "rail.", 7])
def test_border_hours_for_an_unknown_mode_or_service_key_are_refused(tmp_path, key):
    folder = _services(tmp_path)
    nodes = folder / "nodes.geojson"
    doc = json.loads(nodes.read_text())
    (xgate,) = [f for f in doc["features"] if f["properties"]["id"] == "x"]
    xgate["properties"]["border"]["hours"][key] = 5
    nodes.write_text(json.dumps(doc))
    with pytest.raises(NetworkDataError, match=r"border\.hours") as err:
        io.read_network(folder)
    assert "\n" not in str(err.value)


def test_builtin_block_trains_clear_the_chinese_border_by_the_tez_figures():
    """Altynkol into Kazakhstan: CPMM 45.4 / 52.8 / 69.0 h for all shipments; 0.5 / 2.25 / 4 h
    of customs for a block train (TEZ Customs, nodes.geojson), its gauge change apart."""
    wagon = api.plan("Khorgos Gateway", "Zhetygen", **RAIL).routes[0]
    block = api.plan("Khorgos Gateway", "Zhetygen", **RAIL, rail_service="block").routes[0]
    (w,), (b,) = wagon.crossings, block.crossings
    assert (w.time_h_low, w.time_h, w.time_h_high) == (45.4, 52.8, 69.0)
    assert (b.time_h_low, b.time_h, b.time_h_high) == (0.5, 2.25, 4.0)
