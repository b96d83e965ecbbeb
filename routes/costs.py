"""The cost model: time and cost of each link, transfer and border crossing, with sources."""

from __future__ import annotations

from dataclasses import dataclass

from corridors.geo import model, modes


@dataclass(frozen=True)
class Priced:
    """The figures of one step, one per objective (keyed by ``Objective.attr``), and their sources."""

    values: dict[str, float]
    sources: dict[str, str]

    @property
    def time_h(self) -> float:
        return self.values["time_h"]

    @property
    def cost_usd_per_t(self) -> float:
        return self.values["cost_usd_per_t"]


def _stop(hours: float, usd_per_t: float, sources: dict[str, str]) -> Priced:
    """The figures of a step that covers no ground: a transfer or a border crossing."""
    return Priced({"distance_km": 0.0, "time_h": hours, "cost_usd_per_t": usd_per_t}, sources)


def link_country(link: model.Link, nodes: dict[str, model.Node]) -> str:
    """The country whose line-haul defaults price a link.

    The country both ends share; else the end that is not a border crossing; else the start.
    """
    a, b = nodes[link.from_id], nodes[link.to_id]
    if a.country == b.country or b.is_crossing:
        return a.country
    return b.country if a.is_crossing else a.country


def price_link(link: model.Link, nodes: dict[str, model.Node], costs: model.CostModel) -> Priced:
    """Line-haul time (length / speed) and cost (length x rate, or a flat link rate)."""
    defaults = costs.line_haul[link.mode]
    country = link_country(link, nodes)
    override = defaults.by_country.get(country, {})
    sources = {"length_km": link.source if not link.length_estimated else link.length_basis}
    if link.speed_kmh is not None:
        speed, sources["speed_kmh"] = link.speed_kmh, link.source
    elif "speed_kmh" in override:
        speed, sources["speed_kmh"] = float(override["speed_kmh"]), override["source"]
    else:
        speed, sources["speed_kmh"] = defaults.speed_kmh, defaults.source
    if link.usd_per_t is not None:
        cost, sources["usd_per_t"] = link.usd_per_t, link.source
    else:
        if link.usd_per_t_km is not None:
            rate, sources["usd_per_t_km"] = link.usd_per_t_km, link.source
        elif "usd_per_t_km" in override:
            rate, sources["usd_per_t_km"] = float(override["usd_per_t_km"]), override["source"]
        else:
            rate, sources["usd_per_t_km"] = defaults.usd_per_t_km, defaults.source
        cost = link.length_km * rate
    figures = {"distance_km": link.length_km, "time_h": link.length_km / speed, "cost_usd_per_t": cost}
    return Priced(figures, sources)


def price_border(node: model.Node, mode: str, costs: model.CostModel) -> Priced:
    """Dwell and cost of crossing the border at ``node`` by ``mode`` (``sea`` crosses free).

    Which modes pay is :attr:`corridors.geo.modes.Mode.crosses_borders`.
    """
    if not modes.get(mode).crosses_borders:
        return _stop(0.0, 0.0, {})
    default = costs.border[mode]
    border = node.border
    hours = border.hours.get(mode) if border else None
    usd = border.usd_per_t.get(mode) if border else None
    return _stop(
        default.hours if hours is None else hours,
        default.usd_per_t if usd is None else usd,
        {
            "hours": default.source if hours is None else node.source,
            "usd_per_t": default.source if usd is None else node.source,
        },
    )


def transfer_kind(layer_a: str, layer_b: str) -> str:
    """Which transfer joins two layers: a gauge change, a road-rail or a port transshipment.

    The rule is the modes' (:func:`corridors.geo.modes.transfer_kind`).
    """
    return modes.transfer_kind(layer_a, layer_b)


def price_transfer(node: model.Node, kind: str, costs: model.CostModel) -> Priced:
    """Time and cost of a transfer at ``node``: the node's own figure, else the default."""
    fig = node.transfer.get(kind) or costs.transfer[kind]
    return _stop(fig.hours, fig.usd_per_t, {"hours": fig.source, "usd_per_t": fig.source})
