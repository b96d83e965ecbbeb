"""Build folium maps of the network and of routes from GeoJSON dicts."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium

from corridors.geo import modes
from corridors.maps import _elements, errors, escape, features, labels, legend, style

log = logging.getLogger(__name__)

#: Where the map opens when there is nothing to fit: Kazakhstan to the Arabian Sea.
DEFAULT_CENTRE = (36.0, 67.0)
DEFAULT_ZOOM = 4

COUNTRIES_PANE = "corridors-countries"
COUNTRIES_Z_INDEX = 250  # above tiles (200), below the overlay pane (400)
_MODE_LAYERS = {m.name: m.label for m in modes.MODES}
_NODE_LAYERS = (
    ("Border crossings", ("border_crossing",)),
    ("Ports", ("port", "dry_port")),
    ("Places", ("city", "junction", "other")),
)


def network_map(
    network: Mapping[str, Any],
    *,
    countries: Mapping[str, Any] | None = None,
    tiles: str | None = "OpenStreetMap",
    m: folium.Map | None = None,
) -> folium.Map:
    """Draw the network: links by mode and status, crossings, ports and places.

    Parameters
    ----------
    network
        A FeatureCollection of nodes (Points) and links (LineStrings).
    countries
        A FeatureCollection of country outlines, drawn under everything else so the
        map reads without tiles.
    tiles
        A folium tile set name or URL; None or ``"none"`` for no tile layer.
        Ignored when `m` is given.
    m
        A map to draw on; a new one if None.

    Returns
    -------
    folium.Map
        The map, with one layer per mode and per kind of place, a legend and a
        layer control, fitted to the network. It is not saved: see `maps.save_map`.

    Raises
    ------
    MapError
        If an input is not a FeatureCollection or a geometry cannot be drawn.
    """
    nodes, links = features.read_network(network)
    m = _base_map(m, tiles)
    if countries is not None:
        _add_countries(m, countries)
    names = _names(nodes)
    modes = _add_links(m, links, names)
    kinds = _add_nodes(m, nodes)
    key = _elements.legend_of(m)
    key.sections["Modes"] = legend.modes_section(modes)
    _add_statuses(key, (link.props.get("status") for link in links))
    key.sections["Places"] = legend.places_section(kinds)
    points = features.line_points(links) + [node.latlng for node in nodes]
    _finish(m, features.bounds(points))
    log.info("Drew the network: %d links (%s), %d places", len(links), ", ".join(modes), len(nodes))
    return m


def routes_map(
    routes: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    network: Mapping[str, Any] | None = None,
    countries: Mapping[str, Any] | None = None,
    tiles: str | None = "OpenStreetMap",
    m: folium.Map | None = None,
    title: str | None = None,
) -> folium.Map:
    """Draw ranked routes, each in its own colour, over the network.

    Parameters
    ----------
    routes
        A route FeatureCollection (segments, transfers and border crossings, with the
        foreign member ``route``), or a list of them for alternatives, or one
        FeatureCollection of several routes (foreign member ``routes``, features
        tagged with their route's ``rank``).
    network
        The network, drawn in grey under the routes for context. Leave it out when
        `m` comes from `network_map`, which has drawn the network already.
    countries
        A FeatureCollection of country outlines.
    tiles
        A folium tile set name or URL; None or ``"none"`` for no tile layer.
        Ignored when `m` is given.
    m
        A map to draw on; a new one if None.
    title
        What the map shows (the query and its scenario): the page title and the
        legend's first line.

    Returns
    -------
    folium.Map
        The map, with one layer per route (route 1 on top and thickest, its itinerary
        in a popup, its transfers and crossings marked), a legend and a layer
        control, fitted to the routes. It is not saved: see `maps.save_map`.

    Raises
    ------
    MapError
        If there is no route, an input is not a FeatureCollection or a geometry
        cannot be drawn.
    """
    ranked = features.read_routes(routes)
    nodes, links = features.read_network(network) if network is not None else ([], [])
    m = _base_map(m, tiles)
    if countries is not None:
        _add_countries(m, countries)
    if links:
        _add_context(m, links, _names(nodes))
    for route in ranked:
        _add_route(m, route)
    key = _elements.legend_of(m)
    if title is not None:
        key.sections = {"Title": legend.title_section(title), **key.sections}
        m.get_root().title = escape.text(title)
    key.sections["Routes"] = legend.routes_section(ranked)
    key.sections["On the route"] = legend.stops_section()
    statuses = [line.props.get("status") for route in ranked for line in route.segments]
    _add_statuses(key, statuses + [link.props.get("status") for link in links])
    points = [p for route in ranked for p in features.line_points(route.segments)]
    points += [stop.latlng for route in ranked for stop in route.stops]
    _finish(m, features.bounds(points))
    log.info("Drew %d routes over %d network links", len(ranked), len(links))
    return m


def _base_map(m: folium.Map | None, tiles: str | None) -> folium.Map:
    if m is not None:
        return m
    if isinstance(tiles, str) and tiles.strip().lower() == "none":
        tiles = None
    try:
        return folium.Map(
            location=DEFAULT_CENTRE,
            zoom_start=DEFAULT_ZOOM,
            tiles=tiles,
            control_scale=True,
            prefer_canvas=False,
        )
    except ValueError:  # not a provider folium knows: it takes the text for a URL without credits
        msg = (
            f"unknown tile layer {tiles!r}: give a provider name such as OpenStreetMap or OpenTopoMap, "
            "or none (tile URLs are not accepted: they need credits that the map must show)"
        )
        raise errors.MapError(msg) from None


def _add_countries(m: folium.Map, countries: Mapping[str, Any]) -> None:
    outlines = features.read_countries(countries)
    for feature in outlines["features"]:
        feature["properties"]["style"] = style.COUNTRY_STYLE
    _elements.ensure_pane(m, COUNTRIES_PANE, COUNTRIES_Z_INDEX)
    folium.GeoJson(outlines, name="Country outlines", pane=COUNTRIES_PANE, interactive=False).add_to(m)


def _add_links(m: folium.Map, links: list[features.Line], names: Mapping[str, str]) -> list[str]:
    """Add one layer per mode; return the modes drawn, known modes first."""
    groups: dict[str, list[features.Line]] = {}
    for link in links:
        groups.setdefault(_known(link.props.get("mode"), style.MODES), []).append(link)
    order = [mode for mode in (*style.MODES, "other") if mode in groups]
    for mode in order:
        layer = folium.FeatureGroup(name=_MODE_LAYERS.get(mode, "Other modes")).add_to(m)
        for link in groups[mode]:
            layer.add_child(_link_line(link, names, context=False))
    return order


def _add_context(m: folium.Map, links: list[features.Line], names: Mapping[str, str]) -> None:
    layer = folium.FeatureGroup(name="Network").add_to(m)
    for link in links:
        layer.add_child(_link_line(link, names, context=True))


def _link_line(link: features.Line, names: Mapping[str, str], *, context: bool) -> folium.PolyLine:
    mode, status = link.props.get("mode"), link.props.get("status")
    weight = style.CONTEXT_WEIGHT if context else style.LINK_WEIGHT
    colour = style.mode_colour(mode, status)
    if context and status != "suspended":
        colour = style.CONTEXT_COLOUR
    line = folium.PolyLine(
        _locations(link),
        color=colour,
        weight=weight,
        opacity=0.75 if context else 0.9,
        dash_array=style.dash_array(status, weight),
        class_name=(
            f"corridors-link corridors-mode-{_known(mode, style.MODES)} "
            f"corridors-status-{_known(status, style.STATUSES)}"
        ),
    )
    _elements.attach(line, labels.link_tooltip(link.props, names), labels.link_popup(link.props, names))
    return line


def _add_nodes(m: folium.Map, nodes: list[features.Point]) -> list[str]:
    """Add crossings, ports and other places as layers; return the kinds drawn."""
    for name, kinds in _NODE_LAYERS:
        members = [(node, _known(node.props.get("kind"), tuple(style.NODE_STYLES))) for node in nodes]
        members = [(node, kind) for node, kind in members if kind in kinds]
        if not members:
            continue
        layer = folium.FeatureGroup(name=name).add_to(m)
        for node, kind in members:
            layer.add_child(_node_marker(node, kind))
    present = {_known(node.props.get("kind"), tuple(style.NODE_STYLES)) for node in nodes}
    return [kind for kind in (*style.NODE_STYLES, "other") if kind in present]


def _node_marker(node: features.Point, kind: str) -> folium.CircleMarker:
    options = style.node_style(kind, node.props.get("status"))
    marker = folium.CircleMarker(
        node.latlng,
        fill=True,
        fill_opacity=1.0,
        class_name=f"corridors-node corridors-kind-{kind}",
        **options,
    )
    _elements.attach(marker, labels.node_tooltip(node.props), labels.node_popup(node.props), sticky=False)
    return marker


def _add_route(m: folium.Map, route: features.Route) -> None:
    colour = style.route_colour(route.rank)
    lines_pane, stops_pane = _route_panes(m, route.rank)
    name = f'<span style="color:{colour}">&#9632;</span> {labels.route_title(route)}'
    layer = folium.FeatureGroup(name=name).add_to(m)
    itinerary = labels.itinerary(route)
    for segment in route.segments:
        for line in _segment_lines(route, segment):
            _elements.in_pane(line, lines_pane)
            _elements.attach(line, labels.segment_tooltip(route, segment.props), itinerary)
            layer.add_child(line)
    for stop, kind, tooltip in _stops(route):
        marker = folium.CircleMarker(
            stop,
            fill=True,
            fill_opacity=1.0,
            class_name=f"corridors-stop corridors-stop-{kind} corridors-stop-{route.rank:d}",
            **style.stop_style(kind, colour),
        )
        _elements.in_pane(marker, stops_pane)
        _elements.attach(marker, tooltip, itinerary, sticky=False)
        layer.add_child(marker)


def _segment_lines(route: features.Route, segment: features.Line) -> list[folium.PolyLine]:
    """Return a segment's line, dashed by status; under a dashed line, a pale solid casing.

    The casing keeps a route continuous where it runs on links that are not operational,
    so the routes beneath do not show through the gaps.
    """
    colour, weight = style.route_colour(route.rank), style.route_weight(route.rank)
    dashes = style.dash_array(segment.props.get("status"), weight)
    line = folium.PolyLine(
        _locations(segment),
        color=colour,
        weight=weight,
        opacity=0.9,
        dash_array=dashes,
        class_name=f"corridors-route corridors-route-{route.rank:d}",
    )
    if dashes is None:
        return [line]
    casing = folium.PolyLine(
        _locations(segment),
        color=style.tint(colour, style.CASING_TINT),
        weight=weight,
        opacity=1.0,
        class_name=f"corridors-route-casing corridors-route-casing-{route.rank:d}",
    )
    return [casing, line]


def _route_panes(m: folium.Map, rank: int) -> tuple[str, str]:
    """Return the panes of a route's lines and stops, creating them if needed.

    Route 1 gets the highest panes, so it is drawn on top of the other routes whatever
    is toggled in the layer control; every route's stops lie above every route's lines.
    The panes lie between the overlay pane (400, the network) and the shadow pane (500).
    """
    order = min(rank, 49)
    lines, stops = f"corridors-route-{rank:d}", f"corridors-stops-{rank:d}"
    _elements.ensure_pane(m, lines, 450 - order)
    _elements.ensure_pane(m, stops, 500 - order)
    return lines, stops


def _stops(route: features.Route) -> list[tuple[features.LatLng, str, str]]:
    """Return ``(latlng, kind, tooltip)`` for each marker: the ends, then each stop."""
    stops = []
    if route.segments:
        stops.append((route.segments[0].parts[0][0], "endpoint", labels.endpoint_tooltip(route, "origin")))
        stops.append(
            (route.segments[-1].parts[-1][-1], "endpoint", labels.endpoint_tooltip(route, "destination"))
        )
    for stop in route.stops:
        kind = _known(stop.props.get("kind"), ("border_crossing", "port_call", "transfer"))
        stops.append((stop.latlng, kind, labels.stop_tooltip(route, stop.props)))
    return stops


def _add_statuses(key: _elements.Legend, statuses: Iterable[object]) -> None:
    key.statuses.update(status for status in statuses if isinstance(status, str))
    known = [status for status in style.STATUSES if status in key.statuses]
    key.sections["Status"] = legend.status_section(known + sorted(key.statuses - set(known)))


def _finish(m: folium.Map, bounds: list[list[float]] | None) -> None:
    if bounds is not None:
        fit = folium.map.FitBounds(bounds, padding=(20, 20), max_zoom=10)
        fit.options["animate"] = False  # open on the final view, with no zoom animation
        m.add_child(fit)
    _elements.layer_control_last(m, collapsed=False)


def _names(nodes: list[features.Point]) -> dict[str, str]:
    return {
        node.props["id"]: str(node.props.get("name", node.props["id"]))
        for node in nodes
        if isinstance(node.props.get("id"), str)
    }


def _locations(line: features.Line) -> list[Any]:
    return line.parts[0] if len(line.parts) == 1 else line.parts


def _known(value: object, known: Sequence[str]) -> str:
    """Return `value` if it is one of `known`, else ``"other"`` (safe in a CSS class)."""
    return value if isinstance(value, str) and value in known else "other"
