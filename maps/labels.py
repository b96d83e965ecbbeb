"""HTML for tooltips, popups and layer names, built from feature properties.

Every value taken from data goes through `escape.text` (or `escape.link`) here; the
strings returned are HTML fragments, ready for Leaflet's ``innerHTML``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from corridors.geo import objectives
from corridors.maps import escape, features, style

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_STOP_NAMES = {"border_crossing": "Border crossing", "port_call": "Port customs", "transfer": "Transfer"}


def quantity(value: object, unit: str = "", *, digits: int = 1) -> str:
    """Format a number with thousands separators and a unit, as escaped HTML.

    Parameters
    ----------
    value
        A number; anything else is shown as (escaped) text, and None as "".
    unit
        Appended after a space, e.g. ``"km"``.
    digits
        Decimal places.

    Returns
    -------
    str
        For example ``"3,456.7 km"``.
    """
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        number = f"{value:,.{digits}f}"
    else:
        number = escape.text(value)
    return f"{number} {unit}".rstrip()


def route_title(route: features.Route) -> str:
    """Return "Route 1: Almaty → Karachi" as escaped HTML."""
    if isinstance(route.info.get("title"), str):
        return f"{route.rank:d}. {escape.text(route.info['title'])}"
    origin, destination = route.info.get("origin"), route.info.get("destination")
    title = f"Route {route.rank:d}"
    if origin is not None and destination is not None:
        title += f": {escape.text(origin)} → {escape.text(destination)}"
    return title


def route_summary(route: features.Route) -> str:
    """Return the route's objective and totals on one line, as escaped HTML."""
    totals = route.info.get("totals")
    totals = totals if isinstance(totals, Mapping) else {}
    parts = _figures(totals)
    objective = route.info.get("objective")
    if objective is not None:
        parts.insert(0, f"ranked by {escape.text(objective)}")
    return " · ".join(part for part in parts if part)


def link_tooltip(props: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """Return the tooltip of a network link: corridor, ends and key figures.

    Parameters
    ----------
    props
        The link's properties.
    names
        Node names by node id, to name the link's ends.

    Returns
    -------
    str
        An HTML fragment.
    """
    lines = [f"<b>{escape.text(props.get('corridor', props.get('id', 'link')))}</b>"]
    lines.append(_ends(props, names))
    lines.append(_link_figures(props))
    if props.get("project") is not None:
        lines.append(f"Project: {escape.text(props['project'])}")
    return "<br>".join(line for line in lines if line)


def link_popup(props: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """Return the popup of a network link: every property, with its source."""
    rows = [
        ("Corridor", _text(props.get("corridor"))),
        ("Project", _text(props.get("project"))),
        ("Link", _ends(props, names)),
        ("Mode", _text(props.get("mode"))),
        ("Status", _status(props.get("status"))),
        ("Gauge", quantity(props.get("gauge_mm"), "mm", digits=0)),
        *((o.label.capitalize(), _figure(props, o)) for o in objectives.stored()),
        ("Id", _text(props.get("id"))),
        ("Source", _source(props.get("source"))),
        ("Note", _text(props.get("note"))),
    ]
    return _table(rows)


def node_tooltip(props: Mapping[str, Any]) -> str:
    """Return the tooltip of a network node: name, kind and, for crossings, dwell hours."""
    kind = props.get("kind")
    heading = f"<b>{escape.text(props.get('name', props.get('id', 'node')))}</b>"
    detail = ", ".join(part for part in (_kind(kind), _text(props.get("country"))) if part)
    lines = [f"{heading} ({detail})" if detail else heading]
    border = props.get("border")
    if isinstance(border, Mapping):
        lines.append(_by_mode("Dwell", border.get("hours"), "h"))
    if props.get("sea") is not None:
        lines.append(escape.text(props["sea"]))
    if props.get("status") not in (None, "operational"):
        lines.append(_status(props["status"]))
    if props.get("open_months") is not None:
        lines.append(f"Open: {_months(props['open_months'])}")
    return "<br>".join(line for line in lines if line)


def node_popup(props: Mapping[str, Any]) -> str:
    """Return the popup of a network node: every property, with its source."""
    border = props.get("border")
    border = border if isinstance(border, Mapping) else {}
    rows = [
        ("Name", _text(props.get("name"))),
        ("Kind", _kind(props.get("kind"))),
        ("Country", _text(props.get("country"))),
        ("Sea", _text(props.get("sea"))),
        ("Border", _joined(border.get("countries"), " – ")),
        ("Dwell", _by_mode("", border.get("hours"), "h")),
        ("Cost", _by_mode("", border.get("usd_per_t"), "USD/t")),
        ("Status", _status(props.get("status"))),
        ("Open", _months(props.get("open_months"))),
        ("Id", _text(props.get("id"))),
        ("Source", _source(props.get("source"))),
        ("Note", _text(props.get("note"))),
    ]
    return _table(rows)


def segment_tooltip(route: features.Route, props: Mapping[str, Any]) -> str:
    """Return the tooltip of a route segment: route, ends, mode, status and figures."""
    figures = " · ".join(
        part
        for part in (
            _text(props.get("mode")),
            _status(props.get("status")),
            *_figures(props),
        )
        if part
    )
    lines = [f"<b>{route_title(route)}</b>", _segment_ends(props), figures, _text(props.get("corridor"))]
    return "<br>".join(line for line in lines if line)


def stop_tooltip(route: features.Route, props: Mapping[str, Any]) -> str:
    """Return the tooltip of a transfer or border crossing on a route."""
    kind = props.get("kind")
    name = _STOP_NAMES.get(kind, _text(kind)) if isinstance(kind, str) else "Stop"
    figures = " · ".join(
        part
        for part in (
            _text(props.get("detail")),
            *_figures(props, stop=True),
        )
        if part
    )
    lines = [
        f"<b>{route_title(route)}</b>",
        f"{name} at {_text(props.get('name', props.get('node')))}",
        figures,
    ]
    return "<br>".join(line for line in lines if line)


def endpoint_tooltip(route: features.Route, end: str) -> str:
    """Return the tooltip of a route's origin or destination marker.

    Parameters
    ----------
    route
        The route.
    end
        ``"origin"`` or ``"destination"``.

    Returns
    -------
    str
        An HTML fragment.
    """
    place = route.info.get(end)
    label = f"{end.capitalize()}: {escape.text(place)}" if place is not None else end.capitalize()
    return f"<b>{route_title(route)}</b><br>{label}"


def itinerary(route: features.Route) -> str:
    """Return a route's itinerary: totals, countries, and every step in order.

    Parameters
    ----------
    route
        The route.

    Returns
    -------
    str
        An HTML fragment with a heading, a summary and a table of steps (segments,
        transfers and border crossings) with a totals row.
    """
    info = route.info
    facts = [
        ("Countries", _joined(info.get("countries"), ", ")),
        ("Modes", _joined(info.get("modes"), ", ")),
        ("Border crossings", _joined(info.get("border_crossings"), ", ")),
        ("Port customs", _joined(info.get("port_calls"), ", ")),
        ("Relies on (not open today)", _joined(info.get("relies_on"), "; ")),
        ("Warnings", _joined(info.get("warnings"), "; ")),
    ]
    head = [f"<h4>{route_title(route)}</h4>", f"<p>{route_summary(route)}</p>"]
    head += [f"<p><b>{label}:</b> {value}</p>" for label, value in facts if value]
    return '<div class="corridors-itinerary">' + "".join(head) + _steps_table(route) + "</div>"


def _steps_table(route: features.Route) -> str:
    steps: list[features.Line | features.Point] = sorted([*route.segments, *route.stops], key=_order)
    rows = [_step_row(number, step) for number, step in enumerate(steps, start=1)]
    totals = route.info.get("totals")
    totals = totals if isinstance(totals, Mapping) else {}
    cells = "".join(f"<th>{_figure(totals, o, unit=False)}</th>" for o in objectives.stored())
    foot = f"<tfoot><tr><th></th><th>Total</th>{cells}</tr></tfoot>"
    units = "".join(f"<th>{escape.text(_unit_head(o))}</th>" for o in objectives.stored())
    head = f"<thead><tr><th>#</th><th>Step</th>{units}</tr></thead>"
    return f"<table>{head}<tbody>{''.join(rows)}</tbody>{foot}</table>"


def _order(step: features.Line | features.Point) -> tuple[float, int]:
    seq = step.props.get("seq")
    seq = seq if isinstance(seq, int | float) and not isinstance(seq, bool) else math.inf
    return (seq, 0 if isinstance(step, features.Line) else 1)


def _step_row(number: int, step: features.Line | features.Point) -> str:
    props = step.props
    if isinstance(step, features.Line):
        what = f"{_segment_ends(props)}, {_text(props.get('mode'))}"
        if props.get("corridor") is not None:
            what += f" ({escape.text(props['corridor'])})"
        if props.get("status") not in (None, "operational"):
            what += f" <i>{_status(props['status'])}</i>"
    else:
        kind = props.get("kind")
        name = _STOP_NAMES.get(kind, _text(kind)) if isinstance(kind, str) else "Stop"
        what = f"{name} at {_text(props.get('name', props.get('node')))}"
        if props.get("detail") is not None:
            what += f": {escape.text(props['detail'])}"
    stop = not isinstance(step, features.Line)
    cells = [
        str(number),
        what,
        *("" if stop and not o.on_stops else _figure(props, o, unit=False) for o in objectives.stored()),
    ]
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _unit_head(o: objectives.Objective) -> str:
    """A column's unit, with what it is when the figure has no column of its own (``h, high end``)."""
    return o.symbol if o.column else f"{o.symbol}, {o.label.split(', ')[-1]}"


def _figure(props: Mapping[str, Any], objective: objectives.Objective, *, unit: bool = True) -> str:
    """One objective's figure from ``props`` (keyed by its attribute), with its unit or bare."""
    return quantity(props.get(objective.attr), objective.symbol if unit else "", digits=objective.shown)


def _figures(props: Mapping[str, Any], *, stop: bool = False) -> list[str]:
    """Every objective's figure from ``props``; for a ``stop``, only those stops carry."""
    return [_figure(props, o) for o in objectives.stored() if o.on_stops or not stop]


def _segment_ends(props: Mapping[str, Any]) -> str:
    start = _text(props.get("from_name", props.get("from")))
    end = _text(props.get("to_name", props.get("to")))
    return f"{start} → {end}"


def _ends(props: Mapping[str, Any], names: Mapping[str, str]) -> str:
    start, end = props.get("from"), props.get("to")
    if start is None or end is None:
        return ""
    start = names.get(start, start) if isinstance(start, str) else start
    end = names.get(end, end) if isinstance(end, str) else end
    return f"{escape.text(start)} – {escape.text(end)}"


def _link_figures(props: Mapping[str, Any]) -> str:
    parts = [
        _text(props.get("mode")),
        _status(props.get("status")),
        quantity(props.get("distance_km"), "km", digits=0),
        quantity(props.get("gauge_mm"), "mm gauge", digits=0),
    ]
    return " · ".join(part for part in parts if part)


def _by_mode(label: str, values: object, unit: str) -> str:
    if not isinstance(values, Mapping) or not values:
        return ""
    items = ", ".join(f"{escape.text(mode)} {quantity(value, unit)}" for mode, value in values.items())
    return f"{label}: {items}" if label else items


def _months(months: object) -> str:
    if not isinstance(months, list):
        return _text(months)
    names = [_MONTHS[m - 1] if isinstance(m, int) and 1 <= m <= 12 else escape.text(m) for m in months]
    return ", ".join(names)


def _kind(kind: object) -> str:
    return _text(style.NODE_LABELS.get(kind, kind) if isinstance(kind, str) else kind)


def _status(status: object) -> str:
    return _text(style.STATUS_LABELS.get(status, status) if isinstance(status, str) else status)


def _source(source: object) -> str:
    return "" if source is None else escape.link(source)


def _joined(values: object, separator: str) -> str:
    if not isinstance(values, Iterable) or isinstance(values, str | bytes | Mapping):
        return _text(values)
    return separator.join(escape.text(value) for value in values)


def _text(value: object) -> str:
    return "" if value is None else escape.text(value)


def _table(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows if value)
    return f'<table class="corridors-details">{body}</table>'
