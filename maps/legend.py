"""HTML of the legend: one section per thing drawn (modes, statuses, places, routes)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from corridors.maps import escape, features, labels, style

CSS_CLASS = "corridors-legend"


def section(title: str, rows: Iterable[tuple[str, str]]) -> str:
    """Return one legend section.

    Parameters
    ----------
    title
        The section's heading (fixed text, not data).
    rows
        ``(swatch_svg, label_html)`` pairs; labels must already be escaped.

    Returns
    -------
    str
        An HTML fragment.
    """
    body = "".join(
        f'<div class="corridors-legend-row">{swatch}<span>{label}</span></div>' for swatch, label in rows
    )
    return (
        f'<div class="corridors-legend-section"><div class="corridors-legend-title">{title}</div>{body}</div>'
    )


def modes_section(modes: Iterable[str]) -> str:
    """Return the section that gives each mode's colour, for the modes drawn."""
    rows = [(line_swatch(style.mode_colour(mode, None)), escape.text(mode.capitalize())) for mode in modes]
    return section("Modes", rows)


def title_section(title: str) -> str:
    """Return the legend's heading: what the map shows, escaped."""
    return f'<div class="corridors-legend-title">{escape.text(title)}</div>'


def status_section(statuses: Iterable[str], colour: str = "#444444") -> str:
    """Return the section that gives each status's line style, for the statuses drawn."""
    rows = [
        (
            line_swatch(
                style.SUSPENDED_COLOUR if status == "suspended" else colour, style.dash_array(status)
            ),
            escape.text(style.STATUS_LABELS.get(status, status)),
        )
        for status in statuses
    ]
    return section("Status", rows)


def places_section(kinds: Iterable[str]) -> str:
    """Return the section that gives each node kind's marker, for the kinds drawn."""
    rows = [
        (circle_swatch(style.node_style(kind, None)), escape.text(style.NODE_LABELS.get(kind, kind)))
        for kind in kinds
    ]
    return section("Places", rows)


def routes_section(routes: Iterable[features.Route]) -> str:
    """Return the section that names each route in its colour, with its totals."""
    rows = [
        (
            line_swatch(style.route_colour(route.rank), weight=style.route_weight(route.rank)),
            f"{labels.route_title(route)}<br>{labels.route_summary(route)}",
        )
        for route in routes
    ]
    return section("Routes", rows)


def stops_section() -> str:
    """Return the section that explains the markers on routes."""
    colour = "#555555"
    rows = [
        (circle_swatch(style.stop_style("endpoint", colour)), "Origin or destination"),
        (circle_swatch(style.stop_style("border_crossing", colour)), "Border crossing"),
        (circle_swatch(style.stop_style("port_call", colour)), "Port customs (where a ship calls)"),
        (circle_swatch(style.stop_style("transfer", colour)), "Transfer (mode or gauge change)"),
    ]
    return section("On the route", rows)


def line_swatch(colour: str, dashes: str | None = None, *, weight: int = style.LINK_WEIGHT) -> str:
    """Return a short SVG line in a colour and dash pattern."""
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    return (
        f'<svg width="34" height="12" aria-hidden="true"><line x1="3" y1="6" x2="31" y2="6" '
        f'stroke="{colour}" stroke-width="{weight}" stroke-linecap="round"{dash}/></svg>'
    )


def circle_swatch(options: dict[str, Any]) -> str:
    """Return an SVG circle drawn like a CircleMarker with `options`."""
    dash = options.get("dash_array")
    dash = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="34" height="20" aria-hidden="true"><circle cx="17" cy="10" r="{options["radius"]}" '
        f'stroke="{options["color"]}" stroke-width="{options["weight"]}" '
        f'fill="{options["fill_color"]}"{dash}/></svg>'
    )
