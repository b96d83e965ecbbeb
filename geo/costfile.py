"""Read ``costs.toml``, the cost model of a network folder, into a :class:`geo.model.CostModel`."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from corridors.geo import crews, emissions, model, modes, safeio, spans, validate
from corridors.geo.errors import FileAccessError, NetworkDataError

#: A cost model is a page of TOML; anything larger is not one.
MAX_COSTS_BYTES = 1000**2


def read_costs(path: str | Path) -> model.CostModel:
    """Read ``costs.toml``: line-haul, transfer and border defaults, circuity, payload, emissions."""
    file = str(path)
    try:
        data = tomllib.loads(safeio.read_bytes(path, max_bytes=MAX_COSTS_BYTES).decode("utf-8"))
    except FileAccessError as err:
        raise NetworkDataError(str(err)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        msg = f"{file}: cannot read cost model: {err}"
        raise NetworkDataError(msg) from err

    def table(key: str, value: Any, fields: Iterable[str]) -> dict:
        if not isinstance(value, dict):
            msg = f"{file}: [{key}] missing or not a table"
            raise NetworkDataError(msg)
        for name in fields:
            v = value.get(name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
                msg = f"{file}: [{key}] {name}: expected a number >= 0, got {v!r}"
                raise NetworkDataError(msg)
            low = validate.MIN_SPEED_KMH if name == "speed_kmh" else 0
            if not low <= v <= validate.MAX_FIGURE:
                msg = f"{file}: [{key}] {name}: {v!r} is out of range ({low:g} to {validate.MAX_FIGURE:g})"
                raise NetworkDataError(msg)
        source = value.get("source")
        if not isinstance(source, str) or not source.strip():
            msg = f"{file}: [{key}] source: every figure needs a source"
            raise NetworkDataError(msg)
        return value

    payload = table("payload", data.get("payload"), ["t"])
    line_haul = {}
    for mode in modes.NAMES:
        key = f"line_haul.{mode}"
        t = table(key, (data.get("line_haul") or {}).get(mode), ["speed_kmh", "usd_per_t_km"])
        _speed_ends(file, key, table(key, t, [k for k in SPEED_ENDS if k in t]))
        by_country = {}
        for iso3, override in (t.get("country") or {}).items():
            fields = [k for k in ("speed_kmh", "usd_per_t_km", *SPEED_ENDS) if k in (override or {})]
            by_country[iso3] = table(f"{key}.country.{iso3}", override, fields)
            _speed_ends(file, f"{key}.country.{iso3}", by_country[iso3])
        line_haul[mode] = model.LineHaul(
            float(t["speed_kmh"]),
            float(t["usd_per_t_km"]),
            t["source"],
            by_country,
            speed_kmh_fast=_optional(t.get("speed_kmh_fast")),
            speed_kmh_slow=_optional(t.get("speed_kmh_slow")),
        )

    def figures(section: str, kinds: Iterable[str]) -> dict[str, model.Figure]:
        out = {}
        for kind in kinds:
            key = f"{section}.{kind}"
            t = table(key, (data.get(section) or {}).get(kind), ["hours", "usd_per_t"])
            ends = table(key, t, [k for k in ("hours_low", "hours_high") if k in t])
            out[kind] = model.Figure(
                float(t["hours"]),
                float(t["usd_per_t"]),
                t["source"],
                hours_low=_optional(ends.get("hours_low")),
                hours_high=_optional(ends.get("hours_high")),
            )
            spans.check_order(file, key, out[kind].span)
        return out

    circuity = table("circuity", data.get("circuity"), list(modes.NAMES))
    factors = {k: float(v) for k, v in circuity.items() if k not in ("source", "note")}
    if any(v < 1 for v in factors.values()):
        msg = f"{file}: [circuity] factors must be 1 or more"
        raise NetworkDataError(msg)
    co2e, co2e_transfer = emissions.read(data, table, file)
    vot = {"usd_per_t_day": 0, "source": ""}
    if data.get("value_of_time") is not None:
        vot = table("value_of_time", data["value_of_time"], ["usd_per_t_day"])
    per_shipment = payload.get("per_shipment", [])
    known = {"border", *(f"transfer.{k}" for k in model.TRANSFER_KINDS)}
    if not isinstance(per_shipment, list) or not set(per_shipment) <= known:
        msg = f"{file}: [payload] per_shipment: expected a list of {', '.join(sorted(known))}"
        raise NetworkDataError(msg)
    dwell = spans.read_dwell(file, data.get("dwell") or {}, table)
    road = (data.get("dwell") or {}).get("road")
    road_rest = crews.read_road_rest(file, road, table) if crews.has_crews(road) else None
    if road_rest is not None:
        dwell["road"] = crews.dwell(road_rest)
    return model.CostModel(
        payload_t=float(payload["t"]),
        line_haul=line_haul,
        transfer=figures("transfer", modes.transfer_kinds()),
        border=figures("border", modes.BORDER_MODES),
        circuity=factors,
        circuity_source=circuity["source"],
        co2e=co2e,
        co2e_transfer=co2e_transfer,
        per_shipment=tuple(per_shipment),
        value_of_time_usd_per_t_day=float(vot["usd_per_t_day"]),
        value_of_time_source=vot["source"],
        dwell=dwell,
        road_rest=road_rest,
        port_customs=_read_port_customs(data.get("port_customs"), table),
        port_transit=_read_port_transit(file, (data.get("port_customs") or {}).get("transit"), table),
    )


def _read_port_transit(file: str, value: Any, table) -> model.Figure | None:
    """``[port_customs.transit]``: hours (with ``hours_low``, ``hours_high``), optional ``usd_per_t``."""
    if value is None:
        return None
    key = "port_customs.transit"
    t = table(key, value, ["hours", *(k for k in ("hours_low", "hours_high", "usd_per_t") if k in value)])
    fig = model.Figure(
        float(t["hours"]),
        float(t.get("usd_per_t", math.nan)),
        t["source"],
        _optional(t.get("hours_low")),
        _optional(t.get("hours_high")),
    )
    span = fig.span
    if not span.low <= span.central <= span.high:
        msg = f"{file}: [{key}] expected hours_low <= hours <= hours_high"
        raise NetworkDataError(msg)
    return fig


def _read_port_customs(value: Any, table) -> dict[str, model.Figure]:
    """``[port_customs]``: the default clearance at a port and ``[port_customs.country.XXX]``."""
    if value is None:
        return {}
    default = table("port_customs", value, ["hours", "usd_per_t"])
    out = {"default": model.Figure(float(default["hours"]), float(default["usd_per_t"]), default["source"])}
    for iso3, override in (value.get("country") or {}).items():
        t = table(f"port_customs.country.{iso3}", override, ["hours", "usd_per_t"])
        out[iso3] = model.Figure(float(t["hours"]), float(t["usd_per_t"]), t["source"])
    return out


#: The optional ends of a line-haul speed (measured by year), beside ``speed_kmh``.
SPEED_ENDS = ("speed_kmh_slow", "speed_kmh_fast")


def _speed_ends(file: str, key: str, t: dict) -> None:
    """Check ``speed_kmh_slow <= speed_kmh <= speed_kmh_fast``, each given end above 0."""
    if not any(k in t for k in SPEED_ENDS):
        return
    slow, fast = t.get("speed_kmh_slow"), t.get("speed_kmh_fast")
    central = t.get("speed_kmh")
    if (
        central is None
        or any(v is not None and v <= 0 for v in (slow, fast))
        or not ((slow is None or slow <= central) and (fast is None or central <= fast))
    ):
        msg = f"{file}: [{key}] expected 0 < speed_kmh_slow <= speed_kmh <= speed_kmh_fast"
        raise NetworkDataError(msg)


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)
