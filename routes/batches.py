"""Build the array form of a large network's layered graph with its common edges in batches.

A link between two places that are not border crossings, and the entry and exit of a place on
a single layer, are most of the edges of a large network: their vertices, codes and values are
laid out in numpy arrays. Every other edge (at crossings, through port customs, parallel links,
transfers) comes from the functions of :mod:`routes.graph` that make the edge rows, so the
result is :func:`routes.arrays.from_rows` of :func:`routes.graph.edge_rows`, array for array.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np

from corridors.geo import model, modes, objectives
from corridors.routes import arrays, costs, engine, graph, link_columns

#: A vertex as one integer: node position, layer code and side code in bits.
_LAYER_SHIFT, _NODE_SHIFT = 3, 24
#: Rows of one link, and of one place, take slots below these (their order in the rows).
_LINK_SLOTS, _PLACE_SLOTS = 8, 1 << 12


class _Batch:
    """Edges gathered for :func:`from_network`: slot (order in the rows), vertex keys, codes, values."""

    def __init__(self, t: arrays.Tables) -> None:
        self.t = t
        self.layers: list[str] = []
        self.layer_index: dict[str, int] = {}
        self.slots: list[int] = []
        self.keys: list[tuple[int, int]] = []
        self.codes: list[tuple] = []
        self.values: list[tuple] = []
        self.transfers: list[tuple[int, int, int]] = []  # (edge, from layer, to layer)
        self.arrays: list[tuple] = []  # batches built in numpy: (slots, u, v, codes, values)

    def layer(self, name: str) -> int:
        code = self.layer_index.get(name)
        if code is None:
            code = self.layer_index[name] = len(self.layers)
            self.layers.append(name)
        return code

    def key(self, vertex: tuple) -> int:
        node, layer, side = vertex
        return (
            (self.t.node_index[node] << _NODE_SHIFT)
            | (self.layer(layer) << _LAYER_SHIFT)
            | engine.SIDES.index(side)
        )

    def rows(self, slot: int, rows: Iterable[tuple[tuple, tuple, dict]]) -> None:
        """Edge rows as they come from :mod:`routes.graph`, in slots from ``slot`` on."""
        for sub, (u, v, d) in enumerate(rows):
            codes = self.t.codes(d)
            if d["kind"] == "transfer":
                self.transfers.append(
                    (len(self.slots), self.layer(d["from_layer"]), self.layer(d["to_layer"]))
                )
            self.slots.append(slot + sub)
            self.keys.append((self.key(u), self.key(v)))
            self.codes.append(codes)
            self.values.append(self.t.get_values(d))


def from_network(network: model.Network) -> engine.ArrayGraph:
    """The arrays of :func:`routes.arrays.from_rows` of the network's rows, the common edges in batches.

    A link between two places that are not border crossings (and not a sea link through
    customs) has its edges laid out in numpy, priced by :func:`routes.costs.link_figures` over
    the lengths of all links that share their terms (:func:`routes.costs.link_terms`); so are
    the entry and exit edges of a place (not a crossing) on a single layer. Every other edge
    comes from the functions of :mod:`routes.graph` that make the rows. What each link needs
    is read from the network's columns (:mod:`routes.link_columns`), no link built but those
    of the other edges and the first of each pricing group.
    """
    t = arrays.Tables(network)
    batch = _Batch(t)
    node_cols, link_cols = link_columns.columns_of(network)
    places = link_columns.NodeTable(node_cols, t.country_index)
    table = link_columns.LinkTable(link_cols, places, t.mode, t.status)
    layer_codes = np.array([batch.layer(name) for name in table.layer_names], np.int64)
    link_layer = layer_codes[table.layer]
    customs = table.is_mode("sea") & table.abroad & bool(network.costs.port_customs)
    other = table.crossing_end | customs  # as graph.sea_customs tells
    nodes = network.nodes
    linked: set[tuple] = set()  # the (u, v) of links with a crossing at an end, as in edge_rows
    for i in np.flatnonzero(other).tolist():
        link = link_cols.row(i)
        a, b = nodes[link.from_id], nodes[link.to_id]
        attrs = graph.link_attrs(network, link, a, b)
        if graph.sea_customs(network, link, a, b):
            batch.rows(i * _LINK_SLOTS, graph.sea_crossing_rows(network, link.id, a, b, attrs))
            if not link.oneway:
                batch.rows(i * _LINK_SLOTS + 3, graph.sea_crossing_rows(network, link.id, b, a, attrs))
            continue
        for k, (u, v) in enumerate(graph.directions(a, b, link.layer, link.oneway)):
            if (u, v) in linked:
                batch.rows(i * _LINK_SLOTS + 3 * k, graph.parallel_rows(u, v, attrs))
            else:
                linked.add((u, v))
                batch.rows(i * _LINK_SLOTS + 3 * k, [(u, v, attrs)])
    ends = np.column_stack([table.a, table.b])
    _simple_links(batch, network, ends, link_layer, table, np.flatnonzero(~other), places.country)
    del table, other  # freed before the edges are assembled, where the memory peaks
    _places(batch, network, ends, link_layer, len(t.link_ids) * _LINK_SLOTS, places)
    del ends, link_layer, places
    return _assemble(network, batch)


def _link_values(network: model.Network, km, group, first: list[model.Link], attrs: list[str]) -> np.ndarray:
    """The objectives' figures of the simple links, priced group by group over their lengths."""
    out = np.empty((len(km), len(attrs)))
    by_group = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[by_group], np.arange(len(first) + 1))
    for g, link in enumerate(first):
        at = by_group[bounds[g] : bounds[g + 1]]
        terms = costs.link_terms(link, network.nodes, network.costs, {})
        figures = costs.link_figures(km[at], terms, network.costs)[0]
        values = objectives.values(figures, what=f"link {link.id!r}")
        for k, attr in enumerate(attrs):
            out[at, k] = values[attr]
    return out


def _simple_links(batch: _Batch, network, ends, link_layer, table, index, country) -> None:
    """The edges of links between plain places: both directions (one if one-way), in numpy.

    A direction that repeats the (u, v) of an earlier link is a parallel link: it goes through a
    vertex of its own (:func:`routes.graph.parallel_rows`), built row by row.
    """
    if not len(index):
        return
    t = batch.t
    a, b = ends[index, 0], ends[index, 1]
    n = len(index)
    codes = np.empty((n, len(arrays.CODE_COLUMNS) + 1), np.int32)  # as _assemble keeps them
    codes[:, 0] = t.kind["link"]
    codes[:, 1], codes[:, 2], codes[:, 3] = table.mode[index], table.status[index], index
    codes[:, 4], codes[:, 5] = a, b
    codes[:, 6], codes[:, 7] = np.minimum(country[a], country[b]), np.maximum(country[a], country[b])
    codes[:, 8] = table.months[index]
    group, first = table.groups(index)
    values = _link_values(network, table.km[index], group, first, t.attrs)
    layer = link_layer[index] << _LAYER_SHIFT
    fwd_u, fwd_v = (a << _NODE_SHIFT) | layer, (b << _NODE_SHIFT) | layer
    back = ~table.oneway[index]
    # the directions in row order: each link forward, then back unless one-way
    which = np.concatenate([np.arange(n), np.flatnonzero(back)])
    is_back = np.concatenate([np.zeros(n, bool), np.ones(int(back.sum()), bool)])
    slots = index[which] * _LINK_SLOTS + np.where(is_back, 3, 0)
    order = np.argsort(slots, kind="stable")
    which, is_back, slots = which[order], is_back[order], slots[order]
    u = np.where(is_back, fwd_v[which], fwd_u[which])
    v = np.where(is_back, fwd_u[which], fwd_v[which])
    pair = np.lexsort((v, u))  # stable: the first of equal (u, v) is the earliest
    repeat = np.zeros(len(u), bool)
    same = (u[pair][1:] == u[pair][:-1]) & (v[pair][1:] == v[pair][:-1])
    repeat[pair[1:][same]] = True
    keep = ~repeat
    batch.arrays.append((slots[keep], u[keep], v[keep], codes[which[keep]], values[which[keep]]))
    if repeat.any():
        for e in np.flatnonzero(repeat).tolist():
            link = table.row(int(index[which[e]]))
            x, y = network.nodes[link.from_id], network.nodes[link.to_id]
            attrs = graph.link_attrs(network, link, x, y)
            ux, vx = (y, x) if is_back[e] else (x, y)
            layer_name = link.layer
            batch.rows(
                int(slots[e]), graph.parallel_rows((ux.id, layer_name, ""), (vx.id, layer_name, ""), attrs)
            )


def _places(batch: _Batch, network: model.Network, ends, link_layer, offset: int, places) -> None:
    """The edges within each place, in the order of :func:`routes.graph.layers_by_node`.

    Places that are not crossings and have no transfer figures of their own are laid out in
    numpy, in groups of places with the same layers: entry and exit of each layer, then the
    transfers between layers, priced once per group (:func:`routes.costs.price_transfer` then
    takes the defaults). Every other place takes :func:`routes.graph.place_rows`.
    """
    t = batch.t
    if not len(ends):
        return
    seq_node = ends.ravel()
    nodes_in_order, first = np.unique(seq_node, return_index=True)
    nodes_in_order = nodes_in_order[np.argsort(first, kind="stable")]
    rank = np.empty(len(t.node_ids), np.int64)
    rank[nodes_in_order] = np.arange(len(nodes_in_order))
    codes, compact = np.unique(link_layer, return_inverse=True)
    seq_layer = np.repeat(compact, 2)
    mask = np.zeros(len(t.node_ids), np.int64)
    if len(codes) <= 62:  # the layers of a place as bits
        np.bitwise_or.at(mask, seq_node, np.left_shift(1, seq_layer))
    plain = ~(places.crossing | places.transfer) & (mask != 0)
    country = places.country
    for signature in np.unique(mask[plain]).tolist():
        names = sorted(batch.layers[c] for k, c in enumerate(codes.tolist()) if signature >> k & 1)
        group = np.flatnonzero(plain & (mask == signature))
        _place_group(batch, network, group, names, offset + rank[group] * _PLACE_SLOTS, country[group])
    rest = ~plain[seq_node]
    layers_of: dict[int, set[str]] = {}
    for p, k in zip(seq_node[rest].tolist(), seq_layer[rest].tolist(), strict=True):
        layers_of.setdefault(p, set()).add(batch.layers[int(codes[k])])
    for p, names in layers_of.items():
        node = network.nodes[t.node_ids[p]]
        batch.rows(offset + int(rank[p]) * _PLACE_SLOTS, graph.place_rows(network, node, sorted(names)))


def _place_group(batch: _Batch, network: model.Network, node, names: list[str], slot, country) -> None:
    """The rows of :func:`routes.graph.place_rows` for plain places ``node`` that share layers ``names``."""
    t = batch.t
    n = len(node)
    star = batch.layer("*")
    key = node << _NODE_SHIFT
    origin = key | (star << _LAYER_SHIFT) | engine.SIDES.index("origin")
    dest = key | (star << _LAYER_SHIFT) | engine.SIDES.index("dest")
    zeros = np.zeros((n, len(t.attrs)))
    codes = np.empty((n, len(arrays.CODE_COLUMNS) + 1), np.int32)  # as _assemble keeps them
    codes[:, 2], codes[:, 3], codes[:, 4], codes[:, 5] = t.status["operational"], -1, node, -1
    codes[:, 6] = codes[:, 7] = country
    codes[:, 8] = 0
    sub = 0
    for name in names:
        vertex = key | (batch.layer(name) << _LAYER_SHIFT)
        access = codes.copy()
        access[:, 0], access[:, 1] = t.kind["access"], t.mode[modes.mode_of(name)]
        batch.arrays.append((slot + sub, origin, vertex, access, zeros))
        batch.arrays.append((slot + sub + 1, vertex, dest, access, zeros))
        sub += 2
    some = network.nodes[t.node_ids[int(node[0])]]
    for a, b in itertools.permutations(names, 2):
        kind = costs.transfer_kind(a, b)
        priced = costs.price_transfer(some, kind, network.costs)
        values = objectives.values(priced.values, what=f"the {kind} at {some.id!r}")
        transfer = codes.copy()
        transfer[:, 0], transfer[:, 1] = t.kind["transfer"], -1
        row = np.array([values[attr] for attr in t.attrs], np.float64)
        la, lb = batch.layer(a), batch.layer(b)
        uv = (key | (la << _LAYER_SHIFT), key | (lb << _LAYER_SHIFT))
        table = np.broadcast_to(row, (n, len(row)))
        batch.arrays.append((slot + sub, *uv, transfer, table, np.full(n, la), np.full(n, lb)))
        sub += 1


def _assemble(network: model.Network, batch: _Batch) -> engine.ArrayGraph:
    """Number the vertices of every gathered edge in row order, and finish the arrays.

    The gathered edges are copied once into tables; the edges are then put in row order and in
    (u, v) order by index arrays alone, and each column is taken in its final order once.
    """
    t = batch.t
    width = len(arrays.CODE_COLUMNS) + 1
    n_rows = len(batch.slots)
    n_e = n_rows + sum(len(p[0]) for p in batch.arrays)
    slots, u, v = np.empty(n_e, np.int64), np.empty(n_e, np.int64), np.empty(n_e, np.int64)
    code_table = np.empty((n_e, width), np.int32)
    value_table = np.empty((n_e, len(t.attrs)), np.float64)
    from_layer, to_layer = np.full(n_e, -1, np.int32), np.full(n_e, -1, np.int32)
    slots[:n_rows] = batch.slots
    u[:n_rows], v[:n_rows] = (np.array(batch.keys, np.int64).reshape(-1, 2)).T
    code_table[:n_rows] = np.array(batch.codes, np.int64).reshape(-1, width)
    value_table[:n_rows] = np.array(batch.values, np.float64).reshape(-1, len(t.attrs))
    for e, a, b in batch.transfers:
        from_layer[e], to_layer[e] = a, b
    at = n_rows
    while batch.arrays:
        part = batch.arrays.pop(0)
        end = at + len(part[0])
        slots[at:end], u[at:end], v[at:end], code_table[at:end], value_table[at:end] = part[:5]
        if len(part) > 5:
            from_layer[at:end], to_layer[at:end] = part[5], part[6]
        at = end
    perm = np.argsort(slots, kind="stable")  # row order
    del slots
    u, v = u[perm], v[perm]
    # vertices numbered by first appearance in the rows: u then v of each edge
    seq = np.empty(2 * n_e, np.int64)
    seq[0::2], seq[1::2] = u, v
    keys, first, inverse = np.unique(seq, return_index=True, return_inverse=True)
    del seq, u, v
    appearance = np.argsort(first, kind="stable")
    number = np.empty(len(keys), np.int64)
    number[appearance] = np.arange(len(keys))
    uv = number[inverse.reshape(-1)].reshape(-1, 2)  # each edge's u and v, numbered
    del number, first, inverse
    vertex_keys = keys[appearance]
    vertex_node = (vertex_keys >> _NODE_SHIFT).astype(np.int32)
    provisional = (vertex_keys >> _LAYER_SHIFT) & ((1 << (_NODE_SHIFT - _LAYER_SHIFT)) - 1)
    vertex_side = (vertex_keys & ((1 << _LAYER_SHIFT) - 1)).astype(np.int8)
    # layers numbered by first appearance among the vertices, as from_rows numbers them
    used, seen = np.unique(provisional, return_index=True)
    used = used[np.argsort(seen, kind="stable")]
    final = np.full(len(batch.layers), -1, np.int32)
    final[used] = np.arange(len(used))
    layers = [batch.layers[c] for c in used.tolist()]
    vertex_layer = final[provisional].astype(np.int32)
    transfer = from_layer >= 0
    from_layer[transfer], to_layer[transfer] = final[from_layer[transfer]], final[to_layer[transfer]]
    vertex_arrays = (vertex_node, vertex_layer, vertex_side)
    return arrays.finish(
        network, t, layers, vertex_arrays, uv, code_table, value_table, (from_layer, to_layer), take=perm
    )


def _layers(part: tuple, k: int) -> np.ndarray:
    """Column ``k`` of a batch (the transfers' from and to layers), -1 where it has none."""
    return part[k] if len(part) > k else np.full(len(part[0]), -1, np.int64)
