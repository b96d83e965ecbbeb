"""Published road section lengths in Iran, Turkmenistan and northern and central Kazakhstan.

Checked on the built-in network.
Each row is a figure taken from a source (see the link's note in seeds/links/): the shortest
operational road route between the two places must be within 3 % of it.
"""

from __future__ import annotations

import pytest

from corridors.routes import api, loading

PUBLISHED_ROAD_KM = [
    # KazAvtoZhol: Atyrau–Dossor 86 km (inAtyrau, Feb 2026) + Beyneu at km 332 of the
    # Dossor–Kulsary–Beyneu–Aktau road (Kazinform, Jan 2026): 86 + 332.
    ("Atyrau", "Beyneu", 418),
    # KazAvtoZhol via BAQ.kz, Jan 2026: Kokshetau at km 304 of the Astana–Kokshetau–Petropavl road.
    ("Astana", "Kokshetau", 304),
    # KazAvtoZhol via Liter.kz (Feb 2025) and lada.kz (Jan 2026): Aktau–Kuryk road km 13–72 "Aktau – Kuryk".
    ("Aktau", "Kuryk", 72),
    # KazAvtoZhol via Paryz.kz, Jan 2025: Ayagoz at km 704 of the Karaganda–Ayagoz–Tarbagatai–Bogas road.
    ("Karaganda", "Ayagoz", 704),
    # KazAvtoZhol via Kazinform, Jan 2026: Semey at km 198 of the Ust-Kamenogorsk–Semey road.
    ("Oskemen", "Semey", 198),
    # KazAvtoZhol via alau.kz, Mar 2026: Kostanay at km 549 of the Kostanay–Karabutak road, plus
    # the M32 from Aktobe (km 776) to Karabutak (km 965): 549 + 189.
    ("Kostanay", "Aktobe", 738),
]


@pytest.fixture(scope="module")
def loaded():
    return loading.load()


@pytest.mark.parametrize(("a", "b", "published_km"), PUBLISHED_ROAD_KM)
def test_published_road_section_lengths(loaded, a, b, published_km):
    route = api.plan(a, b, by="distance", modes=["road"], status=["operational"], network=loaded).routes[0]
    assert route.distance_km == pytest.approx(published_km, rel=0.03)
