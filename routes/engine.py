"""The layered graph as compact arrays, searched with scipy's compiled Dijkstra.

networkx stays the model (:func:`routes.graph.build_graph`); for large networks the same edges
are laid out once in CSR arrays (:mod:`routes.arrays`) with one column per attribute the
filters and objectives need.
Constraints become a vectorised edge mask and penalties a per-link factor, so each query is
one ``scipy.sparse.csgraph.dijkstra`` call on a masked copy of the weights, and the arrays
pickle and load in a fraction of the time the networkx graph takes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from corridors.geo import model, modes
from corridors.routes import costs
from corridors.routes.constraints import KINDS, Constraints

MODES = modes.NAMES
STATUSES = model.LINK_STATUSES
TRANSFERS = model.TRANSFER_KINDS
SIDES = ("", "a", "b", "origin", "dest", "via")


class IdIndex(Mapping[str, int]):
    """Each id's position in a list of ids, the index made on its first look-up (the arrays of a
    large network are often given the network's shared ids at once, and need none of their own)."""

    def __init__(self, ids: Sequence[str]) -> None:
        self._ids = ids
        self._index: dict[str, int] | None = None

    def _made(self) -> dict[str, int]:
        if self._index is None:
            self._index = {k: i for i, k in enumerate(self._ids)}
        return self._index

    def __getitem__(self, key: str) -> int:
        return self._made()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._made()

    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


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
    node_index: Mapping[str, int] = field(default_factory=dict)
    link_index: Mapping[str, int] = field(default_factory=dict)
    #: Masked CSR structure by constraints: alternatives reuse it and only reweigh.
    masks: dict = field(default_factory=dict)
    #: The cargo's countries and pricing of a query's copy (:func:`routes.pricing.query_graph`).
    query_terms: tuple | None = None

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        nodes, links = self.network.nodes, self.network.links
        shared = getattr(nodes, "ids", None) is self.node_ids and getattr(links, "ids", None) is self.link_ids
        if shared and hasattr(nodes, "positions") and hasattr(links, "positions"):
            self.node_index, self.link_index = nodes.positions(), links.positions(lazy=True)
        else:
            self.node_index, self.link_index = IdIndex(self.node_ids), IdIndex(self.link_ids)
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
        # the masks made so far go with the arrays (a mask that hides nothing shares them)
        kept = [k for k in self.__slots__ if k not in ("node_index", "link_index", "query_terms")]
        state = {k: getattr(self, k) for k in kept}
        for name, of in (("node_ids", self.network.nodes), ("link_ids", self.network.links)):
            if state[name] is getattr(of, "ids", None):  # shared with the network's columns
                state[name] = None
        return state

    def __setstate__(self, state: dict) -> None:
        masks = state.pop("masks", {})
        for k, v in state.items():
            setattr(self, k, v)
        if self.node_ids is None:
            self.node_ids = self.network.nodes.ids
        if self.link_ids is None:
            self.link_ids = self.network.links.ids
        self._index()
        self.masks = masks

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


def edge_weights(ag: ArrayGraph, attr: str, penalties: dict[str, float] | None) -> np.ndarray:
    """Each edge's weight by ``attr``, scaled and raised by the ``penalties`` of alternatives
    (link or crossing id, or :data:`routes.search.BORDER_KEY`, -> factor or addend); without
    penalties, the value column itself (not a copy)."""
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


def masked_csr(ag: ArrayGraph, constraints: Constraints) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edge mask (:func:`edge_mask`) and the CSR column indices and row pointers of the
    edges it keeps, for ``constraints`` (memoised on the graph): with ``edge_weights(...)[keep]``
    they make the matrix a scipy search runs on."""
    if constraints not in ag.masks:
        keep = edge_mask(ag, constraints)
        if keep.all():  # nothing hidden: the graph's own structure, not a copy
            indices, indptr = ag.indices, ag.indptr
        else:
            indices, indptr = ag.indices[keep], np.zeros(len(ag.vertex_node) + 1, np.int64)
            np.cumsum(np.bincount(ag.rows[keep], minlength=len(ag.vertex_node)), out=indptr[1:])
        if len(ag.masks) > 8:
            ag.masks.clear()
        ag.masks[constraints] = (keep, indices, indptr)
    return ag.masks[constraints]


def warm(ag: ArrayGraph, constraints) -> None:
    """Make the edge mask and masked structure of ``constraints`` now, before the first query
    that needs them (the first query after a load then costs what the next ones do)."""
    masked_csr(ag, constraints)


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
    keep, indices, indptr = masked_csr(ag, constraints)
    weights = edge_weights(ag, attr, penalties)
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
    return [ag.vertex(v) for v in path], path_edges(ag, path)


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


def path_edges(ag: ArrayGraph, path: list[int]) -> list[dict]:
    """The data of the edges along vertex ``path`` (:func:`edge_data` of each). Each step has
    one edge: a link parallel to another goes through a vertex of its own
    (:func:`routes.graph.parallel_rows`)."""
    u, v = np.asarray(path[:-1], np.int64), np.asarray(path[1:], np.int64)
    counts = ag.indptr[u + 1] - ag.indptr[u]
    step = np.repeat(np.arange(len(u)), counts)  # each candidate edge's step along the path
    offset = np.cumsum(counts) - counts  # where each step's candidates start among them
    cand = np.repeat(ag.indptr[u] - offset, counts) + np.arange(len(step))  # every edge out of u
    chosen = cand[ag.indices[cand] == v[step]]
    if len(chosen) != len(u):
        raise ValueError("a path step has no edge, or more than one, in the arrays")
    return [edge_data(ag, int(e)) for e in chosen]


def edge_data(ag: ArrayGraph, e: int) -> dict:
    """The data of edge ``e``, in the shape of the networkx graph's edge data, for
    :mod:`routes.assembly`."""
    net = ag.network
    kind = KINDS[ag.kind[e]]
    d = {"kind": kind, **{attr: float(arr[e]) for attr, arr in ag.values.items()}}
    if kind == "link":
        d["link"] = ag.link_ids[ag.link[e]]
        if getattr(net.links, "ids", None) is ag.link_ids:  # shared: the position is the network's too
            d["link_row"] = int(ag.link[e])
    elif kind == "transfer":
        node = net.nodes[ag.node_ids[ag.node[e]]]
        d.update(node=node.id, from_layer=ag.layers[ag.from_layer[e]], to_layer=ag.layers[ag.to_layer[e]])
        d["transfer"] = costs.transfer_kind(d["from_layer"], d["to_layer"])
    elif kind == "border":
        node = net.nodes[ag.node_ids[ag.node[e]]]
        d.update(node=node.id, mode=MODES[ag.mode[e]])
    return d
