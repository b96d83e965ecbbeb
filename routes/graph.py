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
from collections.abc import Iterator

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
        layer = link.layer
        layers[link.from_id].add(layer)
        layers[link.to_id].add(layer)
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
    G.add_edges_from(edge_rows(network))
    log.info("Built graph with %d vertices and %d edges", len(G), G.number_of_edges())
    G.graph["lower_bounds"] = lower_bounds(network, G)
    G.graph["positions"] = {n.id: (n.lon, n.lat) for n in network.nodes.values()}
    return G


def edge_rows(network: model.Network) -> Iterator[tuple[tuple, tuple, dict]]:
    """Every edge of the layered graph as ``(u, v, attrs)``, in the order the graph adds them.

    The one construction of the graph's edges: :func:`build_graph` adds them to networkx and
    :func:`routes.arrays.from_rows` copies them straight into arrays, so the two forms cannot
    disagree. The two directions of a link share one ``attrs`` dict, and so do the entry and exit
    access edges of a place's layer: read them, do not change them.
    """
    nodes = network.nodes
    linked: set[tuple] = set()
    for link in network.links.values():
        a, b = nodes[link.from_id], nodes[link.to_id]
        attrs = link_attrs(network, link, a, b)
        if sea_customs(network, link, a, b):
            yield from sea_crossing_rows(network, link.id, a, b, attrs)
            if not link.oneway:
                yield from sea_crossing_rows(network, link.id, b, a, attrs)
            continue
        layer = link.layer
        for u, v in directions(a, b, layer, link.oneway):
            if (u, v) in linked:
                yield from parallel_rows(u, v, attrs)
            else:
                linked.add((u, v))
                yield u, v, attrs
    for node_id, layers in layers_by_node(network).items():
        yield from place_rows(network, nodes[node_id], sorted(layers))


def link_attrs(network: model.Network, link: model.Link, a: model.Node, b: model.Node) -> dict:
    """The data of the edges of ``link`` from ``a`` to ``b`` (both directions share it)."""
    priced = costs.price_link(link, network.nodes, network.costs)
    return {
        "kind": "link",
        "link": link.id,
        "mode": link.mode,
        "status": link.status,
        "months": link.open_months,
        "countries": frozenset((a.country, b.country)),
        "nodes": (a.id, b.id),
        **objectives.values(priced.values, what=f"link {link.id!r}"),
    }


def sea_customs(network: model.Network, link: model.Link, a: model.Node, b: model.Node) -> bool:
    """True for a sea link between two countries under a cost model with port customs
    (:func:`sea_crossing_rows`)."""
    return link.mode == "sea" and a.country != b.country and bool(network.costs.port_customs)


def directions(a: model.Node, b: model.Node, layer: str, oneway: bool) -> list[tuple[tuple, tuple]]:
    """The (u, v) vertices of a link from ``a`` to ``b``, and back unless it is one-way."""
    forward = (_vertex(a, layer, b), _vertex(b, layer, a))
    return [forward] if oneway else [forward, (_vertex(b, layer, a), _vertex(a, layer, b))]


#: Layer prefixes of the vertices between a port's customs and a sea link to another country.
DEPART, ARRIVE = "customs>", "customs<"


def sea_crossing_rows(
    network: model.Network, link_id: str, a: model.Node, b: model.Node, attrs: dict
) -> Iterator[tuple[tuple, tuple, dict]]:
    """A sea link from ``a`` to ``b`` in another country: customs at both ports, then the sea.

    The route clears customs at the port it leaves (a ``border`` edge at ``a``), sails, and
    clears at the port it reaches (at ``b``), each priced by :func:`routes.costs.price_port_customs`.
    """
    departed, arrived = (a.id, DEPART + link_id, "via"), (b.id, ARRIVE + link_id, "via")
    yield _vertex(a, "sea", b), departed, _customs_edge(network, a, b)
    yield departed, arrived, attrs
    yield arrived, _vertex(b, "sea", a), _customs_edge(network, b, a)


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


def parallel_rows(u: tuple, v: tuple, attrs: dict) -> Iterator[tuple[tuple, tuple, dict]]:
    """A link parallel to one already between ``u`` and ``v`` goes through a vertex of its own.

    Link edges join vertices of two different places and place edges (:func:`place_rows`)
    vertices of one, so the link edges so far are all a parallel link can meet.
    """
    # The extra vertex sits at the link's end, so the A* heuristic stays admissible there.
    mid = (v[0], f"{attrs['link']}<{u[0]}", "via")
    yield u, mid, attrs
    yield (
        mid,
        v,
        {
            "kind": "access",
            "mode": attrs["mode"],
            "status": "operational",
            "months": None,
            "nodes": attrs["nodes"],
            "countries": attrs["countries"],
            **dict.fromkeys(objectives.attrs(), 0.0),
        },
    )


def place_rows(network: model.Network, node: model.Node, layers: list[str]) -> Iterator[tuple]:
    """The edges within one place: entry and exit (at a crossing, the border), transfers between layers."""
    common = {"months": None, "nodes": (node.id,), "countries": frozenset((node.country,))}
    sides = SIDES if node.is_crossing else ("",)
    for layer in layers:
        for side in sides:
            yield from _access_rows(network, node, layer, side, common)
    for a, b in itertools.permutations(layers, 2):
        kind = costs.transfer_kind(a, b)
        priced = costs.price_transfer(node, kind, network.costs)
        values = objectives.values(priced.values, what=f"the {kind} at {node.id!r}")
        for side in sides:
            yield (
                (node.id, a, side),
                (node.id, b, side),
                {
                    "kind": "transfer",
                    "transfer": kind,
                    "node": node.id,
                    "mode": None,
                    "status": "operational",
                    "from_layer": a,
                    "to_layer": b,
                    **values,
                    **common,
                },
            )


def _access_rows(
    network: model.Network, node: model.Node, layer: str, side: str, common: dict
) -> Iterator[tuple]:
    """Entry and exit of one layer (on one side of a crossing); at a crossing, the border edges.

    At a crossing, entry and exit are priced like the border they stand for: a route that
    starts at a crossing has come over the border, one that ends there goes over it.
    """
    vertex = (node.id, layer, side)
    if node.is_crossing:
        outward = border_edge(node, layer, side, network.costs)
        yield vertex, (node.id, layer, other_side(side)), outward
        yield vertex, (node.id, "*", "dest"), outward
        yield (node.id, "*", "origin"), vertex, border_edge(node, layer, other_side(side), network.costs)
        return
    zero = dict.fromkeys(objectives.attrs(), 0.0)
    access = {"kind": "access", "mode": modes.mode_of(layer), "status": "operational", **zero, **common}
    yield (node.id, "*", "origin"), vertex, access
    yield vertex, (node.id, "*", "dest"), access


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
