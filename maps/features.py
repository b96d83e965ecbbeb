"""Read the GeoJSON dicts a map draws into plain data, checking what drawing needs.

Coordinates become Leaflet's ``[lat, lon]`` order here and nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corridors.maps import errors

LatLng = tuple[float, float]


@dataclass(frozen=True)
class Line:
    """A LineString or MultiLineString feature: its properties and ``[lat, lon]`` parts."""

    props: Mapping[str, Any]
    parts: list[list[LatLng]]


@dataclass(frozen=True)
class Point:
    """A Point feature: its properties and its ``(lat, lon)``."""

    props: Mapping[str, Any]
    latlng: LatLng


@dataclass(frozen=True)
class Route:
    """One route: the foreign member ``route``, its segments and its stops, in order."""

    rank: int
    info: Mapping[str, Any]
    segments: list[Line] = field(default_factory=list)
    stops: list[Point] = field(default_factory=list)


def read_network(network: Mapping[str, Any]) -> tuple[list[Point], list[Line]]:
    """Split a network FeatureCollection into nodes and links.

    Parameters
    ----------
    network
        A FeatureCollection of Point (node) and LineString (link) features.

    Returns
    -------
    nodes, links
        The Point features and the (Multi)LineString features, in file order.

    Raises
    ------
    MapError
        If `network` is not a FeatureCollection or a feature has another geometry.
    """
    nodes: list[Point] = []
    links: list[Line] = []
    for index, feature in enumerate(_features(network, "network")):
        where = _where("network", index, feature)
        shape = _shape(feature, where)
        if isinstance(shape, Point):
            nodes.append(shape)
        elif isinstance(shape, Line):
            links.append(shape)
        else:
            msg = f"{where}: a network feature must be a Point or a LineString"
            raise errors.MapError(msg)
    return nodes, links


def read_routes(routes: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[Route]:
    """Read one route FeatureCollection, or a list of them, sorted by rank.

    Parameters
    ----------
    routes
        A route FeatureCollection (with the foreign member ``route``) or a list of them;
        or one FeatureCollection of several routes, with the foreign member ``routes``
        (a list of ``route`` members) and each feature's ``rank`` naming its route.
        A route without a rank takes its position in the list (1-based).

    Returns
    -------
    list of Route
        Sorted by rank: the best route first.

    Raises
    ------
    MapError
        If there is no route, two routes share a rank, a route is not a
        FeatureCollection, or a feature's geometry is not a LineString (segment) or a
        Point (stop).
    """
    if isinstance(routes, Mapping):
        collections = _split_plan(routes) if "routes" in routes and "route" not in routes else [routes]
    else:
        collections = list(routes)
    if not collections:
        msg = "`routes` is empty: there is no route to draw"
        raise errors.MapError(msg)
    read = sorted(
        (_read_route(fc, position) for position, fc in enumerate(collections, start=1)),
        key=lambda route: route.rank,
    )
    ranks = [route.rank for route in read]
    if len(set(ranks)) < len(ranks):
        msg = f"`routes`: each route needs its own rank, got ranks {ranks}"
        raise errors.MapError(msg)
    return read


def read_countries(countries: Mapping[str, Any]) -> dict[str, Any]:
    """Return the country outlines as a FeatureCollection of bare geometries.

    Properties are dropped: the outlines are drawn, never labelled, so no text from
    the file reaches the page.

    Parameters
    ----------
    countries
        A FeatureCollection of Polygon and MultiPolygon features.

    Returns
    -------
    dict
        A FeatureCollection with the same geometries and empty properties.

    Raises
    ------
    MapError
        If a feature is not a Polygon or MultiPolygon.
    """
    kept: list[dict[str, Any]] = []
    for index, feature in enumerate(_features(countries, "countries")):
        geometry = feature.get("geometry")
        kind = geometry.get("type") if isinstance(geometry, Mapping) else None
        if not isinstance(geometry, Mapping) or kind not in ("Polygon", "MultiPolygon"):
            msg = f"{_where('countries', index, feature)}: expected a Polygon or MultiPolygon, got {kind!r}"
            raise errors.MapError(msg)
        rings = geometry["coordinates"] if kind == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in rings:
            for ring in polygon:
                _latlngs(ring, _where("countries", index, feature))
        kept.append({"type": "Feature", "geometry": geometry, "properties": {}})
    return {"type": "FeatureCollection", "features": kept}


def bounds(latlngs: Iterable[LatLng]) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` around points, or None if there are none."""
    points = list(latlngs)
    if not points:
        return None
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def line_points(lines: Iterable[Line]) -> list[LatLng]:
    """Return every vertex of `lines`."""
    return [latlng for line in lines for part in line.parts for latlng in part]


def _split_plan(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Split one FeatureCollection of several routes into one per route, by rank."""
    infos = plan["routes"]
    if not isinstance(infos, list) or not all(isinstance(info, Mapping) for info in infos):
        msg = "`routes`: the member 'routes' must be a list of route summaries"
        raise errors.MapError(msg)
    by_rank: dict[object, list[Mapping[str, Any]]] = {}
    for feature in _features(plan, "routes"):
        props = feature.get("properties")
        by_rank.setdefault(props.get("rank") if isinstance(props, Mapping) else None, []).append(feature)
    return [
        {"type": "FeatureCollection", "route": info, "features": by_rank.get(info.get("rank"), [])}
        for info in infos
    ]


def _read_route(fc: Mapping[str, Any], position: int) -> Route:
    name = f"route {position}"
    features = _features(fc, name)
    info = fc.get("route")
    info = info if isinstance(info, Mapping) else {}
    rank = _rank(info.get("rank"), position)
    route = Route(rank=rank, info=info)
    for index, feature in enumerate(features):
        shape = _shape(feature, _where(name, index, feature))
        if isinstance(shape, Line):
            route.segments.append(shape)
        elif isinstance(shape, Point):
            route.stops.append(shape)
        else:
            msg = f"{_where(name, index, feature)}: a route feature must be a LineString or a Point"
            raise errors.MapError(msg)
    route.segments.sort(key=_seq)
    route.stops.sort(key=_seq)
    return route


def _rank(value: object, position: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return position


def _seq(shape: Line | Point) -> float:
    seq = shape.props.get("seq")
    return seq if isinstance(seq, int | float) and not isinstance(seq, bool) else math.inf


def _features(collection: object, name: str) -> list[Mapping[str, Any]]:
    if not isinstance(collection, Mapping) or collection.get("type") != "FeatureCollection":
        msg = f"`{name}` must be a GeoJSON FeatureCollection (a dict with type 'FeatureCollection')"
        raise errors.MapError(msg)
    features = collection.get("features")
    if not isinstance(features, list) or not all(isinstance(f, Mapping) for f in features):
        msg = f"`{name}`: 'features' must be a list of Feature objects"
        raise errors.MapError(msg)
    return features


def _where(name: str, index: int, feature: Mapping[str, Any]) -> str:
    props = feature.get("properties")
    ident = props.get("id") if isinstance(props, Mapping) else None
    return f"{name}, feature {index}" + (f" ({ident!r})" if ident is not None else "")


def _shape(feature: Mapping[str, Any], where: str) -> Line | Point | None:
    geometry = feature.get("geometry")
    props = feature.get("properties")
    props = props if isinstance(props, Mapping) else {}
    if not isinstance(geometry, Mapping):
        msg = f"{where}: the feature has no geometry"
        raise errors.MapError(msg)
    kind = geometry.get("type")
    if kind == "Point":
        return Point(props, _latlng(geometry.get("coordinates"), where))
    if kind == "LineString":
        return Line(props, [_latlngs(geometry.get("coordinates"), where)])
    if kind == "MultiLineString":
        parts = geometry.get("coordinates")
        if not isinstance(parts, list) or not parts:
            msg = f"{where}: a MultiLineString needs a list of lines"
            raise errors.MapError(msg)
        return Line(props, [_latlngs(part, where) for part in parts])
    return None


def _latlngs(coordinates: object, where: str) -> list[LatLng]:
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        msg = f"{where}: a line needs at least two positions"
        raise errors.MapError(msg)
    return [_latlng(position, where) for position in coordinates]


def _latlng(position: object, where: str) -> LatLng:
    if (
        isinstance(position, list | tuple)
        and len(position) in (2, 3)
        and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in position)
    ):
        lon, lat = float(position[0]), float(position[1])
        if -180 <= lon <= 180 and -90 <= lat <= 90:
            return (lat, lon)
    msg = f"{where}: {position!r} is not a [longitude, latitude] position"
    raise errors.MapError(msg)
