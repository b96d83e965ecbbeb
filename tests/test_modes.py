"""The mode registry and the region as data: layers, gauges, transfers, borders and seas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridors.geo import io, modes
from corridors.geo.errors import NetworkDataError
from corridors.routes import api, costs, loading
from tests.conftest import run_cli


def test_layers_carry_the_gauge_of_gauged_modes_only():
    assert modes.layer("rail", 1000) == "rail1000"
    assert modes.layer("road") == "road"
    assert modes.mode_of("rail1000") == "rail"
    assert modes.mode_of("sea") == "sea"
    assert modes.mode_of("*") is None
    assert modes.mode_of("road12") is None  # road has no gauges
    assert modes.gauge_of("rail1676") == 1676
    assert modes.gauge_of("road") is None
    assert modes.layer_label("rail1000") == "rail 1000 mm"


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("rail1000", "rail1435", "gauge_change"),
        ("road", "rail1000", "road_rail"),
        ("rail1520", "road", "road_rail"),
        ("road", "sea", "port"),
        ("sea", "rail1676", "port"),
    ],
)
def test_transfer_kinds_come_from_the_modes(a, b, kind):
    assert modes.transfer_kind(a, b) == kind
    assert costs.transfer_kind(a, b) == kind


def test_a_mode_names_a_known_transfer_and_lookups_list_the_modes():
    with pytest.raises(ValueError, match="`transfer`"):
        modes.Mode("air", "Air", transfer="airport")
    with pytest.raises(KeyError, match="expected road, rail or sea"):
        modes.get("hovercraft")
    assert modes.BORDER_MODES == ("road", "rail")
    assert set(modes.transfer_kinds()) == {"gauge_change", "road_rail", "port"}


@pytest.mark.parametrize("gauge", [600, 1000, 1067, 1435, 1520, 1668, 1676])
def test_any_plausible_gauge_is_accepted(gauge):
    assert modes.gauge_problem(gauge) is None


@pytest.mark.parametrize(
    ("gauge", "message"),
    [
        (0, "not a railway gauge"),
        (-1435, "not a railway gauge"),
        (3000, "3000 mm is not a railway gauge; expected 500-2000 mm"),
        (1435.5, "whole number"),
        ("1435", "got '1435'"),
        (True, "got True"),
        (float("nan"), "got nan"),
    ],
)
def test_implausible_gauges_are_refused_clearly(gauge, message):
    assert message in modes.gauge_problem(gauge)


def test_a_border_mode_without_its_defaults_is_named(tiny_copy):
    path = tiny_copy / "costs.toml"
    text = path.read_text()
    start = text.index("[border.rail]")
    end = text.index("\n[", start + 1)
    path.write_text(text[:start] + text[end + 1 :])
    with pytest.raises(NetworkDataError, match=r"\[border.rail\] missing"):
        io.read_costs(path)


def test_sea_crosses_borders_free(tiny):
    node = next(n for n in tiny.network.nodes.values() if n.is_crossing)
    priced = costs.price_border(node, "sea", tiny.network.costs)
    assert (priced.time_h, priced.cost_usd_per_t) == (0.0, 0.0)


POTI = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {
                "id": "red_bridge",
                "name": "Red Bridge",
                "country": "AZE",
                "kind": "border_crossing",
                "border": {"countries": ["AZE", "GEO"]},
                "source": "test: Red Bridge (Qirmizi Korpu) AZE-GEO road crossing, approximate",
            },
            "geometry": {"type": "Point", "coordinates": [45.07, 41.33]},
        },
        {
            "type": "Feature",
            "properties": {
                "id": "poti",
                "name": "Poti",
                "country": "GEO",
                "kind": "port",
                "sea": "Black Sea",
                "source": "test: Port of Poti, approximate",
            },
            "geometry": {"type": "Point", "coordinates": [41.65, 42.15]},
        },
        {
            "type": "Feature",
            "properties": {
                "from": "alat",
                "to": "red_bridge",
                "mode": "road",
                "status": "operational",
                "corridor": "Baku–Tbilisi road",
                "source": "test",
            },
            "geometry": {"type": "LineString", "coordinates": [[49.41, 39.94], [47.0, 40.6], [45.07, 41.33]]},
        },
        {
            "type": "Feature",
            "properties": {
                "from": "red_bridge",
                "to": "poti",
                "mode": "road",
                "status": "operational",
                "corridor": "Tbilisi–Poti road",
                "source": "test",
            },
            "geometry": {"type": "LineString", "coordinates": [[45.07, 41.33], [44.8, 41.7], [41.65, 42.15]]},
        },
    ],
}


def _poti_file(tmp_path: Path, sea: str = "Black Sea") -> Path:
    data = json.loads(json.dumps(POTI))
    data["features"][1]["properties"]["sea"] = sea
    path = tmp_path / "poti.geojson"
    path.write_text(json.dumps(data))
    return path


def test_a_port_on_a_new_sea_is_a_warning_and_the_sea_an_endpoint(tmp_path):
    path = _poti_file(tmp_path)
    problems: list = []
    loaded = loading.load(extra=[path], problems=problems, use_cache=False)
    warnings = [p for p in problems if p.prop == "sea"]
    assert len(warnings) == 1 and warnings[0].severity == "warning"
    assert "'Black Sea' is a new sea" in warnings[0].message
    route = api.plan("Baku", "Black Sea", network=loaded).routes[0]
    assert route.destination == "poti"
    assert [c.name for c in route.crossings] == ["Red Bridge"]


def test_a_near_miss_of_a_known_sea_suggests_it(tmp_path):
    path = _poti_file(tmp_path, sea="Caspian sea")
    res = run_cli("validate", str(path))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "did you mean 'Caspian Sea'?" in res.stdout
    strict = run_cli("validate", "--strict", str(path))
    assert strict.returncode == 2


def test_a_new_mode_needs_its_own_cost_sections(tiny_copy, monkeypatch):
    """A river mode is a table entry; the cost model then asks for its figures instead of
    pricing barges as road or rail."""
    river = modes.Mode("river", "River", transfer="port", crosses_borders=False)
    monkeypatch.setattr(modes, "MODES", (*modes.MODES, river))
    monkeypatch.setattr(modes, "NAMES", (*modes.NAMES, "river"))
    monkeypatch.setattr(modes, "_BY_NAME", {**modes._BY_NAME, "river": river})
    path = tiny_copy / "costs.toml"
    with pytest.raises(NetworkDataError, match=r"\[line_haul.river\] missing"):
        io.read_costs(path)
    text = path.read_text().replace("[circuity]\n", "[circuity]\nriver = 1.2\n")
    text += '\n[line_haul.river]\nspeed_kmh = 12\nusd_per_t_km = 0.02\nsource = "test: barge"\n'
    path.write_text(text)
    costs_ = io.read_costs(path)
    assert costs_.line_haul["river"].speed_kmh == 12
    assert modes.transfer_kind("river", "road") == "port"
    assert modes.transfer_kind("river", "sea") == "port"
