"""Bad user files: each is turned away with its own message, never a traceback, nothing written.

Every case goes through the API (:func:`geo.authoring.check_files` against the hand-made region
network); a few go through the real command line too (``validate``, ``add``, ``route --with``).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from corridors.geo import authoring, io
from corridors.geo.errors import NetworkDataError
from tests.conftest import run_cli

REGION = Path(__file__).parent / "data" / "region"

#: A new place and a link from Kapa to Kazgate, both valid; the cases below break one thing each.
GOOD = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Newtown", "country": "KAZ", "kind": "city", "source": "s"},
            "geometry": {"type": "Point", "coordinates": [74.0, 44.0]},
        },
        {
            "type": "Feature",
            "properties": {"mode": "road", "status": "proposed", "corridor": "New Road", "source": "s"},
            "geometry": {"type": "LineString", "coordinates": [[76.0, 43.0], [78.0, 44.5], [80.0, 44.0]]},
        },
    ],
}


def errors_for(tmp_path: Path, content: bytes | dict) -> list:
    path = tmp_path / "user.geojson"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    check = authoring.check_files([path], folder=REGION)
    for problem in check.problems:
        assert str(problem).startswith(f"{path}: ")
    return check.errors


def test_the_good_file_is_good(tmp_path):
    assert errors_for(tmp_path, GOOD) == []


def edit(index: int, **changes) -> Callable[[dict], None]:
    """Set properties of feature ``index``."""

    def apply(fc: dict) -> None:
        fc["features"][index]["properties"].update(changes)

    return apply


def drop(index: int, key: str) -> Callable[[dict], None]:
    def apply(fc: dict) -> None:
        del fc["features"][index]["properties"][key]

    return apply


def geometry(index: int, value) -> Callable[[dict], None]:
    def apply(fc: dict) -> None:
        fc["features"][index]["geometry"] = value

    return apply


def coords(index: int, value) -> Callable[[dict], None]:
    def apply(fc: dict) -> None:
        fc["features"][index]["geometry"]["coordinates"] = value

    return apply


def nested(depth: int):
    value: object = "deep"
    for _ in range(depth):
        value = [value]
    return value


def duplicate_link(fc: dict) -> None:
    twin = copy.deepcopy(fc["features"][1])
    twin["geometry"]["coordinates"][1] = [78.0, 43.5]
    fc["features"][1]["properties"]["id"] = twin["properties"]["id"] = "new_road"
    fc["features"].append(twin)


# (case, change, feature index, property, what the message says)
FEATURE_CASES = [
    ("no geometry", geometry(1, None), 1, "geometry", "missing; expected a LineString"),
    (
        "polygon",
        geometry(1, {"type": "Polygon", "coordinates": [[[76, 43], [80, 44], [78, 40], [76, 43]]]}),
        1,
        "geometry",
        "type 'Polygon'; expected a LineString",
    ),
    (
        "multi-part line",
        geometry(1, {"type": "MultiLineString", "coordinates": [[[76, 43], [78, 44]], [[78, 44], [80, 44]]]}),
        1,
        "geometry",
        "MultiLineString of 2 parts",
    ),
    ("one position", coords(1, [[76.0, 43.0]]), 1, "geometry", "at least two positions"),
    ("no coordinates", coords(1, None), 1, "geometry", "at least two positions"),
    ("latitude out of range", coords(1, [[76, 43], [80, 95]]), 1, "geometry", "out of range"),
    ("longitude out of range", coords(0, [181.0, 44.0]), 0, "geometry", "out of range"),
    ("swapped lat/lon beyond 90", coords(0, [44.0, 120.0]), 0, "geometry", "latitude and longitude swapped?"),
    ("text coordinate", coords(1, [["76", 43], [80, 44]]), 1, "geometry", "coordinates must be numbers"),
    ("boolean coordinate", coords(0, [True, 44]), 0, "geometry", "coordinates must be numbers"),
    (
        "huge integer coordinate",
        coords(0, [10**400, 44]),
        0,
        "geometry",
        "coordinates must be finite numbers",
    ),
    (
        "projected coordinates",
        coords(1, [[8460000, 5310000], [8900000, 5460000]]),
        1,
        "geometry",
        "look projected (metres?)",
    ),
    (
        "unknown mode",
        edit(1, mode="hovercraft"),
        1,
        "mode",
        "got 'hovercraft'; expected one of road, rail, sea",
    ),
    ("mode with a capital", edit(1, mode="Rail"), 1, "mode", "did you mean 'rail'?"),
    ("missing mode", drop(1, "mode"), 1, "mode", "missing; expected one of road, rail, sea"),
    (
        "unknown status",
        edit(1, status="planned"),
        1,
        "status",
        "expected one of operational, under_construction, proposed, suspended (did you mean 'proposed'?)",
    ),
    ("missing status", drop(1, "status"), 1, "status", "missing; expected one of operational"),
    (
        "implausible gauge",
        edit(1, mode="rail", gauge_mm=3000),
        1,
        "gauge_mm",
        "3000 mm is not a railway gauge; expected 500-2000 mm",
    ),
    ("fractional gauge", edit(1, mode="rail", gauge_mm=1435.5), 1, "gauge_mm", "a whole number of mm"),
    ("negative gauge", edit(1, mode="rail", gauge_mm=-1000), 1, "gauge_mm", "is not a railway gauge"),
    ("gauge as text", edit(1, mode="rail", gauge_mm="1520"), 1, "gauge_mm", "did you mean 1520, a number?"),
    ("rail without gauge", edit(1, mode="rail"), 1, "gauge_mm", "missing; expected the track gauge in mm"),
    ("gauge on a road", edit(1, gauge_mm=1520), 1, "gauge_mm", "only rail links have a gauge"),
    ("zero length", edit(1, length_km=0), 1, "length_km", "must be greater than 0, got 0"),
    ("negative length", edit(1, length_km=-5), 1, "length_km", "must be greater than 0, got -5"),
    ("length as text", edit(1, length_km="700 km"), 1, "length_km", "expected a number, got '700 km'"),
    (
        "length shorter than the chord",
        edit(1, length_km=100),
        1,
        "length_km",
        "shorter than the 341.2 km great-circle",
    ),
    ("zero speed", edit(1, speed_kmh=0), 1, "speed_kmh", "must be greater than 0"),
    ("negative speed", edit(1, speed_kmh=-40), 1, "speed_kmh", "must be greater than 0"),
    ("speed as text", edit(1, speed_kmh="fast"), 1, "speed_kmh", "expected a number, got 'fast'"),
    ("supersonic speed", edit(1, speed_kmh=5000), 1, "speed_kmh", "is not a freight speed"),
    ("negative cost", edit(1, usd_per_t_km=-0.1), 1, "usd_per_t_km", "must be 0 or more"),
    ("months out of range", edit(1, open_months=[0, 13]), 1, "open_months", "months 1-12, got [0, 13]"),
    ("months as text", edit(1, open_months="summer"), 1, "open_months", "months 1-12, got 'summer'"),
    ("empty months", edit(1, open_months=[]), 1, "open_months", "non-empty list of months 1-12"),
    ("oneway as text", edit(1, oneway="yes"), 1, "oneway", "expected true or false, got 'yes'"),
    ("year as fraction", edit(1, year=2027.5), 1, "year", "expected an integer"),
    ("no source", drop(1, "source"), 1, "source", "missing; expected a non-empty string"),
    ("blank source", edit(1, source="  "), 1, "source", "expected a non-empty string"),
    ("no corridor and no name", drop(1, "corridor"), 1, "corridor", "expected the corridor or project"),
    ("id not a slug", edit(1, id="New Road!"), 1, "id", "expected a slug of a-z, 0-9"),
    ("id as a number", edit(1, id=7), 1, "id", "expected a non-empty string, got 7"),
    ("duplicate id in the file", duplicate_link, 2, "id", "duplicate id; already used in"),
    ("duplicate id of the network", edit(1, id="kapa_kx_road"), 1, "id", "already used in"),
    ("duplicate node id of the network", edit(0, id="kapa"), 0, "id", "already used in"),
    ("unknown node id", edit(1, **{"from": "nowhere"}), 1, "from", "unknown node id 'nowhere'"),
    ("node name for an id", edit(1, **{"from": "Kapa"}), 1, "from", "did you mean 'kapa', the id of Kapa?"),
    ("misspelt node id", edit(1, to="kxx"), 1, "to", "did you mean 'kx'?"),
    (
        "end far from its node",
        edit(1, **{"from": "kbeta", "to": "kx"}),
        1,
        "geometry",
        "first position is 1864.5 km from its 'from' node 'kbeta'",
    ),
    (
        "line drawn backwards",
        edit(1, **{"from": "kx", "to": "kapa"}),
        1,
        "geometry",
        "the line seems drawn from 'to' to 'from'",
    ),
    (
        "end near no node",
        coords(1, [[76, 43], [78, 44.5], [79, 40]]),
        1,
        "to",
        "not within 5 km of a node (nearest: 'chen'",
    ),
    ("self-loop", coords(1, [[76, 43], [77, 44], [76.01, 43.01]]), 1, "to", "a self-loop"),
    ("self-loop by ids", edit(1, **{"from": "kapa", "to": "kapa"}), 1, "to", "a self-loop"),
    ("two-letter country", edit(0, country="KZ"), 0, "country", "expected an ISO 3166-1 alpha-3 code"),
    ("made-up country", edit(0, country="XYZ"), 0, "country", "got 'XYZ'; expected an ISO 3166-1 alpha-3"),
    ("lower-case country", edit(0, country="kaz"), 0, "country", "did you mean 'KAZ'?"),
    (
        "crossing with bad countries",
        edit(0, kind="border_crossing", border={"countries": ["KAZ", "XX"]}),
        0,
        "border.countries",
        "expected two ISO 3166-1 alpha-3 codes",
    ),
    ("crossing without border", edit(0, kind="border_crossing"), 0, "border", "a border_crossing needs"),
    ("unknown kind", edit(0, kind="town"), 0, "kind", "got 'town'; expected one of city"),
    ("port without sea", edit(0, kind="port"), 0, "sea", "missing; expected the sea or lake the port is on"),
    ("node months out of range", edit(0, open_months=[4, 15]), 0, "open_months", "months 1-12"),
    (
        "node as a line",
        geometry(0, {"type": "LineString", "coordinates": [[74, 44], [75, 44]]}),
        0,
        "mode",
        "missing; expected one of road",
    ),
    (
        "properties missing",
        lambda fc: fc["features"][1].update(properties=None),
        1,
        "properties",
        "feature has no properties object",
    ),
    ("deeply nested property", edit(1, note=nested(20)), 1, "note", "nested more than 8 levels deep"),
    (
        "repeated place",
        lambda fc: fc["features"][0].update(
            properties={"name": "Kapa", "country": "KAZ", "kind": "city", "source": "s"},
            geometry={"type": "Point", "coordinates": [76.001, 43.0]},
        ),
        0,
        "geometry",
        "'Kapa' is already node 'kapa'",
    ),
]


@pytest.mark.parametrize(
    ("change", "index", "prop", "expected"), [c[1:] for c in FEATURE_CASES], ids=[c[0] for c in FEATURE_CASES]
)
def test_feature_problem(tmp_path, change, index, prop, expected):
    fc = copy.deepcopy(GOOD)
    change(fc)
    errors = errors_for(tmp_path, json.dumps(fc).encode())
    found = [p for p in errors if (p.index, p.prop) == (index, prop) and expected in p.message]
    assert found, "\n".join(map(str, errors))
    assert f"feature {index}" in str(found[0]) and f"property {prop!r}" in str(found[0])


def text(fc: dict) -> str:
    return json.dumps(fc, ensure_ascii=False, indent=1)


def with_crs(name: str) -> bytes:
    return json.dumps({**GOOD, "crs": {"type": "name", "properties": {"name": name}}}).encode()


def nan_at_coordinate() -> bytes:
    fc = copy.deepcopy(GOOD)
    fc["features"][1]["geometry"]["coordinates"][1][0] = float("nan")
    return json.dumps(fc).encode()


def infinity_in_property() -> bytes:
    fc = copy.deepcopy(GOOD)
    fc["features"][1]["properties"]["length_km"] = float("inf")
    return json.dumps(fc).encode()


def too_large_for_a_float() -> bytes:
    return json.dumps(GOOD).replace('"corridor"', '"length_km": 1e400, "corridor"').encode()


# (case, file content, what the message says, feature index and property where it names them)
FILE_CASES = [
    (
        "not JSON",
        b"mode,status\nroad,proposed\n",
        "not valid JSON: Expecting value at line 1 column 1",
        None,
        None,
    ),
    ("truncated", text(GOOD)[:300].encode(), "truncated: the JSON ends early", None, None),
    (
        "truncated in a string",
        text(GOOD)[: text(GOOD).index("Newtown") + 3].encode(),
        "truncated",
        None,
        None,
    ),
    ("empty", b"", "file is empty", None, None),
    ("blank", b" \n\t\n", "file is empty", None, None),
    ("UTF-16", text(GOOD).encode("utf-16"), "UTF-16 (or UTF-32) text; GeoJSON must be UTF-8", None, None),
    (
        "Latin-1",
        text(GOOD).replace("Newtown", "Névtown").encode("latin-1"),
        "not UTF-8 text: byte 0xE9 at line 7 column 15 (Latin-1 or Windows-1252?)",
        None,
        None,
    ),
    ("binary", b"\x00\x00\x27\x0a" + bytes(96), "binary data (a shapefile?)", None, None),
    ("zip", b"PK\x03\x04" + bytes(60), "a ZIP archive", None, None),
    ("KML", b'<?xml version="1.0"?><kml></kml>', "not JSON but XML or HTML (KML? GPX?)", None, None),
    (
        "GeoJSON lines",
        (json.dumps(GOOD["features"][0]) + "\n" + json.dumps(GOOD["features"][1])).encode(),
        "more than one JSON value",
        None,
        None,
    ),
    ("a JSON array", json.dumps(GOOD["features"]).encode(), "got a JSON array: wrap it as", None, None),
    ("a number", b"42", "got a JSON number", None, None),
    (
        "a single Feature",
        json.dumps(GOOD["features"][1]).encode(),
        "got a single Feature: wrap it",
        None,
        None,
    ),
    (
        "a bare geometry",
        json.dumps(GOOD["features"][1]["geometry"]).encode(),
        "bare LineString geometry",
        None,
        None,
    ),
    ("an object without type", b'{"features": []}', "an object without 'type'", None, None),
    (
        "features not a list",
        b'{"type": "FeatureCollection", "features": {}}',
        "'features' must be a list",
        None,
        None,
    ),
    (
        "features missing",
        b'{"type": "FeatureCollection"}',
        "'features' must be a list of Features; missing",
        None,
        None,
    ),
    ("no features", b'{"type": "FeatureCollection", "features": []}', "has no features", None, None),
    (
        "a feature without type",
        json.dumps({**GOOD, "features": [{"properties": {}, "geometry": None}]}).encode(),
        "expected a GeoJSON Feature, got {'properties': {}, 'geometry': None} (add \"type\": \"Feature\")"[
            :30
        ],
        0,
        None,
    ),
    ("projected CRS", with_crs("urn:ogc:def:crs:EPSG::3857"), "reproject the file to EPSG:4326", None, None),
    ("NaN coordinate", nan_at_coordinate(), "NaN is not valid JSON", 1, "geometry"),
    ("Infinity in a property", infinity_in_property(), "Infinity is not valid JSON", 1, "length_km"),
    ("a number too large for a float", too_large_for_a_float(), "inf is not a finite number", 1, "length_km"),
    ("deeply nested JSON", b"[" * 100_000 + b"]" * 100_000, "JSON nested too deeply", None, None),
    (
        "an integer of 5000 digits",
        b'{"type": "FeatureCollection", "features": [], "n": ' + b"7" * 5000 + b"}",
        "not valid JSON: Exceeds the limit",
        None,
        None,
    ),
    (
        "no geometry and no clue",
        json.dumps(
            {**GOOD, "features": [{"type": "Feature", "properties": {"x": 1}, "geometry": None}]}
        ).encode(),
        "missing; expected a LineString (a link) or a Point (a new node)",
        0,
        "geometry",
    ),
]


@pytest.mark.parametrize(
    ("content", "expected", "index", "prop"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES]
)
def test_file_problem(tmp_path, content, expected, index, prop):
    errors = errors_for(tmp_path, content)
    assert any(expected in p.message and (p.index, p.prop) == (index, prop) for p in errors), "\n".join(
        map(str, errors)
    )


def test_very_large_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.geojson"
    with path.open("wb") as fh:
        fh.truncate(io.MAX_USER_FILE_BYTES + 1)  # sparse: no disk used
    check = authoring.check_files([path], folder=REGION)
    (problem,) = check.errors
    assert (
        f"file is {io.MAX_USER_FILE_BYTES + 1:,} bytes; the limit is {io.MAX_USER_FILE_BYTES:,}"
        in problem.message
    )


def test_unreadable_paths_are_problems_not_crashes(tmp_path):
    missing, folder = authoring.check_files([tmp_path / "missing.geojson", tmp_path], folder=REGION).errors
    assert "cannot read file: No such file or directory" in missing.message
    assert "is a folder, not a regular file" in folder.message


def test_route_with_a_bad_file_fails_with_one_line(tmp_path):
    fc = copy.deepcopy(GOOD)
    fc["features"][1]["properties"]["mode"] = "hovercraft"
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(fc))
    with pytest.raises(NetworkDataError, match="property 'mode'"):
        io.read_network(REGION, extra=[path])
    res = run_cli("route", "Kapa", "Pport", "--network", str(REGION), "--with", str(path))
    assert res.returncode == 2
    (line,) = res.stderr.strip().splitlines()
    assert f"{path}: feature 1: property 'mode': got 'hovercraft'" in line
    assert "Traceback" not in res.stderr


CLI_CASES = ["not JSON", "UTF-16", "NaN coordinate"]
CLI_FEATURE_CASES = ["unknown mode", "end near no node", "two-letter country"]


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("case", CLI_CASES + CLI_FEATURE_CASES)
def test_cli_turns_bad_files_away_and_add_changes_nothing(tmp_path, case):
    if case in CLI_CASES:
        content, expected = next((c[1], c[2]) for c in FILE_CASES if c[0] == case)
    else:
        change, expected = next((c[1], c[4]) for c in FEATURE_CASES if c[0] == case)
        fc = copy.deepcopy(GOOD)
        change(fc)
        content = json.dumps(fc).encode()
    path = tmp_path / "user.geojson"
    path.write_bytes(content)
    res = run_cli("validate", str(path), "--network", str(REGION))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    problems = [ln for ln in res.stdout.splitlines() if ln.startswith(f"{path}: ") and "new node" not in ln]
    assert any(expected in ln for ln in problems), res.stdout
    net = authoring.init_network(tmp_path / "net", source=REGION)
    before = fingerprint(net)
    res = run_cli("add", str(path), "--network", str(net))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and "unchanged" in res.stderr
    assert fingerprint(net) == before
