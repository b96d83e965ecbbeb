"""Turn routes into the JSON contract, GeoJSON, a ranked table and a leg-by-leg itinerary."""

from __future__ import annotations

import math
import textwrap
from typing import Any

from corridors.geo import modes, objectives
from corridors.routes.api import Plan
from corridors.routes.route import Crossing, Need, Route, Segment, Step, Transfer

#: Version of the ``--json`` document; bumped when a field changes meaning or goes away.
JSON_VERSION = 2


def _r(x: float, nd: int = 2) -> float:
    return round(x, nd)


def _figures(step: Step) -> dict[str, Any]:
    """A step's figures as the JSON contract gives them (transfers and crossings cover no ground),
    and where its time goes (``time_parts``: part -> low, central, high hours)."""
    stop = not isinstance(step, Segment)
    out: dict[str, Any] = {
        o.attr: o.rounded(step.values[o.attr]) for o in objectives.OBJECTIVES if o.on_stops or not stop
    }
    out["time_parts"] = {
        name: {"low": _r(lo, 3), "central": _r(c, 3), "high": _r(hi, 3)}
        for name, (lo, c, hi) in step.time_parts.items()
    }
    return out


def _totals(values: dict[str, float]) -> dict[str, float]:
    """Totals (or differences of totals), keyed by attribute, as the JSON contract gives them."""
    return {o.attr: o.rounded(values[o.attr]) for o in objectives.OBJECTIVES}


_layer = modes.layer_label


def segment_dict(s: Segment) -> dict[str, Any]:
    return {
        "seq": s.seq,
        "link_id": s.link_id,
        "from": s.from_id,
        "to": s.to_id,
        "from_name": s.from_name,
        "to_name": s.to_name,
        "mode": s.mode,
        "status": s.status,
        "corridor": s.corridor,
        "project": s.project,
        "gauge_mm": s.gauge_mm,
        **_figures(s),
        "length_estimated": s.length_estimated,
        "sources": s.sources,
    }


def transfer_dict(t: Transfer) -> dict[str, Any]:
    return {
        "seq": t.seq,
        "node": t.node_id,
        "name": t.name,
        "kind": t.kind,
        "from_layer": t.from_layer,
        "to_layer": t.to_layer,
        **_figures(t),
        "sources": t.sources,
    }


def crossing_dict(c: Crossing) -> dict[str, Any]:
    return {
        "seq": c.seq,
        "node": c.node_id,
        "name": c.name,
        "from_country": c.countries[0],
        "to_country": c.countries[1],
        "mode": c.mode,
        "status": c.status,
        **_figures(c),
        "sources": c.sources,
    }


def need_dict(need: Need) -> dict[str, Any]:
    """A project, link or crossing a route relies on, in the ``--json`` contract."""
    if need.kind == "crossing":
        return {"kind": "crossing", "node": need.ids[0], "name": need.name, "status": need.status}
    return {
        "kind": need.kind,
        "project": need.name if need.kind == "project" else None,
        "status": need.status,
        "year": need.year,
        "links": list(need.ids),
    }


def route_dict(route: Route) -> dict[str, Any]:
    """One route in the ``--json`` contract.

    Totals are the sums of ``segments``, ``transfers`` and ``border_crossings`` (each rounded
    for display; the sums are exact to the rounding of the parts).
    """
    return {
        "rank": route.rank,
        "origin": route.origin,
        "destination": route.destination,
        "totals": _totals(route.totals),
        "countries": list(route.countries),
        "modes": route.modes,
        "corridors": route.corridors,
        "border_crossings": [crossing_dict(c) for c in route.crossings],
        "transfers": [transfer_dict(t) for t in route.transfers],
        "relies_on": [need_dict(n) for n in route.needs],
        "relies_on_links": route.relies_on,
        "warnings": route.warnings,
        "segments": [segment_dict(s) for s in route.segments],
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    """The whole ``--json`` document."""
    out = {
        "version": JSON_VERSION,
        "query": plan.query,
        "notes": plan.notes,
        "routes": [route_dict(r) for r in plan.routes],
    }
    if plan.gateways:
        out["gateways"] = [gateway_dict(g) for g in plan.gateways]
    return out


def gateway_dict(g) -> dict[str, Any]:
    """One gateway of ``route --gateways --json``: the crossing, its route's rank, what it needs."""
    return {
        "node": g.node_id,
        "name": g.name,
        "from_country": g.from_country,
        "to_country": g.to_country,
        "status": g.status,
        "rank": g.route.rank if g.route else None,
        "in_scenario": g.in_scenario,
        "needs": list(g.needs),
        "reason": g.reason,
    }


def route_geojson(route: Route, names: dict[str, str] | None = None) -> dict[str, Any]:
    """A route as an RFC 7946 FeatureCollection: its segments as LineStrings, transfers and
    crossings as Points; the route's summary in the foreign member ``route``."""
    features = []
    for step in route.steps:
        if isinstance(step, Segment):
            props = {"kind": "segment", "rank": route.rank, **segment_dict(step)}
            props["sources"] = "; ".join(f"{k}: {v}" for k, v in step.sources.items())
            geometry = {"type": "LineString", "coordinates": [list(p) for p in step.coords]}
        else:
            base = transfer_dict(step) if isinstance(step, Transfer) else crossing_dict(step)
            kind = "transfer" if isinstance(step, Transfer) else "border_crossing"
            props = {**base, "kind": kind, "rank": route.rank, "detail": step_detail(step)}
            if isinstance(step, Transfer):
                props["transfer"] = step.kind
            props["sources"] = "; ".join(f"{k}: {v}" for k, v in step.sources.items())
            geometry = {"type": "Point", "coordinates": [step.lon, step.lat]}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    names = names or {}
    summary = route_dict(route)
    return {
        "type": "FeatureCollection",
        "route": {
            "rank": route.rank,
            "origin": names.get(route.origin, route.origin),
            "destination": names.get(route.destination, route.destination),
            "objective": route.objective,
            **{k: summary[k] for k in ("totals", "countries", "modes", "corridors", "warnings")},
            "relies_on": [n.describe() for n in route.needs],
            "border_crossings": [c.name for c in route.crossings],
        },
        "features": features,
    }


def plan_geojson(plan: Plan, names: dict[str, str] | None = None) -> dict[str, Any]:
    """All routes of a plan in one FeatureCollection (each feature has its route's ``rank``)."""
    collections = [route_geojson(r, names) for r in plan.routes]
    return {
        "type": "FeatureCollection",
        "query": plan.query,
        "routes": [c["route"] for c in collections],
        "features": [f for c in collections for f in c["features"]],
    }


duration = objectives.duration


def time_range(low_h: float, high_h: float) -> str:
    """A time range for a table: ``"6–9 d"`` in half days from a day up, else ``"5–12 h"``."""
    if high_h < 24:
        low, high = round(low_h), round(high_h)
        return f"{low}–{high} h" if low != high else f"{high} h"
    low_d, high_d = math.floor(low_h / 12) / 2, math.ceil(high_h / 12) / 2
    return f"{low_d:g}–{high_d:g} d" if low_d != high_d else f"{high_d:g} d"


def step_detail(step: Step) -> str:
    if isinstance(step, Transfer):
        return f"{_layer(step.from_layer)} → {_layer(step.to_layer)} ({step.kind.replace('_', ' ')})"
    if isinstance(step, Crossing):
        return f"{step.countries[0]} → {step.countries[1]}, {step.mode}"
    return f"{step.from_name} → {step.to_name}"


def _wrap(label: str, text: str, width: int = 80) -> list[str]:
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
        lines.append(f"{r.rank:>2}{figures}  {len(r.crossings):>7}  {'+'.join(r.modes)}")
        if len({r.origin for r in plan.routes} | {r.destination for r in plan.routes}) > 2:
            lines += _wrap(
                "from", f"{names.get(r.origin, r.origin)} to {names.get(r.destination, r.destination)}"
            )
        lines += _wrap("via", ", ".join(r.corridors))
        if r.crossings:
            lines += _wrap(
                "borders", ", ".join(f"{c.name} ({c.countries[0]}→{c.countries[1]})" for c in r.crossings)
            )
        changes = [f"{t.name} ({step_detail(t).split(' (')[0]})" for t in r.transfers]
        if changes:
            lines += _wrap("changes", ", ".join(changes))
        if r.needs:
            lines += _wrap("needs", "; ".join(n.describe() for n in r.needs))
    lines += [f"note: {n}" for n in plan.notes]
    return "\n".join(lines)


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
        out.append(f"Route {r.rank}: {totals}; countries {' → '.join(r.countries)}")
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
    label = "change" if isinstance(step, Transfer) else "border"
    return f"  {label:<6} {step.name}: {step_detail(step)}\n                   {figures}"


def _diff(future: Route, today: Route) -> dict[str, float]:
    after, before = future.totals, today.totals
    return _totals({attr: after[attr] - before[attr] for attr in after})


def compare_dict(today: Plan, future: Plan) -> dict[str, Any]:
    """``route --compare --json``: today's plan, the named scenario's, and their difference."""
    return {
        "version": JSON_VERSION,
        "today": plan_dict(today),
        "scenario": plan_dict(future),
        "difference": _diff(future.routes[0], today.routes[0]),
    }


def compare(today: Plan, future: Plan, names: dict[str, str]) -> str:
    """Today's best route beside the best in the scenario the options name."""
    a, b = today.routes[0], future.routes[0]
    d = _diff(b, a)
    rows = [("", "today", "scenario", "difference")]
    for o in objectives.shown(a.objective):
        rows.append((o.label, o.text(a.total(o.name)), o.text(b.total(o.name)), o.delta(d[o.attr])))
        if o.name == "time":
            ranges = (time_range(a.time_h_low, a.time_h_high), time_range(b.time_h_low, b.time_h_high))
            rows.append(("range", *ranges, ""))
    rows.append(("borders", str(len(a.crossings)), str(len(b.crossings)), ""))
    lines = [*_scenario_lines(future), ""]
    lines += [f"{r[0]:<10}{r[1]:>16}{r[2]:>16}{r[3]:>14}".rstrip() for r in rows]
    lines += ["", "today:", *_wrap("via", ", ".join(a.corridors))]
    lines += ["scenario:", *_wrap("via", ", ".join(b.corridors))]
    if b.needs:
        lines += _wrap("needs", "; ".join(n.describe() for n in b.needs))
    if b.link_ids == a.link_ids:
        lines.append("the scenario does not change the best route")
    return "\n".join(lines)


def _pair(pair: tuple[str, str], names: dict[str, str]) -> str:
    return f"{names.get(pair[0], pair[0])} → {names.get(pair[1], pair[1])}"


def ranking_dict(ranking, names: dict[str, str]) -> dict[str, Any]:
    """``rank --json``: every project's measures, best first."""
    unit = objectives.get(ranking.by).unit
    return {
        "version": JSON_VERSION,
        "by": ranking.by,
        "unit": unit,
        "pairs": [list(p) for p in ranking.pairs],
        "today": {
            f"{o}>{d}": (None if v == float("inf") else _r(v, 3))
            for (o, d), v in ranking.values["today"].items()
        },
        "all_projects": {"mean_gain": _r(ranking.all_gain, 3), "pairs_improved": ranking.all_improved},
        "projects": [
            {
                "rank": i,
                "project": r.project.name,
                "statuses": list(r.project.statuses),
                "years": list(r.project.years),
                "length_km": _r(r.project.length_km, 1),
                "mean_gain": _r(r.mean_gain, 3),
                "best_gain": _r(r.best_gain, 3),
                "best_pair": list(r.best_pair) if r.best_pair else None,
                "best_route_corridors": r.best_route.corridors if r.best_route else [],
                "pairs_improved": [{"from": o, "to": d, "gain": _r(g, 3)} for o, d, g in r.improved],
                "pairs_connected": [list(p) for p in r.connected],
                "gain_as_last": _r(r.marginal_mean_gain, 3),
                "pairs_improved_as_last": r.marginal_pairs,
                "only_together": r.only_together,
                "gain_if_suspended_reopen": _r(r.reopened_mean_gain, 3),
            }
            for i, r in enumerate(ranking.results, 1)
        ],
    }


def ranking_csv(ranking, names: dict[str, str]) -> str:
    """``rank --csv``: one row per project."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "rank",
            "project",
            "statuses",
            "years",
            "length_km",
            f"mean_gain_{ranking.by}",
            f"best_gain_{ranking.by}",
            "best_pair",
            "pairs_improved",
            "pairs_connected",
            f"gain_as_last_{ranking.by}",
            "only_together",
        ]
    )
    for i, r in enumerate(ranking.results, 1):
        w.writerow(
            [
                i,
                r.project.name,
                ";".join(r.project.statuses),
                ";".join(map(str, r.project.years)),
                f"{r.project.length_km:.1f}",
                f"{r.mean_gain:.3f}",
                f"{r.best_gain:.3f}",
                _pair(r.best_pair, names) if r.best_pair else "",
                len(r.improved),
                len(r.connected),
                f"{r.marginal_mean_gain:.3f}",
                r.only_together,
            ]
        )
    return buf.getvalue()


def ranking_table(ranking, names: dict[str, str]) -> str:
    """The ranked projects, readable at 80 columns, with a line on each one's best pair."""
    objective = objectives.get(ranking.by)
    unit, words = objective.unit, objective.words
    lines = [
        f"Projects ranked by mean {ranking.by} saved ({words}) over {len(ranking.pairs)} "
        f"origin-destination pairs;",
        "today = operational links only. 'as last' = saved when added to all other projects.",
        "",
        f"{'#':>2}  {'project':<30} {'pairs':>5} {'mean':>8} {'best':>8} {'as last':>8}",
    ]
    for i, r in enumerate(ranking.results, 1):
        pairs = f"{len(r.improved)}" + (f"+{len(r.connected)}" if r.connected else "")
        lines.append(
            f"{i:>2}  {r.project.name[:30]:<30} {pairs:>5} {r.mean_gain:>8.1f} {r.best_gain:>8.1f} "
            f"{r.marginal_mean_gain:>8.1f}"
        )
        if r.best_pair and r.best_route:
            before = ranking.values["today"][r.best_pair]
            crossings = ", ".join(c.name for c in r.best_route.crossings) or "no border"
            lines += _wrap(
                "best",
                f"{_pair(r.best_pair, names)}: {before:,.1f} → "
                f"{before - r.best_gain:,.1f} {unit}, crossing {crossings}",
            )
        if r.connected:
            lines += _wrap("connects", ", ".join(_pair(p, names) for p in r.connected))
        if r.only_together:
            lines += _wrap("note", "saves nothing alone; pays only together with other projects")
        elif r.reopened_mean_gain > 0:
            lines += _wrap(
                "note",
                f"saves nothing while suspended crossings stay closed; "
                f"{r.reopened_mean_gain:,.1f} {unit} on average if they reopen",
            )
        elif not r.improved and not r.connected:
            lines += _wrap("note", "changes no best route between these places")
    lines.append(
        f"all projects together: mean {ranking.all_gain:,.1f} {unit} saved, "
        f"{ranking.all_improved} pairs improved"
    )
    return "\n".join(lines)


def ranking_geojson(ranking, network) -> list[dict[str, Any]]:
    """The ranked projects as route-shaped FeatureCollections, for a map coloured by rank."""
    from corridors.geo import convert

    out = []
    for i, r in enumerate(ranking.results, 1):
        unit = objectives.get(ranking.by).unit
        features = []
        for lid in r.project.link_ids:
            f = convert.link_feature(network.links[lid])
            f["properties"].update(
                kind="segment", rank=i, link_id=lid, distance_km=f["properties"]["length_km"]
            )
            features.append(f)
        out.append(
            {
                "type": "FeatureCollection",
                "route": {
                    "rank": i,
                    "title": f"{r.project.name}: mean {r.mean_gain:,.1f} {unit} saved, "
                    f"{len(r.improved)} pairs improved",
                    "totals": {"distance_km": round(r.project.length_km, 1)},
                },
                "features": features,
            }
        )
    return out


def places_list(nodes) -> list[dict[str, Any]]:
    """``places --json``: each place's id, name, country, kind, aliases and position."""
    return [
        {
            "id": n.id,
            "name": n.name,
            "country": n.country,
            "kind": n.kind,
            "aliases": list(n.aliases),
            "lat": n.lat,
            "lon": n.lon,
        }
        for n in nodes
    ]


def projects_list(projects) -> list[dict[str, Any]]:
    """``projects --json``: each project's statuses, years, length, links and corridors."""
    return [
        {
            "project": p.name,
            "statuses": list(p.statuses),
            "years": list(p.years),
            "length_km": round(p.length_km, 1),
            "links": list(p.link_ids),
            "corridors": list(p.corridors),
        }
        for p in projects
    ]
