"""Hand-made GeoJSON for the map tests, and hostile variants of it.

network.geojson: 15 nodes (4 border crossings, 4 ports, 1 dry port, 6 cities) and 16 links
(road, rail, sea; every status). routes.json: three Almaty routes with their segments,
transfers and border crossings. countries.geojson: rough outlines of five countries.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

#: Text that runs script if a page puts it into HTML or JavaScript unescaped.
PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "${alert(3)}`\\u0041\\",
    "\"'><svg onload=alert(4)>",
)
#: Properties that choose how a feature is drawn; hostile values of these are tested apart.
_STRUCTURAL = {"kind", "mode", "status", "type"}


def load(name: str) -> Any:
    """Return a fixture, parsed: ``network``, ``routes`` or ``countries``."""
    path = HERE / ("routes.json" if name == "routes" else f"{name}.geojson")
    return json.loads(path.read_text(encoding="utf-8"))


def hostile(data: Any) -> Any:
    """Return a copy of `data` with a payload added to every string property.

    The payload depends on the string alone, so ids and the ``from``/``to`` that refer
    to them stay equal. Geometry and the properties in `_STRUCTURAL` are left alone.
    A string is returned with its payload.
    """
    if isinstance(data, str):
        return _spoil(data)
    data = copy.deepcopy(data)
    collections = data if isinstance(data, list) else [data]
    for collection in collections:
        if "route" in collection:
            collection["route"] = _spoil(collection["route"])
        for feature in collection["features"]:
            feature["properties"] = _spoil(feature["properties"])
    return data


def _spoil(value: Any, key: str = "") -> Any:
    if key in _STRUCTURAL:
        return value
    if isinstance(value, str):
        return value + PAYLOADS[len(value) % len(PAYLOADS)]
    if isinstance(value, list):
        return [_spoil(item) for item in value]
    if isinstance(value, dict):
        return {k: _spoil(v, k) for k, v in value.items()}
    return value
