"""The layered graph as compact arrays, searched with scipy's compiled Dijkstra.

networkx stays the model (:func:`routes.graph.build_graph`); for large networks its edges are
copied once into CSR arrays with one column per attribute the filters and objectives need.
Constraints become a vectorised edge mask and penalties a per-link factor, so each query is
one ``scipy.sparse.csgraph.dijkstra`` call on a masked copy of the weights, and the arrays
pickle and load in a fraction of the time the networkx graph takes.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from corridors.geo import model, modes, objectives
from corridors.routes import costs
from corridors.routes.constraints import KINDS, Constraints

MODES = modes.NAMES
STATUSES = model.LINK_STATUSES
TRANSFERS = model.TRANSFER_KINDS
SIDES = ("", "a", "b", "origin", "dest", "via")


@dataclass(slots=True)
class ArrayGraph:
    """CSR arrays of the layered graph and the tables that decode them."""

    network: model.Network
    node_ids: list[str]
    countries: list[str]
    layers: list[str]
    link_ids: list[str]
    vertex_node: np.ndarray
    vertex_layer: np.ndarray
    vertex_side: np.ndarray
    origin: np.ndarray
    dest: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    rows: np.ndarray
    kind: np.ndarray
    mode: np.ndarray
    status: np.ndarray
    months: np.ndarray
    link: np.ndarray
    node: np.ndarray
    node_b: np.ndarray
    country_a: np.ndarray
    country_b: np.ndarray
    from_layer: np.ndarray
    to_layer: np.ndarray
    values: dict[str, np.ndarray]
    node_index: dict[str, int] = field(default_factory=dict)
    link_index: dict[str, int] = field(default_factory=dict)
    #: Masked CSR structure by constraints: alternatives reuse it and only reweigh.
    masks: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        nodes, links = self.network.nodes, self.network.links
        shared = getattr(nodes, "ids", None) is self.node_ids and getattr(links, "ids", None) is self.link_ids
        if shared and hasattr(nodes, "positions") and hasattr(links, "positions"):
            self.node_index, self.link_index = nodes.positions(), links.positions()
        else:
            self.node_index = {n: i for i, n in enumerate(self.node_ids)}
            self.link_index = {n: i for i, n in enumerate(self.link_ids)}
        self.masks = {}

    def share_ids(self, nodes, links) -> None:
        """Use the id lists and positions of the network's columns (:class:`geo.columns.Columns`),
        which hold the same ids in the same order: one copy of each in memory and in the cache."""
        if list(nodes) != self.node_ids or list(links) != self.link_ids:
            msg = "the columns hold other ids than the arrays"
            raise ValueError(msg)
        self.node_ids, self.link_ids = nodes.ids, links.ids
        self._index()

    def __getstate__(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__ if k not in ("node_index", "link_index", "masks")}

    def __setstate__(self, state: dict) -> None:
        for k, v in state.items():
            setattr(self, k, v)
        self._index()

    def number_of_edges(self) -> int:
        return len(self.indices)

    def best(
        self,
        origins: Sequence[str],
        targets: Sequence[str],
        *,
        attr: str,
        constraints: Constraints,
        penalties: dict[str, float] | None = None,
        start: Sequence[tuple] | None = None,
        end: Sequence[tuple] | None = None,
    ) -> tuple[list[tuple], list[dict]] | None:
        """The best path (:meth:`routes.backends.Backend.best`), by scipy's Dijkstra."""
        return shortest(
            self, list(origins), list(targets), constraints, attr, penalties, start=start, end=end
        )

    def reverse_costs(self, target: str, *, attr: str, constraints: Constraints) -> dict[str, float]:
        """The best value from every place to ``target`` (:meth:`routes.backends.Backend.reverse_costs`)."""
        from corridors.routes import trees

        return trees.reverse_costs(self, target, attr=attr, constraints=constraints)

    def tree(self, places: Sequence[str], **options) -> dict[str, tuple[list[tuple], list[dict]]]:
        """Best paths between ``places`` and every place (:meth:`routes.backends.Backend.tree`)."""
        from corridors.routes import trees

        return trees.array_tree(self, places, **options)

    def vertex(self, v: int) -> tuple:
        """The networkx vertex tuple of array vertex ``v``."""
        return (
            self.node_ids[self.vertex_node[v]],
            self.layers[self.vertex_layer[v]],
            SIDES[self.vertex_side[v]],
        )


def _layer_mode(layer: str) -> int:
    """The mode code of a layer name (``rail1520`` -> rail), -1 for entry/exit and via layers."""
    mode = modes.mode_of(layer)
    return -1 if mode is None else MODES.index(mode)


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
    node_ids = list(network.nodes)
    node_index = {n: i for i, n in enumerate(node_ids)}
    countries = sorted({n.country for n in network.nodes.values()})
    country_index = {c: i for i, c in enumerate(countries)}
    link_index = {lid: i for i, lid in enumerate(network.links)}
    kind_code = {k: i for i, k in enumerate(KINDS)}
    mode_code = {m: i for i, m in enumerate(MODES)}
    mode_code[None] = -1
    status_code = {s: i for i, s in enumerate(STATUSES)}
    attrs = list(objectives.attrs())
    get_values = operator.itemgetter(*attrs) if len(attrs) > 1 else (lambda d: (d[attrs[0]],))
    transfer = kind_code["transfer"]
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
            codes = _codes_of(d, kind_code, mode_code, status_code, node_index, country_index, link_index)
            if codes[0] == transfer:
                transfer_layers.append((n_e, d["from_layer"], d["to_layer"]))
            elif d["kind"] == "link":
                last_link, link_codes = d, codes
            else:
                last, last_codes = d, codes
        ends.append((iu, iv))
        codes_.append(codes)
        values_.append(get_values(d))
        n_e += 1
        if len(ends) == _CHUNK:
            parts.append((np.array(ends, np.int64), np.array(codes_, np.int64), np.array(values_)))
            ends, codes_, values_ = [], [], []
    if ends or not parts:
        parts.append(
            (
                np.array(ends, np.int64).reshape(-1, 2),
                np.array(codes_, np.int64).reshape(-1, len(_CODE_COLUMNS) + 1),
                np.array(values_, np.float64).reshape(-1, len(attrs)),
            )
        )
    del ends, codes_, values_
    uv = np.concatenate([p[0] for p in parts])
    code_table = np.concatenate([p[1] for p in parts])
    value_table = np.concatenate([p[2] for p in parts])
    del parts
    rows, indices = uv[:, 0], uv[:, 1]
    order = np.lexsort((indices, rows))
    layers: list[str] = []
    layer_index: dict[str, int] = {}

    def layer_code(layer: str) -> int:
        if layer not in layer_index:
            layer_index[layer] = len(layers)
            layers.append(layer)
        return layer_index[layer]

    vertices = list(vindex)
    n_v = len(vertices)
    vertex_node = np.fromiter((node_index[v[0]] for v in vertices), np.int32, n_v)
    vertex_layer = np.fromiter((layer_code(v[1]) for v in vertices), np.int32, n_v)
    vertex_side = np.fromiter((SIDES.index(v[2]) for v in vertices), np.int8, n_v)
    origin = np.full(len(node_ids), -1, np.int64)
    dest = np.full(len(node_ids), -1, np.int64)
    for side, out in (("origin", origin), ("dest", dest)):
        at = np.flatnonzero(vertex_side == SIDES.index(side))
        out[vertex_node[at]] = at
    from_layer, to_layer = np.full(n_e, -1, np.int64), np.full(n_e, -1, np.int64)
    for e, a, b in transfer_layers:
        from_layer[e], to_layer[e] = layer_code(a), layer_code(b)
    code_arrays = {name: code_table[order, k].astype(dtype) for k, (name, dtype) in enumerate(_CODE_DTYPES)}
    code_arrays["from_layer"] = from_layer[order].astype(np.int32)
    code_arrays["to_layer"] = to_layer[order].astype(np.int32)
    rows_arr = rows[order]
    indptr = np.zeros(n_v + 1, np.int64)
    np.cumsum(np.bincount(rows_arr, minlength=n_v), out=indptr[1:])
    return ArrayGraph(
        network=network,
        node_ids=node_ids,
        countries=countries,
        layers=layers,
        link_ids=list(network.links),
        vertex_node=vertex_node,
        vertex_layer=vertex_layer,
        vertex_side=vertex_side,
        origin=origin,
        dest=dest,
        indptr=indptr,
        indices=indices[order],
        rows=rows_arr,
        months=code_table[order, len(_CODE_COLUMNS)].astype(np.int16),
        values={attr: value_table[order, k] for k, attr in enumerate(attrs)},
        **code_arrays,
    )


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
_CODE_COLUMNS = tuple(name for name, _ in _CODE_DTYPES)
#: Edges are gathered as tuples this many at a time, then turned into arrays.
_CHUNK = 100_000


def _codes_of(d: dict, kind_code, mode_code, status_code, node_index, country_index, link_index) -> tuple:
    """The code columns of one edge (in :data:`_CODE_COLUMNS` order), then its month bits."""
    kind = d["kind"]
    nodes = d["nodes"]
    if len(nodes) > 1:
        node, node_b = node_index[nodes[0]], node_index[nodes[1]]
    else:
        node, node_b = node_index[d.get("node", nodes[0])], -1
    cs = sorted(d["countries"])
    month_set = d.get("months")
    bits = sum(1 << (m - 1) for m in month_set) if month_set else 0
    return (
        kind_code[kind],
        mode_code[d.get("mode")],
        status_code[d["status"]],
        link_index[d["link"]] if kind == "link" else -1,
        node,
        node_b,
        country_index.get(cs[0], -1),
        country_index.get(cs[-1], -1),
        bits,
    )


def edge_mask(ag: ArrayGraph, c: Constraints) -> np.ndarray:
    """Which edges exist under constraints ``c``: the rules of :mod:`routes.constraints`, vectorised.

    Each rule reads its field from the arrays' columns (:func:`_columns`); the rules themselves
    are the ones the networkx backend applies edge by edge (a test checks that they agree).
    """
    keep = np.ones(len(ag.kind), bool)
    for rule, value, exempt, crossings in c.active():
        applies = np.isin(ag.kind, [KINDS.index(k) for k in rule.kinds])
        if rule.test == "open_in":
            ok = (ag.months == 0) | ((ag.months & np.int16(1 << (value - 1))) != 0)
        else:
            codes = _codes(ag, rule.field, value)
            hits = [np.isin(col, codes) for col in _columns(ag, rule.field)]
            ok = ~np.logical_or.reduce(hits) if rule.test == "none_in" else np.logical_and.reduce(hits)
        if exempt:
            extra = [ag.link_index[lid] for lid in exempt if lid in ag.link_index]
            ok |= np.isin(ag.link, extra) & (ag.link >= 0)
        if crossings:
            opened = [ag.node_index[n] for n in crossings if n in ag.node_index]
            ok |= (ag.kind == KINDS.index("border")) & np.isin(ag.node, opened)
        keep &= ~applies | ok
    return keep


def _columns(ag: ArrayGraph, field: str) -> list[np.ndarray]:
    """The code columns of an edge field (a field of two values has two columns)."""
    if field == "nodes":
        return [ag.node, ag.node_b]
    if field == "crossing":
        return [ag.node]
    if field == "countries":
        return [ag.country_a, ag.country_b]
    if field == "layer_modes":
        layer_modes = np.array([_layer_mode(layer) for layer in ag.layers] + [-1])
        return [layer_modes[ag.from_layer], layer_modes[ag.to_layer]]  # -1 (no layer) reads the last
    return [getattr(ag, field)]


def _codes(ag: ArrayGraph, field: str, values: frozenset[str]) -> list[int]:
    """The codes of a constraint's values in a field's columns (unknown values have none)."""
    if field in ("nodes", "crossing"):
        return [ag.node_index[n] for n in values if n in ag.node_index]
    if field == "countries":
        return [i for i, x in enumerate(ag.countries) if x in values]
    table = STATUSES if field == "status" else MODES
    return [table.index(v) for v in values if v in table]


def _weights(ag: ArrayGraph, attr: str, penalties: dict[str, float] | None) -> np.ndarray:
    w = ag.values[attr]
    if not penalties:
        return w
    from corridors.routes.search import BORDER_KEY

    link_pen = np.ones(len(ag.link_ids) + 1)
    node_pen = np.ones(len(ag.node_ids) + 1)
    for key, factor in penalties.items():
        if key in ag.link_index:
            link_pen[ag.link_index[key]] = factor
        elif key in ag.node_index:
            node_pen[ag.node_index[key]] = factor
    border = ag.kind == KINDS.index("border")
    factor = link_pen[ag.link] * np.where(border, node_pen[ag.node], 1.0)
    return w * factor + np.where(border, penalties.get(BORDER_KEY, 0.0), 0.0)


def _masked(ag: ArrayGraph, constraints) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edge mask and the masked CSR structure for ``constraints`` (memoised)."""
    if constraints not in ag.masks:
        keep = edge_mask(ag, constraints)
        indptr = np.zeros(len(ag.vertex_node) + 1, np.int64)
        np.cumsum(np.bincount(ag.rows[keep], minlength=len(ag.vertex_node)), out=indptr[1:])
        if len(ag.masks) > 8:
            ag.masks.clear()
        ag.masks[constraints] = (keep, ag.indices[keep], indptr)
    return ag.masks[constraints]


def shortest(
    ag: ArrayGraph,
    origins: list[str],
    targets: list[str],
    constraints,
    attr: str,
    penalties: dict[str, float] | None = None,
    *,
    start: Sequence[tuple] | None = None,
    end: Sequence[tuple] | None = None,
) -> tuple[list[tuple], list[dict]] | None:
    """Best path from any origin to any target: vertex tuples and the data of each edge.

    ``start`` and ``end`` list vertex tuples to start from and end at in place of the
    places' entry and exit vertices.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    if start is not None:
        src = [_vertex_index(ag, v) for v in start]
    else:
        src = [int(ag.origin[ag.node_index[n]]) for n in origins if n in ag.node_index]
    if end is not None:
        dst = [_vertex_index(ag, v) for v in end]
    else:
        dst = [int(ag.dest[ag.node_index[n]]) for n in targets if n in ag.node_index]
    src, dst = [s for s in src if s >= 0], [t for t in dst if t >= 0]
    if not src or not dst:
        return None
    keep, indices, indptr = _masked(ag, constraints)
    weights = _weights(ag, attr, penalties)
    n_v = len(ag.vertex_node)
    matrix = csr_matrix((weights[keep], indices, indptr), shape=(n_v, n_v))
    dist, pred = dijkstra(matrix, directed=True, indices=src, return_predecessors=True, min_only=True)[:2]
    best = min(dst, key=lambda t: (dist[t], t))
    if not np.isfinite(dist[best]):
        return None
    path = [best]
    while pred[path[-1]] >= 0:
        path.append(int(pred[path[-1]]))
    path.reverse()
    edges = [_edge(ag, u, v, keep, weights) for u, v in itertools.pairwise(path)]
    return [ag.vertex(v) for v in path], edges


def _vertex_index(ag: ArrayGraph, vertex: tuple) -> int:
    """The array index of a vertex tuple, or -1."""
    node_id, layer, side = vertex
    if node_id not in ag.node_index or layer not in ag.layers or side not in SIDES:
        return -1
    hit = np.flatnonzero(
        (ag.vertex_node == ag.node_index[node_id])
        & (ag.vertex_layer == ag.layers.index(layer))
        & (ag.vertex_side == SIDES.index(side))
    )
    return int(hit[0]) if len(hit) else -1


def _edge(ag: ArrayGraph, u: int, v: int, keep: np.ndarray, weights: np.ndarray) -> dict:
    lo, hi = ag.indptr[u], ag.indptr[u + 1]
    candidates = [e for e in range(lo, hi) if ag.indices[e] == v and keep[e]]
    e = min(candidates, key=lambda i: weights[i])
    net = ag.network
    kind = KINDS[ag.kind[e]]
    d = {"kind": kind, **{attr: float(arr[e]) for attr, arr in ag.values.items()}}
    if kind == "link":
        link = net.links[ag.link_ids[ag.link[e]]]
        d["link"] = link.id
    elif kind == "transfer":
        node = net.nodes[ag.node_ids[ag.node[e]]]
        d.update(node=node.id, from_layer=ag.layers[ag.from_layer[e]], to_layer=ag.layers[ag.to_layer[e]])
        d["transfer"] = costs.transfer_kind(d["from_layer"], d["to_layer"])
    elif kind == "border":
        node = net.nodes[ag.node_ids[ag.node[e]]]
        d.update(node=node.id, mode=MODES[ag.mode[e]])
    return d
