"""Route results as plain data: segments, transfers, border crossings and their totals."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
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
    distance_km: float
    time_h: float
    cost_usd_per_t: float
    coords: tuple[tuple[float, float], ...]
    gauge_mm: int | None = None
    project: str | None = None
    year: int | None = None
    length_estimated: bool = False
    open_months: frozenset[int] | None = None
    sources: dict[str, str] = field(default_factory=dict)
    #: Low and high ends of the time range (``time_h`` is the central time).
    time_h_low: float = 0.0
    time_h_high: float = 0.0
    #: Where the time goes: part name -> (low, central, high) hours.
    time_parts: dict[str, tuple[float, float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Transfer:
    """A change of mode or gauge at a place: ``gauge_change``, ``road_rail`` or ``port``."""

    seq: int
    node_id: str
    name: str
    kind: str
    from_layer: str
    to_layer: str
    time_h: float
    cost_usd_per_t: float
    lon: float
    lat: float
    sources: dict[str, str] = field(default_factory=dict)
    #: Low and high ends of the time range (``time_h`` is the central time).
    time_h_low: float = 0.0
    time_h_high: float = 0.0
    #: Where the time goes: part name -> (low, central, high) hours.
    time_parts: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    distance_km: float = 0.0


@dataclass(frozen=True)
class Crossing:
    """A border crossing passed by ``mode``, from one country to the other."""

    seq: int
    node_id: str
    name: str
    countries: tuple[str, str]
    mode: str
    status: str
    time_h: float
    cost_usd_per_t: float
    lon: float
    lat: float
    open_months: frozenset[int] | None = None
    sources: dict[str, str] = field(default_factory=dict)
    #: Low and high ends of the time range (``time_h`` is the central time).
    time_h_low: float = 0.0
    time_h_high: float = 0.0
    #: Where the time goes: part name -> (low, central, high) hours.
    time_parts: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    distance_km: float = 0.0


Step = Segment | Transfer | Crossing


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
        return [s for s in self.steps if isinstance(s, Crossing)]

    @property
    def distance_km(self) -> float:
        return sum(s.distance_km for s in self.steps)

    @property
    def time_h(self) -> float:
        """The central door-to-door time: the sum of every step's central time."""
        return sum(s.time_h for s in self.steps)

    @property
    def time_h_low(self) -> float:
        """The low end of the time range: every step at its low end."""
        return sum(s.time_h_low for s in self.steps)

    @property
    def time_h_high(self) -> float:
        """The high end of the time range: every step at its high end."""
        return sum(s.time_h_high for s in self.steps)

    @property
    def cost_usd_per_t(self) -> float:
        return sum(s.cost_usd_per_t for s in self.steps)

    def total(self, objective: str | None = None) -> float:
        """The route's total by ``distance``, ``time``, ``time-high`` or ``cost`` (default: its objective)."""
        attr = {
            "distance": "distance_km",
            "time": "time_h",
            "time-high": "time_h_high",
            "cost": "cost_usd_per_t",
        }
        return getattr(self, attr[objective or self.objective])

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
