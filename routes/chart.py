"""Time/cost–distance charts (the UN ESCAP method): cumulative cost and time against distance.

Each route is a line that climbs with distance along its links and steps straight up where a
border crossing, a transfer or a port costs time and money without covering ground; the steps
are labelled with the place. The cost panel sits above the time panel, sharing the distance
axis. matplotlib is imported inside :func:`figure`, so routing never pays for it.
"""

from __future__ import annotations

import html
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corridors.geo import modes
from corridors.geo.errors import QueryError
from corridors.routes.route import Crossing, Route, Transfer

#: Okabe–Ito colours, route 1 first (the pale yellow last: it is hard to see on white).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
#: File types :func:`write` makes.
SUFFIXES = (".svg", ".png", ".html")
#: Steps smaller than this share of the route's total are not labelled (they would only clutter).
LABEL_SHARE = 0.02


@dataclass(frozen=True)
class Point:
    """Where a route stands after a step: running distance, time and cost, and the step's label."""

    distance_km: float
    time_h: float
    cost_usd_per_t: float
    label: str = ""


def profile(route: Route) -> list[Point]:
    """The route's running totals from the origin, one point after each step.

    Segments move along the distance axis; border crossings and transfers are vertical steps,
    labelled with the place (``Khunjerab Pass (border)``, ``Havelian (road→rail)``).
    """
    points = [Point(0.0, 0.0, 0.0)]
    for step in route.steps:
        last = points[-1]
        label = ""
        if isinstance(step, Crossing):
            label = f"{step.name} (border)"
        elif isinstance(step, Transfer) and step.kind == "gauge_change":
            label = f"{step.name} (gauge {step.from_layer[4:]}→{step.to_layer[4:]} mm)"
        elif isinstance(step, Transfer):
            label = f"{step.name} ({_short(step.from_layer)}→{_short(step.to_layer)})"
        points.append(
            Point(
                last.distance_km + step.distance_km,
                last.time_h + step.time_h,
                last.cost_usd_per_t + step.cost_usd_per_t,
                label,
            )
        )
    return points


def _short(layer: str) -> str:
    return modes.mode_of(layer) or layer


def _title(route: Route, names: dict[str, str]) -> str:
    origin, destination = (names.get(n, n) for n in (route.origin, route.destination))
    return f"{route.rank}: {origin} → {destination}"


def figure(routes: Sequence[Route], names: dict[str, str], *, title: str = ""):
    """A matplotlib figure: cost (top) and time in days (bottom) against distance, one line per route."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    height = 7.0 + 0.17 * len(routes)
    fig, (cost_ax, time_ax) = plt.subplots(2, 1, sharex=True, figsize=(9, height), layout="constrained")
    labelled: dict[str, set[str]] = {"cost_usd_per_t": set(), "time_h": set()}
    for i, route in enumerate(routes):
        colour = COLOURS[i % len(COLOURS)]
        points = profile(route)
        km = [p.distance_km for p in points]
        cost_ax.plot(km, [p.cost_usd_per_t for p in points], color=colour, lw=2, label=_legend(route, names))
        time_ax.plot(km, [p.time_h / 24 for p in points], color=colour, lw=2)
        _label_steps(cost_ax, points, "cost_usd_per_t", colour, route.cost_usd_per_t, labelled)
        _label_steps(time_ax, points, "time_h", colour, route.time_h, labelled, scale=1 / 24)
    cost_ax.set_ylabel("cumulative cost (USD per tonne)")
    time_ax.set_ylabel("cumulative time (days)")
    time_ax.set_xlabel("distance (km)")
    for ax in (cost_ax, time_ax):
        ax.grid(True, color="#dddddd", lw=0.6)
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
    fig.legend(loc="outside lower center", fontsize=7.5, frameon=False)
    cost_ax.set_title(title or "Time/cost–distance", fontsize=11)
    return fig


def _legend(route: Route, names: dict[str, str]) -> str:
    borders = ", ".join(c.name for c in route.borders) or "no border"
    totals = f"{route.distance_km:,.0f} km, {route.time_h / 24:.1f} d, {route.cost_usd_per_t:,.0f} $/t"
    return f"{_title(route, names)} via {borders}: {totals}"


def _label_steps(
    ax,
    points: list[Point],
    attr: str,
    colour: str,
    total: float,
    done: dict[str, set[str]],
    scale: float = 1.0,
) -> None:
    """Label each vertical step big enough to see with the place's name, once per panel."""
    for before, after in itertools.pairwise(points):
        rise = getattr(after, attr) - getattr(before, attr)
        if not after.label or after.label in done[attr] or total <= 0 or rise < LABEL_SHARE * total:
            continue
        done[attr].add(after.label)
        ax.annotate(
            after.label,
            (after.distance_km, getattr(after, attr) * scale),
            xytext=(3, -2),
            textcoords="offset points",
            fontsize=6.5,
            color=colour,
            ha="left",
            va="top",
        )


def render(routes: Sequence[Route], names: dict[str, str], fmt: str, *, title: str = "") -> bytes:
    """The chart as ``svg`` or ``png`` bytes (SVG text drawn as paths: no data text in the markup)."""
    from matplotlib import pyplot as plt

    fig = figure(routes, names, title=title)
    buf = io.BytesIO()
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "corridors"}):
        fig.savefig(buf, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    return buf.getvalue()


def page(routes: Sequence[Route], names: dict[str, str], *, title: str = "") -> str:
    """A self-contained HTML page with the chart (inline SVG) and each route's steps."""
    svg = render(routes, names, "svg", title=title).decode("utf-8")
    svg = svg[svg.index("<svg") :]
    rows = "".join(
        f"<tr><td>{r.rank}</td><td>{html.escape(p.label)}</td><td>{p.distance_km:,.0f}</td>"
        f"<td>{p.time_h / 24:.1f}</td><td>{p.cost_usd_per_t:,.1f}</td></tr>"
        for r in routes
        for p in profile(r)
        if p.label
    )
    table = (
        "<table><thead><tr><th>route</th><th>step</th><th>km</th><th>days</th><th>USD/t</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    heading = html.escape(title or "Time/cost–distance")
    style = "body{font-family:sans-serif;margin:1em}td,th{padding:2px 8px;text-align:right;font-size:13px}"
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{heading}</title>'
        f"<style>{style}</style></head><body><h1>{heading}</h1>{svg}{table}</body></html>\n"
    )


def write(routes: Sequence[Route], names: dict[str, str], path: str | Path, *, title: str = "") -> bytes:
    """The chart's bytes for ``path`` by its suffix (``.svg``, ``.png`` or ``.html``).

    Raises
    ------
    QueryError
        If the suffix is none of :data:`SUFFIXES` or there is no route to draw.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        msg = f"`chart` {path}: expected a file ending in {', '.join(SUFFIXES)}"
        raise QueryError(msg)
    if not routes:
        msg = "`chart`: no route to draw"
        raise QueryError(msg)
    if suffix == ".html":
        return page(routes, names, title=title).encode("utf-8")
    return render(routes, names, suffix[1:], title=title)
