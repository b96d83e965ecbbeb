"""Snapping ``lat,lon`` endpoints with a limit, through the real command line.

The tiny network's places lie on 45° N at 70, 72, 74 and 76° E; a degree of latitude is
111.19 km on the sphere of the great-circle formula (6,371 km): 0.3° north of Aqsu is 33.4 km,
0.6° is 66.7 km and 3° is 333.6 km.
"""

from __future__ import annotations

import json

from tests.conftest import TINY, run_cli


def route(*args: str):
    return run_cli("route", *args, "--network", str(TINY))


def test_a_point_near_a_place_snaps_quietly():
    res = route("45.3,70", "Chenggu", "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["query"]["endpoints"][0]["snap_km"] == 33.36
    assert doc["notes"][0] == "'45.3,70' snapped to Aqsu (33.4 km away)"


def test_a_point_over_50_km_away_is_a_warning():
    res = route("45.6,70", "Chenggu")
    assert res.returncode == 0, res.stderr
    assert (
        "note: warning: '45.6,70' snapped to Aqsu (66.7 km away), over 50 km from any place of the "
        "network: the route starts or ends there, not at the point given"
    ) in res.stdout


def test_a_point_over_300_km_away_is_refused_with_the_nearest_places():
    res = route("48,70", "Chenggu")
    assert res.returncode == 2
    (line,) = res.stderr.strip().splitlines()
    assert line.startswith(
        "corridors: error: '48,70' is 334 km from the nearest place of the network, over the 300 km "
        "limit (nearest: Aqsu 334 km, Bay "
    )
    assert line.endswith("give a place nearer the network, or --snap-km")


def test_snap_km_moves_the_limit():
    res = route("48,70", "Chenggu", "--snap-km", "400")
    assert res.returncode == 0, res.stderr
    assert "snapped to Aqsu (333.6 km away), over 50 km" in res.stdout
    res = route("45.6,70", "Chenggu", "--snap-km", "50")
    assert res.returncode == 2 and "67 km from the nearest place" in res.stderr
    res = route("45.6,70", "Chenggu", "--snap-km", "0")
    assert res.returncode == 2 and "--snap-km must be a distance above 0 km" in res.stderr
