"""Which country a route is in after each step, and whether it enters a country twice.

A border crossing node lies on one side of its border, so the country of a step is not simply
the country of the node it reaches: after a link the route is in the country of the end that is
not a crossing (else where it was), and a border crossing takes it to the other side. Sea links
change country without a crossing (Aktau to Bandar Anzali). The pareto search applies the same
rules edge by edge (:func:`after_link`, :func:`after_border`); :func:`runs` applies them to a
finished :class:`routes.route.Route`.
"""

from __future__ import annotations

from collections.abc import Mapping

from corridors.geo import model
from corridors.routes.route import Crossing, Route, Segment


def after_link(current: str, from_id: str, to_id: str, nodes: Mapping[str, model.Node]) -> str:
    """The country a route is in after the link ``from_id`` -> ``to_id``."""
    b = nodes[to_id]
    if not b.is_crossing:
        return b.country
    a = nodes[from_id]
    return current if a.is_crossing else a.country


def after_border(current: str, node: model.Node) -> str:
    """The country on the other side of the border at ``node`` from ``current``.

    Customs at a port (``node`` is no crossing) leave the route where it is: the sea link
    changes the country.
    """
    if node.border is None:
        return current
    x, y = node.border.countries
    if current == x:
        return y
    return x if current == y else node.country


def runs(route: Route, nodes: Mapping[str, model.Node]) -> list[str]:
    """The countries a route passes through, in order, one entry per stay.

    ``KAZ, UZB, KAZ`` means the route left Kazakhstan and came back.
    """
    current = nodes[route.origin].country
    out = [current]
    for step in route.steps:
        if isinstance(step, Segment):
            current = after_link(current, step.from_id, step.to_id, nodes)
        elif isinstance(step, Crossing):
            current = step.countries[1]
        if current != out[-1]:
            out.append(current)
    return out


def reentered(route: Route, nodes: Mapping[str, model.Node]) -> str | None:
    """The first country the route enters a second time, or None."""
    seen: set[str] = set()
    for country in runs(route, nodes):
        if country in seen:
            return country
        seen.add(country)
    return None
