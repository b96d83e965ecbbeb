"""Published railway section lengths in Uzbekistan, Turkmenistan, Iran and their neighbours.

Each row is a figure taken from a source (see the link's note in seeds/links/): the shortest
operational rail route between the two places must be within 3 % of it.
"""

from __future__ import annotations

import pytest

from tests import lengths

PUBLISHED_RAIL_KM = [
    # Podrobno.uz citing the Dunyo agency (via vb.kg): second track "Navoi – Bukhara", 92.3 km.
    ("navoi", "kagan", 92.3),
    # ADB project 51360-001 (Turkmenabat–Mary railway modernization): Turkmenabat–Mary 243 km.
    ("turkmenabat", "mary", 243),
    # en-WP Tashkent–Bukhara high-speed line: Samarkand–Bukhara section 256 km (Aug 2016).
    ("samarkand", "kagan", 256),
    # en-WP Tashkent–Samarkand high-speed line: 344 km.
    ("tashkent", "samarkand", 344),
    # TASS at the opening (3 Dec 2014): Kazakhstan–Turkmenistan–Iran line Uzen–Gorgan 928 km.
    ("zhanaozen", "gorgan", 928),
    # ADB IED, Turkmenistan North–South Railway: Bereket–Gorgan 338.5 km.
    ("bereket", "gorgan", 338.5),
    # Afghan Government Media & Information Centre (gmic.gov.af): the 75-km Hairatan line to Mazar.
    ("hairatan", "mazar_rail", 75),
]


@pytest.mark.parametrize(("a", "b", "published_km"), PUBLISHED_RAIL_KM)
def test_published_rail_section_lengths(a, b, published_km):
    lengths.assert_published(a, b, "rail", published_km)
