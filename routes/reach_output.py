"""Turn a reach (every place and region to a destination) into a table, JSON, CSV and GeoJSON."""

from __future__ import annotations

import csv
import io
from typing import Any

from corridors.geo import model, objectives
from corridors.routes import plan_text
from corridors.routes.reach import EXTRA_TOTALS, PlaceReach, Reach, RegionReach, Within

#: Version of the ``reach --json`` document.
JSON_VERSION = 1
_TOTALS = (*objectives.attrs(), *EXTRA_TOTALS)


def totals(place: PlaceReach | None) -> dict[str, float] | None:
    """The route totals of a place: every objective, and time ranges where modelled."""
    if place is None or place.route is None:
        return None
    out = {o.attr: o.rounded(place.route.total(o.name)) for o in objectives.OBJECTIVES}
    for key in EXTRA_TOTALS:
        value = getattr(place.route, key, None)
        if isinstance(value, int | float):
            out[key] = round(value, 3)
    return out


def place_dict(place: PlaceReach | None, network: model.Network, region: str | None = None) -> dict | None:
    """One place's figures: totals, the port it reaches, the gateway it uses."""
    if place is None:
        return None
    node = network.nodes[place.node_id]
    gateway = place.gateway
    return {
        "id": node.id,
        "name": node.name,
        "region": region,
        "lon": node.lon,
        "lat": node.lat,
        "totals": totals(place),
        "port": place.port,
        "port_name": network.nodes[place.port].name if place.port else None,
        "gateway": gateway.node_id if gateway else None,
        "gateway_name": gateway.name if gateway else None,
        "countries": list(place.route.countries) if place.route else [],
        "relies_on": place.route.relies_on if place.route else [],
    }


def _region_of(result: Reach) -> dict[str, str]:
    return {n: g.name for g in result.regions for n in g.node_ids}


def region_dict(region: RegionReach, network: model.Network) -> dict[str, Any]:
    """A region's best place and regional centre with their figures."""
    return {
        "id": region.region_id,
        "name": region.name,
        "kind": region.kind,
        "places": list(region.node_ids),
        "centre_name": region.centre_name,
        "best": place_dict(region.best, network, region.name),
        "centre": place_dict(region.centre, network, region.name),
    }


def reach_dict(result: Reach, network: model.Network) -> dict[str, Any]:
    """The ``reach --json`` document."""
    where = _region_of(result)
    return {
        "version": JSON_VERSION,
        "query": result.query,
        "places": [place_dict(p, network, where.get(p.node_id)) for p in result.places],
        "regions": [region_dict(g, network) for g in result.regions],
        "notes": result.notes,
    }


def _time(t: dict | None) -> str:
    if not t:
        return "—"
    if "time_h_low" in t and "time_h_high" in t:
        return f"{t['time_h'] / 24:.1f} d ({t['time_h_low'] / 24:.1f}–{t['time_h_high'] / 24:.1f})"
    return plan_text.duration(t["time_h"])


#: Column headings after the label; CO2e is there whenever the cost model gives it.
_HEADER = f"  {'time (range)':>18}  {'cost':>10}  {'distance':>10}  {'CO2e':>10}  port"


def _row(label: str, d: dict | None) -> str:
    t = d["totals"] if d else None
    if not t:
        return f"{label:<36}  {'no route':>10}"
    co2 = f"{t['co2e_kg_per_t']:>5,.0f} kg/t" if "co2e_kg_per_t" in t else ""
    gate = d["gateway_name"] or "—"
    return (
        f"{label:<36}  {_time(t):>18}  {t['cost_usd_per_t']:>6,.0f} $/t  {t['distance_km']:>7,.0f} km"
        f"{'  ' + co2 if co2 else ''}  {d['port_name']} via {gate}"
    )


def reach_table(result: Reach, network: model.Network) -> str:
    """Regions (best place, regional centre), then every place, best first; 80-100 columns."""
    doc = reach_dict(result, network)
    head = f"{result.query['from']} → {result.query['to']}, best by {result.by}"
    if scenario := result.query.get("scenario"):
        head += f" ({scenario})"
    lines = [head, ""]
    if doc["regions"]:
        lines.append(f"{'region: best place / centre':<36}{_HEADER}")
        for g in sorted(doc["regions"], key=lambda g: _sort_key(g["centre"] or g["best"], result.by)):
            best, centre = g["best"], g["centre"]
            if g["places"]:
                lines.append(_row(f"{g['name']}: {best['name'] if best else '—'}", best))
            else:
                lines.append(f"{g['name']}: no place of the origin in it")
            if centre and (not best or centre["id"] != best["id"]):
                lines.append(_row(f"  centre {centre['name']}", centre))
            elif not centre:
                lines.append(f"  centre {g['centre_name']}: not a place of the network")
        lines.append("")
    lines.append(f"{'place':<36}{_HEADER}")
    lines += [_row(p["name"], p) for p in doc["places"]]
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)


def _sort_key(d: dict | None, by: str) -> float:
    key = output_key(by)
    return d["totals"][key] if d and d["totals"] else float("inf")


def output_key(by: str) -> str:
    """The totals key of an objective name."""
    return objectives.get(by).attr


_CSV_COLUMNS = ["kind", "id", "name", "region", *_TOTALS, "port", "port_name", "gateway", "gateway_name"]


def reach_csv(result: Reach, network: model.Network) -> str:
    """One row per place, then one per region's best place and regional centre."""
    return _write_csv(_CSV_COLUMNS, _csv_rows(result, network))


def compare_csv(today: Reach, scenario: Reach, network: model.Network) -> str:
    """``reach --compare --csv``: today's rows, then the scenario's, each led by which."""
    rows = [{"scenario": "today", **row} for row in _csv_rows(today, network)]
    rows += [{"scenario": "scenario", **row} for row in _csv_rows(scenario, network)]
    return _write_csv(["scenario", *_CSV_COLUMNS], rows)


def within_csv(result: Within, network: model.Network) -> str:
    """``reach --within --csv``: one row per place reached, by band then time."""
    rows = [
        {**place, "name": _cell(place["name"]), "within_h": band["within_h"]}
        for band in within_dict(result, network)["bands"]
        for place in sorted(band["places"], key=lambda p: p["time_h"])
    ]
    return _write_csv(["within_h", "id", "name", "time_h"], rows)


def _csv_rows(result: Reach, network: model.Network) -> list[dict[str, Any]]:
    doc = reach_dict(result, network)
    rows = [("place", p) for p in doc["places"]]
    for g in doc["regions"]:
        rows += [("region_best", g["best"]), ("region_centre", g["centre"])]
    return [
        {"kind": kind, **{k: _cell(v) for k, v in {**d, **(d["totals"] or {})}.items()}}
        for kind, d in rows
        if d is not None
    ]


def _write_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (a name starting with = + - @)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def reach_geojson(result: Reach, network: model.Network, regions: list) -> dict[str, Any]:
    """Regions as polygons with their figures, then the places as points with theirs."""
    doc = reach_dict(result, network)
    by_id = {g["id"]: g for g in doc["regions"]}
    features = []
    for region in regions:
        g = by_id.get(region.id)
        if g is None:
            continue
        props = {"kind": "region", "id": g["id"], "name": g["name"], "region_kind": g["kind"]}
        props["centre"] = g["centre_name"]
        for which in ("best", "centre"):
            d = g[which]
            props[f"{which}_place"] = d["name"] if d else None
            props[f"{which}_port"] = d["port_name"] if d else None
            props[f"{which}_gateway"] = d["gateway_name"] if d else None
            for k, v in ((d or {}).get("totals") or {}).items():
                props[f"{which}_{k}"] = v
        features.append({"type": "Feature", "properties": props, "geometry": region.geometry})
    for p in doc["places"]:
        props = {"kind": "place", **{k: v for k, v in p.items() if k not in ("lon", "lat", "totals")}}
        props.update(p["totals"] or {})
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def within_dict(result: Within, network: model.Network) -> dict[str, Any]:
    """The ``reach --within`` document: each band's places with their best times."""
    return {
        "version": JSON_VERSION,
        "origin": list(result.origin),
        "bands": [
            {
                "within_h": b.hours,
                "places": [
                    {"id": n, "name": network.nodes[n].name, "time_h": round(result.time_h[n], 2)}
                    for n in b.node_ids
                ],
            }
            for b in result.bands
        ],
    }


def within_table(result: Within, network: model.Network) -> str:
    """Each band and the places first reached in it, nearest first."""
    origin = ", ".join(network.nodes[n].name for n in result.origin)
    lines = [f"from {origin}, by time", ""]
    for b in result.bands:
        names = sorted(b.node_ids, key=lambda n: result.time_h[n])
        lines.append(f"within {plan_text.duration(b.hours)}: {len(names)} places")
        lines += [f"  {plan_text.duration(result.time_h[n]):>8}  {network.nodes[n].name}" for n in names]
    return "\n".join(lines)


def compare_geojson(today: dict[str, Any], scenario: dict[str, Any]) -> dict[str, Any]:
    """The scenario's reach GeoJSON with today's figures and the gain (today − scenario) added.

    Regions get ``today_centre_time_h`` and ``centre_gain_time_h`` (likewise for ``best`` and every
    total); places get ``today_time_h`` and ``gain_time_h``. A gain is absent where either side has
    no route; ``newly_connected`` marks what only the scenario reaches.
    """
    before = {(f["properties"]["kind"], f["properties"]["id"]): f["properties"] for f in today["features"]}
    features = []
    for f in scenario["features"]:
        props = dict(f["properties"])
        old = before.get((props["kind"], props["id"]), {})
        prefixes = ("best_", "centre_") if props["kind"] == "region" else ("",)
        for prefix in prefixes:
            for key in _TOTALS:
                new_v, old_v = props.get(prefix + key), old.get(prefix + key)
                if old_v is not None:
                    props[f"today_{prefix}{key}"] = old_v
                if new_v is not None and old_v is not None:
                    props[f"{prefix}gain_{key}"] = round(old_v - new_v, 2)
            props[f"{prefix}newly_connected"] = (
                props.get(prefix + "time_h") is not None and old.get(prefix + "time_h") is None
            )
        features.append({**f, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def compare_table(today: Reach, scenario: Reach, network: model.Network) -> str:
    """Each region's regional centre, today and in the scenario, and what the scenario saves."""
    key = output_key(scenario.by)
    before = {g["id"]: g for g in reach_dict(today, network)["regions"]}
    after = reach_dict(scenario, network)
    head = f"{scenario.query['from']} → {scenario.query['to']}, best by {scenario.by}: "
    head += f"{today.query.get('scenario', 'today')} vs {scenario.query.get('scenario', 'scenario')}"
    lines = [head, "", f"{'region (regional centre)':<40}  {'today':>10}  {'scenario':>10}  {'saves':>10}"]
    places_today = {p["id"]: p for p in reach_dict(today, network)["places"]}

    def fig(d: dict | None) -> float | None:
        return d["totals"][key] if d and d["totals"] else None

    def fmt(v: float | None) -> str:
        if v is None:
            return "no route"
        return plan_text.duration(v) if key == "time_h" else f"{v:,.0f}"

    rows = [
        (
            f"{g['name']} ({g['centre']['name'] if g['centre'] else g['centre_name']})",
            fig(before.get(g["id"], {}).get("centre")),
            fig(g["centre"]),
        )
        for g in after["regions"]
    ]
    if not rows:
        rows = [(p["name"], fig(places_today.get(p["id"])), fig(p)) for p in after["places"]]
    for label, old, new in rows:
        gain = fmt(old - new) if old is not None and new is not None else ("new" if new is not None else "—")
        lines.append(f"{label:<40}  {fmt(old):>10}  {fmt(new):>10}  {gain:>10}")
    lines += [f"note: {n}" for n in scenario.notes]
    return "\n".join(lines)


def within_geojson(result: Within, network: model.Network) -> dict[str, Any]:
    """The places reached, as Points with their time and band (hours)."""
    band_of = {n: b.hours for b in result.bands for n in b.node_ids}
    features = [
        {
            "type": "Feature",
            "properties": {
                "id": n,
                "name": network.nodes[n].name,
                "time_h": round(t, 2),
                "within_h": band_of.get(n),
            },
            "geometry": {"type": "Point", "coordinates": [network.nodes[n].lon, network.nodes[n].lat]},
        }
        for n, t in sorted(result.time_h.items(), key=lambda nt: nt[1])
        if n in band_of
    ]
    return {"type": "FeatureCollection", "features": features}
