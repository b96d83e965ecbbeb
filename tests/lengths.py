"""The check of every module of published lengths (``tests/test_lengths_*.py``).

A published section length holds on the built-in network when the shortest route of its mode
between the two places, by distance, comes within :data:`TOLERANCE` of the figure: an edit that
breaks the figure (a new shortcut, a changed length, a moved node) shows up.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from corridors.routes import api, loading

#: How far the network's shortest route may be from a published figure (relative).
TOLERANCE = 0.03
OPERATIONAL = ("operational",)
#: For a figure that ends at a crossing closed to trade whose road is open (Torkham).
WITH_SUSPENDED = ("operational", "suspended")


def assert_published(a: str, b: str, mode: str, published_km: float, status: Sequence[str] = OPERATIONAL):
    """Fail unless the shortest ``mode`` route from ``a`` to ``b`` over links of ``status`` is
    within :data:`TOLERANCE` of ``published_km``."""
    plan = api.plan(a, b, by="distance", modes=[mode], status=list(status), network=loading.load())
    assert plan.routes[0].distance_km == pytest.approx(published_km, rel=TOLERANCE), (a, b, mode)
