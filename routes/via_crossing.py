"""A border crossing asked for as a via point: the legs into it, over it once, and out of it.

The legs before and after the crossing use no other crossing of the same border unless the
places cannot be joined without one (see :func:`legs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from corridors.geo import model
from corridors.routes import backends, graph
from corridors.routes.constraints import Constraints

if TYPE_CHECKING:
    from corridors.routes.search import SearchGraph


def asked(network: model.Network, stops: Sequence[Sequence[str]], i: int) -> model.Node | None:
    """The crossing that stop ``i`` asks to pass, if it is a via point that is one crossing."""
    if 0 < i < len(stops) - 1 and len(stops[i]) == 1:
        node = network.nodes[stops[i][0]]
        return node if node.is_crossing else None
    return None


def legs(
    G: SearchGraph,
    network: model.Network,
    current: Sequence[str],
    crossing: model.Node,
    targets: Sequence[str],
    *,
    attr: str,
    constraints: Constraints,
    penalties: dict[str, float] | None,
    start: Sequence[tuple] | None,
) -> list[tuple[list[tuple], list[dict]]] | None:
    """The legs into, over and out of a crossing asked for as a via point: across it, once.

    Both directions are tried (arrive on one side, go on from the other), and the better is
    kept. The crossing is the route's crossing of its border: the legs before and after use no
    other crossing of the same border (a route "via Torkham" does not enter Pakistan at Ghulam
    Khan, leave at Torkham and enter at Ghulam Khan again), unless the places cannot be joined
    without one (a round trip over the border); they never use this crossing. Returns the legs
    as ``(vertices, edges)``, or None.
    """
    for closing in (_same_border(network, crossing), {crossing.id}):
        found = _over(
            G,
            network,
            current,
            crossing,
            targets,
            attr=attr,
            constraints=constraints,
            closing=closing,
            penalties=penalties,
            start=start,
        )
        if found is not None:
            return found
    return None


def _over(
    G: SearchGraph,
    network: model.Network,
    current: Sequence[str],
    crossing: model.Node,
    targets: Sequence[str],
    *,
    attr: str,
    constraints: Constraints,
    closing: set[str],
    penalties: dict[str, float] | None,
    start: Sequence[tuple] | None,
) -> list[tuple[list[tuple], list[dict]]] | None:
    """The best legs into, over and out of ``crossing``, the crossings ``closing`` closed to the legs."""
    links = network.links.values()
    layers = sorted({link.layer for link in links if crossing.id in (link.from_id, link.to_id)})
    closed = replace(constraints, closed_crossings=constraints.closed_crossings | closing)
    search = backends.backend(G)
    best, best_value = None, float("inf")
    for side in graph.SIDES:
        into = search.best(
            current,
            (),
            attr=attr,
            constraints=closed,
            penalties=penalties,
            start=start,
            end=[(crossing.id, layer, side) for layer in layers],
        )
        if into is None:
            continue
        u = into[0][-1]
        v = (crossing.id, u[1], graph.other_side(side))
        over = graph.border_edge(crossing, u[1], side, network.costs)
        if not constraints.allows(over):
            continue
        out = search.best((), targets, attr=attr, constraints=closed, penalties=penalties, start=[v])
        if out is None:
            continue
        value = sum(d[attr] for d in (*into[1], over, *out[1]))
        if value < best_value:
            best, best_value = [into, ([u, v], [over]), out], value
    return best


def _same_border(network: model.Network, crossing: model.Node) -> set[str]:
    """The ids of the crossings on ``crossing``'s border (between the same two countries)."""
    pair = set(crossing.border.countries)
    return {n.id for n in network.nodes.values() if n.is_crossing and set(n.border.countries) == pair}
