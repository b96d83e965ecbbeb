"""Plain data of a corridor network: nodes, links, cost defaults.

The vocabulary of modes, gauges and transfers is :mod:`corridors.geo.modes`; seas, gauges and
countries are whatever a network's files hold.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from corridors.geo import modes

#: The modes' names (:data:`corridors.geo.modes.MODES` holds their rules).
MODES = modes.NAMES
LINK_STATUSES = ("operational", "under_construction", "proposed", "suspended")
NODE_STATUSES = ("operational", "suspended", "proposed")
NODE_KINDS = ("city", "port", "dry_port", "border_crossing", "junction")
TRANSFER_KINDS = modes.TRANSFERS


#: The three ends of a time range, in the order ``(low, central, high)``.
SPAN_ENDS = ("low", "central", "high")


@dataclass(frozen=True)
class Span:
    """A low, central and high value of one quantity (hours, or a dwell rate)."""

    low: float
    central: float
    high: float

    @classmethod
    def point(cls, value: float) -> Span:
        """A range with no spread: all three ends equal ``value``."""
        return cls(value, value, value)

    def __add__(self, other: Span) -> Span:
        return Span(self.low + other.low, self.central + other.central, self.high + other.high)

    def scale(self, factor: float) -> Span:
        """Each end times ``factor``."""
        return Span(self.low * factor, self.central * factor, self.high * factor)

    def times(self, other: Span) -> Span:
        """End by end product: low x low, central x central, high x high."""
        return Span(self.low * other.low, self.central * other.central, self.high * other.high)


@dataclass(frozen=True)
class Border:
    """What it takes to cross a border at a crossing node, by mode.

    ``hours`` maps a mode to a number (the central dwell), to a range ``{low, central, high}``,
    or to dwell by direction: keys ``in``/``out`` (into or out of the crossing node's own
    country) or ``"KAZ>UZB"`` (from one country to the other), each a number or a range.
    """

    countries: tuple[str, str]
    hours: dict[str, Any]
    usd_per_t: dict[str, float]


@dataclass(frozen=True)
class Figure:
    """A time and a cost with the source they come from; ``hours`` is the central time."""

    hours: float
    usd_per_t: float
    source: str
    hours_low: float | None = None
    hours_high: float | None = None

    @property
    def span(self) -> Span:
        """The time as a range; an end not given is the central time."""
        low = self.hours if self.hours_low is None else self.hours_low
        high = self.hours if self.hours_high is None else self.hours_high
        return Span(low, self.hours, high)


@dataclass(frozen=True)
class Dwell:
    """Time a mode spends not moving, as a range, with its source.

    ``road``: rest hours per moving hour (crew and driving-time rules); ``rail``: yard,
    interchange and wagon-waiting hours per 100 km; ``sea``: hours waiting for a sailing.
    """

    span: Span
    source: str
    by_country: dict[str, tuple[Span, str]] = field(default_factory=dict)
    #: The name of the service these figures describe (``[dwell.rail] default_service``), if any.
    service: str | None = None
    #: Other services (``[dwell.<mode>.service.<name>]``): their own figures, where they give them.
    services: dict[str, Dwell] = field(default_factory=dict)

    def service_names(self) -> tuple[str, ...]:
        """The services a query may choose: the default's name first, then the others."""
        return tuple(n for n in (self.service, *self.services) if n is not None)

    def for_service(self, name: str) -> Dwell:
        """The figures of service ``name``, the default's where the service gives none.

        A country takes the service's own figure, else the default's figure for that country,
        else the service's general figure: a country measured only once (one timetable for
        every train) keeps that measurement whatever the service.
        """
        if name == self.service or name not in self.services:
            return self
        other = self.services[name]
        by_country = {**self.by_country, **other.by_country}
        return Dwell(other.span, other.source, by_country, name)


@dataclass(frozen=True)
class Cycle:
    """How a truck's crew drives: at most ``driving_h`` hours, then ``standing_h`` hours standing."""

    driving_h: float
    standing_h: float

    @property
    def rate(self) -> float:
        """Hours standing per hour driving over a long trip."""
        return self.standing_h / self.driving_h

    def stops(self, driving_h: float) -> int:
        """How many times a crew stands on a trip of ``driving_h`` hours of driving: once for
        each full ``driving_h`` of the cycle that is followed by more driving."""
        return max(0, math.ceil(driving_h / self.driving_h - 1e-9) - 1)


@dataclass(frozen=True)
class Crew:
    """A crew of ``drivers``: its cycle at the low, central and high end of the range."""

    drivers: int
    low: Cycle
    central: Cycle
    high: Cycle
    source: str


#: The kinds of wait ``[dwell.road.waits_as_rest.<kind>]`` names: a border crossing, a transfer
#: or port call (the truck unloads or stands in port), a sea leg.
REST_WAIT_KINDS = ("border", "transfer", "sea")


@dataclass(frozen=True)
class RestWait:
    """A wait that counts as the crew's daily rest: at least ``min_h`` hours, at the ``ends``
    (low, central, high) named; the driving clock starts again after it."""

    min_h: float
    ends: frozenset[str]
    source: str

    def resets(self, end: str, hours: float) -> bool:
        """Whether a wait of ``hours`` at ``end`` is a daily rest."""
        return end in self.ends and hours >= self.min_h


@dataclass(frozen=True)
class RoadRest:
    """Road rest by driving day (``[dwell.road.drivers.<n>]``): the crews a truck may have.

    ``drivers`` is the crew a query names; None (unknown) spans every crew: the low end is the
    crew that stands least, the high end the one that stands most, the central the
    ``default_drivers`` crew's central cycle. ``waits`` (kind -> :class:`RestWait`) are the
    waits after which the crew's driving clock starts again.
    """

    crews: dict[int, Crew]
    default_drivers: int
    source: str
    drivers: int | None = None
    waits: Mapping[str, RestWait] = field(default_factory=dict)

    def cycles(self) -> tuple[tuple[Cycle, ...], Cycle, tuple[Cycle, ...]]:
        """The cycles the low end chooses from, the central one, those the high end chooses from."""
        if self.drivers is not None:
            c = self.crews[self.drivers]
            return (c.low,), c.central, (c.high,)
        crews = self.crews.values()
        return (
            tuple(c.low for c in crews),
            self.crews[self.default_drivers].central,
            tuple(c.high for c in crews),
        )

    def rates(self) -> Span:
        """Hours standing per hour driving over a long trip: what the search prices a road link by."""
        low, central, high = self.cycles()
        return Span(min(c.rate for c in low), central.rate, max(c.rate for c in high))

    def resets(self, kind: str, end: str, hours: float) -> bool:
        """Whether a wait of ``kind`` lasting ``hours`` at ``end`` restarts the driving clock."""
        wait = self.waits.get(kind)
        return wait is not None and wait.resets(end, hours)

    def standing_h(self, driving: Span) -> Span:
        """Hours standing on a trip of ``driving`` hours of driving in one stretch (low, central,
        high), each end by the cycle that gives it (:meth:`cycle_at`)."""
        return self.standing_h_runs({end: (getattr(driving, end),) for end in SPAN_ENDS})

    def standing_h_runs(self, runs: Mapping[str, tuple[float, ...]]) -> Span:
        """Hours standing on a trip driven in stretches (``runs[end]``: the hours of driving
        between waits that restart the clock, at each end): each stretch stands whole stops of
        the one cycle the end takes for the whole trip (:meth:`cycle_at`)."""

        def at(end: str) -> float:
            cycle = self.cycle_at(end, runs[end])
            return math.fsum(cycle.stops(h) * cycle.standing_h for h in runs[end])

        return Span(*(at(end) for end in SPAN_ENDS))

    def cycle_at(self, end: str, driving_h: float | tuple[float, ...]) -> Cycle:
        """The cycle that gives the ``end`` (low, central, high) of a trip of ``driving_h`` hours
        of driving (or stretches of driving)."""
        low, central, high = self.cycles()
        if end == "central":
            return central
        runs = (driving_h,) if isinstance(driving_h, int | float) else driving_h
        pick = min if end == "low" else max
        return pick(
            low if end == "low" else high, key=lambda c: math.fsum(c.stops(h) * c.standing_h for h in runs)
        )

    def for_drivers(self, drivers: int | None) -> RoadRest:
        """The same rules for a crew of ``drivers`` (None: unknown)."""
        return RoadRest(self.crews, self.default_drivers, self.source, drivers, self.waits)


@dataclass(frozen=True)
class Node:
    """A place: city, port, dry port, border crossing or junction."""

    id: str
    name: str
    lon: float
    lat: float
    country: str
    kind: str
    source: str
    aliases: tuple[str, ...] = ()
    sea: str | None = None
    border: Border | None = None
    status: str = "operational"
    open_months: frozenset[int] | None = None
    transfer: dict[str, Figure] = field(default_factory=dict)
    note: str | None = None
    file: str = ""
    #: The id of the place this node is part of: a station of a city, a side of a crossing.
    part_of: str | None = None

    @property
    def is_crossing(self) -> bool:
        """Whether the node is a border crossing."""
        return self.border is not None


@dataclass(frozen=True)
class Link:
    """A physical link between two nodes: a road, a railway or a shipping lane.

    ``length_km`` is resolved: the published length when the data gives one, else the
    geometry's great-circle length times the circuity factor (``length_estimated`` is then true).
    """

    id: str
    from_id: str
    to_id: str
    mode: str
    status: str
    corridor: str
    source: str
    coords: tuple[tuple[float, float], ...]
    length_km: float
    length_estimated: bool = False
    length_basis: str = ""
    gauge_mm: int | None = None
    project: str | None = None
    speed_kmh: float | None = None
    #: Hours waiting for a sailing on this sea link (its own sailing frequency), else the default.
    wait_h: Span | None = None
    usd_per_t_km: float | None = None
    usd_per_t: float | None = None
    open_months: frozenset[int] | None = None
    oneway: bool = False
    year: int | None = None
    terrain: str | None = None
    note: str | None = None
    file: str = ""

    @property
    def layer(self) -> str:
        """The graph layer the link runs on: ``road``, ``sea`` or ``rail<gauge>``."""
        return modes.layer(self.mode, self.gauge_mm)


@dataclass(frozen=True)
class LineHaul:
    """Default moving speed and line-haul cost of a mode, with per-country overrides.

    ``speed_kmh_fast`` and ``speed_kmh_slow`` (here and in an override) are the ends of the
    measured moving speed (CPMM by year); without them the speed has no spread.
    """

    speed_kmh: float
    usd_per_t_km: float
    source: str
    by_country: dict[str, dict[str, Any]] = field(default_factory=dict)
    speed_kmh_fast: float | None = None
    speed_kmh_slow: float | None = None


@dataclass(frozen=True)
class Emission:
    """Well-to-wheel emission intensity of one mode, with per-country traction mixes for rail.

    ``by_country`` maps ISO3 to ``{"electric_share", "grid_kg_co2e_per_kwh", "source"}``: a
    share of the country's rail tonne-km hauled electrically, at ``kwh_per_t_km`` from a grid
    of that intensity, the rest at ``kg_co2e_per_t_km`` (diesel).
    """

    kg_co2e_per_t_km: float
    source: str
    kwh_per_t_km: float | None = None
    kwh_source: str = ""
    by_country: dict[str, dict[str, Any]] = field(default_factory=dict)

    def intensity(self, country: str) -> tuple[float, str]:
        """kg CO2e per t-km in ``country`` and the sources of the figure."""
        mix = self.by_country.get(country)
        if not mix or self.kwh_per_t_km is None:
            return self.kg_co2e_per_t_km, self.source
        share = float(mix["electric_share"])
        electric = self.kwh_per_t_km * float(mix["grid_kg_co2e_per_kwh"])
        value = share * electric + (1 - share) * self.kg_co2e_per_t_km
        return value, f"{mix['source']}; electric {self.kwh_source}; diesel {self.source}"


@dataclass(frozen=True)
class CostModel:
    """Cost-model defaults read from ``costs.toml``; every figure keeps its source."""

    payload_t: float
    line_haul: dict[str, LineHaul]
    transfer: dict[str, Figure]
    border: dict[str, Figure]
    circuity: dict[str, float]
    circuity_source: str
    #: Well-to-wheel emissions by mode (``[co2e]`` in ``costs.toml``).
    co2e: dict[str, Emission] = field(default_factory=dict)
    #: kg CO2e per tonne of a transfer by kind, with its source (zero where none is sourced).
    co2e_transfer: dict[str, tuple[float, str]] = field(default_factory=dict)
    #: Which per-tonne figures were derived from a per-shipment cost, by table (``[payload]``).
    per_shipment: tuple[str, ...] = ()
    #: Default value of time for generalised cost, USD per tonne per day (``[value_of_time]``).
    value_of_time_usd_per_t_day: float = 0.0
    value_of_time_source: str = ""
    #: Dwell by mode; a mode without an entry (older cost files) has none.
    dwell: dict[str, Dwell] = field(default_factory=dict)
    #: Customs at a port, for a sea link between two countries: by ISO3, and ``"default"``
    #: (``[port_customs]`` in ``costs.toml``; a cost file without it charges none).
    port_customs: dict[str, Figure] = field(default_factory=dict)
    #: A transit declaration at a port (``[port_customs.transit]``): what a port call costs in time
    #: when the cargo neither starts nor ends in the port's country. None: every port call
    #: clears customs. Its ``usd_per_t`` is NaN when the table gives none (the port's clearance
    #: cost then applies).
    port_transit: Figure | None = None
    #: Road rest by driving day (``[dwell.road.drivers.<n>]``); None: rest per moving hour only.
    road_rest: RoadRest | None = None


@dataclass
class Network:
    """Nodes and links by id, and the cost model they are priced with.

    ``nodes`` and ``links`` are dicts, or for large networks :class:`geo.columns.Columns`,
    read-only mappings that load faster. ``name_index`` (normalised name -> node ids) is filled
    on first use by the place search.
    """

    nodes: Mapping[str, Node]
    links: Mapping[str, Link]
    costs: CostModel
    folder: str = ""
    files: tuple[str, ...] = ()
    name_index: Mapping[str, str | tuple[str, ...]] | None = None
    #: Place id -> the ids of its parts (``part_of``); filled on first use by the place search.
    parts: dict[str, tuple[str, ...]] | None = None
