"""Trade-off views of a plan: the gateways side by side, and CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import textwrap
from typing import Any

from corridors.geo import objectives
from corridors.routes import output, plan_text
from corridors.routes.api import Plan
from corridors.routes.route import Crossing, Segment, Step, Transfer

#: A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def pareto_title(plan: Plan) -> str:
    """``routes that no other beats on both time and cost, by time``."""
    criteria = plan.query.get("pareto") or []
    both = "both " + " and ".join(criteria) if len(criteria) == 2 else "all of " + ", ".join(criteria)
    routes = "route" if len(plan.routes) == 1 else "routes"
    return f"{len(plan.routes)} {routes} that no other beats on {both}, by {criteria[0]}"


def gateways_table(plan: Plan, names: dict[str, str]) -> str:
    """Each way into the destination's country (border crossings, port calls) with its best
    route, best first."""
    by = plan.query["by"]
    into = ", ".join(dict.fromkeys(g.to_country for g in plan.gateways))
    ports = any(g.kind == "port" for g in plan.gateways)
    ways = "border crossing and port call" if ports else "border crossing"
    lines = [
        *textwrap.wrap(
            f"{plan_text.heading(plan, names) if plan.routes else plan.query['to']}: the best route by {by} "
            f"through each {ways} into {into}",
            width=80,
        ),
        "",
        f"{'#':>2}  {'gateway':<16} {'from':<4}{_columns(by)}  {'borders':>7}",
    ]
    ordered = sorted(plan.gateways, key=lambda g: (g.route is None, g.route.rank if g.route else 0, g.name))
    for g in ordered:
        r = g.route
        if r is None:
            lines.append(f"{'-':>2}  {g.name[:16]:<16} {g.from_country:<4}  no route: {g.reason}")
            continue
        figures = "".join(
            f"  {o.text(r.total(o.name)):>{o.width}}" + plan_text.range_cell(o, r)
            for o in objectives.shown(by)
        )
        lines.append(f"{r.rank:>2}  {g.name[:16]:<16} {g.from_country:<4}{figures}  {len(r.borders):>7}")
        lines += plan_text.wrap("via", ", ".join(r.corridors))
        lines += plan_text.crossings_lines(r)
        if g.needs:
            lines += plan_text.wrap("needs", ", ".join(g.needs))
        if not g.in_scenario:
            lines += plan_text.wrap("note", "outside the query's scenario: closed or not built today")
    lines += [f"note: {n}" for n in plan.notes]
    return "\n".join(lines)


def _columns(by: str) -> str:
    return "".join(f"  {o.label:>{o.width}}" + plan_text.range_head(o) for o in objectives.shown(by))


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for row in rows:
        w.writerow([safe_cell(v) for v in row])
    return buf.getvalue()


def _route_columns() -> list[str]:
    return [
        "rank", "origin", "destination", "gateway", *objectives.attrs(), "borders",
        "countries", "modes", "border_crossings", "transfers", "corridors", "relies_on", "warnings",
        "port_calls",
    ]  # fmt: skip


def routes_csv(plan: Plan, names: dict[str, str]) -> str:
    """One row per route: its totals and what it passes (lists joined with ``; ``)."""
    return _write([_route_columns(), *_route_rows(plan, names)])


def compare_csv(today: Plan, future: Plan, names: dict[str, str]) -> str:
    """``route --compare --csv``: today's routes, then the scenario's, each row led by which."""
    rows: list[list[Any]] = [["scenario", *_route_columns()]]
    for which, plan in (("today", today), ("scenario", future)):
        rows += [[which, *row] for row in _route_rows(plan, names)]
    return _write(rows)


def _route_rows(plan: Plan, names: dict[str, str]) -> list[list[Any]]:
    gateway = {g.route.rank: g.name for g in plan.gateways if g.route}
    rows: list[list[Any]] = []
    for r in plan.routes:
        rows.append(
            [
                r.rank,
                names.get(r.origin, r.origin),
                names.get(r.destination, r.destination),
                gateway.get(r.rank, ""),
                *(o.rounded(r.total(o.name)) for o in objectives.OBJECTIVES),
                len(r.borders),
                " > ".join(r.countries),
                "; ".join(r.modes),
                "; ".join(f"{c.name} ({c.countries[0]}>{c.countries[1]})" for c in r.borders),
                "; ".join(f"{t.name} ({t.kind})" for t in r.transfers),
                "; ".join(r.corridors),
                "; ".join(r.relies_on),
                "; ".join(r.warnings),
                "; ".join(output.port_call(c) for c in r.port_calls),
            ]
        )
    return rows


def _step_columns() -> list[str]:
    attrs = objectives.attrs()
    kinds = ["rank", "seq", "step", "place", "from", "to", "mode", "corridor", "status"]
    return [*kinds, *attrs, *(f"cum_{a}" for a in attrs), "sources"]


def steps_csv(plan: Plan) -> str:
    """One row per step of every route, with running totals (a time/cost-distance table)."""
    rows: list[list[Any]] = [_step_columns()]
    for r in plan.routes:
        running = dict.fromkeys(objectives.attrs(), 0.0)
        for step in r.steps:
            figures = []
            for o in objectives.OBJECTIVES:
                value = step.values.get(o.attr, 0.0)
                running[o.attr] = o.total([running[o.attr], value])
                figures.append(o.rounded(value))
            totals = [o.rounded(running[o.attr]) for o in objectives.OBJECTIVES]
            sources = "; ".join(f"{k}: {v}" for k, v in step.sources.items())
            rows.append([r.rank, step.seq, *_step_cells(step), *figures, *totals, sources])
    return _write(rows)


def _step_cells(step: Step) -> list[Any]:
    """step kind, place, from, to, mode, corridor, status."""
    if isinstance(step, Segment):
        return ["segment", "", step.from_name, step.to_name, step.mode, step.corridor, step.status]
    if isinstance(step, Transfer):
        return ["transfer", step.name, step.from_layer, step.to_layer, "", step.kind, "operational"]
    assert isinstance(step, Crossing)
    if step.kind == "port":  # customs in one country, for the sea link between the two
        return ["port", step.name, step.countries[0], step.countries[1], step.mode, "", step.status]
    return ["border", step.name, step.countries[0], step.countries[1], step.mode, "", step.status]
