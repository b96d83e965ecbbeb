"""Property-based tests: random and mutated GeoJSON against the loader, the validator and add.

Whatever the input, the answer is an accepted file or a clean refusal (Problems, or a
CorridorError subclass), never another exception; and a file that is accepted merges into a
network folder that loads again with the same ids.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.geo import authoring, geodesy, io, model, validate
from corridors.geo.errors import NetworkDataError
from corridors.geo.validate import Problem

DATA = Path(__file__).parent / "data"
REGION = DATA / "region"
TINY = DATA / "tiny"

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: A valid user file for the region: a new place, a link drawn without ends or id, a railway
#: with explicit ends.
BASE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Newtown", "country": "KAZ", "kind": "city", "source": "s"},
            "geometry": {"type": "Point", "coordinates": [74.0, 44.0]},
        },
        {
            "type": "Feature",
            "properties": {"mode": "road", "status": "proposed", "name": "New Road", "source": "s"},
            "geometry": {"type": "LineString", "coordinates": [[76.01, 43.0], [75.0, 44.2], [74.0, 44.01]]},
        },
        {
            "type": "Feature",
            "properties": {
                "from": "kapa",
                "to": "kbeta",
                "mode": "rail",
                "status": "proposed",
                "corridor": "Steppe Railway",
                "gauge_mm": 1520,
                "length_km": 2600,
                "open_months": [1, 2, 3],
                "source": "s",
            },
            "geometry": {"type": "LineString", "coordinates": [[76.0, 43.0], [65.0, 44.0], [53.0, 43.0]]},
        },
    ],
}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.sampled_from([0, 1, 12, 13, 1435, 1520, 1676, -1, 10**400])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["road", "rail", "sea", "proposed", "kapa", "kx", "KAZ", "Point", "LineString", ""])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)
keys = st.sampled_from(sorted(validate.LINK_PROPERTIES | validate.NODE_PROPERTIES)) | st.text(max_size=8)


@st.composite
def mutated(draw, base: dict = BASE) -> object:
    """The base collection with one to four random changes anywhere in it."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(
            st.sampled_from(["set", "delete", "geometry", "coordinates", "position", "feature", "top", "raw"])
        )
        features = doc.get("features") if isinstance(doc, dict) else None
        if not isinstance(features, list) or not features:
            doc = draw(json_values) if action == "raw" else doc
            continue
        i = draw(st.integers(0, len(features) - 1))
        feature = features[i]
        props = feature.get("properties") if isinstance(feature, dict) else None
        geom = feature.get("geometry") if isinstance(feature, dict) else None
        if action == "set" and isinstance(props, dict):
            props[draw(keys)] = draw(json_values)
        elif action == "delete" and isinstance(props, dict) and props:
            del props[draw(st.sampled_from(sorted(props)))]
        elif action == "geometry" and isinstance(feature, dict):
            feature["geometry"] = draw(json_values)
        elif action == "coordinates" and isinstance(geom, dict):
            geom["coordinates"] = draw(json_values)
        elif action == "position" and isinstance(geom, dict) and isinstance(geom.get("coordinates"), list):
            positions = geom["coordinates"]
            if positions and isinstance(positions[0], list):
                j = draw(st.integers(0, len(positions) - 1))
                positions[j] = draw(json_values | st.lists(st.floats(allow_nan=True), max_size=3))
            elif positions:
                positions[0] = draw(scalars)
        elif action == "feature":
            features[i] = draw(
                json_values | st.just({"type": "Feature", "properties": None, "geometry": None})
            )
        elif action == "top":
            doc[draw(st.sampled_from(["type", "crs", "features", "bbox", "name"]))] = draw(json_values)
        elif action == "raw":
            doc = draw(json_values)
    return doc


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _write(folder: Path, doc: object) -> Path:
    path = folder / "user.geojson"
    path.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
    return path


@SETTINGS
@given(raw=st.binary(max_size=400) | st.sampled_from([b"", b"{", b"[" * 5000, b"\xff\xfe{", b'{"type": 1}']))
def test_loader_reads_any_bytes_or_says_why_not(workdir, raw):
    path = workdir / "raw.geojson"
    path.write_bytes(raw)
    problems: list[Problem] = []
    features = io.load_geojson(path, problems, max_bytes=io.MAX_USER_FILE_BYTES)
    assert features is not None or problems
    assert all(isinstance(p, Problem) and str(p).startswith(str(path)) for p in problems)


@SETTINGS
@given(doc=json_values)
def test_loader_reads_any_json_or_says_why_not(workdir, doc):
    problems: list[Problem] = []
    features = io.load_geojson(_write(workdir, doc), problems)
    assert (features is None) == bool(problems)


@SETTINGS
@given(doc=mutated())
def test_validator_accepts_or_refuses_mutated_files_cleanly(workdir, doc):
    path = _write(workdir, doc)
    check = authoring.check_files([path], folder=REGION)
    assert all(isinstance(p, Problem) and p.severity in ("error", "warning") for p in check.problems)
    for problem in check.problems:
        line = str(problem)
        assert line.startswith(f"{path}: ") and "\n" not in line
    try:
        network = io.read_network(REGION, extra=[path])
    except NetworkDataError as err:
        assert check.errors and str(err).startswith(str(check.errors[0]).split(":")[0])
    else:
        assert not check.errors
        added = {link.id for f in check.files for _, link in f.links}
        assert added <= network.links.keys()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(doc=mutated())
def test_accepted_files_merge_into_a_network_that_loads(tmp_path_factory, doc):
    folder = tmp_path_factory.mktemp("net")
    path = _write(folder, doc)
    net = authoring.init_network(folder / "net", source=REGION)
    merge = authoring.add([path], net)
    if merge.check.errors:
        assert not merge.committed
        return
    assert merge.committed
    network = io.read_network(net)
    for added in merge.check.files:
        for _, link in added.links:
            merged = network.links[link.id]
            assert (merged.from_id, merged.to_id, merged.mode) == (link.from_id, link.to_id, link.mode)
            assert merged.length_km == pytest.approx(link.length_km)
        for _, node in added.nodes:
            assert network.nodes[node.id].country == node.country
    shutil.rmtree(folder)


@SETTINGS
@given(doc=mutated(base=json.loads((TINY / "links" / "tiny.geojson").read_text())))
def test_network_loader_raises_only_network_data_errors(tmp_path_factory, doc):
    net = tmp_path_factory.mktemp("tiny")
    shutil.copytree(TINY, net, dirs_exist_ok=True)
    (net / "links" / "tiny.geojson").write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
    try:
        network = io.read_network(net)
    except NetworkDataError as err:
        assert err.problems and all(p.severity == "error" for p in err.problems)
    else:
        assert network.nodes.keys() == {"a", "b", "x", "c"}
    shutil.rmtree(net)


feature_texts = st.lists(
    st.dictionaries(st.sampled_from(["id", "name", "note"]), st.text(max_size=8), min_size=1).map(
        lambda props: json.dumps(
            {"type": "Feature", "properties": props, "geometry": None}, ensure_ascii=False
        )
    ),
    min_size=1,
    max_size=3,
)


@SETTINGS
@given(
    existing=st.lists(st.just({"type": "Feature", "properties": {"id": "a"}, "geometry": None}), max_size=3),
    extra_members=st.dictionaries(st.sampled_from(["name", "bbox", "crs"]), st.text(max_size=6), max_size=2),
    layout=st.sampled_from([None, 1, 2]),
    features_first=st.booleans(),
    bom=st.booleans(),
    lines=feature_texts,
)
def test_append_keeps_every_feature(existing, extra_members, layout, features_first, bom, lines):
    members = {"features": existing, "type": "FeatureCollection", **extra_members}
    if not features_first:
        members = {"type": "FeatureCollection", **extra_members, "features": existing}
    old = json.dumps(members, indent=layout, ensure_ascii=False).encode()
    old = (b"\xef\xbb\xbf" if bom else b"") + old
    new = authoring.append_features(old, lines)
    doc = json.loads(new.decode("utf-8-sig"))
    assert doc["features"] == existing + [json.loads(line) for line in lines]
    assert {k: v for k, v in doc.items() if k != "features"} == {
        k: v for k, v in members.items() if k != "features"
    }
    assert new.startswith(b"\xef\xbb\xbf") == bom


lon_lat = st.tuples(st.floats(-180, 180), st.floats(-90, 90))


@SETTINGS
@given(
    points=st.lists(
        lon_lat | st.sampled_from([(179.99, 10.0), (-179.99, 10.0), (0.0, 89.99), (90.0, 89.99)]), max_size=40
    ),
    query=lon_lat | st.sampled_from([(180.0, 10.0), (-180.0, 10.0), (45.0, 90.0), (0.0, -89.995)]),
    km=st.floats(0.01, 300),
)
def test_node_index_finds_what_a_full_scan_finds(points, query, km):
    nodes = [model.Node(f"n{i}", "N", lon, lat, "KAZ", "city", "s") for i, (lon, lat) in enumerate(points)]
    index = validate.NodeIndex(nodes)
    expected = sorted((geodesy.great_circle_km(*query, n.lon, n.lat), n.id) for n in nodes)
    assert [n.id for _, n in index.within(*query, km)] == [i for d, i in expected if d <= km]
    assert [n.id for _, n in index.nearest(*query, 3)] == [i for _, i in expected[:3]]
