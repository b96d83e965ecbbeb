"""The objectives a route is measured and searched by: one table that every module reads.

An objective names an additive figure that every step of a route carries (a link, a transfer,
a border crossing) under one attribute: the graph's edges, the steps of a
:class:`corridors.routes.route.Route`, the ``--json`` totals and segments and the map labels
all use ``Objective.attr`` as their key. ``--by`` offers the names of :data:`OBJECTIVES`.

Adding an objective is an entry in :data:`OBJECTIVES` plus its data: the cost model
(:mod:`corridors.routes.costs`) must then give the figure for every step it prices, under
``attr``; a step priced without it is an error, not a silent zero.

The table lives in ``geo`` because both ``routes`` and ``maps`` read it, and neither may
import the other. It imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from corridors.geo.errors import QueryError

#: How the figures of a route's steps combine into its total.
COMBINE = ("sum", "max")


@dataclass(frozen=True)
class Objective:
    """One objective: what it is called, where its figures live and how they are shown.

    Parameters
    ----------
    name
        The ``--by`` name: ``time``.
    attr
        The attribute of edges and steps and the key in JSON and GeoJSON: ``time_h``.
    unit
        Short unit of tables and of ``rank --json``: ``h``, ``$/t``, ``km``.
    symbol
        Unit in maps and the itinerary: ``h``, ``USD/t``, ``km``.
    label
        Column header and name in sentences: ``time``.
    words
        The unit in words: ``hours``, ``USD per tonne``.
    digits
        Decimals kept in ``--json`` figures.
    shown
        Decimals shown in map labels and in signed differences.
    precise
        Decimals in the itinerary (``--explain``).
    duration
        Shown in tables as days and hours (``6d 11h``).
    on_stops
        Whether transfers and border crossings carry the figure in the JSON contract (distance
        does not: a stop covers no ground).
    combine
        How the steps' figures make the route's total: ``sum`` (every objective searched by
        Dijkstra or A* must sum) or ``max``.
    width
        Width of the figure's column in the route table.
    column
        Whether tables, comparisons and the itinerary's heading give the figure a column of its
        own (the ends of the time range do not: they are shown as the time's range; CO2e and
        generalised cost get one when a query is by them).
    search
        Whether ``--by`` offers it.
    per_query
        Whether the figure depends on the query (the value of time): maps of stored routes
        leave it out.
    """

    name: str
    attr: str
    unit: str
    symbol: str
    label: str
    words: str
    digits: int
    shown: int
    precise: int
    duration: bool = False
    on_stops: bool = True
    combine: str = "sum"
    width: int = 10
    column: bool = True
    search: bool = True
    per_query: bool = False

    def __post_init__(self) -> None:
        if self.combine not in COMBINE:
            msg = f"objective {self.name!r}: `combine` must be one of {', '.join(COMBINE)}"
            raise ValueError(msg)

    def total(self, values: Iterable[float]) -> float:
        """The route's total from the figures of its steps."""
        if self.combine == "max":
            return max(values, default=0.0)
        return sum(values)

    def rounded(self, value: float) -> float:
        """The figure as the JSON contract gives it."""
        return round(value, self.digits)

    def text(self, value: float) -> str:
        """The figure in a table: ``1,599 km``, ``5d 13h``, ``139 $/t``."""
        if self.duration:
            return duration(value)
        return f"{value:,.0f} {self.unit}"

    def delta(self, value: float) -> str:
        """A signed difference in a table: ``-120 km``, ``+3.5 h``."""
        digits = self.shown if self.duration else 0
        return f"{value:+,.{digits}f} {self.unit}"

    def long(self, value: float) -> str:
        """The figure in the itinerary's heading: ``1,598.7 km``, ``133.1 h (5d 13h)``."""
        out = f"{value:,.{self.precise}f} {self.symbol}"
        return f"{out} ({duration(value)})" if self.duration else out


def duration(hours: float) -> str:
    """``154.6`` -> ``"6d 11h"``; under a day, ``"7.5h"``."""
    if hours < 24:
        return f"{hours:.1f}h"
    days, rest = divmod(round(hours), 24)
    return f"{days}d {rest:02d}h"


#: Every objective, in the order tables, JSON totals and map labels show them.
OBJECTIVES: tuple[Objective, ...] = (
    Objective(
        name="distance",
        attr="distance_km",
        unit="km",
        symbol="km",
        label="distance",
        words="km",
        digits=2,
        shown=0,
        precise=1,
        on_stops=False,
    ),
    Objective(
        name="time-low",
        attr="time_h_low",
        unit="h",
        symbol="h",
        label="time, low end",
        words="hours at the low end of the range",
        digits=3,
        shown=1,
        precise=1,
        duration=True,
        width=8,
        column=False,
        search=False,
    ),
    Objective(
        name="time",
        attr="time_h",
        unit="h",
        symbol="h",
        label="time",
        words="hours",
        digits=3,
        shown=1,
        precise=1,
        duration=True,
        width=8,
    ),
    Objective(
        name="time-high",
        attr="time_h_high",
        unit="h",
        symbol="h",
        label="time, high end",
        words="hours at the high end of the range",
        digits=3,
        shown=1,
        precise=1,
        duration=True,
        width=8,
        column=False,
    ),
    Objective(
        name="cost",
        attr="cost_usd_per_t",
        unit="$/t",
        symbol="USD/t",
        label="cost",
        words="USD per tonne",
        digits=3,
        shown=1,
        precise=2,
    ),
    Objective(
        name="co2",
        attr="co2e_kg_per_t",
        unit="kg/t",
        symbol="kg CO2e/t",
        label="CO2e",
        words="kg CO2e per tonne (well-to-wheel)",
        digits=3,
        shown=1,
        precise=2,
        column=False,
    ),
    Objective(
        name="generalised",
        attr="generalised_usd_per_t",
        unit="$/t",
        symbol="USD/t",
        label="generalised",
        words="USD per tonne, cost plus time at the value of time",
        digits=3,
        shown=1,
        precise=2,
        width=11,
        column=False,
        per_query=True,
    ),
)

#: The objective a search uses when none is given.
DEFAULT = "time"

_BY_NAME = {o.name: o for o in OBJECTIVES}
_BY_ATTR = {o.attr: o for o in OBJECTIVES}


def shown(*by: str | None) -> tuple[Objective, ...]:
    """The objectives with a column in tables: every ``column`` one, and those named in ``by``.

    CO2e and generalised cost get a column when a query is by them (tables fit 80 columns);
    JSON, CSV, the itinerary and the maps always carry CO2e.
    """
    return tuple(o for o in OBJECTIVES if o.column or o.name in by)


def stored() -> tuple[Objective, ...]:
    """The objectives whose figures mean the same for every query (maps of stored routes)."""
    return tuple(o for o in OBJECTIVES if not o.per_query)


def names() -> tuple[str, ...]:
    """The names ``--by`` offers, the default first."""
    return (DEFAULT, *(o.name for o in OBJECTIVES if o.name != DEFAULT and o.search))


def columns() -> tuple[Objective, ...]:
    """The objectives with a column of their own in tables and comparisons."""
    return tuple(o for o in OBJECTIVES if o.column)


def attrs() -> tuple[str, ...]:
    """The attributes every edge and step carries, one per objective."""
    return tuple(_BY_ATTR)


def get(name: str) -> Objective:
    """The objective called ``name``.

    Raises
    ------
    QueryError
        If no objective has that name; the message lists the valid names.
    """
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        valid = names()
        msg = f"unknown objective {name!r}; expected {', '.join(valid[:-1])} or {valid[-1]}"
        raise QueryError(msg) from None


def by_attr(attr: str) -> Objective:
    """The objective whose figures live under ``attr`` (``time_h`` -> time)."""
    return _BY_ATTR[attr]


def values(figures: Mapping[str, float], *, what: str = "a step") -> dict[str, float]:
    """Every objective's figure from ``figures`` (keyed by attribute), in registry order.

    Raises
    ------
    KeyError
        If a figure is missing: the cost model did not price ``what`` for that objective.
    """
    try:
        return {attr: figures[attr] for attr in _BY_ATTR}
    except KeyError as err:
        msg = f"the cost model gives no {err.args[0]!r} for {what}"
        raise KeyError(msg) from None
