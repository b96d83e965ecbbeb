"""Customs at the ports of a sea link between two countries, through the real command line.

The tiny network with three Caspian ports added: Aport and Cport (KAZ) and Bport (AZE), and a
``[port_customs]`` table: default 10 h, 4 $/t, Kazakhstan 20 h, 6 $/t. Sea 20 km/h, 0.01 $/t-km:

- Aport → Bport, 200 km: Kazakh customs 20 h, 6 $/t + 10 h, 2 $/t at sea + Azerbaijani customs
  (the default) 10 h, 4 $/t = 40 h, 12 $/t, two crossings KAZ → AZE.
- Aport → Cport, 100 km in one country: 5 h, 1 $/t and no customs.

The regime, with ``[port_customs.transit]`` 1 h (0.5–3 h), 0.5 $/t: the cargo clears where it
starts and ends and passes the ports between in transit. Bport (AZE) → Dport (TKM), sailing by
Aport (KAZ), 200 + 100 km at sea = 15 h, 3 $/t:

- clearance at Bport (export) 10 h, 4 $/t and at Dport (import, the default) 10 h, 4 $/t;
- transit at Aport on arrival and on departure, 1 h and 0.5 $/t each;
- total 15 + 10 + 10 + 2 = 37 h, 3 + 4 + 4 + 1 = 12 $/t; range 36–41 h (transit 0.5–3 h twice).
  Clearance at every port (no regime) would give 15 + 10 + 20 + 20 + 10 = 75 h.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import run_cli

PORTS = [
    ("pa", "Aport", "KAZ", 50.0),
    ("pb", "Bport", "AZE", 48.0),
    ("pc", "Cport", "KAZ", 51.0),
    ("pd", "Dport", "TKM", 49.2),
]
CUSTOMS = """
[port_customs]
hours = 10
usd_per_t = 4
source = "test fixture: port customs default"

[port_customs.country.KAZ]
hours = 20
usd_per_t = 6
source = "test fixture: Kazakh port customs"

[port_customs.transit]
hours = 1
hours_low = 0.5
hours_high = 3
usd_per_t = 0.5
source = "test fixture: transit declaration"
"""


@pytest.fixture
def caspian(tiny_copy):
    nodes = json.loads((tiny_copy / "nodes.geojson").read_text())
    for node_id, name, country, lon in PORTS:
        nodes["features"].append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, 42.0]},
                "properties": {
                    "id": node_id,
                    "name": name,
                    "country": country,
                    "kind": "port",
                    "sea": "Caspian Sea",
                    "source": "test fixture",
                },
            }
        )
    (tiny_copy / "nodes.geojson").write_text(json.dumps(nodes))
    links = [
        ("pa_pb", "pa", "pb", 50.0, 48.0, 200),
        ("pa_pc", "pa", "pc", 50.0, 51.0, 100),
        ("pa_pd", "pa", "pd", 50.0, 49.2, 100),
    ]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[a_lon, 42.0], [b_lon, 42.0]]},
            "properties": {
                "id": link_id,
                "from": a,
                "to": b,
                "mode": "sea",
                "status": "operational",
                "corridor": "Test Caspian",
                "source": "test fixture",
                "length_km": km,
            },
        }
        for link_id, a, b, a_lon, b_lon, km in links
    ]
    (tiny_copy / "links" / "caspian.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )
    costs = tiny_copy / "costs.toml"
    costs.write_text(costs.read_text() + CUSTOMS)
    return str(tiny_copy)


def route(network: str, *args: str) -> dict:
    res = run_cli("route", *args, "--json", "--network", network)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)["routes"][0]


@pytest.mark.parametrize(
    ("origin", "destination", "first", "second"),
    [("Aport", "Bport", ("pa", 20, 6), ("pb", 10, 4)), ("Bport", "Aport", ("pb", 10, 4), ("pa", 20, 6))],
)
def test_a_sea_link_between_two_countries_clears_customs_at_both_ports(
    caspian, origin, destination, first, second
):
    r = route(caspian, origin, destination)
    t = r["totals"]
    assert (t["distance_km"], t["time_h"], t["cost_usd_per_t"]) == (200, 40, 12)
    got = [(c["node"], c["time_h"], c["cost_usd_per_t"]) for c in r["border_crossings"]]
    assert got == [first, second]
    ways = {(c["from_country"], c["to_country"]) for c in r["border_crossings"]}
    assert ways == {("KAZ", "AZE")} if origin == "Aport" else {("AZE", "KAZ")}
    assert r["border_crossings"][0]["sources"]["hours"].startswith("test fixture")


def test_a_sea_link_within_one_country_has_no_customs(caspian):
    r = route(caspian, "Aport", "Cport")
    t = r["totals"]
    assert (t["distance_km"], t["time_h"], t["cost_usd_per_t"]) == (100, 5, 1)
    assert r["border_crossings"] == []


def test_explain_itemises_the_port_customs(caspian):
    res = run_cli("route", "Aport", "Bport", "--explain", "--network", caspian)
    assert "port   Aport customs: in KAZ, sea KAZ → AZE" in res.stdout
    assert "port   Bport customs: in AZE, sea KAZ → AZE" in res.stdout
    assert "border" not in res.stdout


def test_builtin_ferry_aktau_baku_pays_customs_at_both_ports():
    res = run_cli("route", "Aktau", "Baku", "--modes", "sea", "--json")
    r = json.loads(res.stdout)["routes"][0]
    assert [c["node"] for c in r["border_crossings"]] == ["aktau", "alat"]
    assert all(c["time_h"] > 0 and c["cost_usd_per_t"] > 0 for c in r["border_crossings"])


def test_cargo_passing_a_country_pays_transit_at_its_port_and_clears_where_it_starts_and_ends(caspian):
    r = route(caspian, "Bport", "Dport")
    t = r["totals"]
    assert (t["distance_km"], t["time_h"], t["cost_usd_per_t"]) == (300, 37, 12)
    assert (t["time_h_low"], t["time_h_high"]) == (36, 41)
    got = [(c["node"], c["time_h"], c["cost_usd_per_t"]) for c in r["border_crossings"]]
    assert got == [("pb", 10, 4), ("pa", 1, 0.5), ("pa", 1, 0.5), ("pd", 10, 4)]
    assert r["border_crossings"][1]["sources"]["hours"] == "test fixture: transit declaration"
    assert r["border_crossings"][0]["sources"]["hours"] == "test fixture: port customs default"


def test_transit_ports_match_the_hand_calculation(caspian):
    from corridors.routes import api, loading
    from tests.handcalc import Fixture, assert_priced_as_the_data_says

    plan = api.plan("Bport", "Dport", network=loading.load(caspian, use_cache=False))
    assert_priced_as_the_data_says(plan.routes[0], Fixture(caspian))
    assert Fixture(caspian).route(plan.routes[0]).hours == 37


def test_explain_names_a_transit_call(caspian):
    res = run_cli("route", "Bport", "Dport", "--explain", "--network", caspian)
    assert "port   Aport customs (transit): in KAZ, sea AZE → KAZ" in res.stdout
    assert "port   Aport customs (transit): in KAZ, sea KAZ → TKM" in res.stdout
    assert "port   Dport customs: in TKM, sea KAZ → TKM" in res.stdout


def test_the_array_form_prices_the_regime_as_the_graph_does(caspian):
    from corridors.routes import api, loading

    graph = api.plan("Bport", "Dport", network=loading.load(caspian, use_cache=False)).routes[0]
    arrays = api.plan(
        "Bport", "Dport", network=loading.load(caspian, use_cache=False, array_threshold=0)
    ).routes[0]
    assert (arrays.time_h, arrays.time_h_low, arrays.time_h_high) == (
        graph.time_h,
        graph.time_h_low,
        graph.time_h_high,
    )
    assert graph.time_h == 37


@pytest.mark.parametrize(("origin", "aktau_h"), [("Altynkol", 2), ("Almaty", 105)])
def test_builtin_rail_and_ferry_clears_at_aktau_only_for_kazakh_cargo(origin, aktau_h):
    """From the Chinese border (Altynkol) the cargo is in transit through Kazakhstan; from Almaty
    it is a Kazakh export. Either way it is imported at Alat (Azerbaijan, 115 h)."""
    res = run_cli("route", origin, "Alat", "--via", "Aktau", "--modes", "rail,sea", "--json")
    r = json.loads(res.stdout)["routes"][0]
    customs = [(c["node"], c["time_h"]) for c in r["border_crossings"] if c["mode"] == "sea"]
    assert customs == [("aktau", aktau_h), ("alat", 115)]


def test_transit_hours_out_of_order_are_a_one_line_error(caspian):
    from pathlib import Path

    costs = Path(caspian) / "costs.toml"
    costs.write_text(costs.read_text().replace("hours_low = 0.5", "hours_low = 2"))
    res = run_cli("route", "Bport", "Dport", "--network", caspian)
    assert res.returncode != 0
    assert "[port_customs.transit] expected hours_low <= hours <= hours_high" in res.stderr
    assert "Traceback" not in res.stderr


def test_cargo_going_on_beyond_the_destination_passes_its_port_in_transit(caspian):
    """Aport → Bport for cargo bound on to Georgia: Kazakh export 20 h, 6 $/t + 10 h, 2 $/t at
    sea + transit at Bport 1 h, 0.5 $/t = 31 h, 8.5 $/t (40 h, 12 $/t for cargo for Azerbaijan).
    Georgia borders Azerbaijan (:func:`_georgia_beside_azerbaijan`), so the cargo goes on by land:
    no ship is loaded at Bport (:mod:`routes.port_ends`)."""
    _georgia_beside_azerbaijan(caspian)
    r = route(caspian, "Aport", "Bport", "--cargo-to", "GEO")
    t = r["totals"]
    assert (t["time_h"], t["cost_usd_per_t"]) == (31, 8.5)
    assert [(c["node"], c["time_h"]) for c in r["border_crossings"]] == [("pa", 20), ("pb", 1)]


def _georgia_beside_azerbaijan(network: str) -> None:
    """Country outlines for the fixture: Azerbaijan and Georgia share a border (and vertices)."""
    from pathlib import Path

    def square(iso3: str, lon: float) -> dict:
        ring = [[lon, 41.0], [lon + 1, 41.0], [lon + 1, 43.0], [lon, 43.0], [lon, 41.0]]
        geometry = {"type": "Polygon", "coordinates": [ring]}
        return {"type": "Feature", "properties": {"iso3": iso3, "name": iso3}, "geometry": geometry}

    outlines = {"type": "FeatureCollection", "features": [square("AZE", 47.5), square("GEO", 46.5)]}
    (Path(network) / "countries.geojson").write_text(json.dumps(outlines))


def test_cargo_from_a_country_abroad_passes_the_first_port_in_transit(caspian):
    """Bport → Aport for cargo from Georgia (ISO3, any case), which borders Azerbaijan: transit
    at Bport 1 h + 10 h at sea + Kazakh import 20 h = 31 h. Cargo from Turkmenistan, which does
    not, came by ship: transit at Bport on its arrival too, 32 h (:mod:`routes.port_ends`)."""
    from corridors.routes import api, loading
    from tests.handcalc import Fixture

    _georgia_beside_azerbaijan(caspian)
    res = run_cli("route", "Bport", "Aport", "--cargo-from", "geo", "--json", "--network", caspian)
    doc = json.loads(res.stdout)
    assert doc["routes"][0]["totals"]["time_h"] == 31
    assert doc["query"]["cargo_countries"] == [["GEO"], ["KAZ"]]
    assert route(caspian, "Bport", "Aport", "--cargo-from", "TKM")["totals"]["time_h"] == 32
    plan = api.plan("Bport", "Aport", cargo_from="GEO", network=loading.load(caspian, use_cache=False))
    fixture = Fixture(caspian)
    assert fixture.route(plan.routes[0], cargo=(("GEO",), ("KAZ",))).hours == 31
    assert fixture.route(plan.routes[0]).hours == 40  # cargo from Azerbaijan clears at Bport


def test_an_unknown_cargo_country_is_a_one_line_error(caspian):
    res = run_cli("route", "Aport", "Bport", "--cargo-to", "Narnia", "--network", caspian)
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0
    assert "--cargo-to: 'Narnia' is neither a country of the network nor an ISO3 code" in res.stderr


def test_a_port_call_is_customs_in_one_country_not_a_border(caspian):
    """Aport (KAZ) → Bport (AZE) by sea crosses no land border: two customs steps, one in each
    port's country, in the table, JSON, CSV, GeoJSON and the map's tooltips."""
    table = run_cli("route", "Aport", "Bport", "--network", caspian).stdout
    row = next(line for line in table.splitlines() if line.startswith(" 1 "))
    assert row.split()[-2] == "0"  # the borders column
    assert "    ports Aport customs (KAZ), Bport customs (AZE)" in table
    assert "    borders " not in table  # no line of borders crossed
    r = route(caspian, "Aport", "Bport")
    assert [(c["kind"], c["country"]) for c in r["border_crossings"]] == [("port", "KAZ"), ("port", "AZE")]
    rows = list(
        csv.DictReader(
            io.StringIO(run_cli("route", "Aport", "Bport", "--csv", "-", "--network", caspian).stdout)
        )
    )
    assert (rows[0]["borders"], rows[0]["border_crossings"]) == ("0", "")
    assert rows[0]["port_calls"] == "Aport customs (KAZ); Bport customs (AZE)"
    doc = json.loads(run_cli("route", "Aport", "Bport", "--geojson", "-", "--network", caspian).stdout)
    stops = [f["properties"] for f in doc["features"] if f["geometry"]["type"] == "Point"]
    assert [(p["kind"], p["detail"]) for p in stops] == [
        ("port_call", "in KAZ, sea KAZ → AZE"),
        ("port_call", "in AZE, sea KAZ → AZE"),
    ]
    assert doc["routes"][0]["border_crossings"] == []
    assert doc["routes"][0]["port_calls"] == ["Aport customs (KAZ)", "Bport customs (AZE)"]
    from corridors.maps import features, labels

    shown = features.read_routes(doc)[0]
    assert "Port customs at Aport customs" in labels.stop_tooltip(shown, stops[0])
    assert "<b>Port customs:</b> Aport customs (KAZ), Bport customs (AZE)" in labels.itinerary(shown)
    assert "Border crossing" not in labels.itinerary(shown)
