"""The southern corridors of the built-in network (Iran, Afghanistan–Iran, Turkmenistan–Afghanistan,
Pakistan, Gulf feeders): the routes that used to go the long way round now take the direct ones."""

from __future__ import annotations

import pytest

from corridors.geo.errors import NoRouteError
from corridors.routes import api, loading

TODAY = ("operational",)


@pytest.fixture(scope="module")
def loaded():
    return loading.load()


def best(loaded, a, b, **kw):
    kw.setdefault("status", TODAY)
    return api.plan(a, b, network=loaded, **kw).routes[0]


def places(route) -> list[str]:
    return [route.segments[0].from_id] + [s.to_id for s in route.segments]


def test_herat_mashhad_crosses_at_islam_qala_dogharoun(loaded):
    route = best(loaded, "Herat", "Mashhad")
    assert [c.node_id for c in route.crossings] == ["islam_qala"]
    assert list(route.countries) == ["AFG", "IRN"]
    assert route.distance_km < 450
    assert not {"kabul", "termez", "hairatan"} & set(places(route))


def test_tehran_gorgan_does_not_go_via_mashhad(loaded):
    for by in ("time", "distance"):
        route = best(loaded, "Tehran", "Gorgan", by=by)
        assert "mashhad" not in places(route)
        assert list(route.countries) == ["IRN"]
        assert route.distance_km < 500


def test_mashhad_zahedan_takes_road_95(loaded):
    route = best(loaded, "Mashhad", "Zahedan", modes=["road"])
    assert not {"tehran", "yazd", "kerman"} & set(places(route))
    assert "birjand" in places(route)
    assert list(route.countries) == ["IRN"]


def test_kandahar_zahedan_over_route_606_and_milak(loaded):
    route = best(loaded, "Kandahar", "Zahedan", modes=["road"])
    assert [c.node_id for c in route.crossings] == ["zaranj"]
    assert {"delaram", "zabol"} <= set(places(route))


def test_mary_herat_crosses_at_serhetabat_torghundi(loaded):
    route = best(loaded, "Mary", "Herat", modes=["road"])
    assert [c.node_id for c in route.crossings] == ["torghundi"]
    assert list(route.countries) == ["TKM", "AFG"]


def test_kerki_andkhoy_rail_is_1520_through_aqina(loaded):
    route = best(loaded, "Turkmenabat", "andkhoy_rail", modes=["rail"], by="distance")
    assert [c.node_id for c in route.crossings] == ["aqina"]
    assert {s.gauge_mm for s in route.segments} == {1520}
    assert route.distance_km == pytest.approx(203 + 85 + 3 + 30)


def test_khaf_herat_railway_reaches_herat_only_with_the_sections_under_construction(loaded):
    with pytest.raises(NoRouteError):
        best(loaded, "Khaf", "Herat", modes=["rail"])
    route = best(
        loaded, "Khaf", "Herat", modes=["rail"], by="distance", status=("operational", "under_construction")
    )
    assert [c.node_id for c in route.crossings] == ["shamtigh"]
    assert {s.gauge_mm for s in route.segments} == {1435}
    assert set(route.relies_on) == {"khr_rozanak_robat_paryan", "khr_robat_paryan_herat"}


def test_zahedan_mashhad_railway_is_a_project(loaded):
    route = best(
        loaded,
        "Zahedan",
        "Mashhad",
        modes=["rail"],
        by="distance",
        status=("operational", "under_construction", "proposed"),
    )
    assert "birjand" in places(route)
    projects = {s.project for s in route.segments if s.status != "operational"}
    assert projects == {"Zahedan–Birjand–Mashhad Railway"}


def test_torghundi_herat_railway_is_the_july_2025_project(loaded):
    link = loaded.network.links["thr_torghundi_herat"]
    assert (link.status, link.project, link.gauge_mm, link.length_km) == (
        "proposed",
        "Torghundi–Herat Railway",
        1520,
        115,
    )


def test_new_pakistan_afghanistan_crossings_are_suspended(loaded):
    nodes = loaded.network.nodes
    for node_id in ("ghulam_khan", "angoor_adda", "torkham", "chaman", "kharlachi"):
        assert nodes[node_id].status == "suspended", node_id
    # With the crossings shut, Khost is reached only the long way round (by Kabul, from China and
    # Tajikistan), through no Pakistan–Afghanistan crossing.
    shut = {"ghulam_khan", "angoor_adda", "torkham", "chaman", "kharlachi"}
    route = best(loaded, "Bannu", "Khost", modes=["road"])
    assert not shut & {c.node_id for c in route.crossings}
    assert route.distance_km > 1000
    route = best(loaded, "Bannu", "Khost", modes=["road"], include_suspended=True)
    assert [c.node_id for c in route.crossings] == ["ghulam_khan"]


def test_sea_feeders_link_the_iranian_ports_karachi_and_jebel_ali(loaded):
    node = loaded.network.nodes["jebel_ali"]
    assert (node.country, node.kind, node.sea) == ("ARE", "port", "Persian Gulf")
    for a, b in (
        ("Bandar Abbas", "Jebel Ali"),
        ("Chabahar", "Jebel Ali"),
        ("Karachi", "Jebel Ali"),
        ("Chabahar", "Karachi"),
    ):
        route = best(loaded, a, b, modes=["sea"])
        assert route.modes == ["sea"]
        assert len(route.segments) == 1


def test_kerman_bandar_abbas_road_has_published_lengths(loaded):
    links = loaded.network.links
    assert links["irn_kerman_sirjan_road"].length_km == 175
    assert links["irn_sirjan_bandar_abbas_road"].length_km == 300
    assert not links["irn_kerman_sirjan_road"].length_estimated


def test_dated_2026_context_is_on_the_features(loaded):
    nodes = loaded.network.nodes
    assert "29 Sep 2025" in nodes["chabahar"].note
    assert "Hormuz" in nodes["bandar_abbas"].note and "2026" in nodes["bandar_abbas"].note
    assert "Hormuz" in loaded.network.links["sea_bandar_abbas_jebel_ali"].note
    assert "mid-2026" in nodes["ghulam_khan"].source
