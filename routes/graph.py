"""Build the layered graph: one vertex per place and mode layer, transfers and borders as edges.

Vertices are tuples ``(node_id, layer, side)``:

- ``layer`` is ``road``, ``sea`` or ``rail<gauge_mm>`` (``rail1520``); ``side`` is ``""``.
- A border crossing has one vertex per layer on each side of the border, ``side="a"`` (the
  first of ``border.countries``) and ``side="b"``: a link joins the side of the country at its
  other end. ``border`` edges join the two sides and carry the dwell, so every route from one
  country to the other pays it once, and a route that turns back on one side pays nothing.
- Transfers (mode and gauge changes) join the layers of one place (at a crossing, on each side)
  and are edges that the search prices like any other.
- ``(node_id, "*", "origin")`` and ``(node_id, "*", "dest")`` are entry and exit vertices, so a
  search starts or ends at a place on whichever layer suits it. At a crossing these are
  ``border`` edges too: a route that starts or ends at a crossing pays its dwell, exactly as a
  route through it does.

Each edge has ``kind`` (``link``, ``transfer``, ``border``, ``access``), one figure per
objective under its attribute (:mod:`corridors.geo.objectives`: ``distance_km``, ``time_h``,
``cost_usd_per_t``, ...), and what the filters need (``mode``,
``status``, ``months``, ``countries``, ``nodes``).
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict

import networkx as nx

from corridors.geo import geodesy, model, modes, objectives
from corridors.routes import costs

log = logging.getLogger(__name__)

#: The edge attribute of each objective, by name (read from :data:`corridors.geo.objectives.OBJECTIVES`).
OBJECTIVES = {o.name: o.attr for o in objectives.OBJECTIVES}


def layers_by_node(network: model.Network) -> dict[str, set[str]]:
    """The layers present at each node, from the links that touch it."""
    layers: dict[str, set[str]] = defaultdict(set)
    for link in network.links.values():
        layers[link.from_id].add(link.layer)
        layers[link.to_id].add(link.layer)
    return layers


SIDES = ("a", "b")


def side_toward(node: model.Node, other: model.Node) -> str:
    """The side of crossing ``node`` that a link to ``other`` joins: the side of ``other``'s country.

    A link to a third country joins the side of the crossing's own country.
    """
    countries = node.border.countries
    for country in (other.country, node.country):
        if country in countries:
            return SIDES[countries.index(country)]
    return SIDES[0]


def other_side(side: str) -> str:
    """``"a"`` for ``"b"`` and ``"b"`` for ``"a"``."""
    return SIDES[1 - SIDES.index(side)]


def direction(node: model.Node, side: str) -> tuple[str, str]:
    """The (from, to) countries of crossing ``node`` for traffic that starts on ``side``."""
    a, b = node.border.countries
    return (a, b) if side == SIDES[0] else (b, a)


def border_edge(node: model.Node, layer: str, side: str, cost_model: model.CostModel) -> dict:
    """The data of the border edge at crossing ``node`` on ``layer``, from ``side`` to the other."""
    mode = modes.mode_of(layer)
    priced = costs.price_border(node, mode, cost_model, direction(node, side))
    return {
        "kind": "border",
        "node": node.id,
        "mode": mode,
        "status": node.status,
        "layer": layer,
        "months": node.open_months,
        "nodes": (node.id,),
        "countries": frozenset(node.border.countries),
        **objectives.values(priced.values, what=f"the crossing at {node.id!r}"),
    }


def _vertex(node: model.Node, layer: str, other: model.Node) -> tuple:
    return (node.id, layer, side_toward(node, other) if node.is_crossing else "")


def build_graph(network: model.Network) -> nx.DiGraph:
    """Build the layered, directed graph of a network with every step priced."""
    G = nx.DiGraph()
    nodes = network.nodes
    for link in network.links.values():
        priced = costs.price_link(link, nodes, network.costs)
        a, b = nodes[link.from_id], nodes[link.to_id]
        attrs = {
            "kind": "link",
            "link": link.id,
            "mode": link.mode,
            "status": link.status,
            "months": link.open_months,
            "countries": frozenset((a.country, b.country)),
            "nodes": (a.id, b.id),
            **objectives.values(priced.values, what=f"link {link.id!r}"),
        }
        if link.mode == "sea" and a.country != b.country and network.costs.port_customs:
            _add_sea_crossing(G, network, link.id, a, b, attrs)
            if not link.oneway:
                _add_sea_crossing(G, network, link.id, b, a, attrs)
            continue
        _add_link_edge(G, _vertex(a, link.layer, b), _vertex(b, link.layer, a), attrs)
        if not link.oneway:
            _add_link_edge(G, _vertex(b, link.layer, a), _vertex(a, link.layer, b), attrs)
    for node_id, layers in layers_by_node(network).items():
        _add_place(G, network, nodes[node_id], sorted(layers))
    log.info("Built graph with %d vertices and %d edges", len(G), G.number_of_edges())
    G.graph["lower_bounds"] = lower_bounds(network, G)
    G.graph["positions"] = {n.id: (n.lon, n.lat) for n in nodes.values()}
    return G


#: Layer prefixes of the vertices between a port's customs and a sea link to another country.
DEPART, ARRIVE = "customs>", "customs<"


def _add_sea_crossing(
    G: nx.DiGraph, network: model.Network, link_id: str, a: model.Node, b: model.Node, attrs: dict
) -> None:
    """A sea link from ``a`` to ``b`` in another country: customs at both ports, then the sea.

    The route clears customs at the port it leaves (a ``border`` edge at ``a``), sails, and
    clears at the port it reaches (at ``b``), each priced by :func:`routes.costs.price_port_customs`.
    """
    departed, arrived = (a.id, DEPART + link_id, "via"), (b.id, ARRIVE + link_id, "via")
    G.add_edge(_vertex(a, "sea", b), departed, **_customs_edge(network, a, b))
    G.add_edge(departed, arrived, **attrs)
    G.add_edge(arrived, _vertex(b, "sea", a), **_customs_edge(network, b, a))


def _customs_edge(network: model.Network, port: model.Node, other: model.Node) -> dict:
    priced = costs.price_port_customs(port, network.costs)
    return {
        "kind": "border",
        "node": port.id,
        "mode": "sea",
        "status": "operational",
        "layer": "sea",
        "months": None,
        "nodes": (port.id,),
        "countries": frozenset((port.country, other.country)),
        **objectives.values(priced.values, what=f"customs at {port.id!r}"),
    }


def sea_crossing(network: model.Network, u: tuple, v: tuple) -> tuple[str, str] | None:
    """The (from, to) countries of a port's customs edge ``u -> v``, or None for another edge."""
    for vertex, leaving in ((v, True), (u, False)):
        for prefix in (DEPART, ARRIVE):
            if vertex[1].startswith(prefix):
                link = network.links[vertex[1][len(prefix) :]]
                here = u[0] if leaving else v[0]
                other = link.to_id if here == link.from_id else link.from_id
                ends = (network.nodes[here].country, network.nodes[other].country)
                return ends if leaving else ends[::-1]
    return None


def _add_link_edge(G: nx.DiGraph, u: tuple, v: tuple, attrs: dict) -> None:
    """Add a link edge; a parallel link between the same vertices goes through a vertex of its own."""
    if not G.has_edge(u, v):
        G.add_edge(u, v, **attrs)
        return
    # The extra vertex sits at the link's end, so the A* heuristic stays admissible there.
    mid = (v[0], f"{attrs['link']}<{u[0]}", "via")
    G.add_edge(u, mid, **attrs)
    G.add_edge(
        mid,
        v,
        kind="access",
        mode=attrs["mode"],
        status="operational",
        months=None,
        nodes=attrs["nodes"],
        countries=attrs["countries"],
        **dict.fromkeys(objectives.attrs(), 0.0),
    )


def _add_place(G: nx.DiGraph, network: model.Network, node: model.Node, layers: list[str]) -> None:
    common = {"months": None, "nodes": (node.id,), "countries": frozenset((node.country,))}
    sides = SIDES if node.is_crossing else ("",)
    for layer in layers:
        for side in sides:
            _add_access(G, network, node, layer, side)
    for a, b in itertools.permutations(layers, 2):
        kind = costs.transfer_kind(a, b)
        priced = costs.price_transfer(node, kind, network.costs)
        for side in sides:
            G.add_edge(
                (node.id, a, side),
                (node.id, b, side),
                kind="transfer",
                transfer=kind,
                node=node.id,
                mode=None,
                status="operational",
                from_layer=a,
                to_layer=b,
                **objectives.values(priced.values, what=f"the {kind} at {node.id!r}"),
                **common,
            )


def _add_access(G: nx.DiGraph, network: model.Network, node: model.Node, layer: str, side: str) -> None:
    """Entry and exit of one layer (on one side of a crossing); at a crossing, the border edges.

    At a crossing, entry and exit are priced like the border they stand for: a route that
    starts at a crossing has come over the border, one that ends there goes over it.
    """
    mode = modes.mode_of(layer)
    vertex = (node.id, layer, side)
    if node.is_crossing:
        outward = border_edge(node, layer, side, network.costs)
        G.add_edge(vertex, (node.id, layer, other_side(side)), **outward)
        G.add_edge(vertex, (node.id, "*", "dest"), **outward)
        G.add_edge(
            (node.id, "*", "origin"), vertex, **border_edge(node, layer, other_side(side), network.costs)
        )
        return
    access = {
        "kind": "access",
        "mode": mode,
        "status": "operational",
        "months": None,
        "nodes": (node.id,),
        "countries": frozenset((node.country,)),
        **dict.fromkeys(objectives.attrs(), 0.0),
    }
    G.add_edge((node.id, "*", "origin"), vertex, **access)
    G.add_edge(vertex, (node.id, "*", "dest"), **access)


def lower_bounds(network: model.Network, G: nx.DiGraph) -> dict[str, float]:
    """For each objective, the least value per great-circle km over all links.

    Multiplied by the great-circle distance to the target it gives an admissible A* heuristic:
    no path can cost less, since every step costs at least that much per km it advances.
    """
    bounds = {attr: float("inf") for attr in objectives.attrs()}
    nodes = network.nodes
    for _, _, d in G.edges(data=True):
        if d["kind"] != "link":
            continue
        a, b = (nodes[n] for n in d["nodes"])
        chord = geodesy.great_circle_km(a.lon, a.lat, b.lon, b.lat)
        if chord <= 0:
            continue
        for attr in bounds:
            bounds[attr] = min(bounds[attr], d[attr] / chord)
    return {k: (0.0 if v == float("inf") else v * 0.999) for k, v in bounds.items()}
