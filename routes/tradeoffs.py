"""Trade-offs between corridors: the Pareto set of routes, and one route per gateway.

:func:`pareto_routes` returns every route that no other route beats on all the criteria
(:mod:`routes.pareto`). :func:`gateway_routes` returns, for each border crossing into the
destination's country, the best route through it: the corridors side by side. A gateway that
the query's scenario cuts off (a suspended crossing, a proposed railway) is searched again with
everything open, and its route says what it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from corridors.geo import model, objectives
from corridors.geo.errors import NoRouteError, QueryError
from corridors.routes import alternatives, assembly, backends, diagnosis, pareto, search
from corridors.routes.route import Route

#: Labels kept before the Pareto search stops on networks in array form (large networks).
MAX_LABELS_LARGE = 50_000


@dataclass(frozen=True)
class Gateway:
    """A border crossing into the destination's country and the best route through it."""

    node_id: str
    name: str
    from_country: str
    to_country: str
    status: str
    route: Route | None
    in_scenario: bool
    needs: tuple[str, ...] = ()
    reason: str | None = None


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
            f"network this large; ask for --by {criteria[0]} -k N instead"
        )
    stops = [list(origins), list(targets)]
    return diagnosis.diagnose(G, network, stops, by=criteria[0], constraints=constraints)


def gateways_into(network: model.Network, targets: Sequence[str]) -> list[model.Node]:
    """The border crossings into the countries of ``targets``, by name."""
    into = {network.nodes[t].country for t in targets}
    return sorted(
        (n for n in network.nodes.values() if n.is_crossing and into & set(n.border.countries)),
        key=lambda n: n.name,
    )


def gateway_routes(
    G: search.SearchGraph,
    network: model.Network,
    origins: Sequence[str],
    targets: Sequence[str],
    *,
    by: str,
    constraints: search.Constraints,
) -> list[Gateway]:
    """The best route through each border crossing into the destination's country.

    Each route may use no other crossing into that country. A gateway the scenario cuts off is
    searched again with suspended links and crossings open, then also every project
    (``in_scenario`` false);
    ``needs`` says what its route relies on beyond today's operational network.
    """
    crossings = gateways_into(network, targets)
    if not crossings:
        msg = "`gateways`: no border crossing leads into the destination's country"
        raise QueryError(msg)
    if {network.nodes[o].country for o in origins} <= {network.nodes[t].country for t in targets}:
        msg = "`gateways`: the origin is already in the destination's country"
        raise QueryError(msg)
    reopened = replace(constraints, include_suspended=True)
    everything = replace(reopened, statuses=frozenset(model.LINK_STATUSES))
    out = []
    for node in crossings:
        inside = next(c for c in node.border.countries if c in {network.nodes[t].country for t in targets})
        others = frozenset(n.id for n in crossings if n.id != node.id and inside in n.border.countries)
        ends = [t for t in targets if network.nodes[t].country == inside]
        stops = [list(origins), ends]
        route, in_scenario = None, True
        for scenario in dict.fromkeys((constraints, reopened, everything)):
            c = replace(scenario, avoid_nodes=scenario.avoid_nodes | others)
            route, _ = alternatives.best_route(G, network, stops, by=by, constraints=c)
            if route is not None and node.id in {x.node_id for x in route.crossings}:
                break
            route, in_scenario = None, False
        outside = next(c for c in node.border.countries if c != inside)
        reason = None if route else _why_none(node, constraints)
        found = route is not None
        gate = Gateway(node.id, node.name, outside, inside, node.status, route, in_scenario and found)
        out.append(replace(gate, needs=needs(route), reason=None) if found else replace(gate, reason=reason))
    ranked = sorted((g for g in out if g.route), key=lambda g: g.route.total(by))
    rank = {g.node_id: i for i, g in enumerate(ranked, 1)}
    return [replace(g, route=replace(g.route, rank=rank[g.node_id])) if g.route else g for g in out]


def _why_none(node: model.Node, constraints: search.Constraints) -> str:
    if node.id in constraints.avoid_nodes or constraints.avoid_countries & set(node.border.countries):
        return "avoided (--avoid)"
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
