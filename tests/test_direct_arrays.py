"""The arrays built straight from the edge rows, or in batches, equal those copied from the networkx graph."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from corridors.geo import io, paths
from corridors.routes import arrays, batches, engine, graph, loading

DATA = Path(__file__).parent / "data"
NAMES = ("tiny", "region", "projects", "ranges", "eastafrica")
FOLDERS = [paths.builtin_folder(), *(DATA / n for n in NAMES)]
ARRAYS = [f.name for f in dataclasses.fields(engine.ArrayGraph) if f.name not in ("network", "masks")]


def assert_same_arrays(network, *, by_name: bool = True) -> None:
    direct = arrays.from_rows(network, graph.edge_rows(network))
    copied = arrays.from_graph(graph.build_graph(network), network)
    _assert_equal(direct, copied, by_name=by_name)
    _assert_equal(batches.from_network(network), copied, by_name=by_name)


def _assert_equal(direct, copied, *, by_name: bool) -> None:
    for name in ARRAYS:
        a, b = getattr(direct, name), getattr(copied, name)
        if name == "values":
            assert a.keys() == b.keys()
            for attr in a:
                np.testing.assert_array_equal(a[attr], b[attr], err_msg=attr)
        elif isinstance(a, np.ndarray):
            assert a.dtype == b.dtype, name
            np.testing.assert_array_equal(a, b, err_msg=name)
        else:
            assert a == b, name
    if not by_name:
        return
    # and edge for edge, by vertex names rather than numbers
    for e in range(direct.number_of_edges()):
        u, v = direct.vertex(int(direct.rows[e])), direct.vertex(int(direct.indices[e]))
        assert (u, v) == (copied.vertex(int(copied.rows[e])), copied.vertex(int(copied.indices[e])))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_direct_arrays_equal_the_networkx_copy(folder):
    assert_same_arrays(io.read_network(folder))


def test_parallel_and_oneway_links_too():
    network = io.read_network(DATA / "tiny")
    links = dict(network.links)
    first = next(iter(links.values()))
    links["parallel"] = dataclasses.replace(first, id="parallel", length_km=first.length_km * 1.1)
    links["parallel-2"] = dataclasses.replace(first, id="parallel-2", oneway=True)
    network.links = links
    assert_same_arrays(network)
    G = graph.build_graph(network)
    assert any(v[2] == "via" for v in G)


def test_generated_network_of_ten_thousand_links(tmp_path):
    from benchmarks import generate

    generate.generate(tmp_path, 10_000)
    assert_same_arrays(io.read_network(tmp_path), by_name=False)


def test_large_networks_load_as_arrays_without_networkx(monkeypatch):
    def refuse(network):
        raise AssertionError("a network with more links than the threshold needs no networkx graph")

    monkeypatch.setattr(graph, "build_graph", refuse)
    loaded = loading.load(DATA / "tiny", array_threshold=1, use_cache=False)
    assert isinstance(loaded.G, engine.ArrayGraph)


def test_columns_select_rows_without_building_them():
    from corridors.geo import columns, model

    network = io.read_network(DATA / "eastafrica")
    nodes = columns.Columns(model.Node, network.nodes.values())
    links = columns.Columns(model.Link, network.links.values(), refs={"from_id": nodes, "to_id": nodes})
    assert list(nodes.values()) == list(network.nodes.values())
    assert list(links.values()) == list(network.links.values())  # every field as it was
    assert links.columns["from_id"][0] == "ref"
    for field, test in (("mode", "rail".__eq__), ("corridor", bool), ("length_km", lambda km: km > 100)):
        expected = [link.id for link in network.links.values() if test(getattr(link, field))]
        assert links.where(field, test) == expected
    assert links.where("mode", "rail".__eq__)  # the fixture has rail links: the test can fail


def test_columns_keep_equal_values_of_other_types_apart():
    import dataclasses

    from corridors.geo import columns

    @dataclasses.dataclass(frozen=True)
    class Row:
        id: str
        value: object

    values = [1, 1.0, True, 0.0, -0.0, False, 0, "1", None, 1, True, -0.0]
    table = columns.Columns(Row, [Row(f"r{i}", v) for i, v in enumerate(values)])
    assert table.columns["value"][0] == "codes"
    got = [row.value for row in table.values()]
    assert [(type(v), repr(v)) for v in got] == [(type(v), repr(v)) for v in values]
