"""Pareto routes: every route that no other route beats on all criteria (time, cost, CO2e, ...).

A multi-criteria label-setting search on the layered graph (Martins' algorithm). A label is a
partial route: its totals by criterion, the vertex it ends at, the country it is in and the set
of countries it has been in. Labels leave a priority queue in lexicographic order of their
totals; one is kept only if no label kept at the same vertex and country is at least as good on
every criterion having been in no more countries, and no finished route is at least as good on
every criterion after adding an admissible lower bound of what remains (great-circle distance to
the nearest target times the least value per km of any link). Criteria are non-negative, so the
finished routes are exactly the Pareto set of routes that never enter a country twice. On large
networks the search stops after ``max_labels`` labels and says so: the routes found are then
non-dominated among themselves, not necessarily the whole set.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from corridors.geo import geodesy, model
from corridors.routes import countries

#: Labels kept before the search stops (the built-in network needs a few thousand).
MAX_LABELS = 200_000

EdgeValue = Callable[[dict], float]


@dataclass(frozen=True)
class Front:
    """The Pareto paths found: each as vertices and edge data, and whether the search was capped."""

    paths: list[tuple[list[tuple], list[dict]]]
    totals: list[tuple[float, ...]]
    capped: bool
    labels: int


def _dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    """Whether ``a`` is at least as good as ``b`` on every criterion (with float slack)."""
    return all(x <= y + 1e-9 for x, y in zip(a, b, strict=True))


def _heuristic(
    G: nx.DiGraph, targets: Sequence[str], bounds: Sequence[float]
) -> Callable[[str], tuple[float, ...]]:
    positions = G.graph["positions"]
    ends = [positions[t] for t in targets if t in positions]
    memo: dict[str, tuple[float, ...]] = {}

    def h(node_id: str) -> tuple[float, ...]:
        if node_id not in memo:
            x, y = positions[node_id]
            km = min((geodesy.great_circle_km(x, y, tx, ty) for tx, ty in ends), default=0.0)
            memo[node_id] = tuple(km * b for b in bounds)
        return memo[node_id]

    return h


def search(
    G: nx.DiGraph,
    nodes: Mapping[str, model.Node],
    origins: Sequence[str],
    targets: Sequence[str],
    *,
    values: Sequence[EdgeValue],
    allows: Callable[[dict], bool],
    bounds: Sequence[float] | None = None,
    max_labels: int = MAX_LABELS,
) -> Front:
    """The Pareto-optimal paths from any origin to any target under the criteria ``values``.

    Parameters
    ----------
    G
        The layered networkx graph (:func:`routes.graph.build_graph`).
    nodes
        The network's nodes, for the country rules (:mod:`routes.countries`).
    values
        One function per criterion: an edge's data to its non-negative value.
    allows
        Whether an edge exists in the scenario (``Constraints.allows``).
    bounds
        Per criterion, a lower bound of its value per great-circle km (0 if unknown).
    max_labels
        Stop after keeping this many labels; ``Front.capped`` then says so.
    """
    bounds = list(bounds) if bounds is not None else [0.0] * len(values)
    h = _heuristic(G, targets, bounds)
    country_bit: dict[str, int] = {}

    def bit(country: str) -> int:
        return 1 << country_bit.setdefault(country, len(country_bit))

    goals = {(t, "*", "dest") for t in targets}
    counter = itertools.count()
    # A label: (totals, vertex, country, visited, parent index, edge data); kept labels by index.
    labels: list[tuple] = []
    heap: list[tuple] = []
    zero = tuple(0.0 for _ in values)
    for o in origins:
        start = (o, "*", "origin")
        if start in G:
            country = nodes[o].country
            heapq.heappush(heap, (zero, next(counter), start, country, bit(country), -1, None))
    kept: dict[tuple, list[tuple[tuple, int]]] = {}
    finished: list[int] = []
    capped = False
    while heap:
        totals, _, u, country, visited, parent, edge = heapq.heappop(heap)
        if _beaten(totals, h(u[0]), finished, labels):
            continue
        at = kept.setdefault((u, country), [])
        if any(_dominates(t, totals) and not (v & ~visited) for t, v in at):
            continue
        if len(labels) >= max_labels:
            capped = True
            break
        at.append((totals, visited))
        labels.append((totals, u, parent, edge))
        index = len(labels) - 1
        if u in goals:
            finished.append(index)
            continue
        for v, d in G[u].items():
            if not allows(d):
                continue
            moved = _move(country, u, v, d, nodes)
            if moved != country and bit(moved) & visited:
                continue
            new = tuple(t + f(d) for t, f in zip(totals, values, strict=True))
            if _beaten(new, h(v[0]), finished, labels):
                continue
            heapq.heappush(heap, (new, next(counter), v, moved, visited | bit(moved), index, d))
    paths = [_path(labels, i) for i in finished]
    return Front(paths, [labels[i][0] for i in finished], capped, len(labels))


def _beaten(totals: tuple, rest: tuple, finished: list[int], labels: list[tuple]) -> bool:
    """Whether a finished route is at least as good as any completion of ``totals``."""
    best = tuple(t + r for t, r in zip(totals, rest, strict=True))
    return any(_dominates(labels[i][0], best) for i in finished)


def _move(country: str, u: tuple, v: tuple, d: dict, nodes: Mapping[str, model.Node]) -> str:
    kind = d["kind"]
    if kind == "link":
        return countries.after_link(country, u[0], v[0], nodes)
    if kind == "border":
        return countries.after_border(country, nodes[d["node"]])
    return country


def _path(labels: list[tuple], index: int) -> tuple[list[tuple], list[dict]]:
    vertices, edges = [], []
    while index >= 0:
        _, vertex, parent, edge = labels[index]
        vertices.append(vertex)
        if edge is not None:
            edges.append(edge)
        index = parent
    return vertices[::-1], edges[::-1]
