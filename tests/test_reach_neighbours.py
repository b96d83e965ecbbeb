"""Reach from Kazakhstan's neighbours: their first-level regions, regional centres and figures.

The regions of the neighbours are Natural Earth admin-1 units with GeoNames seats as centres
(seeds/SOURCES.md); the figures of a region's centre must be those of `corridors route`.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import shape

from corridors.geo import paths, regions
from corridors.geo.errors import NetworkDataError
from corridors.routes import api, backends, engine, loading, reach, reach_output, reach_plan, search
from tests.conftest import run_cli

SEEDS = paths.builtin_folder()
DATA = Path(__file__).parent / "data"
UNITS = {"UZB": 14, "KGZ": 8, "TJK": 5, "TKM": 5, "AFG": 34, "PAK": 8, "IRN": 31, "CHN": 1, "KAZ": 20}


@pytest.fixture(scope="module")
def loaded():
    return loading.load()


@pytest.fixture(scope="module")
def uzbekistan(loaded):
    return reach_plan.plan_reach(loaded, origin="Uzbekistan").result


def test_the_neighbours_first_level_units_with_sources_and_centres():
    found = regions.read_regions(SEEDS / "regions.geojson")
    assert Counter(r.country for r in found) == UNITS
    for r in found:
        assert r.centre.strip() and r.source.strip()
        if r.country != "KAZ":
            assert "Natural Earth" in r.source and "GeoNames" in r.source
            lon, lat = r.centre_point
            assert 40 < lon < 95 and 20 < lat < 56
    by_country = {}
    for r in found:
        by_country.setdefault(r.country, []).append(shape(r.geometry))
    for country, shapes in by_country.items():  # a country's units share borders, they do not overlap
        for i, a in enumerate(shapes):
            for b in shapes[i + 1 :]:
                assert a.intersection(b).area < 0.02 * min(a.area, b.area), country


def _same_figures(centre: reach.PlaceReach, loaded, origin: str) -> None:
    best = api.plan(origin, "Arabian Sea", status=["operational"], network=loaded).routes[0]
    assert centre.route.origin == best.origin
    for by in ("time", "cost", "distance"):
        assert centre.route.total(by) == pytest.approx(best.total(by), abs=1e-6)
    # every total, CO2e and the time range included
    assert reach_output.totals(centre) == reach_output.totals(reach.PlaceReach(best.origin, best))
    assert centre.port == best.destination


def test_uzbek_regional_centres_have_the_figures_of_route(loaded, uzbekistan):
    by_id = {g.region_id: g for g in uzbekistan.regions}
    assert len(by_id) == 14
    samarqand = by_id["uzb_samarqand"]
    assert samarqand.centre_name == "Samarkand" and samarqand.centre.node_id == "samarkand"
    _same_figures(samarqand.centre, loaded, "Samarkand")
    # GeoNames spells the seat Tirmiz; the network's Termez is 0 km from it and stands for it.
    assert by_id["uzb_surxondaryo"].centre_name == "Tirmiz"
    _same_figures(by_id["uzb_surxondaryo"].centre, loaded, "Termez")
    # Karshi is a junction, not one of the country's origin places, and still the centre.
    qashqadaryo = by_id["uzb_qashqadaryo"]
    assert qashqadaryo.centre.node_id == "karshi" and not qashqadaryo.node_ids
    _same_figures(qashqadaryo.centre, loaded, "Karshi")


def test_a_centre_far_from_every_place_has_no_figures_and_a_note(loaded):
    found = reach_plan.plan_reach(loaded, origin="Turkmenistan").result
    ahal = next(g for g in found.regions if g.region_id == "tkm_ahal")
    # Ahal's seat, Arkadag (moved from Annau in 2022), is about 30 km from Ashgabat: too far to stand for it.
    assert ahal.centre_name == "Arkadag" and ahal.centre is None
    assert any("Arkadag" in n for n in found.notes)
    assert ahal.best is not None and ahal.best.node_id in ahal.node_ids


def test_reach_and_route_agree_through_processes():
    doc = json.loads(run_cli("reach", "--from", "Uzbekistan", "--json").stdout)
    centre = next(g for g in doc["regions"] if g["id"] == "uzb_samarqand")["centre"]
    route = json.loads(run_cli("route", "Samarkand", "Arabian Sea", "--json").stdout)["routes"][0]
    assert centre["totals"] == route["totals"]
    assert centre["port"] == route["destination"]


@pytest.mark.parametrize("threshold", [0, loading.ARRAY_THRESHOLD], ids=["arrays", "networkx"])
def test_reach_and_within_run_on_either_backend_through_the_contract(threshold):
    loaded = loading.load(DATA / "projects", array_threshold=threshold, use_cache=False)
    assert isinstance(loaded.G, engine.ArrayGraph) == (threshold == 0)
    assert isinstance(backends.backend(loaded.G), backends.Backend)
    today = search.Constraints(statuses=frozenset({"operational"}))
    found = reach.reach(loaded, "Arabian Sea", origin="KAZ", constraints=today)
    assert sorted(p.route.time_h for p in found.places if p.route) == pytest.approx([15.0, 15.0])
    origin = found.places[0].node_id
    bands = reach.within(loaded, origin, [100.0], constraints=today)
    port = found.places[0].port
    assert bands.time_h[port] == pytest.approx(found.places[0].route.time_h)


def test_a_bad_centre_point_is_one_line_naming_the_property(tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    doc = json.loads((folder / "regions.geojson").read_text())
    i = next(i for i, f in enumerate(doc["features"]) if f["properties"]["country"] == "UZB")
    doc["features"][i]["properties"]["centre_lat"] = "north"
    (folder / "regions.geojson").write_text(json.dumps(doc))
    with pytest.raises(NetworkDataError, match=f"feature {i} .*`centre_lat` must be a number"):
        regions.read_regions(folder / "regions.geojson")


def test_the_map_names_a_centre_that_is_not_a_place():
    from corridors.maps import reach as reach_map

    tip = reach_map._region_tooltip({"name": "Fergana", "centre": "<Fergana>"}, "centre", None, "days")
    assert "regional centre: &lt;Fergana&gt;, not a place of the network" in tip
    rows = reach_map._legend_rows([1.0, 2.0], "days", which="centre")
    assert rows[-1][1] == "no route, or no place of the network at the centre"
