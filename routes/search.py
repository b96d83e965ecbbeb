"""Search the layered graph: best routes under constraints, and why none exists.

Best route: A* with an admissible great-circle heuristic between two places, Dijkstra from
every origin vertex when an endpoint is a region (a country or a sea), on either backend
(:mod:`routes.backends`). Constraints (:mod:`routes.constraints`) hide edges, so the cached
graph is never copied or changed; penalties (for alternatives, :mod:`routes.alternatives`)
scale or add to weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Union

import networkx as nx

from corridors.geo import model, objectives
from corridors.routes import backends, costs, graph
from corridors.routes.backends import BORDER_KEY as BORDER_KEY
from corridors.routes.backends import weight_function as weight_function
from corridors.routes.constraints import DEFAULT_STATUSES, Constraints
from corridors.routes.route import Crossing, Route, Segment, Step, Transfer

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
) -> tuple[list[tuple], list[dict]] | None:
    """The best path from any origin to any target: its vertices and the data of its edges.

    ``G`` is the networkx graph, or its array form (:mod:`routes.engine`) for large networks;
    either answers through the one interface of :mod:`routes.backends`.
    """
    return backends.backend(G).best(origins, targets, attr=attr, constraints=constraints, penalties=penalties)


def _figures(d: dict) -> dict[str, float]:
    """An edge's figures, one per objective."""
    return {attr: d[attr] for attr in objectives.attrs()}


def _sourced(priced: costs.Priced) -> dict:
    """A step's sources and where its time goes (part -> (low, central, high) hours)."""
    parts = {name: (p.low, p.central, p.high) for name, p in priced.parts.items()}
    return {"sources": priced.sources, "time_parts": parts}


def _steps(network: model.Network, path: list[tuple], edges: list[dict], start_seq: int) -> list[Step]:
    steps: list[Step] = []
    nodes = network.nodes
    for u, d in zip(path, edges, strict=False):
        seq = start_seq + len(steps)
        if d["kind"] == "link":
            link = network.links[d["link"]]
            forward = u[0] == link.from_id
            a, b = (link.from_id, link.to_id) if forward else (link.to_id, link.from_id)
            steps.append(
                Segment(
                    seq=seq,
                    link_id=link.id,
                    from_id=a,
                    to_id=b,
                    from_name=nodes[a].name,
                    to_name=nodes[b].name,
                    mode=link.mode,
                    status=link.status,
                    corridor=link.corridor,
                    values=_figures(d),
                    coords=link.coords if forward else tuple(reversed(link.coords)),
                    gauge_mm=link.gauge_mm,
                    project=link.project,
                    year=link.year,
                    length_estimated=link.length_estimated,
                    open_months=link.open_months,
                    **_sourced(costs.price_link(link, nodes, network.costs)),
                )
            )
        elif d["kind"] == "transfer":
            node = nodes[d["node"]]
            steps.append(
                Transfer(
                    seq=seq,
                    node_id=node.id,
                    name=node.name,
                    kind=d["transfer"],
                    from_layer=d["from_layer"],
                    to_layer=d["to_layer"],
                    values=_figures(d),
                    lon=node.lon,
                    lat=node.lat,
                    **_sourced(costs.price_transfer(node, d["transfer"], network.costs)),
                )
            )
        elif d["kind"] == "border":
            node = nodes[d["node"]]
            way = graph.direction(node, u[2])
            steps.append(
                Crossing(
                    seq=seq,
                    node_id=node.id,
                    name=node.name,
                    countries=way,
                    mode=d["mode"],
                    status=node.status,
                    values=_figures(d),
                    lon=node.lon,
                    lat=node.lat,
                    open_months=node.open_months,
                    **_sourced(costs.price_border(node, d["mode"], network.costs, way)),
                )
            )
    return steps


def _orient_crossings(steps: list[Step], nodes: dict[str, model.Node]) -> list[Step]:
    """Order each crossing's countries in the direction travelled."""
    out = list(steps)
    for i, step in enumerate(out):
        if not isinstance(step, Crossing):
            continue
        before = next((s.from_id for s in reversed(out[:i]) if isinstance(s, Segment)), None)
        after = next((s.to_id for s in out[i + 1 :] if isinstance(s, Segment)), None)
        a, b = step.countries
        if (before and nodes[before].country == b) or (after and nodes[after].country == a):
            out[i] = replace(step, countries=(b, a))
    return out


def _countries(steps: list[Step], nodes: dict[str, model.Node]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for s in steps:
        if isinstance(s, Segment):
            seen.setdefault(nodes[s.from_id].country)
            seen.setdefault(nodes[s.to_id].country)
        elif isinstance(s, Crossing):
            for c in s.countries:
                seen.setdefault(c)
    return tuple(seen)


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
    current = stops[0]
    for nxt in stops[1:]:
        found = best_path(G, current, nxt, attr=attr, constraints=constraints, penalties=penalties)
        if found is None:
            return None
        path, edges = found
        ends.append((path[0][0], path[-1][0]))
        steps.extend(_steps(network, path, edges, len(steps)))
        current = (path[-1][0],)
    return _route(network, steps, ends, by)


def path_route(network: model.Network, path: list[tuple], edges: list[dict], *, by: str) -> Route:
    """The route along a vertex path of the graph, given the data of its edges."""
    return _route(network, _steps(network, path, edges, 0), [(path[0][0], path[-1][0])], by)


def _route(network: model.Network, steps: list[Step], ends: list[tuple[str, str]], by: str) -> Route:
    steps = _orient_crossings(steps, network.nodes)
    return Route(
        origin=ends[0][0],
        destination=ends[-1][1],
        steps=tuple(steps),
        objective=by,
        countries=_countries(steps, network.nodes),
    )


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
                f"lies in {', '.join(where)}, which --avoid excludes"
            )
    lifts = {
        "avoided countries (--avoid)": replace(constraints, avoid_countries=frozenset()),
        "avoided places (--avoid)": replace(constraints, avoid_nodes=frozenset()),
        "the allowed modes (--modes)": replace(constraints, modes=frozenset(model.MODES)),
        "the allowed statuses (--status)": replace(constraints, statuses=DEFAULT_STATUSES),
        "the month's seasonal closures (--month)": replace(constraints, month=None),
        "suspended links and crossings (--include-suspended)": replace(constraints, include_suspended=True),
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
