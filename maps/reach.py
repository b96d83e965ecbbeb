"""Reach maps: a choropleth of regions by days (or USD/t) to a destination, and time bands.

The maps draw GeoJSON: regions (Polygons with figures in their properties, as written by
``corridors reach --geojson``), places (Points) and routes. Colours come from ColorBrewer's
sequential YlGnBu scheme, which its authors mark colour-blind safe; a region with no route is
grey and hatched by its dashed outline, so absence never reads as a value.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium

from corridors.geo import objectives
from corridors.maps import _elements, escape, features, legend, render

log = logging.getLogger(__name__)

#: ColorBrewer YlGnBu, 5 classes (colorbrewer2.org: colour-blind safe, print friendly).
SEQUENTIAL = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_VALUE_COLOUR = "#d9d9d9"
ROUTE_COLOUR = "#333333"


#: How each measure is shown (label, unit, factor from the stored value), from the objectives:
#: durations in days; ``gain_*`` are the savings of a comparison.
def _measures() -> dict[str, tuple[str, str, float]]:
    out = {}
    for o in objectives.OBJECTIVES:
        unit, factor = ("days", 1 / 24) if o.duration else (o.symbol, 1.0)
        out[o.attr] = (f"{o.label.capitalize()} to the destination", unit, factor)
        out[f"gain_{o.attr}"] = (f"{o.label.capitalize()} saved by the scenario", unit, factor)
    return out


MEASURES = _measures()


def classes(values: Sequence[float], n: int = len(SEQUENTIAL)) -> list[float]:
    """Return ``n + 1`` class breaks: equal intervals from the least to the greatest value."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return []
    lo, hi = min(finite), max(finite)
    if hi - lo < 1e-9:
        return [lo, hi]
    return [lo + (hi - lo) * i / n for i in range(n + 1)]


def colour(value: float | None, breaks: Sequence[float]) -> str:
    """Return the class colour of `value`, or the no-value grey."""
    if value is None or not math.isfinite(value) or not breaks:
        return NO_VALUE_COLOUR
    for i, upper in enumerate(breaks[1:]):
        if value <= upper + 1e-9:
            return SEQUENTIAL[min(i, len(SEQUENTIAL) - 1)]
    return SEQUENTIAL[-1]


def reach_map(
    reach: Mapping[str, Any],
    *,
    measure: str = "time_h",
    which: str = "centre",
    routes: Sequence[Mapping[str, Any]] = (),
    countries: Mapping[str, Any] | None = None,
    title: str | None = None,
    tiles: str | None = None,
) -> folium.Map:
    """Draw regions coloured by a measure, places with their figures, and routes.

    Parameters
    ----------
    reach
        A FeatureCollection of regions (``kind: region``, Polygons, properties such as
        ``centre_time_h``) and places (``kind: place``, Points, properties such as ``time_h``).
    measure
        The property drawn: an objective's attribute (``time_h``, ``cost_usd_per_t``, ...) or a
        ``gain_*`` of a comparison.
    which
        ``centre`` (the regional centre's figure) or ``best`` (the region's best place).
    routes
        Route FeatureCollections (as ``corridors route --geojson`` writes them), drawn thin.
    countries
        Country outlines, drawn under everything.
    title
        Text shown at the top of the map (escaped).
    tiles
        A folium tile set name or URL, or None for none.
    """
    if measure not in MEASURES:
        msg = f"`measure`: expected one of {', '.join(MEASURES)}, got {measure!r}"
        raise ValueError(msg)
    feats = features._features(reach, "reach")
    region_feats = [f for f in feats if (f.get("properties") or {}).get("kind") == "region"]
    place_feats = [f for f in feats if (f.get("properties") or {}).get("kind") == "place"]
    label, unit, factor = MEASURES[measure]
    key = f"{which}_{measure}"
    values = [_scaled(f["properties"].get(key), factor) for f in region_feats]
    breaks = classes(values)
    m = render._base_map(None, tiles)
    if countries is not None:
        render._add_countries(m, countries)
    regions = folium.FeatureGroup(name="Regions")
    for feature, value in zip(region_feats, values, strict=True):
        _add_region(regions, feature, value, breaks, which=which, unit=unit)
    regions.add_to(m)
    if routes:
        _add_routes(m, routes)
    _add_places(m, place_feats, measure, factor, unit)
    swatches = legend.section(
        escape.text(f"{label} ({'regional centre' if which == 'centre' else 'best place'}), {unit}"),
        _legend_rows(breaks, unit, which=which),
    )
    _elements.legend_of(m).sections["Reach"] = swatches
    if title:
        m.get_root().html.add_child(folium.Element(_title_html(title)))
    points = [
        node.latlng
        for node in features.read_network({"type": "FeatureCollection", "features": place_feats})[0]
    ]
    render._finish(m, features.bounds(points))
    log.info("Drew %d regions and %d places by %s", len(region_feats), len(place_feats), key)
    return m


def _scaled(value: Any, factor: float) -> float | None:
    return value * factor if isinstance(value, int | float) and math.isfinite(value) else None


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "no route"
    return f"{value:,.1f} {unit}" if unit == "days" else f"{value:,.0f} {unit}"


def _legend_rows(breaks: Sequence[float], unit: str, *, which: str = "best") -> list[tuple[str, str]]:
    rows = []
    for i in range(len(breaks) - 1):
        text = f"{_fmt(breaks[i], unit)} – {_fmt(breaks[i + 1], unit)}"
        rows.append((_square(SEQUENTIAL[i]), escape.text(text)))
    if len(breaks) == 2 and breaks[0] == breaks[1]:
        rows = [(_square(SEQUENTIAL[0]), escape.text(_fmt(breaks[0], unit)))]
    missing = "no route, or no place of the network at the centre" if which == "centre" else "no route"
    rows.append((_square(NO_VALUE_COLOUR), missing))
    return rows


def _square(fill: str) -> str:
    return (
        f'<svg width="34" height="16" aria-hidden="true"><rect x="8" y="1" width="18" height="14" '
        f'fill="{fill}" stroke="#555555" stroke-width="1"/></svg>'
    )


def _add_region(
    group: folium.FeatureGroup,
    feature: Mapping[str, Any],
    value: float | None,
    breaks: Sequence[float],
    *,
    which: str,
    unit: str,
) -> None:
    props = feature["properties"]
    fill = colour(value, breaks)
    style = {
        "color": "#555555",
        "weight": 1,
        "fillColor": fill,
        "fillOpacity": 0.75,
        "className": "corridors-region",
    }
    if value is None:
        style["dashArray"] = "4 4"
    shape = folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": feature["geometry"]},
        style_function=lambda _f, s=style: s,
        highlight_function=lambda _f: {"weight": 3},
    )
    shape.add_child(_elements.Tooltip(_region_tooltip(props, which, value, unit)))
    shape.add_to(group)


def _region_tooltip(props: Mapping[str, Any], which: str, value: float | None, unit: str) -> str:
    name = escape.text(props.get("name", props.get("id", "")))
    rows = [f"<b>{name}</b>"]
    for part, title in (("centre", "regional centre"), ("best", "best place")):
        place = props.get(f"{part}_place")
        if not place and part == "centre" and props.get("centre"):
            rows.append(f"{title}: {escape.text(props['centre'])}, not a place of the network")
        if not place:
            continue
        days = _scaled(props.get(f"{part}_time_h"), 1 / 24)
        cost = props.get(f"{part}_cost_usd_per_t")
        line = f"{title}: {escape.text(place)}, {_fmt(days, 'days')}{_range(props, part + '_')}"
        if isinstance(cost, int | float):
            line += f", {cost:,.0f} USD/t"
        port, gate = props.get(f"{part}_port"), props.get(f"{part}_gateway")
        if port:
            line += f" to {escape.text(port)}" + (f" via {escape.text(gate)}" if gate else "")
        rows.append(line)
    if which.startswith("gain") or value is None:
        rows.append(f"shown: {_fmt(value, unit)}")
    return "<br>".join(rows)


def _range(props: Mapping[str, Any], prefix: str) -> str:
    """`` (5.8–13.6 days)`` where the figures carry a time range, else nothing."""
    low, high = props.get(f"{prefix}time_h_low"), props.get(f"{prefix}time_h_high")
    if not isinstance(low, int | float) or not isinstance(high, int | float):
        return ""
    return f" ({low / 24:.1f}–{high / 24:.1f} days)"


def _add_places(m: folium.Map, place_feats: list, measure: str, factor: float, unit: str) -> None:
    group = folium.FeatureGroup(name="Places")
    for f in place_feats:
        props = f["properties"]
        lon, lat = f["geometry"]["coordinates"][:2]
        marker = folium.CircleMarker(
            location=(lat, lon),
            radius=4,
            color="#222222",
            weight=1,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=1,
            class_name="corridors-reach-place",
        )
        tip = [f"<b>{escape.text(props.get('name', ''))}</b>"]
        tip.append(_fmt(_scaled(props.get("time_h"), 1 / 24), "days") + _range(props, ""))
        if isinstance(props.get("cost_usd_per_t"), int | float):
            tip.append(f"{props['cost_usd_per_t']:,.0f} USD/t")
        if measure not in ("time_h", "cost_usd_per_t") and props.get(measure) is not None:
            tip.append(_fmt(_scaled(props.get(measure), factor), unit))
        if props.get("port_name"):
            gate = props.get("gateway_name")
            tip.append(
                f"to {escape.text(props['port_name'])}" + (f" via {escape.text(gate)}" if gate else "")
            )
        marker.add_child(_elements.Tooltip("<br>".join(tip)))
        marker.add_to(group)
    group.add_to(m)


def _add_routes(m: folium.Map, routes: Sequence[Mapping[str, Any]]) -> None:
    group = folium.FeatureGroup(name="Routes of the regional centres")
    for fc in routes:
        info = fc.get("route") or {}
        origin = info.get("origin_name", info.get("origin", ""))
        name = f"{origin} → {info.get('destination_name', info.get('destination', ''))}"
        for f in fc.get("features", []):
            geometry = f.get("geometry") or {}
            if geometry.get("type") != "LineString":
                continue
            latlngs = [(y, x) for x, y, *_ in geometry["coordinates"]]
            line = folium.PolyLine(
                latlngs, color=ROUTE_COLOUR, weight=2, opacity=0.7, class_name="corridors-reach-route"
            )
            line.add_child(_elements.Tooltip(escape.text(name)))
            line.add_to(group)
    group.add_to(m)


def _title_html(title: str) -> str:
    return (
        '<div class="corridors-map-title" style="position:fixed;top:8px;left:50%;transform:translateX(-50%);'
        "z-index:1000;background:rgba(255,255,255,0.9);padding:4px 10px;border-radius:4px;"
        f'font:600 14px sans-serif;">{escape.text(title)}</div>'
    )


def within_map(
    bands: Mapping[str, Any],
    network: Mapping[str, Any],
    *,
    countries: Mapping[str, Any] | None = None,
    title: str | None = None,
    tiles: str | None = None,
) -> folium.Map:
    """Draw places and links coloured by the time band in which an origin reaches them.

    ``bands`` is the ``reach --within --json`` document plus ``link_time_h`` (link id ->
    hours); ``network`` the network FeatureCollection.
    """
    nodes, links = features.read_network(network)
    limits = [b["within_h"] for b in bands["bands"]]
    palette = list(reversed(SEQUENTIAL))[: len(limits)] if len(limits) <= len(SEQUENTIAL) else None
    if palette is None:
        msg = f"`within`: at most {len(SEQUENTIAL)} bands can be drawn, got {len(limits)}"
        raise ValueError(msg)
    by_node = {p["id"]: (i, p["time_h"]) for i, b in enumerate(bands["bands"]) for p in b["places"]}
    link_time = bands.get("link_time_h", {})
    m = render._base_map(None, tiles)
    if countries is not None:
        render._add_countries(m, countries)
    group = folium.FeatureGroup(name="Links by band")
    for link in links:
        t = link_time.get(link.props.get("id"))
        band = next((i for i, lim in enumerate(limits) if t is not None and t <= lim), None)
        if band is None:
            continue
        for part in link.parts:
            folium.PolyLine(
                part, color=palette[band], weight=3, opacity=0.9, class_name=f"corridors-band-{band + 1}"
            ).add_to(group)
    group.add_to(m)
    places = folium.FeatureGroup(name="Places by band")
    for node in nodes:
        found = by_node.get(node.props.get("id"))
        if found is None:
            continue
        band, hours = found
        marker = folium.CircleMarker(
            location=node.latlng,
            radius=5,
            color="#222222",
            weight=1,
            fill=True,
            fill_color=palette[band],
            fill_opacity=1,
            class_name=f"corridors-band-place-{band + 1}",
        )
        marker.add_child(
            _elements.Tooltip(
                f"<b>{escape.text(node.props.get('name', ''))}</b><br>{_fmt(hours / 24, 'days')}"
            )
        )
        marker.add_to(places)
    places.add_to(m)
    rows, lower = [], 0.0
    for i, lim in enumerate(limits):
        rows.append(
            (_square(palette[i]), escape.text(f"{_fmt(lower / 24, 'days')} – {_fmt(lim / 24, 'days')}"))
        )
        lower = lim
    _elements.legend_of(m).sections["Within"] = legend.section("Reached within", rows)
    if title:
        m.get_root().html.add_child(folium.Element(_title_html(title)))
    reached = [node.latlng for node in nodes if node.props.get("id") in by_node]
    render._finish(m, features.bounds(reached))
    return m
