"""Turn a network back into GeoJSON: the features maps draw and files are written from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corridors.geo import model, paths, safeio
from corridors.geo.errors import FileAccessError, NetworkDataError

#: Country outlines larger than this are refused (the built-in ones are about 0.3 MB).
MAX_COUNTRIES_BYTES = 200 * 1000**2


def node_feature(node: model.Node) -> dict[str, Any]:
    """A node as a GeoJSON Point feature with the schema's properties."""
    props: dict[str, Any] = {"id": node.id, "name": node.name, "country": node.country, "kind": node.kind}
    if node.aliases:
        props["aliases"] = list(node.aliases)
    if node.sea:
        props["sea"] = node.sea
    if node.border:
        props["border"] = {
            "countries": list(node.border.countries),
            "hours": node.border.hours,
            "usd_per_t": node.border.usd_per_t,
        }
        props["status"] = node.status
    if node.open_months:
        props["open_months"] = sorted(node.open_months)
    props["source"] = node.source
    if node.note:
        props["note"] = node.note
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
        "properties": props,
    }


def link_feature(link: model.Link) -> dict[str, Any]:
    """A link as a GeoJSON LineString feature; ``length_km`` is the resolved length."""
    props: dict[str, Any] = {
        "id": link.id,
        "from": link.from_id,
        "to": link.to_id,
        "mode": link.mode,
        "status": link.status,
        "corridor": link.corridor,
    }
    optional = {
        "project": link.project,
        "gauge_mm": link.gauge_mm,
        "year": link.year,
        "speed_kmh": link.speed_kmh,
        "usd_per_t_km": link.usd_per_t_km,
        "usd_per_t": link.usd_per_t,
        "terrain": link.terrain,
    }
    props.update({k: v for k, v in optional.items() if v is not None})
    if link.wait_h is not None:
        w = link.wait_h
        props["wait_h"] = {"low": w.low, "central": w.central, "high": w.high}
    props["length_km"] = round(link.length_km, 1)
    if link.length_estimated:
        props["length_estimated"] = True
    if link.open_months:
        props["open_months"] = sorted(link.open_months)
    if link.oneway:
        props["oneway"] = True
    props["source"] = link.source
    if link.note:
        props["note"] = link.note
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in link.coords]},
        "properties": props,
    }


def network_geojson(network: model.Network) -> dict[str, Any]:
    """The whole network as one FeatureCollection: nodes, then links."""
    features = [node_feature(n) for n in network.nodes.values()]
    features += [link_feature(link) for link in network.links.values()]
    return {"type": "FeatureCollection", "features": features}


def countries_path(network: model.Network) -> Path | None:
    """The country outlines file of the network's own folder, if it has one.

    Outlines are the network's data like its nodes: a folder of another region without them
    draws no outlines (and names countries by their codes) rather than borrowing the built-in
    region's.
    """
    path = Path(network.folder or paths.builtin_folder()) / "countries.geojson"
    return path if path.is_file() else None


def countries_geojson(network: model.Network) -> dict[str, Any] | None:
    """The country outlines of the network folder (or the built-in ones), if any."""
    path = countries_path(network)
    return read_countries(path) if path else None


def read_countries(path: Path) -> dict[str, Any]:
    """Parse a country outlines file: a FeatureCollection whose features carry ``iso3`` and ``name``.

    Features without those properties are left out.

    Raises
    ------
    NetworkDataError
        When the file is not a regular file of a sane size or not a FeatureCollection.
    """
    try:
        data = json.loads(safeio.read_bytes(path, max_bytes=MAX_COUNTRIES_BYTES).decode("utf-8"))
    except FileAccessError as err:
        raise NetworkDataError(str(err)) from None
    except (ValueError, RecursionError) as err:
        msg = f"{path}: cannot read country outlines: {str(err).splitlines()[0][:120]}"
        raise NetworkDataError(msg) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        msg = f"{path}: cannot read country outlines: expected a GeoJSON FeatureCollection"
        raise NetworkDataError(msg)
    kept = [f for f in features if _country_feature(f)]
    return {**data, "features": kept}


def _country_feature(feature: Any) -> bool:
    props = feature.get("properties") if isinstance(feature, dict) else None
    return (
        isinstance(props, dict)
        and isinstance(props.get("iso3"), str)
        and isinstance(props.get("name"), str)
        and isinstance(feature.get("geometry"), dict)
    )
