"""Reach: the best route to a destination from every place and region of an origin.

One Dijkstra on the reversed graph, started from every destination vertex at once, gives the
best route from every origin place to its nearest destination (a port on the sea, a place of
the country), so a whole country's reach costs one search per scenario and country the cargo
starts in (the customs regime at a port depends on it: :func:`routes.pricing.query_graph`).
``within`` goes the other way: one search from an origin per country the cargo may end in
gives what it reaches within each time band.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from corridors.geo import geodesy, model, objectives
from corridors.geo.errors import CorridorError, QueryError
from corridors.routes import assembly, backends, places, port_ends, pricing, rest, search
from corridors.routes.loading import Loaded
from corridors.routes.route import Crossing, Route

#: Route figures reported where the cost model provides them and no objective does already.
EXTRA_TOTALS = tuple(k for k in ("time_h_low", "time_h_high") if k not in objectives.attrs())
#: A place this close to a regional centre that is not itself a place stands for it.
CENTRE_KM = 10.0


@dataclass(frozen=True)
class PlaceReach:
    """The best route from one origin place to the destination (``None``: unreachable)."""

    node_id: str
    route: Route | None

    @property
    def port(self) -> str | None:
        """The destination place the route reaches."""
        return self.route.destination if self.route else None

    @property
    def gateway(self) -> Crossing | None:
        """The last border crossing of the route: where it enters the destination's country."""
        crossings = self.route.crossings if self.route else []
        return crossings[-1] if crossings else None


@dataclass(frozen=True)
class RegionReach:
    """A region's best place and its regional centre, with their routes."""

    region_id: str
    name: str
    kind: str
    node_ids: tuple[str, ...]
    best: PlaceReach | None
    centre: PlaceReach | None
    centre_name: str = ""  # the regional centre as the regions file names it


@dataclass
class Reach:
    """What every origin place and region reaches: the answer of :func:`reach`."""

    query: dict
    by: str
    places: list[PlaceReach]
    regions: list[RegionReach] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def reach(
    loaded: Loaded,
    destination: str = "Arabian Sea",
    *,
    origin: str = "Kazakhstan",
    by: str = "time",
    constraints: search.Constraints | None = None,
    regions: Sequence | None = None,
    region_places: dict[str, list[str]] | None = None,
    cargo_from: str | None = None,
    cargo_to: str | None = None,
) -> Reach:
    """The best route from every place of ``origin`` to ``destination``, and by region.

    Parameters
    ----------
    loaded
        The network and its graph.
    destination, origin
        Places, countries or seas, as for :func:`corridors.plan`.
    by
        The objective minimised (``time``, ``cost``, ``distance``).
    constraints
        The scenario and filters; default today's network (operational links).
    regions, region_places
        :class:`corridors.geo.regions.Region` objects and the node ids inside each (from
        :func:`corridors.geo.regions.join_places`); without them only places are reported.
    cargo_from, cargo_to
        The country the cargo starts or ends in, where not each place's or the destination's
        (customs at the ports as :func:`corridors.plan` prices them).
    """
    objectives.get(by)  # an unknown objective is a QueryError naming the valid ones
    net = loaded.network
    constraints = constraints or search.Constraints(statuses=frozenset({"operational"}))
    origins = places.resolve(net, origin).node_ids
    targets = places.resolve(net, destination).node_ids
    given = pricing.cargo_given(net, cargo_from, cargo_to)
    trees: dict[tuple, dict] = {}

    def tree(node_id: str) -> dict:
        """The reverse tree for cargo starting in ``node_id``'s country (unless ``cargo_from``
        says otherwise): a port there pays export clearance, a port of any other country on the
        way a transit declaration."""
        ends = pricing.ends_of(net, [node_id], targets, given)
        # A port where the cargo was landed from a ship starts with the call (routes.port_ends).
        key = (ends, tuple(port_ends.ports_at_sea(net, [node_id], given[0])))
        if key not in trees:
            G = pricing.query_graph(loaded.G, net, ends)
            G = port_ends.sea_ends(G, net, key[1], targets, given)
            trees[key] = backends.backend(G).tree(
                targets, attr=objectives.get(by).attr, constraints=constraints, reverse=True
            )
        return trees[key]

    def place(node_id: str) -> PlaceReach:
        path = tree(node_id).get(node_id)
        return PlaceReach(node_id, assembly.path_route(net, *path, by=by) if path else None)

    found = [place(o) for o in origins if o not in targets]
    by_id = {p.node_id: p for p in found}
    out = Reach(
        query={"from": origin, "to": destination, "by": by, **_cargo_query(given)},
        by=by,
        places=sorted(found, key=lambda p: (_value(p, by), net.nodes[p.node_id].name)),
    )
    for region in regions or ():
        inside = tuple(n for n in (region_places or {}).get(region.id, ()) if n in by_id)
        reached = [by_id[n] for n in inside if by_id[n].route]
        best = min(reached, key=lambda p: _value(p, by)) if reached else None
        centre_id = centre_place(net, region, exclude=targets)
        centre = None if centre_id is None else by_id.get(centre_id) or place(centre_id)
        if centre is None:
            out.notes.append(
                f"{region.name}: regional centre {region.centre!r} is not a place of the network"
            )
        out.regions.append(
            RegionReach(region.id, region.name, region.kind, inside, best, centre, region.centre)
        )
    said = [
        pricing.cargo_said(how, min(c))
        for how, c in zip(("starts", "ends"), given, strict=True)
        if c is not None
    ]
    if said:
        out.notes.append(f"the cargo {' and '.join(said)} (customs at ports priced for it)")
    unreached = [net.nodes[p.node_id].name for p in found if p.route is None]
    if unreached:
        out.notes.append(f"no route to {destination} from {', '.join(sorted(unreached))}")
    return out


def _cargo_query(given: pricing.Given) -> dict:
    """The countries the cargo was said to start and end in, for the query's record."""
    return {
        name: None if countries is None else min(countries)
        for name, countries in zip(("cargo_from", "cargo_to"), given, strict=True)
    }


def _value(p: PlaceReach | None, by: str) -> float:
    return p.route.total(by) if p is not None and p.route is not None else math.inf


def centre_place(net: model.Network, region, *, exclude: Sequence[str] = ()) -> str | None:
    """The place of the network in the region's country that is its regional centre, or None.

    By the centre's name (or alias), else the place nearest the centre's point within
    :data:`CENTRE_KM` (a seat whose name the network spells otherwise, such as Tirmiz for Termez).
    """
    candidates = {n.id: n for n in net.nodes.values() if n.country == region.country and n.id not in exclude}
    try:
        ids = places.resolve(net, region.centre).node_ids
    except CorridorError:  # a name the network does not know: try the centre's point
        ids = ()
    named = next((n for n in ids if n in candidates), None)
    if named is not None or region.centre_point is None:
        return named
    lon, lat = region.centre_point
    km, node_id = min(
        ((geodesy.great_circle_km(lon, lat, n.lon, n.lat), n.id) for n in candidates.values()),
        default=(math.inf, None),
    )
    return node_id if km <= CENTRE_KM else None


@dataclass(frozen=True)
class Band:
    """The places first reached within ``hours`` (and after the band before it)."""

    hours: float
    node_ids: tuple[str, ...]


@dataclass
class Within:
    """Time bands from one origin: each place's best time and the band it falls in."""

    origin: tuple[str, ...]
    bands: list[Band]
    time_h: dict[str, float]
    link_time_h: dict[str, float]


def within(
    loaded: Loaded,
    origin: str,
    bands_h: Sequence[float],
    *,
    constraints: search.Constraints | None = None,
    cargo_from: str | None = None,
    cargo_to: str | None = None,
) -> Within:
    """What ``origin`` reaches within each of ``bands_h`` hours (one forward Dijkstra).

    ``link_time_h`` gives, for each link used by a best route, the time at which the route
    has crossed it, so that maps can colour links by band. ``cargo_from`` and ``cargo_to``
    price the customs at ports as for :func:`reach`. Times count road rest by driving day over
    each route, as :func:`corridors.plan` does (:mod:`routes.rest`).
    """
    if not bands_h or any(not math.isfinite(b) or b <= 0 for b in bands_h):
        msg = "`within`: time bands must be positive, finite durations"
        raise QueryError(msg)
    net = loaded.network
    constraints = constraints or search.Constraints(statuses=frozenset({"operational"}))
    start = places.resolve(net, origin).node_ids
    given = pricing.cargo_given(net, cargo_from, cargo_to)
    trees: dict[tuple, dict] = {}
    # The search prices road rest at its long-run rate, at most one stop more per stretch of
    # driving than a route's rest by driving day (routes.rest): search that much farther.
    road_rest = net.costs.road_rest
    cutoff = max(bands_h) + rest.search_margin_h(road_rest, max(bands_h))
    ends_by_node = {n: pricing.ends_of(net, start, [n], given) for n in net.nodes}
    for ends in set(ends_by_node.values()):
        # One search per country the cargo ends in: a port there pays import clearance; a port
        # where the cargo goes on by ship ends with the call (routes.port_ends), which only
        # routes ending there pass, so one graph holds the calls of them all.
        G = pricing.query_graph(loaded.G, net, ends)
        calls = port_ends.ports_at_sea(net, [n for n, e in ends_by_node.items() if e == ends], given[1])
        G = port_ends.sea_ends(G, net, start, calls, given)
        trees[ends] = backends.backend(G).tree(start, attr="time_h", constraints=constraints, cutoff=cutoff)
    time_h: dict[str, float] = {}
    link_time_h: dict[str, float] = {}
    for node_id in net.nodes:
        found = trees[pricing.ends_of(net, start, [node_id], given)].get(node_id)
        if found is None or node_id in start:
            continue
        edges = found[1]
        elapsed = list(itertools.accumulate(rest.central_edge_hours(edges, net)))
        time_h[node_id] = elapsed[-1] if elapsed else 0.0
        for d, t in zip(edges, elapsed, strict=True):
            if d["kind"] == "link":
                link_time_h[d["link"]] = min(t, link_time_h.get(d["link"], math.inf))
    bands, lower = [], 0.0
    for hours in sorted(bands_h):
        ids = tuple(sorted(n for n, t in time_h.items() if lower < t <= hours))
        bands.append(Band(hours, ids))
        lower = hours
    return Within(tuple(start), bands, time_h, link_time_h)
