"""A path of the layered graph as a route: its steps (segments, transfers, border crossings
and port customs) with their figures, sources and the countries they pass."""

from __future__ import annotations

from corridors.geo import model, objectives
from corridors.routes import costs, graph, rest
from corridors.routes.route import Crossing, Route, Segment, Step, Transfer


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


def path_steps(network: model.Network, path: list[tuple], edges: list[dict], start_seq: int) -> list[Step]:
    """The steps along a vertex path, given the data of its edges, numbered from ``start_seq``."""
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

    A port call at a route's end (:mod:`routes.port_ends`) names the cargo's countries (``way``).
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
        countries=d.get("way") or graph.sea_crossing(network, u, v),
        mode="sea",
        status="operational",
        values=_figures(d),
        lon=node.lon,
        lat=node.lat,
        kind="port",
        country=node.country,
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


def path_route(network: model.Network, path: list[tuple], edges: list[dict], *, by: str) -> Route:
    """The route along a vertex path of the graph, given the data of its edges."""
    return route(network, path_steps(network, path, edges, 0), [(path[0][0], path[-1][0])], by)


def route(network: model.Network, steps: list[Step], ends: list[tuple[str, str]], by: str) -> Route:
    """The route made of ``steps``, from the first of ``ends`` to the last (one pair per leg).

    Road rest is counted by driving day over the whole route where the cost model gives crews
    (:mod:`routes.rest`).
    """
    steps = rest.by_driving_day(steps, network.costs.road_rest)
    return Route(
        origin=ends[0][0],
        destination=ends[-1][1],
        steps=tuple(steps),
        objective=by,
        countries=_countries(steps, network.nodes),
    )
