"""The array engine (scipy) gives the same routes as networkx; the cache returns what was built."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from corridors.geo import io
from corridors.routes import api, arrays, cache, engine, loading, search

DATA = Path(__file__).parent / "data"

REGION_QUERIES = {
    "seeds": ("Kazakhstan", "Arabian Sea"),
    "region": ("Kazakhstan", "Arabian Sea"),
    "tiny": ("KAZ", "CHN"),
}
CONSTRAINTS = [
    search.Constraints(),
    search.Constraints(statuses=frozenset({"operational"})),
    search.Constraints(modes=frozenset({"rail"}), month=1),
    search.Constraints(avoid_countries=frozenset({"CHN"}), include_suspended=True),
    search.Constraints(avoid_nodes=frozenset({"khunjerab_pass", "b"}), modes=frozenset({"road", "sea"})),
    search.Constraints(
        statuses=frozenset({"operational"}), extra_links=frozenset({"khr_havelian_khunjerab"})
    ),
]


@pytest.fixture(scope="module", params=["seeds", "region", "tiny"])
def both(request):
    folder = None if request.param == "seeds" else DATA / request.param
    nx_loaded = loading.load(folder, use_cache=False)
    ag = arrays.from_graph(nx_loaded.G, nx_loaded.network)
    return nx_loaded, loading.Loaded(nx_loaded.network, ag), REGION_QUERIES[request.param]


def test_edge_mask_agrees_with_constraints(both):
    nx_loaded, arr, _ = both
    G, ag = nx_loaded.G, arr.G
    for c in CONSTRAINTS:
        mask = engine.edge_mask(ag, c)
        for e in range(ag.number_of_edges()):
            u, v = ag.vertex(int(ag.rows[e])), ag.vertex(int(ag.indices[e]))
            assert mask[e] == c.allows(G.edges[u, v]), (u, v, c)


def test_same_routes_on_random_queries(both):
    nx_loaded, arr, _ = both
    ids = sorted(nx_loaded.network.nodes)
    rng = random.Random(7)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(25)]
    for (o, d), c, by in itertools.product(pairs, CONSTRAINTS[:4], ("time", "distance", "cost")):
        a = search.route_through(nx_loaded.G, nx_loaded.network, [[o], [d]], by=by, constraints=c)
        b = search.route_through(arr.G, arr.network, [[o], [d]], by=by, constraints=c)
        assert (a is None) == (b is None)
        if a is not None:
            assert a.total(by) == pytest.approx(b.total(by))
            if _itinerary(a) == _itinerary(b):  # ties may pick another route of equal value
                assert (a.distance_km, a.time_h, a.cost_usd_per_t) == pytest.approx(
                    (b.distance_km, b.time_h, b.cost_usd_per_t)
                )


def _itinerary(route) -> list[tuple[str, str]]:
    """Links, crossings and transfers in order (a transfer may come before or after a border)."""
    return [(type(s).__name__, getattr(s, "link_id", None) or s.node_id) for s in route.steps]


def test_same_alternatives_and_regions(both):
    nx_loaded, arr, (origin, destination) = both
    a = api.plan(origin, destination, k=3, network=nx_loaded)
    b = api.plan(origin, destination, k=3, network=arr)
    assert [r.total("time") for r in a.routes] == pytest.approx([r.total("time") for r in b.routes])
    for ra, rb in zip(a.routes, b.routes, strict=True):
        assert [type(s) for s in ra.steps] == [type(s) for s in rb.steps]
        assert ra.cost_usd_per_t == pytest.approx(rb.cost_usd_per_t)


def test_large_networks_are_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "MIN_EDGES", 0)
    first = loading.load(DATA / "region", array_threshold=0)
    assert isinstance(first.G, engine.ArrayGraph)
    assert list((tmp_path / "cache").glob("*.pickle"))

    def refuse(*args, **kwargs):
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(io, "read_network", refuse)
    second = loading.load(DATA / "region", array_threshold=0)
    assert sorted(second.network.links) == sorted(first.network.links)
    r1 = api.plan("Kapa", "Pport", network=first).routes[0]
    r2 = api.plan("Kapa", "Pport", network=second).routes[0]
    assert r1.time_h == pytest.approx(r2.time_h)


def test_cache_key_changes_with_the_files(tmp_path):
    f = tmp_path / "a.geojson"
    f.write_text("{}")
    k1 = cache.key([f])
    f.write_text("{ }")
    assert cache.key([f]) != k1


def test_cache_entry_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(tmp_path))
    big = {"blob": bytes(range(256)) * 5000, "n": list(range(100_000))}  # frames and a large buffer
    cache.put("big", big)
    assert cache.get("big") == big
    with pytest.raises(TypeError):
        cache.put("unpicklable", {"a": 1, "b": (x for x in ())})  # a generator cannot be pickled
    assert cache.get("unpicklable") is None
    assert not list(tmp_path.glob(".*.tmp"))  # no half-written file left behind


def test_cache_serves_only_its_own_key(tmp_path, monkeypatch):
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(tmp_path))
    cache.put("key one", {"a": 1})
    assert cache.get("key one") == {"a": 1}
    (stored,) = tmp_path.glob("*.pickle")
    stored.rename(cache._path(tmp_path, "key two"))  # as if two keys shared a file name
    assert cache.get("key two") is None


edge_mask = engine.edge_mask


@pytest.mark.parametrize("use_cache", [False, True])
def test_loading_makes_the_mask_of_the_default_plan(tmp_path, monkeypatch, use_cache):
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "MIN_EDGES", 0)
    if use_cache:
        loading.load(DATA / "region", array_threshold=0)  # written to the cache, read back below

        def refuse(*args):
            raise AssertionError("the cache entry holds the mask of the default plan")

        monkeypatch.setattr(engine, "edge_mask", refuse)
    loaded = loading.load(DATA / "region", array_threshold=0, use_cache=use_cache)
    monkeypatch.setattr(engine, "edge_mask", edge_mask)
    ag = loaded.G
    assert list(ag.masks) != []
    (warmed,) = ag.masks
    keep, indices, indptr = ag.masks[warmed]
    expected = engine.edge_mask(ag, warmed)
    assert not expected.all()  # today's network hides the proposed links of the fixture
    assert (keep == expected).all()
    assert list(indices) == [int(ag.indices[e]) for e in range(len(keep)) if expected[e]]
    assert indptr[-1] == expected.sum()
    before = dict(ag.masks)
    plan = api.plan("Kapa", "Pport", network=loaded)
    assert ag.masks.keys() == before.keys() and ag.masks[warmed] is before[warmed]  # no mask made anew
    # the same route as on a graph that made its mask for the query itself
    fresh = loading.Loaded(loaded.network, arrays.from_rows(loaded.network, _rows(loaded.network)))
    again = api.plan("Kapa", "Pport", network=fresh)
    assert plan.routes[0].time_h == pytest.approx(again.routes[0].time_h)


def test_a_mask_that_hides_nothing_shares_the_graph_structure():
    loaded = loading.load(DATA / "region", array_threshold=0, use_cache=False)
    ag = loaded.G
    everything = search.Constraints(statuses=frozenset(engine.STATUSES), include_suspended=True)
    assert engine.edge_mask(ag, everything).all()
    _, indices, indptr = engine.masked_csr(ag, everything)
    assert indices is ag.indices and indptr is ag.indptr
    some = search.Constraints(modes=frozenset({"road"}))
    _, sub_indices, sub_indptr = engine.masked_csr(ag, some)
    assert len(sub_indices) < len(ag.indices) and sub_indptr[-1] == len(sub_indices)


def _rows(network):
    from corridors.routes import graph

    return graph.edge_rows(network)


@pytest.mark.parametrize("factor, taken", [(0.9, "parallel"), (1.1, None)])
def test_a_path_takes_the_lightest_of_parallel_links(factor, taken):
    import dataclasses

    from corridors.routes import graph

    network = io.read_network(DATA / "tiny")
    first = next(iter(network.links.values()))
    ends = {first.from_id, first.to_id}
    links = {k: x for k, x in network.links.items() if x is first or {x.from_id, x.to_id} != ends}
    links["parallel"] = dataclasses.replace(first, id="parallel", length_km=first.length_km * factor)
    network.links = links
    ag = arrays.from_graph(graph.build_graph(network), network)
    route = api.plan(first.from_id, first.to_id, by="distance", network=loading.Loaded(network, ag)).routes[0]
    (segment,) = [s for s in route.steps if hasattr(s, "link_id")]
    assert segment.link_id == (taken or first.id)
    assert route.distance_km == pytest.approx(min(first.length_km, first.length_km * factor))
