"""Great-circle distances and line lengths on the mean Earth sphere."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

#: IUGG mean Earth radius in km; great-circle distances on it are within 0.5% of WGS84 geodesics.
EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in km between two lon/lat points in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def line_length_km(coords: Sequence[Sequence[float]]) -> float:
    """Length in km of a polyline of (lon, lat) positions, summed over its great-circle pieces."""
    return sum(great_circle_km(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(coords))
