"""The Pareto search against brute force on small random networks.

Each network is a chain of places in three countries with two border crossings and two random
road or rail links between neighbours, with random speeds and rates (the fast ones dear), so
that time and cost pull apart. The expected
set comes from every simple path of the layered graph, priced by summing its edges, keeping the
paths that enter no country twice: no labels, no dominance pruning, no heuristic.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
from pathlib import Path

import networkx as nx
import pytest

from corridors.geo import geodesy
from corridors.routes import api, assembly, countries, loading, search

TINY = Path(__file__).parent / "data" / "tiny"
CRITERIA = ("time_h", "cost_usd_per_t")


def _network(folder: Path, seed: int) -> None:
    """A chain KAZ - KAZ - gate - KGZ - gate - CHN - CHN, two parallel links between
    neighbours (road or rail; fast ones dear), and a shortcut."""
    rng = random.Random(seed)
    folder.mkdir()
    shutil.copy(TINY / "costs.toml", folder / "costs.toml")
    (folder / "links").mkdir()
    chain = ["p0", "p1", "g1", "p2", "g2", "p3", "p4"]
    country = {"p0": "KAZ", "p1": "KAZ", "p2": "KGZ", "p3": "CHN", "p4": "CHN"}
    coords = {n: (70 + i, 40 + (i % 2) * 0.3) for i, n in enumerate(chain)}
    nodes = [
        _point(n, coords[n], {"name": n.upper(), "country": c, "kind": "city"}) for n, c in country.items()
    ]
    for gate, pair in (("g1", ("KAZ", "KGZ")), ("g2", ("KGZ", "CHN"))):
        border = {"countries": list(pair), "hours": {"road": rng.randint(1, 9), "rail": rng.randint(2, 20)},
                  "usd_per_t": {"road": rng.randint(1, 9), "rail": rng.randint(1, 9)}}  # fmt: skip
        props = {"name": gate.upper(), "country": pair[0], "kind": "border_crossing", "status": "operational"}
        nodes.append(_point(gate, coords[gate], {**props, "border": border}))
    pairs = [pair for pair in itertools.pairwise(chain) for _ in range(2)]
    pairs += rng.sample([("p0", "p2"), ("p1", "p3"), ("p2", "p4")], 1)
    links = [_link(n, a, b, coords, rng) for n, (a, b) in enumerate(pairs)]
    for name, features in (("nodes.geojson", nodes), ("links/random.geojson", links)):
        (folder / name).write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def _link(n: int, a: str, b: str, coords: dict, rng: random.Random) -> dict:
    mode = rng.choice(["road", "rail"])
    props = {"id": f"l{n}", "from": a, "to": b, "mode": mode, "status": "operational", "corridor": f"c{n}"}
    chord = geodesy.great_circle_km(*coords[a], *coords[b])
    speed = rng.randint(15, 80)
    props.update(source="test", length_km=round(chord * rng.uniform(1.05, 1.8), 1), speed_kmh=speed)
    props["usd_per_t_km"] = round(0.01 + speed / 400 * rng.uniform(0.7, 1.3), 4)  # fast links are dear
    if mode == "rail":
        props["gauge_mm"] = 1520
    geometry = {"type": "LineString", "coordinates": [list(coords[a]), list(coords[b])]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _point(node_id: str, xy: tuple, props: dict) -> dict:
    geometry = {"type": "Point", "coordinates": list(xy)}
    return {"type": "Feature", "geometry": geometry, "properties": {"id": node_id, "source": "test", **props}}


def _brute_front(loaded, origin: str, target: str) -> list[tuple[float, float]]:
    G, net = loaded.G, loaded.network
    allowed = nx.subgraph_view(G, filter_edge=lambda u, v: search.Constraints().allows(G.edges[u, v]))
    points = []
    for path in nx.all_simple_paths(allowed, (origin, "*", "origin"), (target, "*", "dest")):
        edges = [G.edges[u, v] for u, v in itertools.pairwise(path)]
        route = assembly.path_route(net, path, edges, by="time")
        if countries.reentered(route, net.nodes) is None:
            points.append(tuple(round(sum(e[c] for e in edges), 6) for c in CRITERIA))
    unique = sorted(set(points))
    return [p for p in unique if not any(q != p and q[0] <= p[0] and q[1] <= p[1] for q in unique)]


@pytest.mark.parametrize("seed", range(8))
def test_pareto_set_equals_brute_force(tmp_path, seed):
    folder = tmp_path / "net"
    _network(folder, seed)
    loaded = loading.load(folder, use_cache=False)
    sizes: list[int] = []
    for origin, target in [("p0", "p4"), ("p1", "p3")]:
        expected = _brute_front(loaded, origin, target)
        if not expected:
            continue
        plan = api.plan(origin, target, pareto=["time", "cost"], network=loaded)
        got = [(r.time_h, r.cost_usd_per_t) for r in plan.routes]
        sizes.append(len(expected))
        assert len(got) == len(expected), (got, expected)
        for g, e in zip(got, expected, strict=True):
            assert g == pytest.approx(e, abs=1e-5)
    assert sizes  # these seeds give fronts of 1 to 13 routes
