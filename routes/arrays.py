"""Build the array form of the layered graph (:class:`routes.engine.ArrayGraph`).

Two ways here, one result: :func:`from_graph` copies a networkx graph and :func:`from_rows`
copies the edge rows of :func:`routes.graph.edge_rows` one by one; :mod:`routes.batches` builds
the same arrays for large networks with the common edges in batches. Vertices are numbered in
order of first appearance in the rows, as networkx numbers them, so all three give the same
arrays (a test compares them array for array).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable

import networkx as nx
import numpy as np

from corridors.geo import model, objectives
from corridors.geo.columns import Columns, column_codes
from corridors.routes.constraints import KINDS
from corridors.routes.engine import MODES, SIDES, STATUSES, ArrayGraph, IdIndex

#: The code columns of every edge and their dtypes (``from_layer``/``to_layer`` are set apart).
_CODE_DTYPES = (
    ("kind", np.int8),
    ("mode", np.int8),
    ("status", np.int8),
    ("link", np.int32),
    ("node", np.int32),
    ("node_b", np.int32),
    ("country_a", np.int16),
    ("country_b", np.int16),
)
CODE_COLUMNS = tuple(name for name, _ in _CODE_DTYPES)
#: Edges are gathered as tuples this many at a time, then turned into arrays.
_CHUNK = 100_000


class Tables:
    """The code tables of one network: positions of nodes, countries, links and codes."""

    def __init__(self, network: model.Network) -> None:
        self.node_ids = list(network.nodes)
        self.node_index = {n: i for i, n in enumerate(self.node_ids)}
        nodes = network.nodes
        if isinstance(nodes, Columns):  # the distinct values of the column, no node built
            self.countries = sorted({c for c in column_codes(nodes.columns["country"])[1]})
        else:
            self.countries = sorted({n.country for n in nodes.values()})
        self.country_index = {c: i for i, c in enumerate(self.countries)}
        self.link_ids = list(network.links)
        self.link_index = IdIndex(self.link_ids)  # made if the edge rows need it
        self.kind = {k: i for i, k in enumerate(KINDS)}
        self.mode = {m: i for i, m in enumerate(MODES)}
        self.mode[None] = -1
        self.status = {s: i for i, s in enumerate(STATUSES)}
        self.attrs = list(objectives.attrs())
        attrs = self.attrs
        self.get_values = operator.itemgetter(*attrs) if len(attrs) > 1 else (lambda d: (d[attrs[0]],))

    def codes(self, d: dict) -> tuple:
        """The code columns of one edge (in :data:`CODE_COLUMNS` order), then its month bits."""
        kind = d["kind"]
        nodes = d["nodes"]
        if len(nodes) > 1:
            node, node_b = self.node_index[nodes[0]], self.node_index[nodes[1]]
        else:
            node, node_b = self.node_index[d.get("node", nodes[0])], -1
        cs = sorted(d["countries"])
        return (
            self.kind[kind],
            self.mode[d.get("mode")],
            self.status[d["status"]],
            self.link_index[d["link"]] if kind == "link" else -1,
            node,
            node_b,
            self.country_index.get(cs[0], -1),
            self.country_index.get(cs[-1], -1),
            month_bits(d.get("months")),
        )


def month_bits(months: frozenset[int] | None) -> int:
    """The open months as bits (January is bit 0); 0 for open all year."""
    return sum(1 << (m - 1) for m in months) if months else 0


def from_graph(G: nx.DiGraph, network: model.Network) -> ArrayGraph:
    """Copy a layered graph into arrays (vertices in networkx order, edges sorted by source)."""
    return _build(network, {v: i for i, v in enumerate(G)}, G.edges(data=True))


def from_rows(network: model.Network, rows: Iterable[tuple[tuple, tuple, dict]]) -> ArrayGraph:
    """The arrays of :func:`from_graph` straight from :func:`routes.graph.edge_rows`, without networkx.

    Vertices are numbered in order of first appearance, as networkx numbers them, so the result
    equals ``from_graph(build_graph(network), network)`` array for array.
    """
    return _build(network, {}, rows)


def _build(network: model.Network, vindex: dict[tuple, int], edges: Iterable[tuple]) -> ArrayGraph:
    """Arrays of the edges ``(u, v, attrs)``, sorted by the numbers of (u, v) in ``vindex``.

    A vertex missing from ``vindex`` gets the next number when first met, as networkx numbers
    vertices; the vertices are read after the edges.
    """
    t = Tables(network)
    transfer = t.kind["transfer"]
    ends, codes_, values_ = [], [], []  # the current chunk of edges, as tuples
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # the chunks so far, as arrays
    transfer_layers: list[tuple[int, str, str]] = []
    # The two directions of a link share their attrs dict, and so do a place's access edges.
    last_link, link_codes, last, last_codes = None, None, None, None
    n_e = 0
    for u, v, d in edges:
        iu = vindex.get(u)
        if iu is None:
            iu = vindex[u] = len(vindex)
        iv = vindex.get(v)
        if iv is None:
            iv = vindex[v] = len(vindex)
        if d is last_link:
            codes = link_codes
        elif d is last:
            codes = last_codes
        else:
            codes = t.codes(d)
            if codes[0] == transfer:
                transfer_layers.append((n_e, d["from_layer"], d["to_layer"]))
            elif d["kind"] == "link":
                last_link, link_codes = d, codes
            else:
                last, last_codes = d, codes
        ends.append((iu, iv))
        codes_.append(codes)
        values_.append(t.get_values(d))
        n_e += 1
        if len(ends) == _CHUNK:
            parts.append(_chunk(ends, codes_, values_, t))
            ends, codes_, values_ = [], [], []
    if ends or not parts:
        parts.append(_chunk(ends, codes_, values_, t))
    del ends, codes_, values_
    uv = np.concatenate([p[0] for p in parts])
    code_table = np.concatenate([p[1] for p in parts])
    value_table = np.concatenate([p[2] for p in parts])
    del parts
    layers: list[str] = []
    layer_index: dict[str, int] = {}

    def layer_code(layer: str) -> int:
        if layer not in layer_index:
            layer_index[layer] = len(layers)
            layers.append(layer)
        return layer_index[layer]

    vertices = list(vindex)
    n_v = len(vertices)
    vertex_node = np.fromiter((t.node_index[v[0]] for v in vertices), np.int32, n_v)
    vertex_layer = np.fromiter((layer_code(v[1]) for v in vertices), np.int32, n_v)
    vertex_side = np.fromiter((SIDES.index(v[2]) for v in vertices), np.int8, n_v)
    from_layer, to_layer = np.full(n_e, -1, np.int64), np.full(n_e, -1, np.int64)
    for e, a, b in transfer_layers:
        from_layer[e], to_layer[e] = layer_code(a), layer_code(b)
    vertex_arrays = (vertex_node, vertex_layer, vertex_side)
    return finish(network, t, layers, vertex_arrays, uv, code_table, value_table, (from_layer, to_layer))


def _chunk(ends: list, codes: list, values: list, t: Tables) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        np.array(ends, np.int64).reshape(-1, 2),
        np.array(codes, np.int64).reshape(-1, len(CODE_COLUMNS) + 1),
        np.array(values, np.float64).reshape(-1, len(t.attrs)),
    )


def finish(
    network: model.Network,
    t: Tables,
    layers: list[str],
    vertex_arrays: tuple[np.ndarray, np.ndarray, np.ndarray],
    uv: np.ndarray,
    code_table: np.ndarray,
    value_table: np.ndarray,
    transfer_layers: tuple[np.ndarray, np.ndarray],
    *,
    take: np.ndarray | None = None,
) -> ArrayGraph:
    """The :class:`ArrayGraph` of numbered vertices and edges (in row order), edges sorted by (u, v).

    ``uv`` is in row order; the tables are too, or with ``take`` the rows are their positions
    ``take`` (so that each column is gathered once, in its final order).
    """
    vertex_node, vertex_layer, vertex_side = vertex_arrays
    n_v = len(vertex_node)
    rows, indices = uv[:, 0], uv[:, 1]
    order = np.lexsort((indices, rows))
    rows_arr, indices = rows[order], indices[order]
    del uv, rows
    if take is not None:
        order = take[order]
    origin = np.full(len(t.node_ids), -1, np.int64)
    dest = np.full(len(t.node_ids), -1, np.int64)
    for side, out in (("origin", origin), ("dest", dest)):
        at = np.flatnonzero(vertex_side == SIDES.index(side))
        out[vertex_node[at]] = at
    code_arrays = {name: code_table[order, k].astype(dtype) for k, (name, dtype) in enumerate(_CODE_DTYPES)}
    code_arrays["from_layer"] = transfer_layers[0][order].astype(np.int32)
    code_arrays["to_layer"] = transfer_layers[1][order].astype(np.int32)
    indptr = np.zeros(n_v + 1, np.int64)
    np.cumsum(np.bincount(rows_arr, minlength=n_v), out=indptr[1:])
    return ArrayGraph(
        network=network,
        node_ids=t.node_ids,
        countries=t.countries,
        layers=layers,
        link_ids=t.link_ids,
        vertex_node=vertex_node,
        vertex_layer=vertex_layer,
        vertex_side=vertex_side,
        origin=origin,
        dest=dest,
        indptr=indptr,
        indices=indices,
        rows=rows_arr,
        months=code_table[order, len(CODE_COLUMNS)].astype(np.int16),
        values={attr: value_table[order, k] for k, attr in enumerate(t.attrs)},
        **code_arrays,
    )
