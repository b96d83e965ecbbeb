"""Published road section lengths in Iran, Turkmenistan and northern and central Kazakhstan.

Checked on the built-in network. Each row is a figure taken from a source (see the link's note in
seeds/links/): the shortest operational road route between the two places must be within 3 % of it.
"""

from __future__ import annotations

import pytest

from tests import lengths

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
    # Qom provincial government (ghom.ir): Qom–Tehran freeway 135 km (130 km, qomefarda.ir).
    ("Tehran", "Qom", 135),
    # qomefarda.ir: Qom–Kashan freeway 104 km.
    ("Qom", "Kashan", 104),
    # triptoir.com / vidagasht.com: Semnan 216 km from Tehran (de-WP: about 220 km).
    ("Tehran", "Semnan", 216),
    # en-WP Road 22: Gorgan–Bojnurd section, 300 km.
    ("Bojnurd", "Gorgan", 300),
    # KazAvtoZhol (news.mail.ru Dec 2025, Kazinform Dec 2025): A3 km posts Konaev 67, Taldykorgan 275.
    ("Konaev", "Taldykorgan", 208),
    # Seyyedizadeh and Abbasian via bama.resaco.ir: Bojnurd 260 km from Mashhad (by Quchan).
    ("Mashhad", "Bojnurd", 260),
    # KazAvtoZhol (Astana TV Dec 2024, Kazinform Dec 2025): KAZ01 km posts Balkhash 1854, Burylbaital 2152.
    ("Balkhash", "Burylbaital", 298),
]


@pytest.mark.parametrize(("a", "b", "published_km"), PUBLISHED_ROAD_KM)
def test_published_road_section_lengths(a, b, published_km):
    lengths.assert_published(a, b, "road", published_km)
