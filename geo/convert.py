"""Turn a network back into GeoJSON: the features maps draw and files are written from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corridors.geo import model, paths


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
    return json.loads(path.read_text(encoding="utf-8")) if path else None
