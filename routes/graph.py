"""Build the layered graph: one vertex per place and mode layer, transfers and borders as edges.

Vertices are tuples ``(node_id, layer, side)``:

- ``layer`` is ``road``, ``sea`` or ``rail<gauge_mm>`` (``rail1520``); ``side`` is ``""``.
- A border crossing between countries ``(A, B)`` has, per layer and direction, an entry and an
  exit vertex joined by a ``border`` edge that carries that direction's dwell: ``"in"`` ->
  ``"out"`` for A to B, ``"in<"`` -> ``"out<"`` for B to A. A link reaches the entry of the
  direction it comes from (by the country of its other end) and leaves from the exit of the
  direction it goes to, so every route through the crossing pays its direction's dwell once.
- Transfers (mode and gauge changes) join the layers of one place (at a crossing, its ``out``
  vertices: a route crosses the border on the layer it arrived on, then changes) and are edges
  that the search prices like any other.
- ``(node_id, "*", "origin")`` and ``(node_id, "*", "dest")`` are entry and exit vertices, so a
  search starts or ends at a place on whichever layer suits it.

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


#: Entry and exit sides of a crossing, by direction: A to B, B to A.
FORWARD, BACKWARD = ("in", "out"), ("in<", "out<")


def _from_side_a(node: model.Node, other_country: str) -> bool:
    """Whether traffic between ``node`` and a place in ``other_country`` is on its A side."""
    a, b = node.border.countries
    return other_country != b if other_country in (a, b) else node.country == a


def _enter(node: model.Node, layer: str, from_country: str) -> tuple:
    if not node.is_crossing:
        return (node.id, layer, "")
    return (node.id, layer, (FORWARD if _from_side_a(node, from_country) else BACKWARD)[0])


def _leave(node: model.Node, layer: str, to_country: str) -> tuple:
    if not node.is_crossing:
        return (node.id, layer, "")
    return (node.id, layer, (BACKWARD if _from_side_a(node, to_country) else FORWARD)[1])


def direction(node: model.Node, side: str) -> tuple[str, str]:
    """The (from, to) countries of a border edge that starts at entry ``side`` of ``node``."""
    a, b = node.border.countries
    return (a, b) if side == FORWARD[0] else (b, a)


def _sides(node: model.Node) -> list[tuple[str, str]]:
    """The (entry, exit) vertex sides of a place: one pair per direction at a crossing."""
    return [FORWARD, BACKWARD] if node.is_crossing else [("", "")]


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
    :func:`routes.engine.from_rows` copies them straight into arrays, so the two forms cannot
    disagree. The two directions of a link share one ``attrs`` dict, and so do the entry and exit
    access edges of a place's layer: read them, do not change them.
    """
    nodes = network.nodes
    linked: set[tuple] = set()
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
        layer = link.layer
        for u, v in _directions(a, b, layer, link.oneway):
            if (u, v) in linked:
                yield from _parallel(u, v, attrs)
            else:
                linked.add((u, v))
                yield u, v, attrs
    for node_id, layers in layers_by_node(network).items():
        yield from _place_rows(network, nodes[node_id], sorted(layers))


def _directions(a: model.Node, b: model.Node, layer: str, oneway: bool) -> list[tuple[tuple, tuple]]:
    """The (u, v) vertices of a link from ``a`` to ``b``, and back unless it is one-way."""
    forward = (_leave(a, layer, b.country), _enter(b, layer, a.country))
    return [forward] if oneway else [forward, (_leave(b, layer, a.country), _enter(a, layer, b.country))]


def _parallel(u: tuple, v: tuple, attrs: dict) -> Iterator[tuple[tuple, tuple, dict]]:
    """A link parallel to one already between ``u`` and ``v`` goes through a vertex of its own.

    Link edges join vertices of two different places and place edges (:func:`_place_rows`)
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


def _place_rows(network: model.Network, node: model.Node, layers: list[str]) -> Iterator[tuple]:
    """The edges within one place: border dwell, entry and exit access, transfers between layers."""
    zero = dict.fromkeys(objectives.attrs(), 0.0)
    common = {"months": None, "nodes": (node.id,), "countries": frozenset((node.country,))}
    for layer in layers:
        mode = modes.mode_of(layer)
        for entry, exit_ in _sides(node):
            if node.is_crossing:
                priced = costs.price_border(node, mode, network.costs, direction(node, entry))
                yield (
                    (node.id, layer, entry),
                    (node.id, layer, exit_),
                    {
                        "kind": "border",
                        "node": node.id,
                        "mode": mode,
                        "status": node.status,
                        "layer": layer,
                        **objectives.values(priced.values, what=f"the crossing at {node.id!r}"),
                        **common,
                        "months": node.open_months,
                        "countries": frozenset(node.border.countries),
                    },
                )
            access = {"kind": "access", "mode": mode, "status": "operational", **zero, **common}
            yield (node.id, "*", "origin"), (node.id, layer, exit_), access
            yield (node.id, layer, entry), (node.id, "*", "dest"), access
    for a, b in itertools.permutations(layers, 2):
        kind = costs.transfer_kind(a, b)
        priced = costs.price_transfer(node, kind, network.costs)
        values = objectives.values(priced.values, what=f"the {kind} at {node.id!r}")
        for _, exit_ in _sides(node):
            yield (
                (node.id, a, exit_),
                (node.id, b, exit_),
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
