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


def _in_columns(network):
    """The network as :func:`routes.loading._arrays` keeps it: nodes and links in columns."""
    from corridors.geo import columns, model

    nodes = columns.Columns(model.Node, network.nodes.values())
    links = columns.Columns(model.Link, network.links.values(), refs={"from_id": nodes, "to_id": nodes})
    return dataclasses.replace(network, nodes=nodes, links=links)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_batches_read_from_columns_equal_the_rows(folder):
    network = io.read_network(folder)
    from_columns = batches.from_network(_in_columns(network))
    _assert_equal(from_columns, arrays.from_rows(network, graph.edge_rows(network)), by_name=True)


def test_batches_from_columns_with_parallel_links_and_several_groups(tmp_path):
    from benchmarks import generate

    generate.generate(tmp_path, 2_000)
    network = io.read_network(tmp_path)
    links = dict(network.links)
    some = list(links.values())[:40]
    for k, link in enumerate(some[:10]):  # parallel and one-way links, each priced its own way
        links[f"p{k}"] = dataclasses.replace(link, id=f"p{k}", speed_kmh=50.0 + k, oneway=k % 2 == 0)
    for k, link in enumerate(some[10:20]):
        links[link.id] = dataclasses.replace(
            link, usd_per_t_km=0.02 * (k % 3 + 1), open_months=frozenset({k % 12 + 1})
        )
    network.links = links
    expected = arrays.from_rows(network, graph.edge_rows(network))
    _assert_equal(batches.from_network(_in_columns(network)), expected, by_name=False)
    _assert_equal(batches.from_network(network), expected, by_name=False)
    on_links = expected.kind == engine.KINDS.index("link")
    hours, km = expected.values["time_h"][on_links], expected.values["distance_km"][on_links]
    assert len(set((hours / km).round(9))) > 2  # groups priced apart: the test can fail


def test_column_codes_give_back_every_value():
    from corridors.geo import columns

    @dataclasses.dataclass(frozen=True)
    class Row:
        id: str
        mode: str
        km: float | None
        table: dict
        speed: object

    rows = [
        Row(f"r{i}", ("road", "rail")[i % 2], None if i % 3 == 0 else i / 7, {"k": i % 2} if i % 4 else {}, v)
        for i, v in enumerate([1, 1.0, True, None, 2.5, 2.5, "x", 1] * 50)
    ]
    table = columns.Columns(Row, rows)
    kinds = {name: col[0] for name, col in table.columns.items()}
    assert kinds == {"mode": "codes", "km": "float", "table": "list", "speed": "codes"}
    for name, column in table.columns.items():
        codes, values = columns.column_codes(column)
        got = [values[c] for c in codes.tolist()]
        want = [getattr(r, name) for r in rows]
        assert [(type(v), repr(v)) for v in got] == [(type(v), repr(v)) for v in want], name
    codes, values = columns.column_codes(table.columns["km"])
    assert len(values) == len({r.km for r in rows})  # one code a distinct value, None once


def test_pricing_groups_as_rows_equal_those_as_numbers(monkeypatch):
    from corridors.routes import link_columns

    network = io.read_network(DATA / "eastafrica")
    expected = batches.from_network(network)
    monkeypatch.setattr(link_columns, "RADIX_LIMIT", 0)  # each link's terms as a row of codes
    _assert_equal(batches.from_network(network), expected, by_name=False)
