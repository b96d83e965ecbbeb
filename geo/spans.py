"""Time ranges in ``costs.toml``: ``{low, central, high}`` values and the ``[dwell.<mode>]`` tables.

A dwell table gives a mode's standing time (rest per moving hour on roads, yard hours per
100 km on rail, the wait for a sailing at sea), by country, and may name services: the
default's figures are one service (``default_service = "wagon"``), and
``[dwell.<mode>.service.<name>]`` tables give another's (``block``), with their own country
tables; a query chooses one (:meth:`corridors.geo.model.Dwell.for_service`).
"""

from __future__ import annotations

import math
from typing import Any

from corridors.geo import crews, model, modes
from corridors.geo.errors import NetworkDataError


def check_order(file: str, key: str, span: model.Span) -> None:
    if not span.low <= span.central <= span.high:
        got = f"{span.low:g}, {span.central:g}, {span.high:g}"
        msg = f"{file}: [{key}] expected low <= central <= high, got {got}"
        raise NetworkDataError(msg)


def read_span(file: str, key: str, name: str, value: Any) -> model.Span:
    """A number (no spread) or a table ``{low, central, high}`` as a :class:`model.Span`.

    Raises
    ------
    NetworkDataError
        If the value is neither, an end is not a number >= 0, or the ends are out of order.
    """
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(model.SPAN_ENDS))
        central = value.get("central")
        ends = [value.get(e, central) for e in model.SPAN_ENDS]
        if unknown or central is None or not all(_is_amount(v) for v in ends):
            msg = f"{file}: [{key}] {name}: expected {{low, central, high}} numbers >= 0, got {value!r}"
            raise NetworkDataError(msg)
        span = model.Span(*(float(v) for v in ends))
    elif _is_amount(value):
        span = model.Span.point(float(value))
    else:
        msg = f"{file}: [{key}] {name}: expected a number >= 0 or {{low, central, high}}, got {value!r}"
        raise NetworkDataError(msg)
    check_order(file, f"{key}] [{name}", span)
    return span


def _is_amount(value: Any) -> bool:
    return (
        not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value) and value >= 0
    )


def read_dwell(file: str, data: dict, table) -> dict[str, model.Dwell]:
    """The optional ``[dwell.<mode>]`` tables (older cost files have none: no dwell)."""
    out = {}
    for mode, name in ((m.name, m.dwell_field) for m in modes.MODES if m.dwell_field):
        if mode not in data or (mode == "road" and crews.has_crews(data[mode])):
            continue
        key = f"dwell.{mode}"
        t = table(key, data[mode], [])
        services, tables = {}, t.get("service") or {}
        if not isinstance(tables, dict):
            msg = f"{file}: [{key}] service: expected tables [{key}.service.<name>], got {tables!r}"
            raise NetworkDataError(msg)
        for service, sub in tables.items():
            services[service] = _dwell_table(file, f"{key}.service.{service}", name, sub, table, service)
        base = _dwell_table(file, key, name, t, table, t.get("default_service"))
        if services and base.service is None:
            others = ", ".join(services)
            msg = f"{file}: [{key}] default_service: name the service of these figures (beside {others})"
            raise NetworkDataError(msg)
        if base.service in services:
            msg = f"{file}: [{key}] default_service {base.service!r} is also a [{key}.service] table"
            raise NetworkDataError(msg)
        out[mode] = model.Dwell(base.span, base.source, base.by_country, base.service, services)
    return out


def _dwell_table(file: str, key: str, name: str, data: Any, table, service: Any) -> model.Dwell:
    """One dwell table: its general figure and its ``country`` figures, for one service."""
    t = table(key, data, [])
    if service is not None and not (isinstance(service, str) and service.strip()):
        msg = f'{file}: [{key}] default_service: expected a name such as "wagon", got {service!r}'
        raise NetworkDataError(msg)
    by_country = {}
    for iso3, override in (t.get("country") or {}).items():
        sub = f"{key}.country.{iso3}"
        o = table(sub, override, [])
        by_country[iso3] = (read_span(file, sub, name, o.get(name)), o["source"])
    return model.Dwell(read_span(file, key, name, t.get(name)), t["source"], by_country, service)
