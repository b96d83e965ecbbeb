"""Published railway section lengths in Kazakhstan, checked on the built-in network.

Each row is a figure taken from a source (see the link's note in seeds/links/): the shortest
operational rail route between the two places must be within 3 % of it, so an edit that breaks
the figure (a new shortcut, a changed length, a moved node) shows up here.
"""

from __future__ import annotations

import pytest

from tests import lengths

PUBLISHED_RAIL_KM = [
    # ru-WP 'Кокшетау-1 (станция)' infobox (profilpelajar.com mirror): Petropavlovsk 195 km.
    ("Petropavl", "Kokshetau", 195),
    # Same infobox: Astana 296 km.
    ("Kokshetau", "Astana", 296),
    # Same infobox: Karaganda 537 km (through Astana).
    ("Kokshetau", "Karaganda", 537),
    # Same infobox, the difference of the two: Astana–Karaganda 537 − 296 = 241 km.
    ("Astana", "Karaganda", 241),
    # ru-WP 'Астана-1' infobox (perceptiode.com mirror): Karaganda-Passenger 241 km, Almaty-1 1,318 km.
    ("Astana", "Almaty", 1318),
    # The same less Moiynty–Shu 438 (rail-news.kz) and Shu–Almaty-1 306 (txk.kz): 1318 − 241 − 438 − 306.
    ("Karaganda", "Moiynty", 333),
    # ru-WP 'Тараз (станция)' infobox (wiki4.ru mirror): Arys-1 282 km.
    ("Taraz", "Arys", 282),
    # 2005 KTZ ticket (bahnnews-austria.at forum, p=16082): Almaty-1 to Arys-1, 823 rail km.
    ("Almaty", "Arys", 823),
    # ru-WP 'Трансказахстанская железнодорожная магистраль' (perceptiosv.com mirror):
    # Petropavl–Kokshetau–Astana–Karaganda–Moiynty–Shu, 1,514 km.
    ("Petropavl", "Shu", 1514),
    # ru-WP 'Актобе-1 (станция)' infobox (russianwiki.com mirror): Kandyagash 94 km.
    ("Kandyagash", "Aktobe", 94),
    # Orient (orient.tm, 20 Jun 2022): first Kazakhstan–Iran–Turkey container train from Pavlodar,
    # "about 3,185 km" of its route in Kazakhstan (to the Bolashak crossing).
    ("Pavlodar", "Bolashak", 3185),
    # Contractor via zakon.kz: Shalkar–Beyneu 498 km of main track.
    ("Shalkar", "Beyneu", 498),
    # Ministry of Transport via AZERTAC / turantimes.kz: Beyneu–Mangistau 404 km.
    ("Beyneu", "Mangystau", 404),
    # Kazinform (see conflict 5 in seeds/SOURCES.md): Uzen–Bolashak 146 km.
    ("Zhanaozen", "Bolashak", 146),
    # Kyzylorda governor's office via Kazakhstan 2050: Saksaul station to Koskol 271.3 km.
    ("Saksaulskaya", "Koskol", 271.3),
    # KTZ (railways.kz): Dostyk–Moiynty 836 km.
    ("Dostyk", "Moiynty", 836),
    # Kazpravda, Sep 2025: Moiynty–Balkhash 127 km.
    ("Balkhash", "Moiynty", 127),
    # UIC e-news 2013: Zhetygen–Altynkol 293 km.
    ("Zhetygen", "Altynkol", 293),
]


@pytest.mark.parametrize(("a", "b", "published_km"), PUBLISHED_RAIL_KM)
def test_published_rail_section_lengths(a, b, published_km):
    lengths.assert_published(a, b, "rail", published_km)


def test_a_figure_more_than_3_percent_off_the_network_fails():
    # Astana–Karaganda is 241 km on the network: 3.5 % more fails, 2.5 % more passes.
    lengths.assert_published("Astana", "Karaganda", "rail", 241 * 1.025)
    with pytest.raises(AssertionError):
        lengths.assert_published("Astana", "Karaganda", "rail", 241 * 1.035)
