"""The Python API: load a network once, then plan routes with the same options as the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from corridors.geo import model, objectives, paths
from corridors.geo.errors import QueryError, UnknownPlaceError
from corridors.routes import alternatives, cache, graph, limits, places, pricing, scenario, search
from corridors.routes.route import Route

if TYPE_CHECKING:
    from corridors.routes.engine import ArrayGraph
    from corridors.routes.tradeoffs import Gateway

#: Graphs with more edges than this are searched in array form (scipy).
ARRAY_THRESHOLD = 20_000


@dataclass
class Loaded:
    """A network and its layered graph, built once and reused across queries.

    ``G`` is the networkx graph, or for large networks its array form
    (:class:`routes.engine.ArrayGraph`), which every search accepts.
    """

    network: model.Network
    G: nx.DiGraph | ArrayGraph
    #: The ``extra`` files loaded with the network: their links are in every scenario.
    user_files: tuple[str, ...] = ()
    #: The same network built for another rail service, by service name (filled on first use).
    by_service: dict[str, Loaded] = field(default_factory=dict)

    @property
    def rail_service(self) -> str | None:
        """The rail service the graph is priced for (``[dwell.rail]``), None if it names none."""
        dwell = self.network.costs.dwell.get("rail")
        return dwell.service if dwell else None


def for_rail_service(loaded: Loaded, name: str | None) -> Loaded:
    """``loaded`` priced for rail service ``name`` (None: as loaded); built once per service.

    Raises
    ------
    QueryError
        If the network's ``[dwell.rail]`` names no such service.
    """
    dwell = loaded.network.costs.dwell.get("rail")
    known = dwell.service_names() if dwell else ()
    if name is None or name == loaded.rail_service:
        return loaded
    if name not in known:
        expected = (
            f"expected {' or '.join(known)}" if known else "the network's [dwell.rail] names no services"
        )
        msg = f"--rail-service: unknown service {name!r}; {expected}"
        raise QueryError(msg)
    if name not in loaded.by_service:
        costs = replace(
            loaded.network.costs, dwell={**loaded.network.costs.dwell, "rail": dwell.for_service(name)}
        )
        network = replace(loaded.network, costs=costs)
        if isinstance(loaded.G, nx.DiGraph):
            built = Loaded(network, graph.build_graph(network), loaded.user_files)
        else:
            built = _arrays(network)
            built.user_files = loaded.user_files
        loaded.by_service[name] = built
    return loaded.by_service[name]


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


def load(
    folder: str | Path | None = None,
    *,
    extra: Iterable[str | Path] = (),
    array_threshold: int | None = None,
    use_cache: bool = True,
    problems: list | None = None,
) -> Loaded:
    """Read a network folder (default: the built-in network) plus extra files, and build its graph.

    Large networks (over ``array_threshold`` graph edges, default :data:`ARRAY_THRESHOLD`) are
    turned into arrays. What is built
    is cached (see :mod:`routes.cache`), so the next load of the same files skips parsing and
    building. Pass a list as ``problems`` to receive the warnings about the files (the files
    are then read, not taken from the cache).
    """
    extra = list(extra)
    if array_threshold is None:
        array_threshold = ARRAY_THRESHOLD
    files = [*_network_files(folder), *map(Path, extra)]
    key = cache.key(files) if use_cache else None
    if key and problems is None and (hit := cache.get(key)) is not None:
        return _ready(hit)
    from corridors.geo import io

    with cache.no_gc():
        network = io.read_network(folder, extra=extra, problems=problems)
        if len(network.links) > array_threshold:  # every link is an edge at least: arrays for sure
            loaded = _arrays(network)
        else:
            G = graph.build_graph(network)
            loaded = Loaded(network, G) if G.number_of_edges() <= array_threshold else _arrays(network)
    loaded.user_files = tuple(str(p) for p in extra)
    if key and loaded.G.number_of_edges() >= cache.MIN_EDGES:
        cache.put(key, loaded)
    return _ready(loaded)


def _ready(loaded: Loaded) -> Loaded:
    """A loaded network ready for its first query: the array form's search (scipy) imported now,
    so that the first query costs what the next ones do."""
    if not isinstance(loaded.G, nx.DiGraph):
        import scipy.sparse.csgraph  # noqa: F401
    return loaded


def _arrays(network: model.Network) -> Loaded:
    """The array form of a large network, with nodes and links stored column by column.

    The arrays are built from the network in batches (:func:`routes.batches.from_network`),
    without a networkx graph in between.
    """
    from corridors.geo import columns
    from corridors.routes import batches

    with cache.no_gc():
        loaded = Loaded(network, batches.from_network(network))
        places.name_index(network)
        network.nodes = columns.Columns(model.Node, network.nodes.values())
        refs = {"from_id": network.nodes, "to_id": network.nodes}
        network.links = columns.Columns(model.Link, network.links.values(), refs=refs)
        loaded.G.share_ids(network.nodes, network.links)
    return loaded


def _network_files(folder: str | Path | None) -> list[Path]:
    nodes, links, costs = paths.network_files(folder if folder is not None else paths.builtin_folder())
    return [nodes, *links, costs]


def _avoid(network: model.Network, items: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Split ``--avoid`` items into countries (ISO3 or name) and places (name, alias or id)."""
    countries, nodes = set(), set()
    for item in items:
        try:
            endpoint = places.resolve(network, item)
        except UnknownPlaceError as err:
            msg = f"--avoid: {err}"
            raise UnknownPlaceError(msg) from None
        if endpoint.kind == "country":
            countries.add(network.nodes[endpoint.node_ids[0]].country)
        elif endpoint.kind == "place":
            nodes.update(endpoint.members)
        else:
            msg = f"--avoid {item!r}: give a country or a place, not a {endpoint.kind}"
            raise QueryError(msg)
    return frozenset(countries), frozenset(nodes)


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
        A :class:`Loaded` network, or a network folder; default the built-in network.
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
    loaded = network if isinstance(network, Loaded) else load(network, extra=extra)
    loaded = for_rail_service(loaded, rail_service)
    net = loaded.network
    if not snap_km > 0:
        msg = f"--snap-km must be a distance above 0 km, got {snap_km:g}"
        raise QueryError(msg)
    endpoints = [places.resolve(net, text, snap_km=snap_km) for text in (origin, *via, destination)]
    avoid_countries, avoid_nodes = _avoid(net, avoid)
    named = scenario.resolve(
        net,
        projects=projects,
        year=year,
        reopen=reopen,
        status=status,
        include_suspended=include_suspended,
        user_files=loaded.user_files,
    )
    constraints = search.Constraints(
        modes=frozenset(modes) if modes else frozenset(model.MODES),
        statuses=named.statuses,
        month=month,
        include_suspended=named.include_suspended,
        avoid_countries=avoid_countries,
        avoid_nodes=avoid_nodes,
        extra_links=named.extra_links,
        open_crossings=named.open_crossings,
    )
    stops = [[n for n in e.node_ids if n not in avoid_nodes] or list(e.node_ids) for e in endpoints]
    # A place named twice in a row (a crossing and then its other side) is one stop.
    collapsed = [stop for i, stop in enumerate(stops) if i == 0 or stop != stops[i - 1]]
    stops = collapsed if len(collapsed) >= 2 else stops
    _check_modes(k, via, pareto, gateways)
    priced = pricing.pricing(net.costs, payload_t, value_of_time)
    ends = pricing.cargo_ends(net, stops, cargo_from, cargo_to)
    G = pricing.query_graph(loaded.G, net, ends, priced)
    if pareto or gateways:  # the trade-off views: imported only when asked for
        from corridors.routes import tradeoffs
    if pareto:
        routes, found_notes = tradeoffs.pareto_routes(
            G, net, stops[0], stops[-1], criteria=list(pareto), constraints=constraints
        )
        gates: list[Gateway] = []
    elif gateways:
        gates = tradeoffs.gateway_routes(G, net, stops[0], stops[-1], by=by, constraints=constraints)
        routes = sorted((g.route for g in gates if g.route), key=lambda r: r.rank)
        found_notes = [] if routes else ["no route through any gateway"]
    else:
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
        routes, found_notes, gates = found.routes, found.notes, []
    found_notes = _pricing_notes(net.costs, priced, by, pareto) + _service_notes(net, routes) + found_notes
    notes = [_snap_note(e) for e in endpoints if e.snap_km is not None] + list(named.notes) + found_notes
    query = {
        "from": origin,
        "to": destination,
        "via": list(via),
        "by": by,
        "k": k,
        "avoid": sorted(avoid),
        "modes": sorted(constraints.modes),
        "scenario": named.as_dict(),
        "status": sorted(constraints.statuses),
        "month": month,
        "include_suspended": named.include_suspended,
        "max_overlap": max_overlap,
        "max_stretch": max_stretch,
        "pareto": list(pareto) if pareto else None,
        "gateways": gateways,
        "payload_t": priced.payload_t,
        "value_of_time_usd_per_t_day": priced.value_of_time_usd_per_t_day,
        "rail_service": loaded.rail_service,
        "cargo_countries": [sorted(c) for c in ends],
        "endpoints": [
            {
                "text": e.text,
                "kind": e.kind,
                "label": e.label,
                "nodes": list(e.node_ids),
                **({"snap_km": round(e.snap_km, 2)} if e.snap_km is not None else {}),
            }
            for e in endpoints
        ],
    }
    return Plan(query, routes, notes, endpoints, gates, named)


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
            + ("" if vot else " (no --value-of-time given: it equals the cost)")
        )
    return notes


def _service_notes(net: model.Network, routes: Sequence[Route]) -> list[str]:
    """Which rail service priced the rail legs, and the others, when a route goes by rail."""
    dwell = net.costs.dwell.get("rail")
    if not dwell or not dwell.service or not any("rail" in r.modes for r in routes):
        return []
    others = [n for n in dwell.service_names() if n != dwell.service]
    rest = f" (--rail-service {' or '.join(others)} for another)" if others else ""
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
        msg = "--pareto and --gateways are different answers; ask for one at a time"
        raise QueryError(msg)
    if (pareto or gateways) and k != 1:
        msg = f"-k does not combine with {'--pareto' if pareto else '--gateways'}, which choose the routes"
        raise QueryError(msg)
    if (pareto or gateways) and via:
        msg = f"--via does not combine with {'--pareto' if pareto else '--gateways'}"
        raise QueryError(msg)
