"""Customs at the ports of a sea link between two countries, through the real command line.

The tiny network with three Caspian ports added: Aport and Cport (KAZ) and Bport (AZE), and a
``[port_customs]`` table: default 10 h, 4 $/t, Kazakhstan 20 h, 6 $/t. Sea 20 km/h, 0.01 $/t-km:

- Aport → Bport, 200 km: Kazakh customs 20 h, 6 $/t + 10 h, 2 $/t at sea + Azerbaijani customs
  (the default) 10 h, 4 $/t = 40 h, 12 $/t, two crossings KAZ → AZE.
- Aport → Cport, 100 km in one country: 5 h, 1 $/t and no customs.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

PORTS = [("pa", "Aport", "KAZ", 50.0), ("pb", "Bport", "AZE", 48.0), ("pc", "Cport", "KAZ", 51.0)]
CUSTOMS = """
[port_customs]
hours = 10
usd_per_t = 4
source = "test fixture: port customs default"

[port_customs.country.KAZ]
hours = 20
usd_per_t = 6
source = "test fixture: Kazakh port customs"
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
    links = [("pa_pb", "pa", "pb", 50.0, 48.0, 200), ("pa_pc", "pa", "pc", 50.0, 51.0, 100)]
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
    assert "border Aport customs: KAZ → AZE, sea" in res.stdout
    assert "border Bport customs: KAZ → AZE, sea" in res.stdout


def test_builtin_ferry_aktau_baku_pays_customs_at_both_ports():
    res = run_cli("route", "Aktau", "Baku", "--json")
    r = json.loads(res.stdout)["routes"][0]
    assert [c["node"] for c in r["border_crossings"]] == ["aktau", "alat"]
    assert all(c["time_h"] > 0 and c["cost_usd_per_t"] > 0 for c in r["border_crossings"])
