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
from corridors.routes.constraints import PLANNED_STATUSES, Constraints
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


def _figures(d: dict) -> dict[str, float]:
    """An edge's figures, one per objective."""
    return {attr: d[attr] for attr in objectives.attrs()}


def _crossed(node: model.Node, u: tuple, v: tuple) -> tuple[str, str]:
    """The countries a border edge ``u -> v`` at ``node`` crosses, in the direction travelled."""
    to_side = v[2] if v[2] in graph.SIDES else graph.other_side(u[2])
    a, b = node.border.countries
    return (a, b) if to_side == graph.SIDES[1] else (b, a)


def _sourced(priced: costs.Priced) -> dict:
    """A step's sources and where its time goes (part -> (low, central, high) hours)."""
    parts = {name: (p.low, p.central, p.high) for name, p in priced.parts.items()}
    return {"sources": priced.sources, "time_parts": parts}


def _steps(network: model.Network, path: list[tuple], edges: list[dict], start_seq: int) -> list[Step]:
    steps: list[Step] = []
    nodes = network.nodes
    for u, v, d in zip(path, path[1:], edges, strict=False):
        seq = start_seq + len(steps)
        if d["kind"] == "link":
            row, links = d.get("link_row"), network.links
            link = links.row(row) if row is not None and hasattr(links, "row") else links[d["link"]]
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
        elif d["kind"] == "border" and not nodes[d["node"]].is_crossing:
            steps.append(_port_customs(network, nodes[d["node"]], u, v, d, seq))
        elif d["kind"] == "border":
            node = nodes[d["node"]]
            way = _crossed(node, u, v)
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


def _port_customs(
    network: model.Network, node: model.Node, u: tuple, v: tuple, d: dict, seq: int
) -> Crossing:
    """Customs at a port for a sea link to or from another country, as a border crossing.

    The edge's figures say the regime it was priced at: a transit declaration where they are
    those of ``[port_customs.transit]`` (:func:`routes.pricing.customs_regime`), else clearance.
    """
    transit = network.costs.port_transit is not None and (
        d["time_h"] == costs.price_port_customs(node, network.costs, transit=True).values["time_h"]
    )
    return Crossing(
        seq=seq,
        node_id=node.id,
        name=f"{node.name} customs" + (" (transit)" if transit else ""),
        countries=graph.sea_crossing(network, u, v),
        mode="sea",
        status="operational",
        values=_figures(d),
        lon=node.lon,
        lat=node.lat,
        **_sourced(costs.price_port_customs(node, network.costs, transit=transit)),
    )


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
    current, start = stops[0], None
    i = 1
    while i < len(stops):
        crossing = _via_crossing(network, stops, i)
        if crossing is not None:
            legs = _pass_crossing(
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
            steps.extend(_steps(network, path, edges, len(steps)))
        path = legs[-1][0]
        ends.append((legs[0][0][0][0], path[-1][0]))
        current, start = (path[-1][0],), None
        if i < len(stops) - 1 and network.nodes[path[-1][0]].is_crossing:
            # The leg paid the crossing on its way over: the next one goes on from the far side.
            node_id, layer, side = path[-2]
            start = [(node_id, layer, graph.other_side(side))]
        i += 1
    return _route(network, steps, ends, by)


def _via_crossing(network: model.Network, stops: Sequence[Sequence[str]], i: int) -> model.Node | None:
    """The crossing that stop ``i`` asks to pass, if it is a via point that is one crossing."""
    if 0 < i < len(stops) - 1 and len(stops[i]) == 1:
        node = network.nodes[stops[i][0]]
        return node if node.is_crossing else None
    return None


def _pass_crossing(
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
        legs = _over(
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
        if legs is not None:
            return legs
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
    best, best_value = None, float("inf")
    for side in graph.SIDES:
        into = best_path(
            G,
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
        out = best_path(G, (), targets, attr=attr, constraints=closed, penalties=penalties, start=[v])
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


def path_route(network: model.Network, path: list[tuple], edges: list[dict], *, by: str) -> Route:
    """The route along a vertex path of the graph, given the data of its edges."""
    return _route(network, _steps(network, path, edges, 0), [(path[0][0], path[-1][0])], by)


def _route(network: model.Network, steps: list[Step], ends: list[tuple[str, str]], by: str) -> Route:
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
        "today's network (add projects with --projects)": replace(constraints, statuses=PLANNED_STATUSES),
        "the month's seasonal closures (--month)": replace(constraints, month=None),
        "suspended links and crossings (--reopen all)": replace(constraints, include_suspended=True),
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
