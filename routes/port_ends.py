"""A route that starts or ends at a port with its cargo on a ship: the port call at that end.

Cargo that reached a port by sea from another country (``cargo_from``) has yet to be
discharged and cleared there; cargo that goes on by sea to a country beyond the destination
port (``cargo_to``) has yet to be cleared and loaded. A route from such a port starts in its
sea layer, past the customs of an inbound sea link from abroad, so it pays that customs as the
query's regime prices it (:func:`routes.pricing.customs_regime`: import clearance where the
cargo ends in the port's country, a transit declaration otherwise) and, if it leaves by land,
the port transfer to the layer it leaves by, exactly as a port call in mid-route does (a ship
that sails on pays the customs of its departure too). A route to such a port pays the transfer
to the sea layer if it arrives by land, and the customs of an outbound sea link (export
clearance, or transit). Where the cost model has no port customs, the port transfer alone.

The cargo is at sea at a port (:func:`at_sea`) when its country is not the port's and shares no
land border with it (India or the Emirates at Chabahar, Azerbaijan at Aktau); cargo from or to a
land neighbour came or goes on by land (Georgia beyond Baku, Afghanistan beyond Karachi).
Only places with a sea layer are ports. Where an endpoint names several places (a city's
terminals, a country) and the cargo is at sea at one of its ports, the route starts or ends at
such a port; every place of a query that names no cargo country keeps its entries and exits.

The call is the ship's, not the route's: it is priced on copies of the port's customs and
transfer edges marked ``port_call``, which the query's allowed modes do not hide
(:meth:`routes.constraints.Constraints.edge_filter`), so ``--modes road`` from a port still pays
it. The query's copy is an :class:`routes.overlay.Overlay` of the graph, which is never
changed. The array form (large networks) does not price the call: a query that would make
one there is refused (:class:`QueryError`).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from corridors.geo import convert, model, objectives
from corridors.geo.errors import QueryError
from corridors.routes import graph, overlay

SEA = "sea"
#: Sides of the vertices of a port call at a route's start and at its end.
CALL_IN, CALL_OUT = "call<", "call>"


def at_sea(network: model.Network, node_id: str, cargo: frozenset[str] | None) -> bool:
    """True if the cargo given for ``node_id``'s end (``cargo``) came or goes on by sea there:
    its country is not the place's and shares no land border with it (:func:`land_neighbours`)."""
    node = network.nodes[node_id]
    if cargo is None or node.is_crossing or node.country in cargo:
        return False
    return not cargo & land_neighbours(network, node.country)


def ports_at_sea(network: model.Network, node_ids: Iterable[str], cargo: frozenset[str] | None) -> list[str]:
    """The ports (places with a sea link) of ``node_ids`` where the cargo came or goes on by sea
    (:func:`at_sea`): the route's ends there are port calls (:func:`sea_ends`)."""
    if cargo is None:
        return []
    candidates = [n for n in dict.fromkeys(node_ids) if at_sea(network, n, cargo)]
    if not candidates:
        return []
    ports = {n for link in network.links.values() if link.mode == SEA for n in (link.from_id, link.to_id)}
    return [n for n in candidates if n in ports]


def land_neighbours(network: model.Network, country: str) -> frozenset[str]:
    """The countries that share a land border with ``country``: across a crossing of the network,
    or along the country outlines of its folder (``countries.geojson``: outlines that share a
    vertex), which name the countries beyond the network too (Georgia beyond Azerbaijan)."""
    found = {
        c
        for n in network.nodes.values()
        if n.is_crossing and country in n.border.countries
        for c in n.border.countries
    }
    path = convert.countries_path(network)
    if path is not None:
        found |= _outline_neighbours(str(path), path.stat().st_mtime_ns).get(country, set())
    return frozenset(found - {country})


@functools.lru_cache(maxsize=4)
def _outline_neighbours(path: str, _mtime_ns: int) -> dict[str, set[str]]:
    from pathlib import Path

    vertices: dict[tuple[float, float], set[str]] = defaultdict(set)
    for feature in convert.read_countries(Path(path))["features"]:
        iso3, geometry = feature["properties"]["iso3"], feature.get("geometry") or {}
        polygons = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        for ring in (ring for polygon in polygons for ring in polygon):
            for lon, lat, *_ in ring:
                vertices[round(lon, 4), round(lat, 4)].add(iso3)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for shared in vertices.values():
        for c in shared:
            neighbours[c] |= shared
    return neighbours


def sea_ends(
    G: nx.DiGraph,
    network: model.Network,
    origins: Iterable[str],
    destinations: Iterable[str],
    given: tuple[frozenset[str] | None, frozenset[str] | None],
) -> nx.DiGraph:
    """A copy of ``G`` whose origin ports start, and destination ports end, with the port call
    where the cargo came or goes on by sea (:func:`at_sea`); ``G`` itself when no end changes."""
    cargo_from, cargo_to = given
    starts, ends = ports_at_sea(network, origins, cargo_from), ports_at_sea(network, destinations, cargo_to)
    if not starts and not ends:
        return G
    if not isinstance(G, nx.DiGraph):
        port = network.nodes[(starts or ends)[0]].name
        which = "cargo_from" if starts else "cargo_to"
        msg = (
            f"`{which}`: the port call at {port} (cargo {'landed from' if starts else 'loaded on'} a ship) "
            "is not priced on a network this large (array form); give no cargo country beyond the sea"
        )
        raise QueryError(msg)
    edit = overlay.Overlay(G)
    for n in starts:
        _start_at_sea(edit, network, n, cargo_from)
    for n in ends:
        _end_at_sea(edit, network, n, cargo_to)
    # The cargo is on a ship: an endpoint's places without one (a terminal of the same city
    # with no sea link, an inland place of the country) are not where it starts or ends.
    for n in dict.fromkeys(origins) if starts else ():
        if n not in starts:
            for v in list(G._succ.get((n, "*", "origin"), ())):
                edit.cut((n, "*", "origin"), v)
    for n in dict.fromkeys(destinations) if ends else ():
        if n not in ends:
            for u in list(G._pred.get((n, "*", "dest"), ())):
                edit.cut(u, (n, "*", "dest"))
    return edit.graph()


def _start_at_sea(edit: overlay.Overlay, network: model.Network, port: str, cargo: frozenset[str]) -> None:
    G, sea, entry = edit.G, (port, SEA, ""), (port, "*", "origin")
    for v in list(G._succ[entry]):
        edit.cut(entry, v)
    landed = (port, SEA, CALL_IN)
    calls = _calls(G, network, port, graph.ARRIVE, cargo)
    for arrived in calls:
        call = (port, arrived[1], CALL_IN)
        edit.join(entry, call, _access(port))
        edit.join(call, landed, _marked(G.edges[arrived, sea], _way(network, port, cargo, arriving=True)))
    if not calls:
        edit.join(entry, landed, _access(port))
    for v in G._succ[sea]:
        if G.edges[sea, v]["kind"] == "transfer":
            edit.join(landed, v, _marked(G.edges[sea, v]))
    edit.join(landed, sea, _access(port))  # or sails on, as from a port call in mid-route


def _end_at_sea(edit: overlay.Overlay, network: model.Network, port: str, cargo: frozenset[str]) -> None:
    G, sea, exit_ = edit.G, (port, SEA, ""), (port, "*", "dest")
    for u in list(G._pred[exit_]):
        edit.cut(u, exit_)
    loading = (port, SEA, CALL_OUT)
    for u in G._pred[sea]:
        if G.edges[u, sea]["kind"] == "transfer":
            edit.join(u, loading, _marked(G.edges[u, sea]))
    edit.join(sea, loading, _access(port))  # or arrives by sea and sails on
    calls = _calls(G, network, port, graph.DEPART, cargo)
    for departed in calls:
        call = (port, departed[1], CALL_OUT)
        edit.join(loading, call, _marked(G.edges[sea, departed], _way(network, port, cargo, arriving=False)))
        edit.join(call, exit_, _access(port))
    if not calls:
        edit.join(loading, exit_, _access(port))


def _calls(G: nx.DiGraph, network: model.Network, port: str, prefix: str, cargo: frozenset[str]) -> list:
    """The vertices past a port's customs for its sea links from (``ARRIVE``) or to
    (``DEPART``) another country: those of the links with the cargo's country at their far end
    if there are any, else all."""
    sea = (port, SEA, "")
    near = G._pred[sea] if prefix == graph.ARRIVE else G._succ[sea]
    calls = [v for v in near if v[1].startswith(prefix) and v[0] == port]
    matching = [v for v in calls if _far_country(network, port, network.links[v[1][len(prefix) :]]) in cargo]
    return sorted(matching or calls)


def _far_country(network: model.Network, port: str, link: model.Link) -> str:
    return network.nodes[link.to_id if link.from_id == port else link.from_id].country


def _marked(d: dict, way: tuple[str, str] | None = None) -> dict:
    """A copy of a customs or transfer edge's data for a port call at a route's end; a customs
    edge's ``way`` is the (from, to) countries the cargo crosses there."""
    return {**d, "port_call": True, **({"way": way} if way else {})}


def _way(
    network: model.Network, port: str, cargo: frozenset[str], *, arriving: bool
) -> tuple[str, str] | None:
    """The cargo's country and the port's, in the direction it goes (None if not one country)."""
    if len(cargo) != 1:
        return None
    ends = (next(iter(cargo)), network.nodes[port].country)
    return ends if arriving else ends[::-1]


def _access(node_id: str) -> dict:
    return {
        "kind": "access",
        "mode": SEA,
        "status": "operational",
        "months": None,
        "nodes": (node_id,),
        "countries": frozenset(),
        **dict.fromkeys(objectives.attrs(), 0.0),
    }
