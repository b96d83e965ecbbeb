"""Route results as plain data: segments, transfers, border crossings and their totals.

Every step carries one figure per objective in ``values`` (keyed by ``Objective.attr``, see
:mod:`corridors.geo.objectives`); ``step.time_h`` and the like read from there, and
:meth:`Route.total` sums them as the registry says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from corridors.geo import objectives


class _Figures:
    """The objectives' figures of a step, by attribute."""

    values: Mapping[str, float]

    def value(self, objective: str) -> float:
        """The step's figure for ``objective`` (a name: ``time``)."""
        return self.values[objectives.get(objective).attr]

    @property
    def distance_km(self) -> float:
        return self.values["distance_km"]

    @property
    def time_h(self) -> float:
        return self.values["time_h"]

    @property
    def time_h_low(self) -> float:
        """The low end of the step's time range."""
        return self.values["time_h_low"]

    @property
    def time_h_high(self) -> float:
        """The high end of the step's time range."""
        return self.values["time_h_high"]

    @property
    def cost_usd_per_t(self) -> float:
        return self.values["cost_usd_per_t"]


@dataclass(frozen=True)
class Segment(_Figures):
    """A stretch of one physical link, in the direction travelled."""

    seq: int
    link_id: str
    from_id: str
    to_id: str
    from_name: str
    to_name: str
    mode: str
    status: str
    corridor: str
    values: Mapping[str, float]
    coords: tuple[tuple[float, float], ...]
    gauge_mm: int | None = None
    project: str | None = None
    year: int | None = None
    length_estimated: bool = False
    open_months: frozenset[int] | None = None
    sources: dict[str, str] = field(default_factory=dict)
    #: Where the time goes: part name (``moving``, ``rest``, ``yard``, ``dwell``...) -> hours
    #: as (low, central, high).
    time_parts: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Transfer(_Figures):
    """A change of mode or gauge at a place: ``gauge_change``, ``road_rail`` or ``port``."""

    seq: int
    node_id: str
    name: str
    kind: str
    from_layer: str
    to_layer: str
    values: Mapping[str, float]
    lon: float
    lat: float
    sources: dict[str, str] = field(default_factory=dict)
    #: Where the time goes: part name (``moving``, ``rest``, ``yard``, ``dwell``...) -> hours
    #: as (low, central, high).
    time_parts: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Crossing(_Figures):
    """A border crossing passed by ``mode``, from one country to the other; or (``kind``
    ``port``) customs at a port for a sea link to or from another country: a customs step in
    the port's ``country``, ``countries`` the sea link's."""

    seq: int
    node_id: str
    name: str
    countries: tuple[str, str]
    mode: str
    status: str
    values: Mapping[str, float]
    lon: float
    lat: float
    open_months: frozenset[int] | None = None
    sources: dict[str, str] = field(default_factory=dict)
    #: Where the time goes: part name (``moving``, ``rest``, ``yard``, ``dwell``...) -> hours
    #: as (low, central, high).
    time_parts: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)
    #: ``crossing`` (a border between two countries) or ``port`` (a port call's customs).
    kind: str = "crossing"
    #: The country of a port call's customs (None at a border crossing).
    country: str | None = None


Step = Segment | Transfer | Crossing


@dataclass(frozen=True)
class Need:
    """Something a route relies on that is not open today.

    ``kind`` is ``project`` (its links ``ids``), ``link`` (a link outside any project) or
    ``crossing`` (a crossing not open today, ``ids`` its node id).
    """

    kind: str
    name: str
    status: str
    ids: tuple[str, ...]
    year: int | None = None

    def describe(self) -> str:
        """``"ML-1 Upgrade (proposed, expected 2030): ml1up_a"`` or ``"Torkham crossing (suspended)"``."""
        status = self.status.replace("_", " ")
        if self.kind == "crossing":
            return f"{self.name} crossing ({status})"
        when = f", expected {self.year}" if self.year else ""
        head = f"{self.name} ({status}{when})"
        return f"{head}: {', '.join(self.ids)}" if self.kind == "project" else head


@dataclass(frozen=True)
class Route:
    """One candidate route: its steps in order and everything derived from them."""

    origin: str
    destination: str
    steps: tuple[Step, ...]
    objective: str
    rank: int = 1
    countries: tuple[str, ...] = ()

    @property
    def segments(self) -> list[Segment]:
        return [s for s in self.steps if isinstance(s, Segment)]

    @property
    def transfers(self) -> list[Transfer]:
        return [s for s in self.steps if isinstance(s, Transfer)]

    @property
    def crossings(self) -> list[Crossing]:
        """The border crossings and the port calls' customs: every step that crosses no ground."""
        return [s for s in self.steps if isinstance(s, Crossing)]

    @property
    def borders(self) -> list[Crossing]:
        """The borders crossed, from one country into another."""
        return [c for c in self.crossings if c.kind == "crossing"]

    @property
    def port_calls(self) -> list[Crossing]:
        """Customs at ports, each in one country, for the sea links to or from another."""
        return [c for c in self.crossings if c.kind == "port"]

    @property
    def distance_km(self) -> float:
        return self.total("distance")

    @property
    def time_h(self) -> float:
        """The central door-to-door time: the sum of the steps' central times."""
        return self.total("time")

    @property
    def time_h_low(self) -> float:
        """The low end of the time range: every step at its low end."""
        return self.total("time-low")

    @property
    def time_h_high(self) -> float:
        """The high end of the time range: every step at its high end."""
        return self.total("time-high")

    @property
    def cost_usd_per_t(self) -> float:
        return self.total("cost")

    def total(self, objective: str | None = None) -> float:
        """The route's total by an objective's name (default: the one it was found by).

        Raises
        ------
        QueryError
            If no objective has that name.
        """
        o = objectives.get(objective or self.objective)
        return o.total(s.values[o.attr] for s in self.steps)

    @property
    def totals(self) -> dict[str, float]:
        """Every objective's total, by attribute (``time_h``: hours), in registry order."""
        return {o.attr: self.total(o.name) for o in objectives.OBJECTIVES}

    @property
    def modes(self) -> list[str]:
        return list(dict.fromkeys(s.mode for s in self.segments))

    @property
    def corridors(self) -> list[str]:
        return list(dict.fromkeys(s.corridor for s in self.segments))

    @property
    def relies_on(self) -> list[str]:
        """Ids of the non-operational links the route uses."""
        return list(dict.fromkeys(s.link_id for s in self.segments if s.status != "operational"))

    @property
    def needs(self) -> list[Need]:
        """The projects, links and crossings not open today that the route uses, in route order."""
        grouped: dict[str, list[Segment]] = {}
        for s in self.segments:
            if s.status != "operational":
                grouped.setdefault(s.project or s.link_id, []).append(s)
        out = []
        for key, segs in grouped.items():
            ids = tuple(dict.fromkeys(s.link_id for s in segs))
            years = [s.year for s in segs if s.year]
            status = ", ".join(sorted({s.status for s in segs}))
            kind = "project" if segs[0].project else "link"
            out.append(Need(kind, key, status, ids, max(years) if years else None))
        for c in self.crossings:
            if c.status != "operational" and all(n.ids != (c.node_id,) for n in out):
                out.append(Need("crossing", c.name, c.status, (c.node_id,)))
        return out

    @property
    def link_ids(self) -> frozenset[str]:
        return frozenset(s.link_id for s in self.segments)

    @property
    def warnings(self) -> list[str]:
        """Status and seasonal warnings a user should read before trusting the route."""
        out = []
        for s in self.segments:
            if s.status != "operational":
                what = f" ({s.project}" + (f", expected {s.year})" if s.year else ")") if s.project else ""
                out.append(f"{s.link_id} is {s.status.replace('_', ' ')}{what}")
            if s.open_months is not None and len(s.open_months) < 12:
                out.append(f"{s.link_id} is open only in months {_months(s.open_months)}")
        for c in self.crossings:
            if c.status != "operational":
                out.append(f"{c.name} crossing is {c.status}")
            if c.open_months is not None and len(c.open_months) < 12:
                out.append(f"{c.name} crossing is open only in months {_months(c.open_months)}")
        return out


def _months(months: frozenset[int]) -> str:
    return ",".join(str(m) for m in sorted(months))
