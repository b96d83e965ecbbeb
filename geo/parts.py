"""Check ``part_of``: a station, port or dry port of a city, or a side of a border crossing.

A node with ``part_of`` belongs to the place of that node id: a name of the place (or its id)
then answers for the place and all its parts. The place must exist, must not itself be part
of another place (one level only), and should lie near its parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from corridors.geo import geodesy, model
from corridors.geo.schema import Problem

#: A part farther than this from its place earns a warning (the wrong id?).
MAX_PART_KM = 50.0


def check_parts(
    nodes: Mapping[str, model.Node],
    problems: list[Problem],
    *,
    items: Iterable[tuple[int | None, model.Node]] | None = None,
) -> None:
    """Record a problem for each ``part_of`` that names no node, itself, a part or a far node.

    ``items`` are ``(feature index, node)`` pairs to check (the nodes of user files); default
    every node of ``nodes``, named by id.
    """
    for index, node in ((None, n) for n in nodes.values()) if items is None else items:
        if node.part_of is None:
            continue
        msg = _problem(node, nodes.get(node.part_of))
        if msg is None:
            continue
        severity = "warning" if msg.endswith("the wrong place?") else "error"
        if index is None:
            msg = f"node {node.id!r}: {msg}"
        problems.append(Problem(node.file, msg, index, node.id, "part_of", severity))


def _problem(node: model.Node, place: model.Node | None) -> str | None:
    if place is None:
        return f"unknown node id {node.part_of!r}; expected the id of the place it belongs to"
    if place.id == node.id:
        return "a node cannot be part of itself"
    if place.part_of is not None:
        return f"{place.id!r} is itself part of {place.part_of!r}: give {place.part_of!r} (one level only)"
    km = geodesy.great_circle_km(node.lon, node.lat, place.lon, place.lat)
    if km > MAX_PART_KM:
        return f"{km:,.1f} km from {place.id!r} ({place.name}), over {MAX_PART_KM:g} km: the wrong place?"
    return None
