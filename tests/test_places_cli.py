"""Places as users mean them, and crossings that always pay, through the real command line.

tests/data/places: Termo and Termiz (UZB), the Bridgegate crossing (AFG side; its Uzbek side
"Bridge North" is ``part_of`` it: road 10 h, 5 $/t, rail 4 h, 2 $/t), the Ferrygate crossing
(road 20 h, 8 $/t), Mazra (AFG) and its rail station (``part_of`` Mazra). Road 50 km/h,
0.1 $/t-km; rail 25 km/h, 0.05 $/t-km. Worked by hand:

- Termo → Mazra by rail: 25 + 15 + 60 km to the station = 100 km, 4 h, 5 $/t, + Bridgegate
  rail 4 h, 2 $/t = 8 h, 7 $/t.
- Termo → Termiz via Bridgegate by road: 25 + 15 + 60 + 110 + 35 = 245 km, 4.9 h, 24.5 $/t,
  + Bridgegate 10 h, 5 $/t + Ferrygate 20 h, 8 $/t = 34.9 h, 37.5 $/t.
- Bridgegate → Mazra by road: 60 km, 1.2 h, 6 $/t + the crossing 10 h, 5 $/t = 11.2 h, 11 $/t.
- Termo → Bridgegate by road: 40 km, 0.8 h, 4 $/t + the crossing = 10.8 h, 9 $/t.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import DATA, run_cli

PLACES = str(DATA / "places")


def route(*args: str, network: str | None = PLACES) -> dict:
    extra = ["--network", network] if network else []
    res = run_cli("route", *args, "--json", *extra)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)["routes"][0]


def figures(r: dict) -> tuple:
    t = r["totals"]
    return (t["distance_km"], t["time_h"], t["cost_usd_per_t"])


def crossings(r: dict) -> list[tuple]:
    return [(c["node"], c["from_country"], c["to_country"]) for c in r["border_crossings"]]


@pytest.mark.parametrize("city", ["Mazra", "MAZRA"])
def test_a_city_answers_for_its_station(city):
    r = route("Termo", city, "--modes", "rail")
    assert figures(r) == (100, 8, 7)
    assert r["destination"] == "mzs"


def test_a_node_id_is_that_node_alone():
    res = run_cli("route", "Termo", "mzs", "--modes", "road", "--network", PLACES)
    assert res.returncode == 1, res.stdout
    res = run_cli("route", "Termo", "mz", "--modes", "rail", "--network", PLACES)
    assert res.returncode == 1, res.stdout


@pytest.mark.parametrize("via", ["Bridgegate", "Bridge North", "g"])
def test_via_a_crossing_goes_over_it_once_and_pays(via):
    r = route("Termo", "Termiz", "--via", via, "--modes", "road")
    assert figures(r) == (245, 34.9, 37.5)
    assert crossings(r) == [("g", "UZB", "AFG"), ("f", "AFG", "UZB")]
    assert [c["time_h"] for c in r["border_crossings"]] == [10, 20]


def test_a_crossing_as_endpoint_pays_its_dwell():
    start = route("Bridgegate", "Mazra", "--modes", "road")
    assert figures(start) == (60, 11.2, 11)
    assert crossings(start) == [("g", "UZB", "AFG")]
    end = route("Termo", "Bridgegate", "--modes", "road")
    assert figures(end) == (40, 10.8, 9)
    assert crossings(end) == [("g", "UZB", "AFG")]


def test_a_route_that_turns_back_before_a_crossing_pays_nothing():
    r = route("Termo", "Termiz", "--modes", "road")
    assert figures(r) == (100, 2, 10) and r["border_crossings"] == []


def test_builtin_via_torkham_pays_as_a_route_through_it():
    from corridors.geo import io

    others = [
        n.id
        for n in io.read_network().nodes.values()
        if n.is_crossing and set(n.border.countries) == {"AFG", "PAK"} and n.id != "torkham"
    ]
    avoid = ",".join(["CHN", "IRN", *others])
    through = route("Almaty", "Karachi", "--reopen", "all", "--avoid", avoid, network=None)
    assert "torkham" in [c["node"] for c in through["border_crossings"]]
    # The other Afghan-Pakistani crossings open: "via Torkham" still crosses that border once, there.
    via = route(
        "Almaty", "Karachi", "--reopen", "all", "--via", "Torkham", "--avoid", "CHN,IRN", network=None
    )
    assert figures(via) == figures(through)
    assert [
        c["node"] for c in via["border_crossings"] if {c["from_country"], c["to_country"]} == {"AFG", "PAK"}
    ] == ["torkham"]
    torkham = [c for r in (via, through) for c in r["border_crossings"] if c["node"] == "torkham"]
    assert torkham[0] == torkham[1] and torkham[0]["time_h"] > 0
    assert (torkham[0]["from_country"], torkham[0]["to_country"]) == ("AFG", "PAK")


@pytest.mark.parametrize("via", ["Taftan", "Mirjaveh"])
def test_builtin_via_taftan_takes_the_iran_route(via):
    r = route("Almaty", "Karachi", "--via", via, network=None)
    assert [c["node"] for c in r["border_crossings"]].count("koh_i_taftan") == 1
    assert ("koh_i_taftan", "IRN", "PAK") in crossings(r)
    assert "IRN" in r["countries"]


def write(tmp_path, features) -> str:
    path = tmp_path / "draft.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(path)


def point(name, lon, lat, **props):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"name": name, "country": "AFG", "kind": "dry_port", "source": "s", **props},
    }


def test_validate_checks_part_of(tmp_path):
    draft = write(
        tmp_path,
        [
            point("Mazra depot", 67.05, 36.65, part_of="mz"),
            point("Far depot", 69.0, 35.0, part_of="mz"),
            point("Lost depot", 67.2, 36.6, part_of="nowhere"),
            point("Nested depot", 67.15, 36.75, part_of="mzs"),
        ],
    )
    res = run_cli("validate", "-q", draft, "--network", PLACES)
    assert res.returncode == 2
    lines = res.stdout.splitlines()
    assert len(lines) == 3, lines
    # 1.7° of latitude (189 km) and 2° of longitude at 35.85° N (180 km): 261 km.
    assert lines[0] == (
        f"{draft}: feature 1 (id 'far_depot'): property 'part_of': warning: 261.2 km from 'mz' "
        "(Mazra), over 50 km: the wrong place?"
    )
    assert lines[1] == (
        f"{draft}: feature 2 (id 'lost_depot'): property 'part_of': unknown node id 'nowhere'; "
        "expected the id of the place it belongs to"
    )
    assert lines[2] == (
        f"{draft}: feature 3 (id 'nested_depot'): property 'part_of': 'mzs' is itself part of 'mz': "
        "give 'mz' (one level only)"
    )


def test_builtin_parts_name_near_places():
    from corridors.geo import io, parts

    network = io.read_network()
    problems: list = []
    parts.check_parts(network.nodes, problems)
    assert problems == []
    sides = {n.id: n.part_of for n in network.nodes.values() if n.part_of}
    assert sides["mirjaveh"] == "koh_i_taftan"


def test_builtin_termez_to_mazar_by_rail_reaches_its_rail_terminal():
    r = route("Termez", "Mazar-i-Sharif", "--modes", "rail", network=None)
    assert r["destination"] == "mazar_rail"
    assert r["modes"] == ["rail"]
