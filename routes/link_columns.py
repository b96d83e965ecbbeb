"""The columns of a large network that :mod:`routes.batches` lays out, read as numpy arrays.

A network of a million links keeps its nodes and links column by column
(:class:`geo.columns.Columns`): the ends of every link, its mode, status, months and length,
and the fields that decide how it is priced are read here from those columns at once, as
integer codes, without building a single :class:`geo.model.Link`. A network of dicts (the
fixtures, small networks) is put in columns first, so both take the same path.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from corridors.geo import model, modes
from corridors.geo.columns import Columns, column_codes
from corridors.routes import arrays


def columns_of(network: model.Network) -> tuple[Columns, Columns]:
    """The network's nodes and links as :class:`Columns` (made if they are dicts), a link's
    ends as positions into the nodes."""
    nodes = (
        network.nodes if isinstance(network.nodes, Columns) else Columns(model.Node, network.nodes.values())
    )
    links = network.links
    refer = isinstance(links, Columns) and all(
        links.columns[f][0] == "ref" and links.columns[f][2] is nodes.ids for f in ("from_id", "to_id")
    )
    if not refer:
        refs = {"from_id": nodes, "to_id": nodes}
        links = Columns(model.Link, network.links.values(), refs=refs)
    return nodes, links


#: Pricing terms whose codes multiply to less than this are grouped as one number a link.
RADIX_LIMIT = 2**62


class NodeTable:
    """Per place: whether it is a border crossing, whether it has transfer figures of its own,
    and its country's position in ``countries``."""

    def __init__(self, nodes: Columns, country_index: Mapping[str, int]) -> None:
        self.crossing = present(nodes, "border")
        self.transfer = present(nodes, "transfer")
        codes, table = column_codes(nodes.columns["country"])
        self.country = np.array([country_index[c] for c in table], np.int64)[codes]


class LinkTable:
    """Per link: its ends (node positions), mode, status, month bits, one-way flag and length,
    and the group of links that share their pricing terms (:func:`routes.costs.link_terms`:
    mode, country, speed, flat rate, rate per km and wait), ``first[g]`` the first of group g."""

    def __init__(self, links: Columns, nodes: NodeTable, mode_index, status_index) -> None:
        cols = links.columns
        self.a, self.b = cols["from_id"][1].astype(np.int64), cols["to_id"][1].astype(np.int64)
        mode, modes_ = column_codes(cols["mode"])
        self.mode_names = modes_
        self.mode_code = mode
        self.mode = np.array([mode_index[m] for m in modes_], np.int64)[mode]
        status, statuses = column_codes(cols["status"])
        self.status = np.array([status_index[s] for s in statuses], np.int64)[status]
        months, tables = column_codes(cols["open_months"])
        self.months = np.array([arrays.month_bits(m) for m in tables], np.int64)[months]
        oneway, flags = column_codes(cols["oneway"])
        self.oneway = np.array([bool(f) for f in flags], bool)[oneway]
        self.km = _floats(cols["length_km"])
        gauge, gauges = column_codes(cols["gauge_mm"])
        # the layer of each (mode, gauge) pair, in order of first appearance among the links
        pair = mode * len(gauges) + gauge
        pairs, first = np.unique(pair, return_index=True)
        pairs = pairs[np.argsort(first, kind="stable")]
        self.layer_names = [
            modes.layer(modes_[p // len(gauges)], gauges[p % len(gauges)]) for p in pairs.tolist()
        ]
        where = np.empty(len(modes_) * len(gauges), np.int64)
        where[pairs] = np.arange(len(pairs))
        self.layer = where[pair]  # a position into layer_names
        self.crossing_end = nodes.crossing[self.a] | nodes.crossing[self.b]
        self.abroad = nodes.country[self.a] != nodes.country[self.b]
        keys = [mode, nodes.country[self.a]]  # a link between plain places is priced by its start's
        keys += [column_codes(cols[f])[0] for f in ("speed_kmh", "usd_per_t", "usd_per_t_km", "wait_h")]
        self._keys = keys
        self._links = links

    def row(self, i: int) -> model.Link:
        """The link at position ``i``."""
        return self._links.row(i)

    def is_mode(self, name: str) -> np.ndarray:
        """Which links are of mode ``name``."""
        return np.isin(self.mode_code, [k for k, m in enumerate(self.mode_names) if m == name])

    def groups(self, at: np.ndarray) -> tuple[np.ndarray, list[model.Link]]:
        """The pricing group of each link at positions ``at``, and the first link of each group."""
        if not len(at):
            return np.zeros(0, np.int64), []
        # the codes of each link's terms as one number (mixed radix), else as rows of a table
        sizes = [int(k.max()) + 1 if len(k) else 1 for k in self._keys]
        if math.prod(sizes) < RADIX_LIMIT:
            key = np.zeros(len(at), np.int64)
            for k, size in zip(self._keys, sizes, strict=True):
                key = key * size + k[at]
            _, first, group = np.unique(key, return_index=True, return_inverse=True)
        else:
            key = np.column_stack([k[at] for k in self._keys])
            _, first, group = np.unique(key, axis=0, return_index=True, return_inverse=True)
        group = group.reshape(-1)
        return group, [self._links.row(int(at[i])) for i in first.tolist()]


def present(columns: Columns, field: str) -> np.ndarray:
    """Which rows have a value in ``field`` that is not None and not empty."""
    codes, table = column_codes(columns.columns[field])
    return np.array([bool(v) for v in table], bool)[codes] if len(table) else np.zeros(len(codes), bool)


def _floats(column: tuple) -> np.ndarray:
    if column[0] == "float":
        return column[1]
    codes, table = column_codes(column)
    return np.array([math.nan if v is None else float(v) for v in table], np.float64)[codes]
