"""A route that starts or ends at a port with its cargo on a ship pays the port call there.

The Caspian fixture of :mod:`tests.test_sea_customs_cli` (Aport and Cport in Kazakhstan, Bport in
Azerbaijan, Dport in Turkmenistan, sea links Aport–Bport, Aport–Cport, Aport–Dport) with a road
of 100 km from Aport to Inland (KAZ). Worked by hand from the fixture's ``costs.toml``:

- Aport → Inland, cargo from Azerbaijan (``--cargo-from AZE``): the ship is discharged at
  Aport and the cargo imported there: Kazakh clearance 20 h, 6 $/t, then the port transfer
  sea → road (``[transfer.port]`` 24 h, 5 $/t), then the road: 44 h and 11 $/t more than
  the road alone.
- Same with the cargo going on to Uzbekistan (``--cargo-to UZB``): it passes Kazakhstan in
  transit: the transit declaration 1 h, 0.5 $/t in place of clearance: 25 h, 5.5 $/t more.
- Inland → Aport, cargo to Azerbaijan (``--cargo-to AZE``): transfer road → sea, then Kazakh
  export clearance: 44 h, 11 $/t more.
- No cargo country given, the cargo's country the port's own, or a land neighbour of it (China,
  across the fixture's crossing x): the road alone.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_sea_customs_cli import caspian  # noqa: F401  (the fixture)

ROAD_KM = 100
SEED_COSTS = Path(__file__).resolve().parent.parent / "seeds" / "costs.toml"


@pytest.fixture
def inland(caspian):  # noqa: F811
    net = Path(caspian)
    nodes = json.loads((net / "nodes.geojson").read_text())
    nodes["features"].append(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [50.0, 42.8]},
            "properties": {
                "id": "inl",
                "name": "Inland",
                "country": "KAZ",
                "kind": "city",
                "source": "test fixture",
            },
        }
    )
    (net / "nodes.geojson").write_text(json.dumps(nodes))
    road = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[50.0, 42.0], [50.0, 42.8]]},
        "properties": {
            "id": "pa_inl",
            "from": "pa",
            "to": "inl",
            "mode": "road",
            "status": "operational",
            "corridor": "Test port road",
            "source": "test fixture",
            "length_km": ROAD_KM,
        },
    }
    (net / "links" / "port_road.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [road]})
    )
    return str(net)


def _costs(network: str) -> dict:
    return tomllib.loads((Path(network) / "costs.toml").read_text())


def _route(network: str, *args: str) -> dict:
    res = run_cli("route", *args, "--json", "--network", network)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)["routes"][0]


def _totals(r: dict) -> tuple[float, float]:
    return r["totals"]["time_h"], r["totals"]["cost_usd_per_t"]


def _call(network: str, transit: bool) -> tuple[float, float]:
    """Hours and $/t of the port call at Aport (KAZ) by the fixture's files."""
    c = _costs(network)
    port = c["transfer"]["port"]
    customs = c["port_customs"]["transit"] if transit else c["port_customs"]["country"]["KAZ"]
    return port["hours"] + customs["hours"], port["usd_per_t"] + customs["usd_per_t"]


@pytest.mark.parametrize(
    ("args", "transit"),
    [
        (("Aport", "Inland", "--cargo-from", "AZE"), False),
        (("Aport", "Inland", "--cargo-from", "AZE", "--cargo-to", "UZB"), True),
        (("Inland", "Aport", "--cargo-to", "AZE"), False),
    ],
)
def test_a_port_end_with_the_cargo_at_sea_pays_the_transfer_and_the_customs_of_its_regime(
    inland, args, transit
):
    road_h, road_usd = _totals(_route(inland, args[0], args[1]))
    hours, usd = _call(inland, transit)
    assert hours == (25 if transit else 44) and usd == (5.5 if transit else 11)  # the hand calculation
    r = _route(inland, *args)
    time_h, cost = _totals(r)
    assert time_h == pytest.approx(road_h + hours)
    assert cost == pytest.approx(road_usd + usd)
    assert r["totals"]["distance_km"] == ROAD_KM
    assert [c["node"] for c in r["border_crossings"]] == ["pa"]


@pytest.mark.parametrize(
    "args",
    [
        ("Aport", "Inland"),
        ("Aport", "Inland", "--cargo-from", "KAZ"),
        ("Inland", "Aport", "--cargo-to", "KAZ"),
        ("Aport", "Inland", "--cargo-from", "CHN"),
    ],
)
def test_cargo_of_the_ports_country_or_a_land_neighbour_or_none_given_pays_no_port_call(inland, args):
    r = _route(inland, *args)
    assert r["border_crossings"] == []
    assert r["totals"]["distance_km"] == ROAD_KM
    assert r["totals"]["time_h"] < 24  # no port transfer (24 h)


def test_explain_shows_the_port_call_at_the_start(inland):
    res = run_cli("route", "Aport", "Inland", "--cargo-from", "AZE", "--explain", "--network", inland)
    assert res.returncode == 0, res.stderr
    lines = [line.strip() for line in res.stdout.splitlines()]
    customs = lines.index("port   Aport customs: in KAZ, sea AZE → KAZ")
    assert lines[customs + 2] == "change Aport: sea → road (port)"


def test_builtin_indian_cargo_at_chabahar_pays_transit_and_the_port_transfer():
    """Chabahar → Zaranj by road, cargo landed from a ship from India (beyond the network, no
    land border with Iran): the transit declaration and the port transfer of ``seeds/costs.toml``
    come first, and nothing else moves."""
    from corridors.routes import api, loading
    from corridors.routes.route import Crossing, Transfer

    c = tomllib.loads(SEED_COSTS.read_text())
    call_h = c["port_customs"]["transit"]["hours"] + c["transfer"]["port"]["hours"]
    loaded = loading.load()
    plain = api.plan("Chabahar", "Zaranj", modes=["road"], network=loaded).routes[0]
    landed = api.plan("Chabahar", "Zaranj", modes=["road"], cargo_from="IND", network=loaded).routes[0]
    first, second = landed.steps[:2]
    assert (
        isinstance(first, Crossing) and first.countries == ("IND", "IRN") and first.name.endswith("(transit)")
    )
    assert isinstance(second, Transfer) and (second.from_layer, second.to_layer) == ("sea", "road")
    assert landed.time_h == pytest.approx(plain.time_h + call_h)
    assert landed.distance_km == plain.distance_km


def test_builtin_cargo_landed_at_karachi_starts_at_the_terminal_with_a_sea_link():
    """Karachi names the port and Port Qasim, which has no sea link in the network: cargo landed
    from the Emirates starts at the port, cleared for import there (Pakistan, cargo ends there)."""
    from corridors.routes import api, loading
    from corridors.routes.route import Crossing

    loaded = loading.load()
    assert api.plan("Karachi", "Quetta", network=loaded).routes[0].origin == "port_qasim"
    r = api.plan("Karachi", "Quetta", cargo_from="ARE", network=loaded).routes[0]
    assert r.origin == "karachi"
    c = tomllib.loads(SEED_COSTS.read_text())["port_customs"]["country"]["PAK"]
    assert isinstance(r.steps[0], Crossing) and r.steps[0].values["time_h"] == c["hours"]


@pytest.mark.parametrize(
    ("args", "transit"),
    [(("--cargo-from", "sea"), False), (("--cargo-from", "SEA", "--cargo-to", "UZB"), True)],
)
def test_cargo_from_sea_is_landed_from_a_ship_whichever_country_it_came_from(inland, args, transit):
    """``sea`` stands for a ship from any country overseas: the same call as from Azerbaijan."""
    road_h, road_usd = _totals(_route(inland, "Aport", "Inland"))
    hours, usd = _call(inland, transit)
    r = _route(inland, "Aport", "Inland", *args)
    assert _totals(r) == (pytest.approx(road_h + hours), pytest.approx(road_usd + usd))
    assert [c["node"] for c in r["border_crossings"]] == ["pa"]


def test_cargo_to_sea_goes_on_by_ship_from_the_destination_port(inland):
    road_h, road_usd = _totals(_route(inland, "Inland", "Aport"))
    hours, usd = _call(inland, False)  # cargo of Kazakhstan leaving it: export clearance
    r = _route(inland, "Inland", "Aport", "--cargo-to", "sea")
    assert _totals(r) == (pytest.approx(road_h + hours), pytest.approx(road_usd + usd))


def test_explain_names_cargo_by_sea_overseas(inland):
    res = run_cli("route", "Aport", "Inland", "--cargo-from", "sea", "--explain", "--network", inland)
    assert res.returncode == 0, res.stderr
    lines = [line.strip() for line in res.stdout.splitlines()]
    assert "port   Aport customs: in KAZ, sea overseas → KAZ" in lines
    assert lines[1].endswith("countries overseas → KAZ")


def test_builtin_chinese_cargo_by_ship_at_karachi_pays_the_port_call_that_cargo_by_land_does_not():
    """China borders Pakistan (Khunjerab), so ``--cargo-from CHN`` at Karachi came by land and
    pays nothing there; ``--cargo-from sea`` is the ship: the transit declaration for Afghanistan
    and the port transfer of ``seeds/costs.toml`` come first."""
    from corridors.routes import api, loading
    from corridors.routes.route import Crossing, Transfer

    c = tomllib.loads(SEED_COSTS.read_text())
    loaded = loading.load()
    query = dict(modes=["road"], reopen=["Torkham"], network=loaded)
    by_land = api.plan("Karachi", "Kabul", cargo_from="CHN", **query).routes[0]
    assert not isinstance(by_land.steps[0], Crossing | Transfer)
    by_sea = api.plan("Karachi", "Kabul", cargo_from="sea", **query).routes[0]
    first, second = by_sea.steps[:2]
    assert isinstance(first, Crossing) and first.name.endswith("(transit)")
    assert first.values["time_h"] == c["port_customs"]["transit"]["hours"]
    assert isinstance(second, Transfer) and second.values["time_h"] == c["transfer"]["port"]["hours"]
    assert by_sea.countries[0] == "sea"


def test_notes_say_the_cargo_is_landed_from_a_ship_or_goes_on_by_ship():
    from corridors.routes import pricing

    assert pricing.cargo_said("starts", "KAZ") == "starts in KAZ"
    assert pricing.cargo_said("starts", pricing.BY_SEA) == "is landed from a ship"
    assert pricing.cargo_said("ends", pricing.BY_SEA) == "goes on by ship"
    res = run_cli("rank", "--from", "Karachi", "--to", "Kabul", "--cargo-from", "sea")
    assert res.returncode == 0, res.stderr
    assert "the cargo is landed from a ship (customs at ports priced for it)." in res.stdout
