"""corridors: route planner for the trade corridors between Kazakhstan and the Arabian Sea.

The package holds the network data model (:mod:`corridors.geo`), route search
(:mod:`corridors.routes`), maps (:mod:`corridors.maps`, needs folium) and the built-in
network (:mod:`corridors.seeds`). The routing API is at the top::

    >>> import corridors
    >>> result = corridors.plan("Almaty", "Karachi", by="time", k=3)
    >>> for route in result.routes:
    ...     print(route.rank, route.distance_km, route.time_h, route.cost_usd_per_t)

``corridors.maps`` is imported on first use, so that routing never pays for folium.
"""

from __future__ import annotations

import importlib
from typing import Any

from corridors.routes.api import Plan, plan
from corridors.routes.loading import load
from corridors.routes.route import Crossing, Route, Segment, Transfer

__all__ = ["Crossing", "Plan", "Route", "Segment", "Transfer", "load", "plan"]

_SUBPACKAGES = frozenset({"geo", "maps", "routes", "seeds"})


def __getattr__(name: str) -> Any:
    """Import a subpackage (``corridors.maps``) the first time it is used."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f"corridors.{name}")
    msg = f"module 'corridors' has no attribute {name!r}"
    raise AttributeError(msg)
