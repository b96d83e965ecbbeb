"""Built-in road and rail links stay in the countries they connect.

The geometry of each link is read every kilometre against the outlines the project uses
(seeds/countries.geojson, through corridors.geo.borders). A link may leave the countries of its
two ends (and, at a crossing, the crossing's two countries) only for outline noise: a road along
a border river or a coast drawn through waypoints a few km apart. More than OUTSIDE_LIMIT_KM
outside means the line is drawn through a neighbour or across the sea.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, shape
from shapely.ops import unary_union

from corridors.geo import borders, geodesy, io

OUTSIDE_LIMIT_KM = 20.0
#: link id -> why it may run further outside its countries.
EXCUSED: dict[str, str] = {
    "n10_karachi_ormara": "Makran Coastal Highway along the sea west of Kund Malir: Buzi pass not sourced",
    "n10_ormara_pasni": "Makran Coastal Highway drawn along the sea: no sourced inland waypoints yet",
    "n10_pasni_gwadar": "Makran Coastal Highway drawn along the sea: no sourced inland waypoints yet",
    "tm_temirbaba_turkmenbashi": "on the Kara-Bogaz-Gol spit (Natural Earth 10m); the simplified spit is off",
}


@pytest.fixture(scope="module")
def network():
    return io.read_network()


@pytest.fixture(scope="module")
def outlines(network):
    path = borders.countries_file(network.nodes.values())
    by_iso3: dict[str, list] = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        by_iso3.setdefault(feature["properties"]["iso3"], []).append(shape(feature["geometry"]))
    return {iso3: unary_union(parts) for iso3, parts in by_iso3.items()}


def connected_countries(link, nodes) -> set[str]:
    """The countries of the link's ends, and both countries of a crossing at an end."""
    out = set()
    for node_id in (link.from_id, link.to_id):
        node = nodes[node_id]
        out.add(node.country)
        for crossing in (node, nodes.get(node.part_of) if node.part_of else None):
            if crossing is not None and crossing.is_crossing:
                out |= set(crossing.border.countries)
    return out


def km_outside(coords, area) -> float:
    """Length of the line (km) outside ``area``, read every kilometre."""
    length_km = geodesy.line_length_km(list(coords))
    n = max(2, int(np.ceil(length_km)) + 1)
    points = shapely.line_interpolate_point(LineString(coords), np.linspace(0.0, 1.0, n), normalized=True)
    inside = shapely.contains_xy(area, shapely.get_x(points), shapely.get_y(points))
    return float((~inside).sum()) * length_km / (n - 1)


def outside_by_link(network, outlines) -> dict[str, float]:
    out = {}
    for link in network.links.values():
        if link.mode == "sea":
            continue
        area = unary_union([outlines[c] for c in connected_countries(link, network.nodes) if c in outlines])
        out[link.id] = km_outside(link.coords, area)
    return out


def test_no_link_runs_far_outside_the_countries_it_connects(network, outlines):
    outside = outside_by_link(network, outlines)
    too_far = {i: round(km) for i, km in outside.items() if km > OUTSIDE_LIMIT_KM and i not in EXCUSED}
    assert not too_far
    # The excuses stay current: each excused link still needs its excuse.
    assert all(outside[i] > OUTSIDE_LIMIT_KM for i in EXCUSED)


def test_the_straight_zabol_zahedan_line_would_be_caught(network, outlines):
    """The former Zabol–Zahedan geometry, one waypoint in the Sistan plain, ran through
    Afghanistan and Pakistan; the measure sees it."""
    former = [(61.5012, 31.0287), (61.4, 30.4), (60.8741, 29.4803)]
    assert km_outside(former, outlines["IRN"]) > 60
    assert km_outside(network.links["irn_zabol_zahedan_road"].coords, outlines["IRN"]) < 1
