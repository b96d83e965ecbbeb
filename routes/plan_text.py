"""Plans as text for a terminal: the ranked table, the itinerary leg by leg, today beside a scenario."""

from __future__ import annotations

import math
import textwrap

from corridors.geo import objectives
from corridors.routes import output
from corridors.routes.api import Plan
from corridors.routes.route import Route, Segment, Step, Transfer

duration = objectives.duration


def time_range(low_h: float, high_h: float) -> str:
    """A time range for a table: ``"6–9 d"`` in half days from a day up, else ``"5–12 h"``."""
    if high_h < 24:
        low, high = round(low_h), round(high_h)
        return f"{low}–{high} h" if low != high else f"{high} h"
    low_d, high_d = math.floor(low_h / 12) / 2, math.ceil(high_h / 12) / 2
    return f"{low_d:g}–{high_d:g} d" if low_d != high_d else f"{high_d:g} d"


def wrap(label: str, text: str, width: int = 80) -> list[str]:
    return textwrap.wrap(
        text, width=width, initial_indent=f"    {label} ", subsequent_indent=" " * (len(label) + 5)
    )


def heading(plan: Plan, names: dict[str, str]) -> str:
    """``Almaty → Karachi``: the query's endpoints as the user gave them (regions by name)."""
    first = plan.routes[0]
    ends = [plan.endpoints[0], plan.endpoints[-1]] if plan.endpoints else []
    origin, destination = (e.label for e in ends) if ends else (first.origin, first.destination)
    return f"{names.get(origin, origin)} → {names.get(destination, destination)}"


def plan_title(plan: Plan, names: dict[str, str]) -> str:
    """``"Almaty → Karachi, best by time; today's network"``: the query and its scenario."""
    return f"{heading(plan, names)}, best by {plan.routes[0].objective}; {plan.scenario.label}"


def _scenario_lines(plan: Plan) -> list[str]:
    return textwrap.wrap(f"scenario: {plan.scenario.label}", width=80, subsequent_indent="    ")


def table(plan: Plan, names: dict[str, str], *, title: str | None = None) -> str:
    """The ranked table, readable at 80 columns (``title`` replaces "best by ..."); the
    scenario under the heading."""
    head = f"{heading(plan, names)}, {title or 'best by ' + plan.routes[0].objective}"
    shown = objectives.shown(plan.routes[0].objective, *(plan.query.get("pareto") or ()))
    columns = "".join(f"  {o.label:>{o.width}}" + range_head(o) for o in shown)
    lines = [head, *_scenario_lines(plan), "", f"{'#':>2}{columns}  {'borders':>7}  modes"]
    for r in plan.routes:
        figures = "".join(f"  {o.text(r.total(o.name)):>{o.width}}" + range_cell(o, r) for o in shown)
        lines.append(f"{r.rank:>2}{figures}  {len(r.borders):>7}  {'+'.join(r.modes)}")
        if len({r.origin for r in plan.routes} | {r.destination for r in plan.routes}) > 2:
            lines += wrap(
                "from", f"{names.get(r.origin, r.origin)} to {names.get(r.destination, r.destination)}"
            )
        lines += wrap("via", ", ".join(r.corridors))
        lines += crossings_lines(r)
        changes = [f"{t.name} ({output.step_detail(t).split(' (')[0]})" for t in r.transfers]
        if changes:
            lines += wrap("changes", ", ".join(changes))
        if r.needs:
            lines += wrap("needs", "; ".join(n.describe() for n in r.needs))
    lines += [f"note: {n}" for n in plan.notes]
    return "\n".join(lines)


def crossings_lines(r: Route) -> list[str]:
    """The borders a route crosses, then its port calls (customs, each in one country)."""
    lines = wrap("borders", ", ".join(output.border(c) for c in r.borders)) if r.borders else []
    if r.port_calls:
        lines += wrap("ports", ", ".join(output.port_call(c) for c in r.port_calls))
    return lines


#: Width of the time range column that follows the time column of the table.
RANGE_WIDTH = 11


def range_head(o: objectives.Objective) -> str:
    """The header of the time range column that follows the time column ("" for others)."""
    return f"  {'range':>{RANGE_WIDTH}}" if o.name == "time" else ""


def range_cell(o: objectives.Objective, r: Route) -> str:
    """A route's time range after its time (``6–9 d``), "" after other columns."""
    return f"  {time_range(r.time_h_low, r.time_h_high):>{RANGE_WIDTH}}" if o.name == "time" else ""


def explain(plan: Plan, *, sources: bool = False) -> str:
    """Each route leg by leg: links, transfers and crossings with their figures and warnings."""
    out = [f"Scenario: {plan.scenario.label}"]
    for r in plan.routes:
        totals = ", ".join(
            o.long(r.total(o.name))
            + (f"; range {time_range(r.time_h_low, r.time_h_high)}" if o.name == "time" else "")
            for o in objectives.shown(r.objective, "co2")
        )
        countries = " → ".join(map(output.country_label, r.countries))
        out.append(f"Route {r.rank}: {totals}; countries {countries}")
        for step in r.steps:
            out.append(_explain_step(step))
            if sources:
                out += [f"        {k}: {v}" for k, v in step.sources.items()]
        out += [f"    ! {w}" for w in r.warnings]
        out += [f"  needs {n.describe()}" for n in r.needs]
        out.append("")
    out += [f"note: {n}" for n in plan.notes]
    return "\n".join(out).rstrip()


def _parts(step: Step) -> str:
    """Where a segment's time goes: ``running 6.4 h + yard 47.0 (13.0–51.8) h``."""
    out = []
    for name, (lo, c, hi) in step.time_parts.items():
        if hi == 0 and name != next(iter(step.time_parts)):
            continue
        out.append(f"{name} {c:.1f} h" if lo == hi else f"{name} {c:.1f} ({lo:.1f}–{hi:.1f}) h")
    return " + ".join(out)


def _explain_step(step: Step) -> str:
    spread = f"({step.time_h_low:.1f}–{step.time_h_high:.1f})"
    co2e = step.values.get("co2e_kg_per_t", 0.0)
    figures = f"{step.time_h:7.1f} h {spread:>13} {step.cost_usd_per_t:8.2f} $/t {co2e:7.2f} kg CO2e/t"
    if isinstance(step, Segment):
        gauge = f" {step.gauge_mm} mm" if step.gauge_mm else ""
        est = "~" if step.length_estimated else " "
        head = f"  {step.mode:<4} {step.from_name} → {step.to_name}"
        parts = _parts(step)
        return (
            f"{head}\n        {est}{step.distance_km:7.1f} km {figures}  "
            f"{step.corridor} ({step.status.replace('_', ' ')}{gauge})"
            + (f"\n                   {parts}" if parts else "")
        )
    label = "change" if isinstance(step, Transfer) else "border" if step.kind == "crossing" else "port"
    return f"  {label:<6} {step.name}: {output.step_detail(step)}\n                   {figures}"


def compare(today: Plan, future: Plan, names: dict[str, str]) -> str:
    """Today's best route beside the best in the scenario the options name."""
    a, b = today.routes[0], future.routes[0]
    d = output.difference(b, a)
    rows = [("", "today", "scenario", "difference")]
    for o in objectives.shown(a.objective):
        rows.append((o.label, o.text(a.total(o.name)), o.text(b.total(o.name)), o.delta(d[o.attr])))
        if o.name == "time":
            ranges = (time_range(a.time_h_low, a.time_h_high), time_range(b.time_h_low, b.time_h_high))
            rows.append(("range", *ranges, ""))
    rows.append(("borders", str(len(a.borders)), str(len(b.borders)), ""))
    lines = [*_scenario_lines(future), ""]
    lines += [f"{r[0]:<10}{r[1]:>16}{r[2]:>16}{r[3]:>14}".rstrip() for r in rows]
    lines += ["", "today:", *wrap("via", ", ".join(a.corridors))]
    lines += ["scenario:", *wrap("via", ", ".join(b.corridors))]
    if b.needs:
        lines += wrap("needs", "; ".join(n.describe() for n in b.needs))
    if b.link_ids == a.link_ids:
        lines.append("the scenario does not change the best route")
    return "\n".join(lines)
