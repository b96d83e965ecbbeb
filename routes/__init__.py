"""Route search over the corridor network: graph building, cost model, search, CLI.

The Python API is :func:`corridors.plan` (also :func:`corridors.routes.plan`)::

    >>> import corridors
    >>> result = corridors.plan("Almaty", "Karachi", by="time", k=3)
    >>> for route in result.routes:
    ...     print(route.rank, route.distance_km, route.time_h, route.cost_usd_per_t)
"""

from __future__ import annotations

from corridors.routes.api import Plan, plan
from corridors.routes.loading import load
from corridors.routes.route import Crossing, Route, Segment, Transfer

__all__ = ["Crossing", "Plan", "Route", "Segment", "Transfer", "load", "plan"]
