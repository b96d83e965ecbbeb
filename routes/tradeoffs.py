"""Trade-offs between corridors: the Pareto set of routes, and one route per gateway.

:func:`pareto_routes` returns every route that no other route beats on all the criteria
(:mod:`routes.pareto`). :func:`gateway_routes` returns, for each way into the destination's
country, the best route through it: the corridors side by side. A way in is a border crossing,
or a port that a sea link from another country reaches: the cargo clears customs there as at a
border (export or import clearance, or a transit declaration where it goes on beyond, as
:func:`routes.pricing.customs_regime` prices it for the query), and the route lists the call
among its crossings. A gateway that the query's scenario cuts off (a suspended crossing, a
proposed railway) is searched again with everything open, and its route says what it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from corridors.geo import model, objectives
from corridors.geo.errors import NoRouteError, QueryError
from corridors.routes import alternatives, assembly, backends, diagnosis, graph, pareto, search
from corridors.routes.route import Route

#: Labels kept before the Pareto search stops on networks in array form (large networks).
MAX_LABELS_LARGE = 50_000


@dataclass(frozen=True)
class Gateway:
    """A way into the destination's country (a border crossing, or a port call from abroad:
    ``kind`` ``crossing`` or ``port``) and the best route through it."""

    node_id: str
    name: str
    from_country: str
    to_country: str
    status: str
    route: Route | None
    in_scenario: bool
    needs: tuple[str, ...] = ()
    reason: str | None = None
    kind: str = "crossing"


def _criterion(name: str):
    attr = objectives.get(name).attr
    return lambda d: d[attr]


def pareto_routes(
    G: search.SearchGraph,
    network: model.Network,
    origins: Sequence[str],
    targets: Sequence[str],
    *,
    criteria: Sequence[str],
    constraints: search.Constraints,
    max_labels: int = pareto.MAX_LABELS,
) -> tuple[list[Route], list[str]]:
    """Every route from ``origins`` to ``targets`` that no other beats on all ``criteria``.

    Routes are sorted by the first criterion and ranked; the notes say how many there are and
    whether the search was capped.
    """
    if unknown := [c for c in criteria if c not in objectives.names()]:
        msg = f"`pareto`: unknown criterion {unknown[0]!r}; expected {', '.join(objectives.names())}"
        raise QueryError(msg)
    if len(set(criteria)) < 2:
        msg = f"`pareto` needs two or more different criteria, got {','.join(criteria)}"
        raise QueryError(msg)
    notes = []
    backend = backends.backend(G)
    if backend.large:
        max_labels = min(max_labels, MAX_LABELS_LARGE)
    G = backend.label_graph(network)
    bounds = G.graph["lower_bounds"]
    front = pareto.search(
        G,
        network.nodes,
        origins,
        targets,
        values=[_criterion(c) for c in criteria],
        allows=constraints.allows,
        bounds=[bounds.get(objectives.get(c).attr, 0.0) for c in criteria],
        max_labels=max_labels,
    )
    if not front.paths:
        raise NoRouteError(_no_front(G, network, origins, targets, criteria, constraints, front, max_labels))
    found = [assembly.path_route(network, p, e, by=criteria[0]) for p, e in front.paths]
    found.sort(key=lambda r: tuple(r.total(c) for c in criteria))
    routes = [replace(r, rank=i) for i, r in enumerate(found, 1)]
    both = " and ".join(criteria) if len(criteria) == 2 else ", ".join(criteria)
    many = "routes that no other route beats" if len(routes) != 1 else "route that no other route beats"
    notes.append(
        f"{len(routes)} {many} on {both} "
        f"(exact search, {front.labels:,} labels; routes enter no country twice)"
        if not front.capped
        else f"{len(routes)} {'route' if len(routes) == 1 else 'routes'} found before the search stopped at "
        f"{max_labels:,} labels: "
        "none beats another on every criterion, but the set may be incomplete on a network this large"
    )
    return routes, notes


def _no_front(G, network, origins, targets, criteria, constraints, front, max_labels) -> str:
    if front.capped:
        return (
            f"the Pareto search stopped at {max_labels:,} labels before it finished a route on a "
            f"network this large; ask for `by` {criteria[0]} `k` N instead"
        )
    stops = [list(origins), list(targets)]
    return diagnosis.diagnose(G, network, stops, by=criteria[0], constraints=constraints)


def gateways_into(network: model.Network, targets: Sequence[str]) -> list[model.Node]:
    """The ways into the countries of ``targets``, by name: the border crossings, and the ports
    there that a sea link from another country reaches (:func:`ports_into`)."""
    into = {network.nodes[t].country for t in targets}
    crossings = [n for n in network.nodes.values() if n.is_crossing and into & set(n.border.countries)]
    ports = [network.nodes[p] for p in ports_into(network, into)]
    return sorted([*crossings, *ports], key=lambda n: n.name)


def ports_into(network: model.Network, into: set[str]) -> dict[str, set[str]]:
    """The ports of the countries ``into`` that a sea link from another country reaches, with
    the countries it comes from: where the cost model prices port customs, each such call is a
    customs step of the route (:func:`routes.graph.sea_customs`); without it there is none, and
    a sea link is no gateway (nothing at the port says the cargo came in there)."""
    found: dict[str, set[str]] = {}
    for link in network.links.values():
        a, b = network.nodes[link.from_id], network.nodes[link.to_id]
        if not graph.sea_customs(network, link, a, b):
            continue
        for port, other, reached in ((b, a, True), (a, b, not link.oneway)):
            if reached and port.country in into:
                found.setdefault(port.id, set()).add(other.country)
    return found


def gateway_routes(
    G: search.SearchGraph,
    network: model.Network,
    origins: Sequence[str],
    targets: Sequence[str],
    *,
    by: str,
    constraints: search.Constraints,
) -> list[Gateway]:
    """The best route through each way into the destination's country (:func:`gateways_into`).

    Each route may use no other way into that country. A gateway the scenario cuts off is
    searched again with suspended links and crossings open, then also every project
    (``in_scenario`` false);
    ``needs`` says what its route relies on beyond today's operational network.
    """
    crossings = gateways_into(network, targets)
    if not crossings:
        msg = "`gateways`: no border crossing or port call leads into the destination's country"
        raise QueryError(msg)
    if {network.nodes[o].country for o in origins} <= {network.nodes[t].country for t in targets}:
        msg = "`gateways`: the origin is already in the destination's country"
        raise QueryError(msg)
    reopened = replace(constraints, include_suspended=True)
    everything = replace(reopened, statuses=frozenset(model.LINK_STATUSES))
    out = []
    into = {network.nodes[t].country for t in targets}
    ports = ports_into(network, into)
    for node in crossings:
        inside = next(c for c in _sides(node, ports) if c in into)
        others = [n for n in crossings if n.id != node.id and inside in _sides(n, ports)]
        ends = [t for t in targets if network.nodes[t].country == inside]
        stops = [list(origins), ends]
        route, in_scenario = None, True
        for scenario in dict.fromkeys((constraints, reopened, everything)):
            c = _only_through(scenario, others)
            route, _ = alternatives.best_route(G, network, stops, by=by, constraints=c)
            if route is not None and _entry(route, node.id, inside) is not None:
                break
            route, in_scenario = None, False
        out.append(_gateway(node, inside, ports, route, in_scenario, constraints))
    ranked = sorted((g for g in out if g.route), key=lambda g: g.route.total(by))
    rank = {g.node_id: i for i, g in enumerate(ranked, 1)}
    return [replace(g, route=replace(g.route, rank=rank[g.node_id])) if g.route else g for g in out]


def _sides(node: model.Node, ports: dict[str, set[str]]) -> tuple[str, ...]:
    """The countries a gateway joins: a crossing's two, or a port's own and those it is reached from."""
    if node.is_crossing:
        return tuple(node.border.countries)
    return (node.country, *sorted(ports[node.id]))


def _only_through(constraints: search.Constraints, others: Sequence[model.Node]) -> search.Constraints:
    """``constraints`` with the other ways in shut: the crossings avoided, and the customs of the
    other ports closed (the ports themselves stay, as places a route may end at or pass by land)."""
    return replace(
        constraints,
        avoid_nodes=constraints.avoid_nodes | {n.id for n in others if n.is_crossing},
        closed_crossings=constraints.closed_crossings | {n.id for n in others if not n.is_crossing},
    )


def _entry(route: Route, node_id: str, inside: str):
    """The route's step into ``inside`` at the gateway (a crossing, or customs at a port), or None."""
    return next((c for c in route.crossings if c.node_id == node_id and c.countries[1] == inside), None)


def _gateway(
    node: model.Node,
    inside: str,
    ports: dict[str, set[str]],
    route: Route | None,
    in_scenario: bool,
    constraints: search.Constraints,
) -> Gateway:
    """A gateway and its route (None: the reason). A port call is named as the route names it
    (``Karachi customs``, or ``... (transit)`` for cargo that goes on beyond), and comes from the
    country the route sails from."""
    entry = None if route is None else _entry(route, node.id, inside)
    if node.is_crossing:
        name, outside, kind = node.name, next(c for c in node.border.countries if c != inside), "crossing"
    else:
        outside = entry.countries[0] if entry else "/".join(sorted(ports[node.id]))
        name, kind = entry.name if entry else f"{node.name} customs", "port"
    status = node.status if node.is_crossing else "operational"
    found = route is not None
    gate = Gateway(node.id, name, outside, inside, status, route, in_scenario and found, kind=kind)
    if route is None:
        return replace(gate, reason=_why_none(node, constraints))
    return replace(gate, needs=needs(route))


def _why_none(node: model.Node, constraints: search.Constraints) -> str:
    countries = set(node.border.countries) if node.is_crossing else {node.country}
    if node.id in constraints.avoid_nodes or constraints.avoid_countries & countries:
        return "avoided (`avoid`)"
    return "no route reaches it, even with every project and suspended crossing open"


def needs(route: Route) -> tuple[str, ...]:
    """What a route relies on beyond today's operational network: projects, reopenings."""
    out: dict[str, None] = {}
    for s in route.segments:
        if s.status == "suspended":
            out.setdefault(f"reopening {s.corridor}")
        elif s.status != "operational":
            year = f", {s.year}" if s.year else ""
            out.setdefault(f"{s.project or s.corridor} ({s.status.replace('_', ' ')}{year})")
    for c in route.crossings:
        if c.status == "suspended":
            out.setdefault(f"reopening the {c.name} crossing")
        elif c.status != "operational":
            out.setdefault(f"the {c.name} crossing ({c.status})")
    return tuple(out)
