"""Search the layered graph: the best route under constraints, through stops in order.

Best route: A* with an admissible great-circle heuristic between two places, Dijkstra from
every origin vertex when an endpoint is a region (a country or a sea), on either backend
(:mod:`routes.backends`). Constraints (:mod:`routes.constraints`) hide edges, so the cached
graph is never copied or changed; penalties (for alternatives, :mod:`routes.alternatives`)
scale or add to weights. A path becomes a route in :mod:`routes.assembly`; a border crossing
given as a via point is passed by :mod:`routes.via_crossing`; why no route exists is said by
:mod:`routes.diagnosis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Union

import networkx as nx

from corridors.geo import model, objectives
from corridors.routes import assembly, backends, graph, via_crossing
from corridors.routes.backends import BORDER_KEY as BORDER_KEY
from corridors.routes.backends import weight_function as weight_function
from corridors.routes.constraints import Constraints
from corridors.routes.route import Route, Step

if TYPE_CHECKING:
    from corridors.routes.engine import ArrayGraph


#: What searches run on: the networkx graph, or its array form for large networks.
SearchGraph = Union[nx.DiGraph, "ArrayGraph"]


def best_path(
    G: SearchGraph,
    origins: Sequence[str],
    targets: Sequence[str],
    *,
    attr: str,
    constraints: Constraints,
    penalties: dict[str, float] | None = None,
    start: Sequence[tuple] | None = None,
    end: Sequence[tuple] | None = None,
) -> tuple[list[tuple], list[dict]] | None:
    """The best path from any origin to any target: its vertices and the data of its edges.

    ``G`` is the networkx graph, or its array form (:mod:`routes.engine`) for large networks;
    either answers through the one interface of :mod:`routes.backends`. ``start`` and ``end``
    list vertices to start from and end at in place of the places' entries and exits.
    """
    return backends.backend(G).best(
        origins, targets, attr=attr, constraints=constraints, penalties=penalties, start=start, end=end
    )


def route_through(
    G: SearchGraph,
    network: model.Network,
    stops: Sequence[Sequence[str]],
    *,
    by: str,
    constraints: Constraints,
    penalties: dict[str, float] | None = None,
) -> Route | None:
    """The best route visiting ``stops`` in order (each a set of candidate node ids), or None."""
    attr = objectives.get(by).attr
    steps: list[Step] = []
    ends = []
    current, start = stops[0], None
    i = 1
    while i < len(stops):
        crossing = via_crossing.asked(network, stops, i)
        if crossing is not None:
            legs = via_crossing.legs(
                G,
                network,
                current,
                crossing,
                stops[i + 1],
                attr=attr,
                constraints=constraints,
                penalties=penalties,
                start=start,
            )
            i += 1
        else:
            found = best_path(
                G, current, stops[i], attr=attr, constraints=constraints, penalties=penalties, start=start
            )
            legs = None if found is None else [found]
        if legs is None:
            return None
        for path, edges in legs:
            steps.extend(assembly.path_steps(network, path, edges, len(steps)))
        path = legs[-1][0]
        ends.append((legs[0][0][0][0], path[-1][0]))
        current, start = (path[-1][0],), None
        if i < len(stops) - 1 and network.nodes[path[-1][0]].is_crossing:
            # The leg paid the crossing on its way over: the next one goes on from the far side.
            node_id, layer, side = path[-2]
            start = [(node_id, layer, graph.other_side(side))]
        i += 1
    return assembly.route(network, steps, ends, by)
