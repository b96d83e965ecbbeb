"""The fast path for plain features builds what the full checks build, and clears nothing they fault."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from corridors.geo import geojson, io, paths, plain, validate

DATA = Path(__file__).parent / "data"
NAMES = ("tiny", "region", "projects", "ranges", "eastafrica")
FOLDERS = [paths.builtin_folder(), *(DATA / n for n in NAMES)]


def _features(folder: Path):
    nodes_file, link_files, costs_file = paths.network_files(folder)
    costs = io.read_costs(costs_file)
    for f in [nodes_file, *link_files]:
        for index, feature in enumerate(json.loads(f.read_text())["features"]):
            yield str(f), index, feature, costs


def _full(feature, index, file, nodes, costs):
    found: list = []
    if validate.geometry_type(feature) == "Point":
        return validate.node_from_feature(feature, index, file, found), found
    return validate.link_from_feature(feature, index, file, nodes, costs, found), found


def _fast(feature, file, nodes, costs):
    if validate.geometry_type(feature) == "Point":
        return plain.plain_node(feature, file)
    return plain.plain_link(feature, file, nodes, costs)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_fast_path_builds_what_the_full_checks_build(folder):
    nodes = io.read_network(folder).nodes
    taken = 0
    for file, index, feature, costs in _features(folder):
        fast = _fast(feature, file, nodes, costs)
        full, found = _full(feature, index, file, nodes, costs)
        if fast is not None:
            taken += 1
            assert fast == full, (file, index)
            assert not found, (file, index, found)
    assert taken > 0


def _mutations(feature: dict):
    """Variants of a plain feature: odd types, spaces, bad values, moved ends, extra properties."""
    props = feature["properties"]
    odd = [None, "", " ", True, 0, -1, 1.5, 10**400, [], {}, ["x"], {"a": [[[]]]}]
    for key in [*props, "gauge_mm", "length_km", "oneway", "year", "sea", "aliases", "border", "note"]:
        for value in [*odd, f" {props.get(key)} ", str(props.get(key)).upper(), "rail", "port", "KAZ"]:
            out = copy.deepcopy(feature)
            out["properties"][key] = value
            yield out
    for coords in ([0, 0], [[0, 0]], [[1000, 0], [0, 0]], [["1", 2], [3, 4]], [[True, 1], [2, 3]]):
        out = copy.deepcopy(feature)
        out["geometry"]["coordinates"] = coords
        yield out
    out = copy.deepcopy(feature)
    out["geometry"] = {"type": "MultiLineString", "coordinates": [feature["geometry"]["coordinates"]]}
    yield out
    out = copy.deepcopy(feature)
    out["properties"] = []
    yield out


def test_fast_path_clears_nothing_the_full_checks_fault():
    folder = DATA / "tiny"
    nodes = io.read_network(folder).nodes
    for file, index, feature, costs in _features(folder):
        for variant in _mutations(feature):
            full, found = _full(variant, index, file, nodes, costs)
            fast = _fast(variant, file, nodes, costs)
            if found or full is None:
                assert fast is None, (variant, found)
            elif fast is not None:
                assert fast == full, variant


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_array_checks_of_large_files_clear_the_same_links(folder, monkeypatch):
    nodes = io.read_network(folder).nodes
    _, link_files, costs_file = paths.network_files(folder)
    costs = io.read_costs(costs_file)
    for f in link_files:
        features = json.loads(f.read_text())["features"]
        scalar = plain.plain_links(features, str(f), nodes, costs)
        monkeypatch.setattr(plain, "VECTOR_MIN", 0)
        arrays = plain.plain_links(features, str(f), nodes, costs)
        monkeypatch.undo()
        assert arrays == scalar


def test_array_checks_leave_every_faulty_link_to_the_full_checks(monkeypatch):
    monkeypatch.setattr(plain, "VECTOR_MIN", 0)
    folder = DATA / "tiny"
    nodes = io.read_network(folder).nodes
    for file, index, feature, costs in _features(folder):
        if validate.geometry_type(feature) == "Point":
            continue
        variants = list(_mutations(feature))
        for variant, fast in zip(variants, plain.plain_links(variants, file, nodes, costs), strict=True):
            full, found = _full(variant, index, file, nodes, costs)
            if found or full is None:
                assert fast is None, (variant, found)
            elif fast is not None:
                assert fast == full, variant


def _nested(depth: int):
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "member",
    [
        {"properties": {"note": _nested(9)}},
        {"properties": {"length_km": float("inf")}},
        {"properties": {"aliases": [1.0, float("nan")]}},
        {"geometry": {"type": "LineString", "coordinates": [[1, float("inf")], [2, 3]]}},
        {"geometry": {"type": "LineString", "coordinates": [[1, _nested(7)], [2, 3]]}},
        {"bbox": {"deep": _nested(8)}},
    ],
    ids=["deep property", "inf", "nan in list", "inf in coordinates", "deeper coordinates", "deep member"],
)
def test_shallow_check_clears_no_unfit_member(member):
    feature = {"type": "Feature", "properties": {"id": "x"}, "geometry": None, **member}
    assert not geojson._fits(feature)
    assert geojson._unfit_member(feature, "f.geojson", 0, [])


def test_shallow_check_clears_what_the_fast_path_takes():
    """Every feature that the fast path builds passes the shallow check: the two fast paths agree."""
    cleared = 0
    for folder in FOLDERS:
        nodes = io.read_network(folder).nodes
        for file, _, feature, costs in _features(folder):
            if _fast(feature, file, nodes, costs) is not None:
                assert geojson._fits(feature)
                cleared += 1
    assert cleared > 100
