"""Published road section lengths in Pakistan, Afghanistan and Uzbekistan, checked on the built-in network.

Each row is a figure taken from a source (see the link's note in seeds/links/): the shortest
operational road route between the two places must be within 3 % of it.
"""

from __future__ import annotations

import pytest

from tests import lengths
from tests.lengths import OPERATIONAL, WITH_SUSPENDED

PUBLISHED_ROAD_KM = [
    # USAID fact sheet, Gardez–Khost National Highway (NH08): "a 101.2-kilometer road",
    # central Gardez to Khost city.
    ("Gardez", "Khost", 101.2, OPERATIONAL),
    # USAID fact sheet, Peshawar–Torkham road rehabilitation:
    # "the 46 kilometer Peshawar-Torkham section" of N-5.
    ("Peshawar", "Torkham", 46, WITH_SUSPENDED),
]


@pytest.mark.parametrize(("a", "b", "published_km", "status"), PUBLISHED_ROAD_KM)
def test_published_road_section_lengths(a, b, published_km, status):
    lengths.assert_published(a, b, "road", published_km, status)
