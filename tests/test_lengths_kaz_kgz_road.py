"""Published road section lengths in Kazakhstan, Kyrgyzstan and Tajikistan, checked on the built-in network.

Each row is a figure taken from a source (see the link's note in seeds/links/): the shortest
operational road route between the two places must be within 3 % of it.
"""

from __future__ import annotations

import pytest

from tests import lengths

PUBLISHED_ROAD_KM = [
    # KazAvtoZhol chainage of the M32/A2 road (baq.kz, Jan 2026): Turkestan km 2095 − Kyzylorda km 1806.
    ("Turkistan", "Kyzylorda", 289),
    # Same chainage (inform.kz Dec 2025, baq.kz Jan 2026): Kyzylorda km 1806 − Aral km 1362.
    ("Kyzylorda", "Aralsk", 444),
    # Same chainage (baq.kz Jan 2026, alau.kz Mar 2026): Aral km 1362 − Aktobe km 776.
    ("Aralsk", "Aktobe", 586),
    # Sum of the three: Turkestan km 2095 − Aktobe km 776.
    ("Turkistan", "Aktobe", 1319),
    # KazAvtoZhol chairman via Kursiv, Nov 2018: Astana–Pavlodar road "about 441 km".
    ("Astana", "Pavlodar", 441),
]


@pytest.mark.parametrize(("a", "b", "published_km"), PUBLISHED_ROAD_KM)
def test_published_road_section_lengths(a, b, published_km):
    lengths.assert_published(a, b, "road", published_km)
