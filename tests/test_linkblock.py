"""Links read column-wise (geo.linkblock, geo.linkstore): the same links, columns and problems as
read feature by feature."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from corridors.geo import columns, geojson, io, linkblock, linkstore, model, paths, plain, validate
from corridors.geo.errors import NetworkDataError
from tests.test_plain import _mutations

DATA = Path(__file__).parent / "data"
NAMES = ("tiny", "region", "projects", "ranges", "eastafrica", "places")
FOLDERS = [paths.builtin_folder(), *(DATA / n for n in NAMES)]


def _read(folder, **kw):
    """``(network or None, problems, message)`` of reading ``folder``."""
    problems: list = []
    try:
        return io.read_network(folder, problems=problems, **kw), problems, None
    except NetworkDataError as err:
        return None, problems, str(err)


def assert_same_columns(network: model.Network, reference: model.Network) -> None:
    """``network``'s links, read into columns, are stored as ``Columns`` stores the reference's."""
    nodes = columns.Columns(model.Node, reference.nodes.values())
    refs = {"from_id": nodes, "to_id": nodes}
    expected = columns.Columns(model.Link, reference.links.values(), refs=refs)
    got = network.links
    assert isinstance(got, columns.Columns)
    got.share_refs(refs)
    assert got.ids == expected.ids
    assert got.columns.keys() == expected.columns.keys()
    for name, column in expected.columns.items():
        assert got.columns[name][0] == column[0], name
        for a, b in zip(got.columns[name][1:], column[1:], strict=True):
            if isinstance(b, np.ndarray):
                assert a.dtype == b.dtype, name
                np.testing.assert_array_equal(a, b, err_msg=name)
            else:
                assert a == b, name
    assert list(got.items()) == list(reference.links.items())


@pytest.mark.parametrize("stream", [False, True], ids=["parsed whole", "streamed"])
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_networks_read_column_wise_keep_the_same_links(folder, stream, monkeypatch):
    reference = io.read_network(folder)
    monkeypatch.setattr(plain, "VECTOR_MIN", 0)  # every file read column-wise, however small
    if stream:
        monkeypatch.setattr(geojson, "STREAM_MIN_CHARS", 0)
    monkeypatch.setattr(io, "_RUN", 5)  # runs of 5 features
    network = io.read_network(folder, columns_over=0)
    assert_same_columns(network, reference)
    assert list(network.nodes.items()) == list(reference.nodes.items())
    # under the threshold, the same links as a dict
    small = io.read_network(folder, columns_over=len(reference.links))
    assert type(small.links) is dict and small.links == reference.links


def _link_features(folder: Path):
    _, link_files, costs_file = paths.network_files(folder)
    costs = io.read_costs(costs_file)
    for f in link_files:
        yield str(f), json.loads(f.read_text())["features"], costs


def _rows(features: list, file: str, nodes, costs) -> tuple[list, dict]:
    """The indices of the features of ``features`` left to the checks one by one, and the links
    the blocks of ``features`` cleared, by position in ``features`` (each
    stored on its own: variants of a feature share its id)."""
    blocks = linkblock.read_blocks(features, 0, linkblock.NodeTable(nodes), costs)
    rows = {}
    for block in blocks:
        for k, i in enumerate(block.at.tolist()):
            store = linkstore.LinkStore()
            store._to_columns()
            store._take(block, k, k + 1, file, [])
            rows[int(i)] = store.links(list(nodes), columns_over=-1)[block.ids[k]]
    rest = [index for block in blocks for index, _ in block.rest]
    return rest, rows


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_a_block_clears_what_the_fast_path_clears_and_builds_the_same(folder):
    nodes = io.read_network(folder).nodes
    cleared = 0
    for file, features, costs in _link_features(folder):
        rest, rows = _rows(features, file, nodes, costs)
        for i, feature in enumerate(features):
            fast = plain.plain_link(feature, file, nodes, costs)
            if i in rows:
                assert rows[i] == fast, (file, i)
                cleared += 1
        assert sorted([*rows, *rest]) == list(range(len(features)))
    if folder.name in ("tiny", "region"):
        assert cleared > 0


def test_a_block_leaves_every_faulty_link_to_the_full_checks():
    folder = DATA / "tiny"
    nodes = io.read_network(folder).nodes
    for file, features, costs in _link_features(folder):
        for index, feature in enumerate(features):
            variants = list(_mutations(feature))
            for run in (variants, [*features, *variants]):  # alone, and among plain features
                _, rows = _rows(run, file, nodes, costs)
                for i, link in rows.items():
                    found: list = []
                    full = validate.link_from_feature(run[i], index, file, nodes, costs, found)
                    assert not found and full == link, run[i]


def test_one_odd_feature_leaves_the_rest_of_its_run_read_column_wise(monkeypatch):
    monkeypatch.setattr(linkblock, "MIN_RUN", 1)
    folder = DATA / "tiny"
    nodes = io.read_network(folder).nodes
    for file, features, costs in _link_features(folder):
        odd = copy.deepcopy(features[0])
        odd["geometry"]["coordinates"][0] = [*odd["geometry"]["coordinates"][0], 100.0]  # a height
        rest, rows = _rows([odd, *features], file, nodes, costs)
        alone, cleared = _rows(features, file, nodes, costs)
        assert cleared and rest == [0, *(i + 1 for i in alone)] and len(rows) == len(cleared)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated network of about 10,000 links (one link file, read column-wise)."""
    from benchmarks import generate

    folder = tmp_path_factory.mktemp("generated")
    generate.generate(folder, 10_000)
    return folder


def _corrupt(features: list, how: str) -> None:
    props = [f["properties"] for f in features]
    if how == "duplicate ids":
        props[7000]["id"] = props[10]["id"]
        props[7001]["id"] = props[7000]["id"]
        props[20]["id"] = props[21]["id"]
    elif how == "bad mode":
        props[3000]["mode"] = "railway"
    elif how == "unknown end":
        props[1234]["to"] = "nowhere"
    elif how == "too short":
        props[99]["length_km"] = 0.001
    elif how == "project and note":  # valid, but not plain: read by the full checks
        props[5]["note"] = "a note"
        props[6001]["project"] = "p"
    elif how == "heights":
        features[42]["geometry"]["coordinates"][1].append(10)
    elif how == "a point":
        features.insert(500, {"type": "Feature", "properties": {}, "geometry": {"type": "Point"}})


@pytest.mark.parametrize("stream", [False, True], ids=["parsed whole", "streamed"])
@pytest.mark.parametrize(
    "how", ["duplicate ids", "bad mode", "unknown end", "too short", "project and note", "heights", "a point"]
)
def test_large_files_with_problems_read_as_feature_by_feature(generated, tmp_path, how, stream, monkeypatch):
    folder = tmp_path / "net"
    shutil.copytree(generated, folder)
    path = folder / "links" / "synthetic.geojson"
    data = json.loads(path.read_text())
    assert len(data["features"]) > plain.VECTOR_MIN
    _corrupt(data["features"], how)
    path.write_text(json.dumps(data))
    if stream:
        monkeypatch.setattr(geojson, "STREAM_MIN_CHARS", 0)
    reference = _read(folder)
    one_by_one = []
    original = plain.plain_link
    monkeypatch.setattr(plain, "plain_link", lambda f, *a: one_by_one.append(f) or original(f, *a))
    got = _read(folder, columns_over=0)
    assert got[1:] == reference[1:]
    assert len(one_by_one) < 2 * linkblock.MIN_RUN  # the others were read column-wise
    if reference[0] is None:
        assert reference[2]
    else:
        assert_same_columns(got[0], reference[0])


@pytest.mark.parametrize("user", sorted((DATA / "user").glob("*.geojson")), ids=lambda p: p.stem)
def test_user_files_join_a_network_read_column_wise(user, monkeypatch):
    reference = _read(DATA / "region", extra=[user])
    monkeypatch.setattr(plain, "VECTOR_MIN", 0)
    got = _read(DATA / "region", extra=[user], columns_over=0)
    assert got[1:] == reference[1:]
    if reference[0] is not None:
        assert list(got[0].links.items()) == list(reference[0].links.items())
        assert list(got[0].nodes.items()) == list(reference[0].nodes.items())
