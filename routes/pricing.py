"""Costs for the cargo at hand: another payload, another value of time.

The cached graph is priced for the payload of ``costs.toml`` (20 t, the CPMM basis) and its
default value of time. Per-shipment costs (a border crossing's fees per truck or wagon, a gauge
change per wagon: the tables ``[payload] per_shipment`` names) fall per tonne as the payload
grows: at ``payload_t`` they are ``base_t / payload_t`` times the cached figure. Line-haul rates
and per-tonne tariffs do not change. Generalised cost is recomputed at the query's value of time.
A query that changes either gets a repriced copy of the graph; the cached one is never changed.

The customs regime at a port (:func:`customs_regime`) depends on the query too: the cached graph
clears customs at every port call (export or import, ``[port_customs]``); a query whose cargo
only passes through a port's country pays a transit declaration there instead
(``[port_customs.transit]``), on a copy of the graph.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from corridors.geo import model, modes
from corridors.geo.errors import QueryError
from corridors.routes import costs, graph, overlay, search

#: Payloads outside this range are not freight loads of one vehicle or wagon.
PAYLOAD_RANGE_T = (1.0, 100.0)
#: Most value of time a query may give (USD per tonne per day): a range check that keeps
#: generalised costs finite, far above what any cargo's time is worth; not a figure of the model.
MAX_VALUE_OF_TIME_USD_PER_T_DAY = 1_000_000.0


@dataclass(frozen=True)
class Pricing:
    """The payload and value of time a query prices with."""

    payload_t: float
    value_of_time_usd_per_t_day: float

    def scale(self, base_t: float) -> float:
        """The factor on per-shipment costs per tonne: ``base_t / payload_t``."""
        return base_t / self.payload_t


def pricing(cost_model: model.CostModel, payload_t: float | None, value_of_time: float | None) -> Pricing:
    """The query's pricing, with the network's defaults for what it leaves out.

    Raises
    ------
    QueryError
        If the payload is outside :data:`PAYLOAD_RANGE_T` or the value of time is negative or
        above :data:`MAX_VALUE_OF_TIME_USD_PER_T_DAY`.
    """
    payload = cost_model.payload_t if payload_t is None else float(payload_t)
    low, high = PAYLOAD_RANGE_T
    if not low <= payload <= high:
        msg = f"`payload_t` must be {low:g}-{high:g} tonnes, got {payload:g}"
        raise QueryError(msg)
    vot = cost_model.value_of_time_usd_per_t_day if value_of_time is None else float(value_of_time)
    if not 0 <= vot <= MAX_VALUE_OF_TIME_USD_PER_T_DAY:
        top = MAX_VALUE_OF_TIME_USD_PER_T_DAY
        msg = f"`value_of_time` must be a number of USD per tonne per day from 0 to {top:,.0f}, got {vot:g}"
        raise QueryError(msg)
    return Pricing(payload, vot)


def is_default(p: Pricing, cost_model: model.CostModel) -> bool:
    return p.payload_t == cost_model.payload_t and p.value_of_time_usd_per_t_day == (
        cost_model.value_of_time_usd_per_t_day
    )


def _per_shipment(d: dict, cost_model: model.CostModel) -> bool:
    kind = d["kind"]
    if kind == "border":
        return "border" in cost_model.per_shipment
    if kind == "transfer":
        return f"transfer.{d['transfer']}" in cost_model.per_shipment
    return False


def reprice(G: search.SearchGraph, network: model.Network, p: Pricing) -> search.SearchGraph:
    """A copy of the graph priced for ``p`` (the graph itself if ``p`` is the default)."""
    cm = network.costs
    if is_default(p, cm):
        return G
    if not isinstance(G, nx.DiGraph):
        return _reprice_arrays(G, cm, p)
    H = G.copy()
    factor = p.scale(cm.payload_t)
    for _, _, d in H.edges(data=True):
        if _per_shipment(d, cm):
            d["cost_usd_per_t"] *= factor
        d["generalised_usd_per_t"] = costs.generalised(
            d["cost_usd_per_t"], d["time_h"], p.value_of_time_usd_per_t_day
        )
    H.graph = {**G.graph, "lower_bounds": graph.lower_bounds(network, H)}
    return H


def cargo_countries(network: model.Network, node_ids: Sequence[str]) -> frozenset[str]:
    """The countries the cargo starts (or ends) in: those of an endpoint's places. A border
    crossing names none: a route that starts or ends there crosses it, so the cargo comes from
    abroad or goes on abroad."""
    nodes = network.nodes
    return frozenset(nodes[n].country for n in node_ids if not nodes[n].is_crossing)


def query_graph(
    G: search.SearchGraph,
    network: model.Network,
    ends: tuple[frozenset[str], frozenset[str]],
    priced: Pricing | None = None,
) -> search.SearchGraph:
    """The graph every planner searches for cargo from ``ends[0]`` to ``ends[1]`` (countries):
    the customs regime at the ports (:func:`customs_regime`), then the query's pricing
    (:func:`reprice`; default the network's). The array form keeps both for its label graph
    (:meth:`routes.backends.ArrayBackend.label_graph`)."""
    H = customs_regime(G, network, *ends)
    if priced is not None:
        H = reprice(H, network, priced)
    if H is not G and not isinstance(H, nx.DiGraph):
        H.query_terms = (ends, priced)
    return H


def cargo_ends(
    network: model.Network, stops: Sequence[Sequence[str]], cargo_from: str | None, cargo_to: str | None
) -> tuple[frozenset[str], frozenset[str]]:
    """The countries the cargo starts and ends in: ``cargo_from`` and ``cargo_to`` (a country's
    name or ISO3) where given, else those of the first and last stops (:func:`cargo_countries`).

    Raises
    ------
    QueryError
        If ``cargo_from`` or ``cargo_to`` names no country of the network.
    """
    return ends_of(network, stops[0], stops[-1], cargo_given(network, cargo_from, cargo_to))


#: What ``--cargo-from sea`` (``--cargo-to sea``) names: a ship from (to) a country overseas,
#: whichever it is. It is no country's code, so the cargo is at sea at every port
#: (:func:`routes.port_ends.at_sea`) and in no port's country (:func:`transit_calls`).
BY_SEA = "sea"

def cargo_said(end: str, country: str) -> str:
    """How notes say where the cargo starts (``end="starts"``) or ends (``"ends"``):
    ``starts in KAZ``, or for :data:`BY_SEA` ``is landed from a ship`` / ``goes on by ship``."""
    if country == BY_SEA:
        return "is landed from a ship" if end == "starts" else "goes on by ship"
    return f"{end} in {country}"


#: The countries ``--cargo-from`` and ``--cargo-to`` name, None where not given.
Given = tuple[frozenset[str] | None, frozenset[str] | None]


def cargo_given(network: model.Network, cargo_from: str | None, cargo_to: str | None) -> Given:
    """The countries ``cargo_from`` and ``cargo_to`` name (a country's name or ISO3), each once
    for a whole query, however many pairs it prices (:func:`ends_of`).

    Raises
    ------
    QueryError
        If either names no country of the network and is no ISO3 code.
    """
    return tuple(
        None if text is None else frozenset({_country(network, name, text)})
        for name, text in (("cargo_from", cargo_from), ("cargo_to", cargo_to))
    )


def ends_of(
    network: model.Network, origins: Sequence[str], destinations: Sequence[str], given: Given
) -> tuple[frozenset[str], frozenset[str]]:
    """The countries the cargo starts and ends in between ``origins`` and ``destinations``
    (node ids): those ``given`` (:func:`cargo_given`), else the places' (:func:`cargo_countries`)."""
    start, end = given
    return (
        cargo_countries(network, origins) if start is None else start,
        cargo_countries(network, destinations) if end is None else end,
    )


def _country(network: model.Network, name: str, text: str) -> str:
    """A country of the network by name or ISO3, any other ISO3 code (a country beyond it), or
    ``sea`` (:data:`BY_SEA`): by ship, from or to whichever country overseas."""
    from corridors.geo.errors import UnknownPlaceError
    from corridors.routes import places

    if text.strip().lower() == BY_SEA:
        return BY_SEA
    try:
        found = places.resolve(network, text)
    except UnknownPlaceError:
        found = None
    if found is not None and found.kind == "country":
        return network.nodes[found.node_ids[0]].country
    code = text.strip().upper()
    if len(code) == 3 and code.isascii() and code.isalpha():
        return code
    msg = f"`{name}`: {text!r} is neither a country of the network nor an ISO3 code (e.g. GEO) nor 'sea'"
    raise QueryError(msg)


def transit_calls(
    G: search.SearchGraph, network: model.Network, origin_countries: frozenset, dest_countries: frozenset
) -> list:
    """The port-customs edges where the cargo is in transit: leaving a port of a country it did
    not start in, or reaching a port of a country it does not end in (networkx ``(u, v)`` pairs,
    or edge positions in the array form)."""
    if network.costs.port_transit is None:
        return []
    nodes = network.nodes
    if isinstance(G, nx.DiGraph):
        found = []
        for u, v, d in G.edges(data=True):
            call = _call(u, v, d, nodes)
            if call and _in_transit(*call, origin_countries, dest_countries):
                found.append((u, v))
        return found
    layers = G.layers
    found = []
    for e in (G.kind == _border_code()).nonzero()[0]:
        u, v = int(G.rows[e]), int(G.indices[e])
        tail, head = layers[G.vertex_layer[u]], layers[G.vertex_layer[v]]
        port = nodes[G.node_ids[G.node[e]]]
        leaving = head.startswith(graph.DEPART)
        if (leaving or tail.startswith(graph.ARRIVE)) and _in_transit(
            port.country, leaving, origin_countries, dest_countries
        ):
            found.append(int(e))
    return found


def _border_code() -> int:
    from corridors.routes import engine

    return engine.KINDS.index("border")


def _call(u: tuple, v: tuple, d: dict, nodes) -> tuple[str, bool] | None:
    """(port country, leaving) for a port-customs edge, else None."""
    if d["kind"] != "border":
        return None
    if v[1].startswith(graph.DEPART):
        return nodes[u[0]].country, True
    if u[1].startswith(graph.ARRIVE):
        return nodes[v[0]].country, False
    return None


def _in_transit(country: str, leaving: bool, origin_countries: frozenset, dest_countries: frozenset) -> bool:
    return country not in (origin_countries if leaving else dest_countries)


#: Customs-regime copies kept, per graph, for the pairs of cargo countries asked for most
#: recently: a server answers many queries between the same countries, and a copy of the
#: built-in graph takes longer than the search on it. Array graphs of large networks keep
#: fewer, each copy holding their value arrays. At most :data:`GRAPHS_KEPT` graphs are kept.
REGIMES_KEPT = 32
REGIMES_KEPT_ARRAYS = 2
GRAPHS_KEPT = 4
_regimes: OrderedDict[int, tuple[search.SearchGraph, OrderedDict]] = OrderedDict()
_regimes_lock = threading.Lock()


def customs_regime(
    G: search.SearchGraph, network: model.Network, origin_countries: frozenset, dest_countries: frozenset
) -> search.SearchGraph:
    """A copy of the graph with a transit declaration at the port calls where the cargo is in
    transit (:func:`transit_calls`); the graph itself when there are none.

    ``origin_countries`` and ``dest_countries`` are the countries the cargo starts and ends in
    (a route that starts or ends at a border crossing crosses it, so a crossing names none).
    Copies are kept (:data:`REGIMES_KEPT`) and shared: neither the graph nor a copy is changed
    once made.
    """
    key = (origin_countries, dest_countries)
    with _regimes_lock:  # the server asks from several threads
        held = _regimes.get(id(G))
        if held is None or held[0] is not G:
            held = _regimes[id(G)] = (G, OrderedDict())
            while len(_regimes) > GRAPHS_KEPT:
                _regimes.popitem(last=False)
        _regimes.move_to_end(id(G))
        kept = held[1]
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    H = _customs_regime(G, network, origin_countries, dest_countries)
    with _regimes_lock:
        kept[key] = H
        while len(kept) > (REGIMES_KEPT if isinstance(G, nx.DiGraph) else REGIMES_KEPT_ARRAYS):
            kept.popitem(last=False)
    return H


def _customs_regime(
    G: search.SearchGraph, network: model.Network, origin_countries: frozenset, dest_countries: frozenset
) -> search.SearchGraph:
    calls = transit_calls(G, network, origin_countries, dest_countries)
    if not calls:
        return G
    cm = network.costs
    nodes = network.nodes
    if isinstance(G, nx.DiGraph):
        changed = {}
        for u, v in calls:
            d = G.edges[u, v]
            changed[u, v] = {**d, **costs.price_port_customs(nodes[d["node"]], cm, transit=True).values}
        return _with_edges(G, changed)  # the A* lower bounds come from the links alone, so they stay
    out = copy.copy(G)
    values = {attr: arr.copy() for attr, arr in G.values.items()}
    for e in calls:
        priced = costs.price_port_customs(nodes[G.node_ids[G.node[e]]], cm, transit=True).values
        for attr, arr in values.items():
            arr[e] = priced[attr]
    out.values = values
    out.masks = {}
    return out


def _with_edges(G: nx.DiGraph, changed: dict[tuple, dict]) -> nx.DiGraph:
    """A graph that shares ``G``'s places and edges but for the ``changed`` edges' data
    (:class:`routes.overlay.Overlay`); :func:`reprice` makes a whole copy before it prices."""
    edit = overlay.Overlay(G)
    for (u, v), d in changed.items():
        edit.join(u, v, d)
    return edit.graph()


def _reprice_arrays(ag, cm: model.CostModel, p: Pricing):
    """The same for a graph in array form (large networks)."""
    import numpy as np

    from corridors.routes import engine

    out = copy.copy(ag)
    border = ag.kind == engine.KINDS.index("border")
    scaled = border if "border" in cm.per_shipment else np.zeros_like(border)
    if "transfer.gauge_change" in cm.per_shipment:
        rail = np.array([modes.gauge_of(layer) is not None for layer in ag.layers] or [False])
        transfer = ag.kind == engine.KINDS.index("transfer")
        scaled = scaled | (transfer & rail[ag.from_layer] & rail[ag.to_layer])
    cost = np.where(scaled, ag.values["cost_usd_per_t"] * p.scale(cm.payload_t), ag.values["cost_usd_per_t"])
    values = dict(ag.values)
    values["cost_usd_per_t"] = cost
    values["generalised_usd_per_t"] = (
        cost + ag.values["time_h"] / costs.HOURS_PER_DAY * p.value_of_time_usd_per_t_day
    )
    out.values = values
    out.masks = {}
    return out
