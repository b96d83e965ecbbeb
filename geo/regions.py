"""First-level administrative regions of a network folder, and which places lie in each.

A network folder may hold ``regions.geojson``: Polygon or MultiPolygon features with ``id``,
``name``, ``country`` (ISO3), ``kind`` (``region`` or ``city``), ``centre`` (the name, alias
or id of the regional centre) and ``source``; ``centre_lon`` and ``centre_lat`` (degrees), when
given, place the centre so that a network place near it can stand for it. Places are joined to
regions with a geopandas spatial join, so this module imports geopandas (and shapely) when it is
used.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridors.geo import model, paths
from corridors.geo.errors import NetworkDataError

REGIONS_FILE = "regions.geojson"
_REQUIRED = ("id", "name", "country", "kind", "centre", "source")
_KINDS = ("region", "city")
#: A place this close to a region's simplified outline (degrees) but outside it belongs to it.
NEAREST_DEG = 0.1


@dataclass(frozen=True)
class Region:
    """One administrative region: its names, its regional centre and its outline (GeoJSON)."""

    id: str
    name: str
    country: str
    kind: str
    centre: str
    source: str
    geometry: dict[str, Any]
    code: str | None = None
    centre_point: tuple[float, float] | None = None  # (lon, lat) of the centre, degrees


def regions_path(network: model.Network) -> Path | None:
    """The regions file of the network folder, else the built-in one for the built-in network."""
    folder = Path(network.folder) if network.folder else paths.builtin_folder()
    path = folder / REGIONS_FILE
    return path if path.is_file() else None


def read_regions(path: str | Path) -> list[Region]:
    """Read and check a regions file; a bad feature raises one error naming file, feature and property."""
    file = str(path)
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        msg = f"{file}: cannot read regions: {err}"
        raise NetworkDataError(msg) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        msg = f"{file}: expected a GeoJSON FeatureCollection of regions"
        raise NetworkDataError(msg)
    regions, seen = [], set()
    for i, feature in enumerate(features):
        region = _region(feature, f"{file}: feature {i}")
        if region.id in seen:
            msg = f"{file}: feature {i} ({region.id}): `id` is used twice"
            raise NetworkDataError(msg)
        seen.add(region.id)
        regions.append(region)
    return regions


def _region(feature: Any, where: str) -> Region:
    props = feature.get("properties") if isinstance(feature, dict) else None
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        msg = f"{where}: not a GeoJSON Feature with properties"
        raise NetworkDataError(msg)
    where = f"{where} ({props.get('id')})" if isinstance(props.get("id"), str) else where
    for key in _REQUIRED:
        if not isinstance(props.get(key), str) or not props[key].strip():
            msg = f"{where}: `{key}` is missing or not text"
            raise NetworkDataError(msg)
    if props["kind"] not in _KINDS:
        msg = f"{where}: `kind` must be one of {', '.join(_KINDS)}, got {props['kind']!r}"
        raise NetworkDataError(msg)
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        msg = f"{where}: `geometry` must be a Polygon or MultiPolygon"
        raise NetworkDataError(msg)
    return Region(
        centre_point=_centre_point(props, where),
        id=props["id"],
        name=props["name"],
        country=props["country"],
        kind=props["kind"],
        centre=props["centre"],
        source=props["source"],
        geometry=geometry,
        code=props.get("code") if isinstance(props.get("code"), str) else None,
    )


def _centre_point(props: dict, where: str) -> tuple[float, float] | None:
    lon, lat = props.get("centre_lon"), props.get("centre_lat")
    if lon is None and lat is None:
        return None
    for key, value, limit in (("centre_lon", lon, 180), ("centre_lat", lat, 90)):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value) or abs(value) > limit:
            msg = f"{where}: `{key}` must be a number of degrees within ±{limit} (with the other one)"
            raise NetworkDataError(msg)
    return float(lon), float(lat)


def join_places(regions: list[Region], nodes: list[model.Node]) -> dict[str, list[str]]:
    """The ids of the nodes inside each region (a geopandas spatial join), by region id.

    A node on a shared edge, or inside a city that a region surrounds, goes to the smallest
    region that holds it.
    """
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point, shape

    out: dict[str, list[str]] = {r.id: [] for r in regions}
    if not regions or not nodes:
        return out
    areas = gpd.GeoDataFrame(
        {"region": [r.id for r in regions]}, geometry=[shape(r.geometry) for r in regions]
    )
    areas["area"] = [g.area for g in areas.geometry]  # only ranks nested regions: degrees² will do
    points = gpd.GeoDataFrame({"node": [n.id for n in nodes]}, geometry=[Point(n.lon, n.lat) for n in nodes])
    joined = gpd.sjoin(points, areas, how="inner", predicate="intersects")
    # A coastal place can fall just outside a simplified outline: take the nearest region within
    # NEAREST_DEG (measured in degrees, as the outlines are; about 10 km here).
    outside = points[~points["node"].isin(joined["node"])]
    if len(outside):
        near = gpd.sjoin_nearest(outside, areas, how="inner", max_distance=NEAREST_DEG)
        joined = pd.concat([joined, near])
    joined = joined.sort_values(["node", "area"]).drop_duplicates("node")
    for node_id, region_id in zip(joined["node"], joined["region"], strict=True):
        out[region_id].append(node_id)
    return out
