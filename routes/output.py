"""Plans as the ``--json`` contract and as GeoJSON; places and projects as the API lists them."""

from __future__ import annotations

from typing import Any

from corridors.geo import modes, objectives
from corridors.routes.api import Plan
from corridors.routes.pricing import BY_SEA
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
        "kind": c.kind,
        "country": c.country,
        **_figures(c),
        "sources": c.sources,
    }


def port_call(c: Crossing) -> str:
    """``"Bandar Abbas customs (IRN, transit)"``: a port call's customs and its one country."""
    transit = c.name.endswith(" (transit)")
    return f"{c.name.removesuffix(' (transit)')} ({c.country}{', transit' if transit else ''})"


def border(c: Crossing) -> str:
    """``"Korday (KAZ→KGZ)"``: a border crossing and the way it is crossed."""
    return f"{c.name} ({c.countries[0]}→{c.countries[1]})"


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
        "kind": g.kind,
        "from_country": g.from_country,
        "to_country": g.to_country,
        "status": g.status,
        "rank": g.route.rank if g.route else None,
        "in_scenario": g.in_scenario,
        "needs": list(g.needs),
        "reason": g.reason,
    }


#: A crossing's feature kind in GeoJSON: a border crossing, or a port call's customs.
_STOP_KINDS = {"crossing": "border_crossing", "port": "port_call"}


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
            kind = "transfer" if isinstance(step, Transfer) else _STOP_KINDS[step.kind]
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
            "border_crossings": [c.name for c in route.borders],
            "port_calls": [port_call(c) for c in route.port_calls],
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


def country_label(code: str) -> str:
    """A country of a route as text: its ISO3 code, or ``overseas`` for cargo by ship from or to
    whichever country (``--cargo-from sea``)."""
    return "overseas" if code == BY_SEA else code


def step_detail(step: Step) -> str:
    if isinstance(step, Transfer):
        return f"{_layer(step.from_layer)} → {_layer(step.to_layer)} ({step.kind.replace('_', ' ')})"
    if isinstance(step, Crossing) and step.kind == "port":
        a, b = (country_label(c) for c in step.countries)
        return f"in {step.country}, sea {a} → {b}"
    if isinstance(step, Crossing):
        return f"{step.countries[0]} → {step.countries[1]}, {step.mode}"
    return f"{step.from_name} → {step.to_name}"


def difference(future: Route, today: Route) -> dict[str, float]:
    after, before = future.totals, today.totals
    return _totals({attr: after[attr] - before[attr] for attr in after})


def compare_dict(today: Plan, future: Plan) -> dict[str, Any]:
    """``route --compare --json``: today's plan, the named scenario's, and their difference."""
    return {
        "version": JSON_VERSION,
        "today": plan_dict(today),
        "scenario": plan_dict(future),
        "difference": difference(future.routes[0], today.routes[0]),
    }


def compare_geojson(today: Plan, future: Plan, names: dict[str, str] | None = None) -> dict[str, Any]:
    """``route --compare --geojson``: today's routes and the scenario's in one FeatureCollection.

    Each feature has ``scenario`` (``today`` or ``scenario``) beside its route's ``rank``; the
    foreign members ``today`` and ``scenario`` hold each plan's query and routes.
    """
    doc: dict[str, Any] = {"type": "FeatureCollection"}
    features = []
    for which, plan in (("today", today), ("scenario", future)):
        part = plan_geojson(plan, names)
        doc[which] = {"query": part["query"], "routes": part["routes"]}
        features += [{**f, "properties": {"scenario": which, **f["properties"]}} for f in part["features"]]
    doc["difference"] = difference(future.routes[0], today.routes[0])
    doc["features"] = features
    return doc


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
