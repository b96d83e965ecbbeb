"""Published section lengths in Uzbekistan, Turkmenistan and Afghanistan (seeds/SOURCES.md).

Each row is a figure taken from the cited source, set on the link(s) between the two places;
the shortest route by distance must come within 3 % of it, so an edit that breaks the figure
(a new shortcut, a changed length, a moved node) shows up here.
"""

from __future__ import annotations

import pytest

from tests import lengths
from tests.lengths import OPERATIONAL, WITH_SUSPENDED

PUBLISHED = [
    # Library of Congress Country Study, Turkmenistan (1996): Chärjew–Kerki highway 225 km.
    ("Turkmenabat", "Kerki", "road", 225, OPERATIONAL),
    # A. Hamilton, Afghanistan (1906): Merv–Kushkinski Post railway, 293 versts.
    ("Mary", "Serhetabat", "rail", 313, OPERATIONAL),
    # Saiga Tours border guide (2025): Mary to the Serhetabat border about 307 km by road.
    ("Mary", "Serhetabat", "road", 307, OPERATIONAL),
    # Same guide: Herat to Torghundi about 125 km.
    ("Herat", "Torghundi", "road", 125, OPERATIONAL),
    # ECNEC via Express Tribune (2015): Torkham–Jalalabad carriageway 73.67 km.
    ("Jalalabad", "Torkham", "road", 73.67, WITH_SUSPENDED),
    # ru-WP / National Encyclopedia of Uzbekistan: Zarafshan tract Samarkand–Turkmen border 365 km.
    ("Samarkand", "alat_farap", "road", 365, OPERATIONAL),
    # ariananet province guide (Jowzjan): Sheberghan 135 km from Mazar-i-Sharif.
    ("Sheberghan", "Mazar-i-Sharif", "road", 135, OPERATIONAL),
]


@pytest.mark.parametrize(("a", "b", "mode", "published_km", "status"), PUBLISHED)
def test_published_section_lengths(a, b, mode, published_km, status):
    lengths.assert_published(a, b, mode, published_km, status)
