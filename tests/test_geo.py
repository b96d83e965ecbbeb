"""geo: distances, reading network folders, resolved lengths."""

from __future__ import annotations

import json
import math

import pytest

from corridors.geo import geodesy, io
from corridors.geo.errors import NetworkDataError


def test_great_circle_one_degree_of_latitude():
    expected = geodesy.EARTH_RADIUS_KM * math.pi / 180
    assert geodesy.great_circle_km(10, 0, 10, 1) == pytest.approx(expected, rel=1e-9)


def test_great_circle_quarter_of_the_equator():
    assert geodesy.great_circle_km(0, 0, 90, 0) == pytest.approx(
        geodesy.EARTH_RADIUS_KM * math.pi / 2, rel=1e-9
    )


def test_line_length_sums_pieces():
    coords = [(0, 0), (0, 1), (1, 1)]
    expected = geodesy.great_circle_km(0, 0, 0, 1) + geodesy.great_circle_km(0, 1, 1, 1)
    assert geodesy.line_length_km(coords) == pytest.approx(expected)


def test_read_tiny_network(tiny_dir):
    net = io.read_network(tiny_dir)
    assert set(net.nodes) == {"a", "b", "x", "c"}
    assert len(net.links) == 7
    assert net.links["x_c_rail"].gauge_mm == 1435
    assert net.links["a_b_road"].length_km == 200
    assert not net.links["a_b_road"].length_estimated
    assert net.nodes["x"].border.hours == {"road": 10.0, "rail": 20.0}
    assert net.costs.line_haul["rail"].speed_kmh == 25


def test_missing_length_uses_geometry_times_circuity(tiny_copy):
    path = tiny_copy / "links" / "tiny.geojson"
    data = json.loads(path.read_text())
    feature = next(f for f in data["features"] if f["properties"]["id"] == "a_b_road")
    del feature["properties"]["length_km"]
    feature["properties"]["terrain"] = "mountain"
    path.write_text(json.dumps(data))
    link = io.read_network(tiny_copy).links["a_b_road"]
    chord = geodesy.great_circle_km(70, 45, 72, 45)
    assert link.length_estimated
    assert link.length_km == pytest.approx(chord * 1.5)  # road_mountain circuity of the fixture
    assert "circuity 1.5" in link.length_basis


def test_error_names_file_feature_and_property(tiny_copy):
    path = tiny_copy / "links" / "tiny.geojson"
    data = json.loads(path.read_text())
    data["features"][2]["properties"]["mode"] = "hovercraft"
    path.write_text(json.dumps(data))
    with pytest.raises(NetworkDataError) as err:
        io.read_network(tiny_copy)
    msg = str(err.value)
    assert "tiny.geojson" in msg
    assert "feature 2 (id 'b_x_road')" in msg
    assert "property 'mode'" in msg
    assert "hovercraft" in msg


def test_length_shorter_than_great_circle_is_rejected(tiny_copy):
    path = tiny_copy / "links" / "tiny.geojson"
    data = json.loads(path.read_text())
    data["features"][0]["properties"]["length_km"] = 100  # a-b are 157 km apart
    path.write_text(json.dumps(data))
    with pytest.raises(NetworkDataError, match=r"shorter than the 157\.2 km great-circle"):
        io.read_network(tiny_copy)


def test_cost_model_requires_sources(tiny_copy):
    path = tiny_copy / "costs.toml"
    path.write_text(path.read_text().replace('source = "test fixture: gauge change"', ""))
    with pytest.raises(NetworkDataError, match=r"\[transfer.gauge_change\] source"):
        io.read_network(tiny_copy)
