"""A network of another continent routes with no change to the code, to hand-worked figures.

tests/data/eastafrica: Mombasa (port, Indian Ocean) - Nairobi ICD by the 1435 mm SGR (472 km,
53 km/h, US$25/t flat) and by road; SGR on to the Naivasha ICD (120 km at 53 km/h and the rail
rate 0.036 $/t-km), where containers change to the 1000 mm metre gauge (the ICD's own figures,
18 h and 6 $/t, not the 24 h and 8 $/t default); the metre gauge through Longonot (23.5 km) and
Nakuru to Kisumu (217 km; a port on Lake Victoria) and to the Malaba border (KEN-UGA: road 4 h
2.5 $/t, rail 7 h 1.5 $/t), then Uganda's metre gauge and road to Kampala, priced by Uganda's
overrides (rail 20 km/h 0.05 $/t-km, road 30 km/h 0.10 $/t-km against Kenya's defaults of
30 km/h 0.036 and 40 km/h 0.08). Lengths not published are the drawn length (great-circle km
through the waypoints) times the circuity: road 1.1, rail 1.2, lake 1.1.

Mombasa -> Kampala by cost, all rail:
  SGR Mombasa-Nairobi          472 km        472 / 53 =  8.906 h     25.000 $/t (flat)
  SGR Nairobi-Naivasha ICD     120 km        120 / 53 =  2.264 h    120 x 0.036 =  4.320
  gauge change at Naivasha ICD (its own)                18.000 h                   6.000
  interchange to Longonot     23.5 km       23.5 / 30 =  0.783 h   23.5 x 0.036 =  0.846
  Longonot-Nakuru   86.867 x 1.2 = 104.241 km       /30 =  3.475 h        x 0.036 =  3.753
  Nakuru-Malaba    240.050 x 1.2 = 288.060 km       /30 =  9.602 h        x 0.036 = 10.370
  Malaba, by rail                                         7.000 h                   1.500
  Malaba-Kampala   198.040 x 1.2 = 237.648 km (UGA) /20 = 11.882 h        x 0.05  = 11.882
  total                                                  61.912 h                  63.671 $/t

Mombasa -> Kampala by time, all road:
  A109 Mombasa-Nairobi  439.850 x 1.1 = 483.835 km /40 = 12.096 h  x 0.08 = 38.707 $/t
  A104 Nairobi-Nakuru   152.245 x 1.1 = 167.469 km /40 =  4.187 h  x 0.08 = 13.398
  A104 Nakuru-Malaba    238.151 x 1.1 = 261.966 km /40 =  6.549 h  x 0.08 = 20.957
  Malaba, by road                                        4.000 h           2.500
  A109 Malaba-Kampala   197.972 x 1.1 = 217.769 km (UGA) /30 = 7.259 h x 0.10 = 21.777
  total                                                 34.091 h          97.339 $/t

Kisumu -> Port Bell by time: the lake, 255.742 x 1.1 = 281.316 km at 18 km/h = 15.629 h and
0.04 $/t-km = 11.253 $/t (both ports lie on Lake Victoria: origin and destination take no port
transfer).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridors.geo import convert, io
from corridors.routes import api, loading, places, plan_text
from corridors.routes.route import Crossing, Segment, Transfer
from tests.conftest import run_cli
from tests.handcalc import Fixture, assert_priced_as_the_data_says

EAST_AFRICA = Path(__file__).parent / "data" / "eastafrica"
RAIL = ["sgr_mombasa_nairobi", "sgr_nairobi_naivasha", "mgr_naivasha_longonot", "mgr_longonot_nakuru"]
RAIL += ["mgr_nakuru_malaba", "urc_malaba_kampala"]
ROAD = ["a109_mombasa_nairobi", "a104_nairobi_nakuru", "a104_nakuru_malaba", "a109_malaba_kampala"]


@pytest.fixture(scope="module", params=["networkx", "arrays"])
def east_africa(request):
    threshold = 0 if request.param == "arrays" else None
    return loading.load(EAST_AFRICA, array_threshold=threshold, use_cache=False)


@pytest.fixture(scope="module")
def fixture():
    return Fixture(EAST_AFRICA)


def test_the_region_is_the_data():
    net = io.read_network(EAST_AFRICA)
    assert {n.sea for n in net.nodes.values() if n.sea} == {"Indian Ocean", "Lake Victoria"}
    assert {link.gauge_mm for link in net.links.values() if link.gauge_mm} == {1000, 1435}
    assert {n.country for n in net.nodes.values()} == {"KEN", "UGA"}


def test_mombasa_kampala_by_cost_takes_the_sgr_and_the_metre_gauge(east_africa, fixture):
    route = api.plan("Mombasa", "Kampala", by="cost", network=east_africa).routes[0]
    assert [s.link_id for s in route.segments] == RAIL
    (change,) = route.transfers
    assert (change.node_id, change.kind, change.time_h, change.cost_usd_per_t) == (
        "naivasha_icd",
        "gauge_change",
        18.0,
        6.0,
    )
    assert {change.from_layer, change.to_layer} == {"rail1435", "rail1000"}
    (border,) = route.crossings
    assert (border.countries, border.mode) == (("KEN", "UGA"), "rail")
    assert (border.time_h, border.cost_usd_per_t) == (7, 1.5)
    last = route.segments[-1]
    assert last.time_h == pytest.approx(198.040 * 1.2 / 20, abs=5e-3)
    assert last.cost_usd_per_t == pytest.approx(198.040 * 1.2 * 0.05, abs=5e-3)
    assert route.time_h == pytest.approx(61.912, abs=5e-3)
    assert route.cost_usd_per_t == pytest.approx(63.671, abs=5e-3)
    assert_priced_as_the_data_says(route, fixture)


def test_mombasa_kampala_by_time_takes_the_northern_corridor_road(east_africa, fixture):
    route = api.plan("Mombasa", "Kampala", by="time", network=east_africa).routes[0]
    assert [s.link_id for s in route.segments] == ROAD
    assert [type(s) for s in route.steps] == [Segment, Segment, Segment, Crossing, Segment]
    assert route.crossings[0].time_h == 4.0
    assert route.segments[-1].time_h == pytest.approx(197.972 * 1.1 / 30, abs=5e-3)
    assert route.time_h == pytest.approx(34.091, abs=5e-3)
    assert route.cost_usd_per_t == pytest.approx(97.339, abs=5e-3)
    assert_priced_as_the_data_says(route, fixture)


def test_mombasa_nairobi_by_the_sgr_tariff(east_africa):
    for by in ("time", "cost"):
        route = api.plan("Mombasa", "Nairobi", by=by, network=east_africa).routes[0]
        assert [s.link_id for s in route.segments] == ["sgr_mombasa_nairobi"]
        assert route.time_h == pytest.approx(472 / 53)
        assert route.cost_usd_per_t == pytest.approx(25.0)


def test_across_lake_victoria(east_africa, fixture):
    route = api.plan("Kisumu", "Port Bell", network=east_africa).routes[0]
    assert [s.link_id for s in route.segments] == ["lake_kisumu_port_bell"]
    assert route.modes == ["sea"]
    assert route.time_h == pytest.approx(15.629, abs=5e-3)
    assert route.cost_usd_per_t == pytest.approx(11.253, abs=5e-3)
    assert_priced_as_the_data_says(route, fixture)


def test_a_lake_is_an_endpoint_like_a_sea(east_africa, fixture):
    route = api.plan("Nairobi", "Lake Victoria", by="cost", network=east_africa).routes[0]
    assert route.destination == "kisumu"
    assert [t.node_id for t in route.transfers] == ["naivasha_icd"]
    assert_priced_as_the_data_says(route, fixture)
    plan = api.plan("Kampala", "Indian Ocean", network=east_africa)
    assert plan.routes[0].destination == "mombasa"
    assert plan.endpoints[-1].kind == "sea"


def test_a_port_transfer_at_kisumu_uses_the_ports_own_figure(east_africa, fixture):
    route = api.plan("Nakuru", "Port Bell", by="cost", modes=["rail", "sea"], network=east_africa).routes[0]
    (port,) = [t for t in route.transfers if t.kind == "port"]
    assert (port.node_id, port.time_h, port.cost_usd_per_t) == ("kisumu", 10.0, 3.0)
    assert_priced_as_the_data_says(route, fixture)
    assert isinstance(route.steps[1], Transfer)


def test_the_command_line_and_its_json(tmp_path):
    res = run_cli("route", "Mombasa", "Kampala", "--by", "cost", "--json", "--network", str(EAST_AFRICA))
    assert res.returncode == 0, res.stderr
    doc = __import__("json").loads(res.stdout)
    totals = doc["routes"][0]["totals"]
    assert totals["time_h"] == pytest.approx(61.912, abs=5e-3)
    assert totals["cost_usd_per_t"] == pytest.approx(63.671, abs=5e-3)
    assert [t["from_layer"] for t in doc["routes"][0]["transfers"]] == ["rail1435"]
    table = run_cli("route", "Mombasa", "Kampala", "--network", str(EAST_AFRICA))
    assert "Malaba (KEN→UGA)" in table.stdout
    assert plan_text.duration(34.091) in table.stdout


def test_country_names_come_from_the_networks_outlines():
    loaded = loading.load(EAST_AFRICA, use_cache=False)
    plan = api.plan("Uganda", "Kenya", network=loaded)
    assert plan.endpoints[0].label == "Uganda"
    assert plan.routes[0].origin in {"kampala", "port_bell"}


def test_a_folder_without_outlines_borrows_none(tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(EAST_AFRICA, folder)
    (folder / "countries.geojson").unlink()
    net = io.read_network(folder)
    assert convert.countries_geojson(net) is None
    assert places.resolve(net, "KEN").kind == "country"
    outlines = convert.countries_geojson(io.read_network(EAST_AFRICA))
    assert [f["properties"]["iso3"] for f in outlines["features"]] == ["KEN", "UGA"]
