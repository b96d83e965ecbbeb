"""Why no route exists: the constraint that cuts every route, found by lifting each in turn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from corridors.geo import model
from corridors.routes.constraints import PLANNED_STATUSES, Constraints
from corridors.routes.route import Route
from corridors.routes.search import SearchGraph, route_through


def diagnose(
    G: SearchGraph,
    network: model.Network,
    stops: Sequence[Sequence[str]],
    *,
    by: str,
    constraints: Constraints,
) -> str:
    """Say which constraint cut every route, by lifting each in turn."""
    everything = Constraints(
        statuses=frozenset(model.LINK_STATUSES),
        include_suspended=True,
    )
    relaxed = route_through(G, network, stops, by=by, constraints=everything)
    if relaxed is None:
        return "the network does not connect these places by any link, even proposed or suspended ones"
    for stop in stops:
        if all(network.nodes[n].country in constraints.avoid_countries for n in stop):
            where = sorted({network.nodes[n].country for n in stop})
            return (
                f"{network.nodes[stop[0]].name if len(stop) == 1 else 'every candidate endpoint'} "
                f"lies in {', '.join(where)}, which `avoid` excludes"
            )
    lifts = {
        "avoided countries (`avoid`)": replace(constraints, avoid_countries=frozenset()),
        "avoided places (`avoid`)": replace(constraints, avoid_nodes=frozenset()),
        "the allowed modes (`modes`)": replace(constraints, modes=frozenset(model.MODES)),
        "today's network (add projects with `projects`)": replace(constraints, statuses=PLANNED_STATUSES),
        "the month's seasonal closures (`month`)": replace(constraints, month=None),
        "suspended links and crossings (`reopen` all)": replace(constraints, include_suspended=True),
    }
    culprits = []
    for label, lifted in lifts.items():
        if lifted == constraints:
            continue
        route = route_through(G, network, stops, by=by, constraints=lifted)
        if route is not None:
            culprits.append((label, route))
    if not culprits:
        return "no route satisfies these constraints together; lifting any one of them is not enough"
    label, route = culprits[0]
    detail = _what_it_needs(route, constraints, network)
    others = f" (lifting {', '.join(c[0] for c in culprits[1:])} also helps)" if culprits[1:] else ""
    return f"every route is cut off by {label}: {detail}{others}"


def _what_it_needs(route: Route, constraints: Constraints, network: model.Network) -> str:
    avoided = [c for c in route.countries if c in constraints.avoid_countries]
    if avoided:
        return f"the best route without it crosses {', '.join(avoided)}"
    places = [
        network.nodes[n].name
        for s in route.segments
        for n in (s.from_id, s.to_id)
        if n in constraints.avoid_nodes
    ]
    if places:
        return f"the best route without it passes {', '.join(dict.fromkeys(places))}"
    barred = [m for m in route.modes if m not in constraints.modes]
    if barred:
        return f"the best route without it uses {', '.join(barred)}"
    needs = [
        f"{s.link_id} ({s.status})"
        for s in route.segments
        if s.status != "operational" and s.status not in constraints.statuses
    ]
    needs += [
        f"{c.name} crossing ({c.status})"
        for c in route.crossings
        if c.status == "suspended" and not constraints.include_suspended
    ]
    if needs:
        return f"the best route without it relies on {', '.join(dict.fromkeys(needs))}"
    seasonal = [w for w in route.warnings if "open only" in w]
    if seasonal:
        return f"the best route without it uses {'; '.join(seasonal)}"
    return "the best route without it is " + " - ".join(route.corridors)
