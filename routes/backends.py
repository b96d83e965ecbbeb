"""The search backends: one small interface over the networkx graph and its array form.

Every search (best routes, alternatives, the diagnosis of an impossible query, the scenario
ranking) asks a :class:`Backend` two things: the best path between sets of places
(:meth:`Backend.best`), and the best value from every place to one destination
(:meth:`Backend.reverse_costs`). The exact label searches (:mod:`corridors.routes.pareto`) run
on a networkx graph only: :meth:`Backend.label_graph` gives one, and :attr:`Backend.large` says
whether the network is too large for them to run unbounded. :class:`GraphBackend` answers on the
networkx graph with A* and Dijkstra; :class:`ArrayBackend` on the CSR arrays of
:class:`corridors.routes.engine.ArrayGraph` with scipy. Both hide edges by the same rules
(:mod:`corridors.routes.constraints`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import networkx as nx

from corridors.geo import geodesy, model
from corridors.routes.constraints import Constraints

#: A path found: its vertex tuples and the data of each edge along it.
Path = tuple[list[tuple], list[dict]]
#: Key of ``penalties`` whose value is added to the weight of every border crossing.
BORDER_KEY = "*border"


@runtime_checkable
class Backend(Protocol):
    """What the searches need of a graph."""

    #: A large network, in array form: label searches are capped, and their graph is built anew.
    large: bool

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
    ) -> Path | None:
        """The best path from any origin place to any target place, or None.

        ``attr`` is the objective's edge attribute; ``penalties`` multiply the weight of the
        links and border crossings (by id) they name. ``start`` and ``end``, when given, list
        the vertices to start from and end at in place of the places' entries and exits (to
        pass a crossing asked for as a via point).
        """
        ...

    def reverse_costs(self, target: str, *, attr: str, constraints: Constraints) -> dict[str, float]:
        """The best value by ``attr`` from every place that reaches ``target``, by node id."""
        ...

    def tree(
        self,
        places: Sequence[str],
        *,
        attr: str,
        constraints: Constraints,
        reverse: bool = False,
        cutoff: float | None = None,
    ) -> dict[str, Path]:
        """The best paths between the set ``places`` and every other place, by that place's id.

        Forward, from the nearest of ``places`` to each place reached; with ``reverse``, from each
        place to its nearest of ``places`` (one search on the reversed graph). Paths run forward
        either way. ``cutoff`` bounds the value by ``attr`` searched.
        """
        ...

    def label_graph(self, network: model.Network) -> nx.DiGraph:
        """The networkx graph of ``network`` for the label searches (:mod:`routes.pareto`)."""
        ...


class GraphBackend:
    """Searches on the networkx graph: A* between two places, Dijkstra otherwise."""

    large = False

    def __init__(self, G: nx.DiGraph) -> None:
        self.G = G

    def label_graph(self, network: model.Network) -> nx.DiGraph:
        return self.G

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
    ) -> Path | None:
        G = self.G
        weight = weight_function(constraints, attr, penalties)
        path = vertex_path(G, origins, targets, weight, attr, start=start, end=end)
        if path is None:
            return None
        return path, [G.edges[u, v] for u, v in itertools.pairwise(path)]

    def reverse_costs(self, target: str, *, attr: str, constraints: Constraints) -> dict[str, float]:
        goal = (target, "*", "dest")
        if goal not in self.G:
            return {}
        R = self.G.reverse(copy=False)
        dist = nx.single_source_dijkstra_path_length(R, goal, weight=weight_function(constraints, attr))
        return {v[0]: d for v, d in dist.items() if v[2] == "origin"}

    def tree(
        self,
        places: Sequence[str],
        *,
        attr: str,
        constraints: Constraints,
        reverse: bool = False,
        cutoff: float | None = None,
    ) -> dict[str, Path]:
        G = self.G
        start, end = ("dest", "origin") if reverse else ("origin", "dest")
        sources = [(n, "*", start) for n in places if (n, "*", start) in G]
        if not sources:
            return {}
        graph = G.reverse(copy=False) if reverse else G
        weight = weight_function(constraints, attr)
        _, paths = nx.multi_source_dijkstra(graph, sources, cutoff=cutoff, weight=weight)
        out = {}
        for v, path in paths.items():
            if v[1:] == ("*", end):
                path = path[::-1] if reverse else path
                out[v[0]] = (path, [G.edges[u, w] for u, w in itertools.pairwise(path)])
        return out


class ArrayBackend:
    """Searches on the array form of a large network (:class:`routes.engine.ArrayGraph`)."""

    large = True

    def __init__(self, arrays) -> None:
        self.arrays = arrays

    def best(self, origins: Sequence[str], targets: Sequence[str], **options) -> Path | None:
        return self.arrays.best(origins, targets, **options)

    def reverse_costs(self, target: str, *, attr: str, constraints: Constraints) -> dict[str, float]:
        return self.arrays.reverse_costs(target, attr=attr, constraints=constraints)

    def tree(self, places: Sequence[str], **options) -> dict[str, Path]:
        return self.arrays.tree(places, **options)

    def label_graph(self, network: model.Network) -> nx.DiGraph:
        """Built from the network on each call: a large network's graph is not kept in memory.
        A query's customs regime and pricing on the arrays (:func:`routes.pricing.query_graph`)
        apply to it too."""
        from corridors.routes import graph, pricing

        G = graph.build_graph(network)
        terms = getattr(self.arrays, "query_terms", None)
        return G if terms is None else pricing.query_graph(G, network, *terms)


def backend(G) -> Backend:
    """The backend of a loaded graph (a networkx graph, or the array form of a large network)."""
    if isinstance(G, nx.DiGraph):
        return GraphBackend(G)
    return G if isinstance(G, Backend) else ArrayBackend(G)


def weight_function(
    constraints: Constraints, attr: str, penalties: dict[str, float] | None = None
) -> Callable[[tuple, tuple, dict], float | None]:
    """An edge weight for networkx: the objective, times any penalty, or None if hidden.

    ``penalties`` maps link and crossing ids to factors; its :data:`BORDER_KEY` entry is added
    to every border crossing.
    """
    penalties = penalties or {}
    border_extra = penalties.get(BORDER_KEY, 0.0)
    allows = constraints.edge_filter()

    def weight(u: tuple, v: tuple, d: dict) -> float | None:
        if not allows(d):
            return None
        value = d[attr]
        if penalties:
            border = d["kind"] == "border"
            key = d.get("link") or (d.get("node") if border else None)
            value = value * penalties.get(key, 1.0) + (border_extra if border else 0.0)
        return value

    return weight


def vertex_path(
    G: nx.DiGraph,
    origins: Sequence[str],
    targets: Sequence[str],
    weight: Callable,
    attr: str,
    *,
    start: Sequence[tuple] | None = None,
    end: Sequence[tuple] | None = None,
) -> list[tuple] | None:
    """Best vertex path in the networkx graph: A* between two places, else Dijkstra."""
    if start is not None:
        sources = [v for v in start if v in G]
    else:
        sources = [(n, "*", "origin") for n in origins if (n, "*", "origin") in G]
    if end is not None:
        goals = {v for v in end if v in G}
    else:
        goals = {(n, "*", "dest") for n in targets if (n, "*", "dest") in G}
    if not sources or not goals:
        return None
    if len(sources) == 1 and len(goals) == 1:
        goal = next(iter(goals))
        positions, bound = G.graph["positions"], G.graph["lower_bounds"][attr]
        tx, ty = positions[goal[0]]

        def heuristic(u: tuple, _target: tuple) -> float:
            x, y = positions[u[0]]
            return geodesy.great_circle_km(x, y, tx, ty) * bound

        try:
            return nx.astar_path(G, sources[0], goal, heuristic=heuristic, weight=weight)
        except nx.NetworkXNoPath:
            return None
    dist, paths = nx.multi_source_dijkstra(G, sources, weight=weight)
    reached = [g for g in goals if g in dist]
    if not reached:
        return None
    return paths[min(reached, key=lambda g: (dist[g], g))]
