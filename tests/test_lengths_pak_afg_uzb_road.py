"""Published road section lengths in Pakistan, Afghanistan and Uzbekistan, checked on the built-in network.

Each row is a figure taken from a source (see the link's note in seeds/links/): the shortest
operational road route between the two places must be within 3 % of it.
"""

from __future__ import annotations

import pytest

from corridors.routes import api, loading

OPERATIONAL = ["operational"]
#: Torkham is closed to trade (suspended), but the road to it is open: plan over suspended links too.
WITH_SUSPENDED = ["operational", "suspended"]

PUBLISHED_ROAD_KM = [
    # USAID fact sheet, Gardez–Khost National Highway (NH08): "a 101.2-kilometer road",
    # central Gardez to Khost city.
    ("Gardez", "Khost", 101.2, OPERATIONAL),
    # USAID fact sheet, Peshawar–Torkham road rehabilitation:
    # "the 46 kilometer Peshawar-Torkham section" of N-5.
    ("Peshawar", "Torkham", 46, WITH_SUSPENDED),
]


@pytest.fixture(scope="module")
def loaded():
    return loading.load()


@pytest.mark.parametrize(("a", "b", "published_km", "status"), PUBLISHED_ROAD_KM)
def test_published_road_section_lengths(loaded, a, b, published_km, status):
    route = api.plan(a, b, by="distance", modes=["road"], status=status, network=loaded).routes[0]
    assert route.distance_km == pytest.approx(published_km, rel=0.03)
