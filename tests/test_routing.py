"""Route search on the tiny hand-made network, checked against hand-worked answers.

Tiny network (tests/data/tiny): Aqsu (a) - Bay (b) - Xgate (x, KAZ/CHN crossing) - Chenggu (c).
Road 200 + 160 + 170 km at 50 km/h and 0.10 $/t-km; rail 180 + 160 (1520 mm) + 160 (1435 mm) km
at 25 km/h and 0.05 $/t-km; Xgate: road 10 h / 5 $/t, rail 20 h / 6 $/t; gauge change 5 h /
10 $/t; a proposed express road a-b, 190 km at 95 km/h.
"""

from __future__ import annotations

import pytest

from corridors.geo.errors import NoRouteError, QueryError, UnknownPlaceError
from corridors.routes import api, places
from corridors.routes.route import Crossing, Segment, Transfer
from tests.conftest import TINY, fixture_links
from tests.handcalc import Fixture, assert_priced_as_the_data_says

# Hand-worked answers.
ROAD_TODAY = {"distance_km": 530, "time_h": 200 / 50 + 160 / 50 + 10 + 170 / 50, "cost": 20 + 16 + 5 + 17}
ROAD_EXPRESS = {"distance_km": 520, "time_h": 190 / 95 + 160 / 50 + 10 + 170 / 50, "cost": 19 + 16 + 5 + 17}
RAIL = {"distance_km": 500, "time_h": 180 / 25 + 160 / 25 + 20 + 5 + 160 / 25, "cost": 9 + 8 + 6 + 10 + 8}


def recomputed(route) -> tuple[float, float, float]:
    """Totals recomputed from the fixture's files (tests/handcalc.py), not from the route's steps."""
    links = fixture_links()
    km = sum(links[s.link_id]["length_km"] for s in route.segments)
    figures = Fixture(TINY).route(route)
    return km, figures.hours, figures.usd_per_t


def test_fastest_with_its_project_uses_the_proposed_express(tiny):
    route = api.plan("Aqsu", "Chenggu", projects="express", network=tiny).routes[0]
    assert [s.link_id for s in route.segments] == ["a_b_express", "b_x_road", "x_c_road"]
    assert route.distance_km == pytest.approx(ROAD_EXPRESS["distance_km"])
    assert route.time_h == pytest.approx(ROAD_EXPRESS["time_h"])
    assert route.cost_usd_per_t == pytest.approx(ROAD_EXPRESS["cost"])
    assert route.relies_on == ["a_b_express"]
    assert any("proposed" in w for w in route.warnings)


@pytest.mark.parametrize("scenario", [{}, {"status": ["operational"]}])
def test_today_leaves_out_the_proposed_link(tiny, scenario):
    route = api.plan("Aqsu", "Chenggu", network=tiny, **scenario).routes[0]
    assert [s.link_id for s in route.segments] == ["a_b_road", "b_x_road", "x_c_road"]
    assert route.time_h == pytest.approx(ROAD_TODAY["time_h"])
    assert route.cost_usd_per_t == pytest.approx(ROAD_TODAY["cost"])
    assert route.relies_on == []


@pytest.mark.parametrize("by", ["distance", "cost"])
def test_shortest_and_cheapest_go_by_rail_with_a_gauge_change(tiny, by):
    route = api.plan("Aqsu", "Chenggu", by=by, network=tiny).routes[0]
    assert [s.link_id for s in route.segments] == ["a_b_rail", "b_x_rail", "x_c_rail"]
    assert route.distance_km == pytest.approx(RAIL["distance_km"])
    assert route.time_h == pytest.approx(RAIL["time_h"])
    assert route.cost_usd_per_t == pytest.approx(RAIL["cost"])
    (transfer,) = route.transfers
    assert (transfer.node_id, transfer.kind) == ("x", "gauge_change")
    assert (transfer.time_h, transfer.cost_usd_per_t) == (5, 10)
    assert {transfer.from_layer, transfer.to_layer} == {"rail1520", "rail1435"}


def test_totals_equal_the_sum_of_the_parts(tiny):
    for by in ("time", "distance", "cost"):
        route = api.plan("Aqsu", "Chenggu", by=by, network=tiny).routes[0]
        km, time, cost = recomputed(route)
        assert route.distance_km == pytest.approx(km)
        assert route.time_h == pytest.approx(time)
        assert route.cost_usd_per_t == pytest.approx(cost)
        for s in route.segments:
            link = fixture_links()[s.link_id]
            speed = link.get("speed_kmh", 50 if s.mode == "road" else 25)
            assert s.time_h == pytest.approx(link["length_km"] / speed)
        assert_priced_as_the_data_says(route, Fixture(TINY))


def test_border_crossing_is_oriented_in_the_direction_travelled(tiny):
    forth = api.plan("Aqsu", "Chenggu", network=tiny).routes[0]
    back = api.plan("Chenggu", "Aqsu", network=tiny).routes[0]
    (c1,) = forth.crossings
    (c2,) = back.crossings
    assert c1.countries == ("KAZ", "CHN")
    assert c2.countries == ("CHN", "KAZ")
    assert (c1.time_h, c1.cost_usd_per_t, c1.mode) == (10, 5, "road")
    assert forth.countries == ("KAZ", "CHN")
    assert back.countries == ("CHN", "KAZ")


def test_steps_are_in_travel_order(tiny):
    route = api.plan("Aqsu", "Chenggu", by="distance", network=tiny).routes[0]
    kinds = [type(s) for s in route.steps]
    assert kinds[:2] == [Segment, Segment]
    assert set(kinds[2:4]) == {Crossing, Transfer}
    assert kinds[4] is Segment
    assert [s.seq for s in route.steps] == list(range(len(route.steps)))
    assert route.segments[0].coords[0] == (70.0, 45.0)
    assert route.segments[-1].coords[-1] == (76.0, 45.0)


def test_modes_filter(tiny):
    road = api.plan("Aqsu", "Chenggu", modes=["road"], by="cost", network=tiny).routes[0]
    assert road.modes == ["road"]
    rail = api.plan("Aqsu", "Chenggu", modes=["rail"], network=tiny).routes[0]
    assert rail.modes == ["rail"]


def test_avoiding_the_only_neighbour_names_the_constraint(tiny):
    with pytest.raises(NoRouteError, match="Chenggu lies in CHN, which `avoid` excludes"):
        api.plan("Aqsu", "Chenggu", avoid=["CHN"], network=tiny)


def test_avoiding_a_place(tiny):
    with pytest.raises(NoRouteError, match=r"avoided places.*Xgate"):
        api.plan("Aqsu", "Chenggu", avoid=["Xgate"], network=tiny)


def test_bad_options_are_query_errors(tiny):
    with pytest.raises(QueryError):
        api.plan("Aqsu", "Chenggu", by="beauty", network=tiny)
    with pytest.raises(QueryError):
        api.plan("Aqsu", "Chenggu", modes=["air"], network=tiny)
    with pytest.raises(QueryError):
        api.plan("Aqsu", "Chenggu", month=13, network=tiny)


@pytest.mark.parametrize("text", ["Aqsu", "aqsu", "AKSU", "Áqsu", " a "])
def test_places_resolve_by_name_alias_id_ignoring_case_and_accents(tiny, text):
    assert places.resolve(tiny.network, text).node_ids == ("a",)


def test_unknown_place_suggests_close_names(tiny):
    with pytest.raises(UnknownPlaceError, match="did you mean Aqsu"):
        places.resolve(tiny.network, "Aqsy")


def test_country_endpoint_means_its_cities(tiny):
    endpoint = places.resolve(tiny.network, "CHN")
    assert endpoint.kind == "country"
    assert endpoint.node_ids == ("c",)


def test_lat_lon_endpoint_snaps_to_nearest_node(tiny):
    endpoint = places.resolve(tiny.network, "45.1,75.9")
    assert endpoint.node_ids == ("c",)
    assert endpoint.snap_km == pytest.approx(13.5, abs=0.5)
