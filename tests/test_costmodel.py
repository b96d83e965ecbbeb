"""Every step of many routes is priced as the network's files say (tests/handcalc.py).

The routes run over the hand-made networks, East Africa and the built-in network, by every
objective, and the figures of each step (link, transfer, border crossing) are recomputed from
the GeoJSON and TOML alone. The East Africa network has distinct per-country overrides, node
transfer figures and links that start at a border crossing, so that pricing a step by the wrong
rule (the default instead of a country's figure, the default instead of the node's own, the
country of the wrong end) changes what these tests see.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from corridors.geo import paths
from corridors.geo.errors import NoRouteError
from corridors.routes import api, loading
from tests.handcalc import Fixture, assert_priced_as_the_data_says

DATA = Path(__file__).parent / "data"
FOLDERS = {
    "tiny": DATA / "tiny",
    "region": DATA / "region",
    "projects": DATA / "projects",
    "eastafrica": DATA / "eastafrica",
    "seeds": paths.builtin_folder(),
}


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_every_step_is_priced_as_the_files_say(name):
    folder = FOLDERS[name]
    loaded = loading.load(folder)
    fixture = Fixture(folder)
    ids = sorted(loaded.network.nodes)
    rng = random.Random(14)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(12)]
    checked = 0
    for (o, d), by in itertools.product(pairs, ("time", "cost", "distance")):
        try:
            plan = api.plan(o, d, by=by, k=2, include_suspended=True, network=loaded)
        except NoRouteError:
            continue
        for route in plan.routes:
            assert_priced_as_the_data_says(route, fixture)
            want = fixture.route(route)
            assert route.time_h == pytest.approx(want.hours)
            assert route.cost_usd_per_t == pytest.approx(want.usd_per_t)
            assert route.distance_km == pytest.approx(want.km)
            checked += 1
    assert checked >= 10


def test_east_africa_exercises_every_rule():
    """The fixture gives each rule something to get wrong."""
    fx = Fixture(DATA / "eastafrica")
    line_haul = fx.costs["line_haul"]
    for mode in ("road", "rail"):
        override, default = line_haul[mode]["country"]["UGA"], line_haul[mode]
        assert override["speed_kmh"] != default["speed_kmh"]
        assert override["usd_per_t_km"] != default["usd_per_t_km"]
    own = fx.nodes["naivasha_icd"]["properties"]["transfer"]["gauge_change"]
    assert own["hours"] != fx.costs["transfer"]["gauge_change"]["hours"]
    starts_at_border = [
        lid
        for lid, f in fx.links.items()
        if fx.nodes[f["properties"]["from"]]["properties"]["kind"] == "border_crossing"
    ]
    assert {fx.pricing_country(lid) for lid in starts_at_border} == {"UGA"}
