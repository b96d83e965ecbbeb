"""Costs for the cargo at hand: another payload, another value of time.

The cached graph is priced for the payload of ``costs.toml`` (20 t, the CPMM basis) and its
default value of time. Per-shipment costs (a border crossing's fees per truck or wagon, a gauge
change per wagon: the tables ``[payload] per_shipment`` names) fall per tonne as the payload
grows: at ``payload_t`` they are ``base_t / payload_t`` times the cached figure. Line-haul rates
and per-tonne tariffs do not change. Generalised cost is recomputed at the query's value of time.
A query that changes either gets a repriced copy of the graph; the cached one is never changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import networkx as nx

from corridors.geo import model, modes
from corridors.geo.errors import QueryError
from corridors.routes import costs, graph, search

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
        msg = f"--payload-t must be {low:g}-{high:g} tonnes, got {payload:g}"
        raise QueryError(msg)
    vot = cost_model.value_of_time_usd_per_t_day if value_of_time is None else float(value_of_time)
    if not 0 <= vot <= MAX_VALUE_OF_TIME_USD_PER_T_DAY:
        top = MAX_VALUE_OF_TIME_USD_PER_T_DAY
        msg = f"--value-of-time must be a number of USD per tonne per day from 0 to {top:,.0f}, got {vot:g}"
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
