"""The Python API: plan routes with the same options as the CLI, on a network loaded once
(:mod:`routes.loading`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from corridors.geo import model, objectives
from corridors.geo.errors import QueryError
from corridors.routes import (
    alternatives,
    constraints,
    limits,
    loading,
    places,
    port_ends,
    pricing,
    scenario,
    search,
)
from corridors.routes.route import Route

if TYPE_CHECKING:
    from corridors.routes.loading import Loaded
    from corridors.routes.tradeoffs import Gateway


@dataclass
class Plan:
    """The answer to one query: the routes, best first, and notes on how they were found."""

    query: dict
    routes: list[Route]
    notes: list[str] = field(default_factory=list)
    endpoints: list[places.Endpoint] = field(default_factory=list)
    #: With ``gateways=True``: each border crossing into the destination's country and its route.
    gateways: list[Gateway] = field(default_factory=list)
    #: What the network held: today's, or the projects, year and reopened crossings named.
    scenario: scenario.Scenario = field(default_factory=lambda: scenario.Scenario())

    def __iter__(self):
        return iter(self.routes)

    def __len__(self) -> int:
        return len(self.routes)


def plan(
    origin: str,
    destination: str,
    *,
    via: Sequence[str] = (),
    by: str = "time",
    k: int = 1,
    avoid: Iterable[str] = (),
    modes: Iterable[str] | None = None,
    projects: str | Iterable[str] | None = None,
    year: int | None = None,
    reopen: str | Iterable[str] | None = None,
    status: Iterable[str] | None = None,
    month: int | None = None,
    include_suspended: bool = False,
    max_overlap: float = 0.5,
    max_stretch: float = 3.0,
    network: Loaded | str | Path | None = None,
    extra: Iterable[str | Path] = (),
    snap_km: float = places.MAX_SNAP_KM,
    pareto: Sequence[str] | None = None,
    gateways: bool = False,
    payload_t: float | None = None,
    value_of_time: float | None = None,
    rail_service: str | None = None,
    cargo_from: str | None = None,
    cargo_to: str | None = None,
    drivers: int | None = None,
) -> Plan:
    """Plan routes from ``origin`` to ``destination``.

    Parameters
    ----------
    origin, destination
        A place name, alias or id (``"Almaty"``, ``"Sust"``, ``"port_qasim"``), a country
        (``"Kazakhstan"``, ``"KAZ"``: any of its cities and ports), a sea (``"Arabian Sea"``:
        any port on it) or ``"lat,lon"`` (the nearest node).
    via
        Places visited in order.
    by
        The objective, a name in :data:`corridors.geo.objectives.OBJECTIVES`: ``"time"``
        (central hours), ``"time-high"`` (the high end of the time range: for shipments that
        must not be late), ``"cost"`` (USD per tonne) or ``"distance"`` (km).
    k
        How many substantively different routes to return (see ``max_overlap``, ``max_stretch``).
    avoid
        Countries (ISO3 or name) and places the routes must not touch.
    modes
        Modes allowed (``road``, ``rail``, ``sea``); default all.
    projects
        Projects added to today's network, by name (``"ML-1 Upgrade"``, case- and
        accent-insensitive), or ``"all"``. By default the network is today's: operational
        links and open crossings.
    year
        Add the unfinished links expected to open by the end of this year.
    reopen
        Suspended crossings to open with their suspended links (``"Torkham"``), or ``"all"``.
    status
        Link statuses that exist in the scenario (fine control); default ``operational``.
    month
        1-12: links and crossings closed in that month are left out.
    include_suspended
        Same as ``reopen="all"``.
    max_overlap, max_stretch
        An alternative shares at most ``max_overlap`` of its length with each route already
        found, and costs at most ``max_stretch`` times the best route by the objective.
    network
        A :class:`routes.loading.Loaded` network, or a network folder; default the built-in network.
    extra
        Extra GeoJSON files of nodes and links used for this plan only.
    snap_km
        A ``lat,lon`` endpoint farther than this from every place is refused; one farther
        than :data:`routes.places.WARN_SNAP_KM` earns a warning in the notes.
    pareto
        Criteria (``("time", "cost")``): return every route that no other route beats on all of
        them, sorted by the first, in place of the best route and its alternatives.
    gateways
        Return the best route through each border crossing into the destination's country
        (``plan.gateways`` says what each needs when the scenario cuts it off).
    payload_t
        Tonnes per truck, wagon or container (default: the cost model's 20 t); per-shipment
        costs (border fees, gauge changes) are spread over it.
    value_of_time
        USD per tonne per day for ``by="generalised"`` (cost plus time at this value).
    rail_service
        The rail service whose yard and wagon-waiting times price rail links: ``"wagon"``
        (wagonload, the default of the built-in network) or ``"block"`` (a container block
        train); the names are those of ``[dwell.rail]`` in ``costs.toml``.
    cargo_from, cargo_to
        The country the cargo starts or ends in where the route does not (goods in transit:
        ``cargo_to="GEO"`` for containers going on beyond Baku pay transit customs there): a
        country of the network by name or ISO3, or the ISO3 code of one beyond it.
    drivers
        The truck's crew, ``1`` or ``2`` drivers (the crews of ``[dwell.road]``): its
        driving-time rules give the road rest. Default unknown: the range spans every crew.

    Returns
    -------
    Plan
        ``plan.routes`` are :class:`routes.Route` objects, best first.
    """
    objectives.get(by)
    via = [via] if isinstance(via, str) else list(via)
    avoid = limits.names(avoid, "avoid") or []
    modes, status = limits.names(modes, "modes"), limits.names(status, "status")
    limits.check_plan(k=k, via=via, max_overlap=max_overlap, max_stretch=max_stretch, month=month)
    loaded = network if isinstance(network, loading.Loaded) else loading.load(network, extra=extra)
    loaded = loading.for_drivers(loading.for_rail_service(loaded, rail_service), drivers)
    net = loaded.network
    endpoints = _endpoints(net, (origin, *via, destination), snap_km)
    named = scenario.resolve(
        net,
        projects=projects,
        year=year,
        reopen=reopen,
        status=status,
        include_suspended=include_suspended,
        user_files=loaded.user_files,
    )
    rules = constraints.query_constraints(net, named, avoid=avoid, modes=modes, month=month)
    stops = _stops(endpoints, rules.avoid_nodes)
    _check_modes(k, via, pareto, gateways)
    priced = pricing.pricing(net.costs, payload_t, value_of_time)
    given = pricing.cargo_given(net, cargo_from, cargo_to)
    ends = pricing.ends_of(net, stops[0], stops[-1], given)
    G = port_ends.sea_ends(pricing.query_graph(loaded.G, net, ends, priced), net, stops[0], stops[-1], given)
    routes, found_notes, gates = _routes(
        G,
        net,
        stops,
        by=by,
        constraints=rules,
        k=k,
        max_overlap=max_overlap,
        max_stretch=max_stretch,
        pareto=pareto,
        gateways=gateways,
    )
    notes = [
        *(_snap_note(e) for e in endpoints if e.snap_km is not None),
        *named.notes,
        *_pricing_notes(net.costs, priced, by, pareto),
        *_service_notes(net, routes),
        *found_notes,
    ]
    query = {
        "from": origin,
        "to": destination,
        "via": list(via),
        "by": by,
        "k": k,
        "avoid": sorted(avoid),
        **_scenario_query(rules, named),
        "max_overlap": max_overlap,
        "max_stretch": max_stretch,
        "pareto": list(pareto) if pareto else None,
        "gateways": gateways,
        "payload_t": priced.payload_t,
        "value_of_time_usd_per_t_day": priced.value_of_time_usd_per_t_day,
        "rail_service": loaded.rail_service,
        "drivers": net.costs.road_rest.drivers if net.costs.road_rest else None,
        "cargo_countries": [sorted(c) for c in ends],
        "endpoints": [_endpoint_query(e) for e in endpoints],
    }
    return Plan(query, routes, notes, endpoints, gates, named)


def _endpoints(net: model.Network, texts: Sequence[str], snap_km: float) -> list[places.Endpoint]:
    """The origin, the via points and the destination resolved to places of the network."""
    limits.check_snap_km(snap_km)
    return [places.resolve(net, text, snap_km=snap_km) for text in texts]


def _stops(endpoints: Sequence[places.Endpoint], avoid_nodes: frozenset[str]) -> list[list[str]]:
    """The candidate nodes of each endpoint in order, less the avoided ones (unless that leaves
    none)."""
    stops = [[n for n in e.node_ids if n not in avoid_nodes] or list(e.node_ids) for e in endpoints]
    # A place named twice in a row (a crossing and then its other side) is one stop.
    collapsed = [stop for i, stop in enumerate(stops) if i == 0 or stop != stops[i - 1]]
    return collapsed if len(collapsed) >= 2 else stops


def _routes(
    G: search.SearchGraph,
    net: model.Network,
    stops: list[list[str]],
    *,
    by: str,
    constraints: search.Constraints,
    k: int,
    max_overlap: float,
    max_stretch: float,
    pareto: Sequence[str] | None,
    gateways: bool,
) -> tuple[list[Route], list[str], list[Gateway]]:
    """The routes asked for (a Pareto set, one per gateway, or the best and its alternatives),
    notes on how they were found, and the gateways."""
    if pareto or gateways:  # the trade-off views: imported only when asked for
        from corridors.routes import tradeoffs
    if pareto:
        routes, notes = tradeoffs.pareto_routes(
            G, net, stops[0], stops[-1], criteria=list(pareto), constraints=constraints
        )
        return routes, notes, []
    if gateways:
        gates = tradeoffs.gateway_routes(G, net, stops[0], stops[-1], by=by, constraints=constraints)
        routes = sorted((g.route for g in gates if g.route), key=lambda r: r.rank)
        return routes, [] if routes else ["no route through any gateway"], gates
    found = alternatives.alternatives(
        G,
        net,
        stops,
        by=by,
        constraints=constraints,
        k=k,
        max_overlap=max_overlap,
        max_stretch=max_stretch,
    )
    return found.routes, found.notes, []


def _scenario_query(constraints: search.Constraints, named: scenario.Scenario) -> dict:
    """The query's account of what the network held: modes, scenario, statuses and month."""
    return {
        "modes": sorted(constraints.modes),
        "scenario": named.as_dict(),
        "status": sorted(constraints.statuses),
        "month": constraints.month,
        "include_suspended": named.include_suspended,
    }


def _endpoint_query(e: places.Endpoint) -> dict:
    """An endpoint in the query: the text given, what it resolved to, and how far it snapped."""
    return {
        "text": e.text,
        "kind": e.kind,
        "label": e.label,
        "nodes": list(e.node_ids),
        **({"snap_km": round(e.snap_km, 2)} if e.snap_km is not None else {}),
    }


def _pricing_notes(
    cost_model: model.CostModel, priced: pricing.Pricing, by: str, pareto: Sequence[str] | None
) -> list[str]:
    """Say how the payload and the value of time changed the figures."""
    notes = []
    if priced.payload_t != cost_model.payload_t:
        notes.append(
            f"per-shipment costs ({', '.join(cost_model.per_shipment) or 'none'}) spread over a "
            f"{priced.payload_t:g} t payload: x {cost_model.payload_t:g}/{priced.payload_t:g} of the "
            f"{cost_model.payload_t:g} t figures"
        )
    if "generalised" in (by, *(pareto or ())):
        vot = priced.value_of_time_usd_per_t_day
        notes.append(
            f"generalised cost = cost + time x {vot:g} USD per tonne per day"
            + ("" if vot else " (no `value_of_time` given: it equals the cost)")
        )
    return notes


def _service_notes(net: model.Network, routes: Sequence[Route]) -> list[str]:
    """Which rail service priced the rail legs, and the others, when a route goes by rail."""
    dwell = net.costs.dwell.get("rail")
    if not dwell or not dwell.service or not any("rail" in r.modes for r in routes):
        return []
    others = [n for n in dwell.service_names() if n != dwell.service]
    rest = f" (`rail_service` {' or '.join(others)} for another)" if others else ""
    return [f"rail times are for the {dwell.service!r} service{rest}"]


def _snap_note(e: places.Endpoint) -> str:
    """What a ``lat,lon`` endpoint snapped to; a warning when it is far from every place."""
    note = f"{e.text!r} snapped to {e.label} ({e.snap_km:.1f} km away)"
    if e.snap_km > places.WARN_SNAP_KM:
        note = (
            f"warning: {note}, over {places.WARN_SNAP_KM:g} km from any place of the network: the route "
            f"starts or ends there, not at the point given"
        )
    return note


def _check_modes(k: int, via: Sequence[str], pareto: Sequence[str] | None, gateways: bool) -> None:
    """Pareto sets, gateways and ``k`` alternatives are three different answers: one at a time."""
    if pareto and gateways:
        msg = "`pareto` and `gateways` are different answers; ask for one at a time"
        raise QueryError(msg)
    if (pareto or gateways) and k != 1:
        msg = f"`k` does not combine with `{'pareto' if pareto else 'gateways'}`, which choose the routes"
        raise QueryError(msg)
    if (pareto or gateways) and via:
        msg = f"`via` does not combine with `{'pareto' if pareto else 'gateways'}`"
        raise QueryError(msg)
