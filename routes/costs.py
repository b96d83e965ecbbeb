"""The cost model: time (low, central, high) and cost of each link, transfer and crossing.

Where the time goes, by mode (figures and sources in ``costs.toml``):

- road: moving time (length / speed) plus rest, in rest hours per moving hour (crew and
  driving-time rules);
- rail: running time (length / speed) plus yard, interchange and wagon-waiting time, in hours
  per 100 km (from published normal and express transit times);
- sea: sailing time plus the wait for a sailing (from the sailing frequency);
- borders and transfers: dwell hours from the crossing or the place, else the defaults; a
  crossing may give its dwell by direction.

The three ends of a step's time are the objectives ``time_h_low``, ``time_h`` (central) and
``time_h_high``; a route's ends are the sums of its steps' ends.

Every step also carries its well-to-wheel CO2e (``[co2e]``) and its generalised cost (cost plus
central time at the network's default value of time). Costs are per tonne for the payload of
``costs.toml``; a query with another payload or value of time reprices the graph
(:mod:`routes.pricing`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from corridors.geo import model, modes


@dataclass(frozen=True)
class Priced:
    """The figures of one step, one per objective (keyed by ``Objective.attr``), and their sources."""

    values: dict[str, float]
    sources: dict[str, str]
    #: Where the time goes: part name -> hours (``moving``/``rest``, ``running``/``yard``, ...).
    parts: dict[str, model.Span] = field(default_factory=dict)

    @property
    def time_h(self) -> float:
        return self.values["time_h"]

    @property
    def cost_usd_per_t(self) -> float:
        return self.values["cost_usd_per_t"]


#: Hours in a day: the value of time is per tonne per day.
HOURS_PER_DAY = 24.0
#: Why border crossings carry no emissions.
BORDER_CO2E_SOURCE = "not modelled: engines idling and refrigeration at the border are not counted, so zero"


def generalised(cost_usd_per_t: float, time_h: float, value_of_time_usd_per_t_day: float) -> float:
    """Generalised cost: money plus time valued at ``value_of_time_usd_per_t_day``."""
    return cost_usd_per_t + time_h / HOURS_PER_DAY * value_of_time_usd_per_t_day


def _times(time: model.Span) -> dict[str, float]:
    return {"time_h_low": time.low, "time_h": time.central, "time_h_high": time.high}


def _stop(
    time: model.Span, usd_per_t: float, co2e_kg_per_t: float, sources: dict[str, str], costs: model.CostModel
) -> Priced:
    """The figures of a step that covers no ground: a transfer or a border crossing."""
    values = {
        "distance_km": 0.0,
        **_times(time),
        "cost_usd_per_t": usd_per_t,
        "co2e_kg_per_t": co2e_kg_per_t,
        "generalised_usd_per_t": generalised(usd_per_t, time.central, costs.value_of_time_usd_per_t_day),
    }
    return Priced(values, sources, {"dwell": time})


def link_country(link: model.Link, nodes: dict[str, model.Node]) -> str:
    """The country whose line-haul defaults price a link.

    The country both ends share; else the end that is not a border crossing; else the start.
    """
    a, b = nodes[link.from_id], nodes[link.to_id]
    if a.country == b.country or b.is_crossing:
        return a.country
    return b.country if a.is_crossing else a.country


def price_link(link: model.Link, nodes: dict[str, model.Node], costs: model.CostModel) -> Priced:
    """Line-haul time (moving plus dwell, as a range) and cost (length x rate, or a flat rate)."""
    sources = {"length_km": link.source if not link.length_estimated else link.length_basis}
    terms = link_terms(link, nodes, costs, sources)
    figures, moving, dwell = link_figures(link.length_km, terms, costs)
    moving_name, dwell_name = modes.get(link.mode).parts
    return Priced(figures, sources, {moving_name: moving, dwell_name: dwell})


@dataclass(frozen=True)
class LinkTerms:
    """What prices a link besides its length (:func:`link_terms`); links alike share them."""

    speed: model.Span
    #: A flat cost per tonne, else the cost is the length times ``usd_per_t_km``.
    usd_per_t: float | None
    usd_per_t_km: float
    #: The link's own wait, else the dwell ``rate`` per ``dwell_per`` (None: no dwell).
    wait_h: model.Span | None
    rate: model.Span | None
    dwell_per: str | None
    co2e_kg_per_t_km: float


def link_terms(
    link: model.Link, nodes: dict[str, model.Node], costs: model.CostModel, sources: dict[str, str]
) -> LinkTerms:
    """The figures that price ``link`` apart from its length; their sources go to ``sources``.

    They depend on the link's mode, its country (:func:`link_country`) and its own
    ``speed_kmh``, ``usd_per_t``, ``usd_per_t_km`` and ``wait_h`` only.
    """
    defaults = costs.line_haul[link.mode]
    country = link_country(link, nodes)
    override = defaults.by_country.get(country, {})
    if link.speed_kmh is not None:
        speed, sources["speed_kmh"] = model.Span.point(link.speed_kmh), link.source
    elif "speed_kmh" in override:
        speed, sources["speed_kmh"] = _speeds(override), override["source"]
    else:
        speed, sources["speed_kmh"] = _speeds(vars(defaults)), defaults.source
    rate_km = 0.0
    if link.usd_per_t is not None:
        sources["usd_per_t"] = link.source
    elif link.usd_per_t_km is not None:
        rate_km, sources["usd_per_t_km"] = link.usd_per_t_km, link.source
    elif "usd_per_t_km" in override:
        rate_km, sources["usd_per_t_km"] = float(override["usd_per_t_km"]), override["source"]
    else:
        rate_km, sources["usd_per_t_km"] = defaults.usd_per_t_km, defaults.source
    rate, per = None, None
    if link.wait_h is not None:
        sources["wait_h"] = link.source
    else:
        dwell, spec = costs.dwell.get(link.mode), modes.get(link.mode)
        if dwell is not None and spec.dwell_field is not None:
            rate, sources[spec.dwell_field] = dwell.by_country.get(country, (dwell.span, dwell.source))
            per = spec.dwell_per
    intensity, sources["co2e_kg_per_t_km"] = costs.co2e[link.mode].intensity(country)
    return LinkTerms(speed, link.usd_per_t, rate_km, link.wait_h, rate, per, intensity)


def link_figures(km, terms: LinkTerms, costs: model.CostModel) -> tuple[dict, model.Span, model.Span]:
    """The figures of a link of length ``km`` priced by ``terms``, its moving time and its dwell.

    Rest (road) is in hours per moving hour, yard time (rail) in hours per 100 km, the wait for a
    sailing (sea) per link. ``km`` may be a number or a numpy array of the lengths of links
    that share ``terms``: the same operations in the same order give the same figures.
    """
    cost = terms.usd_per_t if terms.usd_per_t is not None else km * terms.usd_per_t_km
    speed = terms.speed
    moving = model.Span(km / speed.high, km / speed.central, km / speed.low)
    if terms.wait_h is not None:
        dwell = terms.wait_h
    elif terms.rate is None:
        dwell = model.Span.point(0.0)
    elif terms.dwell_per == "moving_h":
        dwell = terms.rate.times(moving)
    elif terms.dwell_per == "100km":
        dwell = terms.rate.scale(km / 100)
    else:
        dwell = terms.rate
    time = moving + dwell
    figures = {
        "distance_km": km,
        **_times(time),
        "cost_usd_per_t": cost,
        "co2e_kg_per_t": km * terms.co2e_kg_per_t_km,
        "generalised_usd_per_t": generalised(cost, time.central, costs.value_of_time_usd_per_t_day),
    }
    return figures, moving, dwell


def _speeds(table: dict) -> model.Span:
    """A speed as (slow, central, fast) km/h: the ends given beside ``speed_kmh``, else none."""
    central = float(table["speed_kmh"])
    slow, fast = table.get("speed_kmh_slow"), table.get("speed_kmh_fast")
    return model.Span(
        central if slow is None else float(slow), central, central if fast is None else float(fast)
    )


def border_hours(
    node: model.Node, mode: str, direction: tuple[str, str] | None, service: str | None = None
) -> model.Span | None:
    """The crossing's own dwell by ``mode`` travelling ``direction`` (from, to), or None.

    ``border.hours[mode]`` is a number, a ``{low, central, high}`` table, or such values by
    direction: ``"A>B"``, or ``in``/``out`` (into or out of the node's own country). A figure
    for the service priced (``"rail.block"``) comes before the mode's.
    """
    hours = node.border.hours if node.border else {}
    value = hours.get(f"{mode}.{service}", hours.get(mode)) if service else hours.get(mode)
    if value is None:
        return None
    if not isinstance(value, dict) or "central" in value:
        return _span(value)
    if direction is None:
        return None
    a, b = direction
    keys = [f"{a}>{b}", "in" if b == node.country else "out" if a == node.country else ""]
    found = next((value[k] for k in keys if k in value), None)
    return None if found is None else _span(found)


def _span(value: float | dict) -> model.Span:
    if isinstance(value, dict):
        central = float(value["central"])
        return model.Span(float(value.get("low", central)), central, float(value.get("high", central)))
    return model.Span.point(float(value))


def price_border(
    node: model.Node, mode: str, costs: model.CostModel, direction: tuple[str, str] | None = None
) -> Priced:
    """Dwell (a range) and cost of crossing the border at ``node`` by ``mode`` (``sea`` crosses free).

    ``direction`` is (from country, to country); a crossing that gives no dwell for it (or
    none for the mode) pays the mode's default. Which modes pay is
    :attr:`corridors.geo.modes.Mode.crosses_borders`.
    """
    if not modes.get(mode).crosses_borders:
        return _stop(model.Span.point(0.0), 0.0, 0.0, {}, costs)
    default = costs.border[mode]
    dwell = costs.dwell.get(mode)
    hours = border_hours(node, mode, direction, dwell.service if dwell else None)
    usd = node.border.usd_per_t.get(mode) if node.border else None
    return _stop(
        default.span if hours is None else hours,
        default.usd_per_t if usd is None else usd,
        0.0,
        {
            "hours": default.source if hours is None else node.source,
            "usd_per_t": default.source if usd is None else node.source,
            "co2e_kg_per_t": BORDER_CO2E_SOURCE,
        },
        costs,
    )


def price_port_customs(node: model.Node, costs: model.CostModel, *, transit: bool = False) -> Priced:
    """Customs at port ``node`` for a sea link to or from another country.

    Clearance (export where the cargo starts in the port's country, import where it ends there):
    the port's country's figure of ``[port_customs]``, else its default. ``transit`` (the cargo
    only passes through the country): the time of ``[port_customs.transit]`` when the cost model
    has one, with its cost if it gives one, else the port's clearance cost.
    """
    fig = costs.port_customs.get(node.country) or costs.port_customs["default"]
    passing = costs.port_transit if transit else None
    if passing is None:
        return _stop(
            model.Span.point(fig.hours),
            fig.usd_per_t,
            0.0,
            {"hours": fig.source, "usd_per_t": fig.source},
            costs,
        )
    usd, usd_source = (
        (fig.usd_per_t, fig.source)
        if math.isnan(passing.usd_per_t)
        else (
            passing.usd_per_t,
            passing.source,
        )
    )
    return _stop(passing.span, usd, 0.0, {"hours": passing.source, "usd_per_t": usd_source}, costs)


def transfer_kind(layer_a: str, layer_b: str) -> str:
    """Which transfer joins two layers: a gauge change, a road-rail or a port transshipment.

    The rule is the modes' (:func:`corridors.geo.modes.transfer_kind`).
    """
    return modes.transfer_kind(layer_a, layer_b)


def price_transfer(node: model.Node, kind: str, costs: model.CostModel) -> Priced:
    """Time (a range) and cost of a transfer at ``node``: the node's own figure, else the default."""
    fig = node.transfer.get(kind) or costs.transfer[kind]
    co2e, co2e_source = costs.co2e_transfer[kind]
    sources = {"hours": fig.source, "usd_per_t": fig.source, "co2e_kg_per_t": co2e_source}
    return _stop(fig.span, fig.usd_per_t, co2e, sources, costs)
