"""Write a synthetic geographic network in the corridors format, for benchmarks.

Random places over the region (lon 45-90, lat 20-55) are each joined by road to their three
nearest neighbours (great-circle, through a KD-tree on unit vectors); duplicates are dropped and
only the largest connected component is kept. Every tenth link is rail (1520 mm). Countries
are assigned from a coarse lon/lat grid of the region's ISO3 codes: the data is synthetic and
says so in every feature's ``source``.

Usage: python benchmarks/generate.py OUT_DIR --links 1000000 [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from corridors.geo import paths

SOURCE = "synthetic benchmark network (benchmarks/generate.py); not real data"
GRID = [  # (lat_min, lon_min, iso3): first match wins, scanning north to south
    (47, 45, "RUS"),
    (40, 75, "CHN"),
    (40, 45, "KAZ"),
    (36, 74, "CHN"),
    (36, 56, "TKM"),
    (36, 45, "IRN"),
    (29, 61, "AFG"),
    (23, 61, "PAK"),
    (20, 45, "IRN"),
]


def country(lat: float, lon: float) -> str:
    for lat_min, lon_min, iso3 in GRID:
        if lat >= lat_min and lon >= lon_min:
            return iso3
    return "IRN"


def generate(out: Path, n_links: int, seed: int = 1) -> tuple[int, int]:
    """Write nodes.geojson, links/synthetic.geojson and costs.toml to ``out``; return counts."""
    rng = np.random.default_rng(seed)
    n_nodes = int(n_links / 1.835)  # about 1.87 links per place survive deduplication
    lon = rng.uniform(45, 90, n_nodes)
    lat = rng.uniform(20, 55, n_nodes)
    phi, lmb = np.radians(lat), np.radians(lon)
    xyz = np.column_stack([np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)])
    _, nn = cKDTree(xyz).query(xyz, k=4)
    a = np.repeat(np.arange(n_nodes), 3)
    b = nn[:, 1:].ravel()
    pairs = np.unique(np.sort(np.column_stack([a, b]), axis=1), axis=0)
    adj = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n_nodes, n_nodes))
    _, labels = connected_components(adj, directed=False)
    keep = labels == np.bincount(labels).argmax()
    pairs = pairs[keep[pairs[:, 0]]]
    used = np.flatnonzero(keep)
    out.mkdir(parents=True, exist_ok=True)
    (out / "links").mkdir(exist_ok=True)
    with open(out / "nodes.geojson", "w") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        for j, i in enumerate(used):
            props = {
                "id": f"n{i}",
                "name": f"Place {i}",
                "country": country(lat[i], lon[i]),
                "kind": "city",
                "source": SOURCE,
            }
            geom = {"type": "Point", "coordinates": [round(lon[i], 5), round(lat[i], 5)]}
            fh.write(
                ("," if j else "")
                + json.dumps({"type": "Feature", "geometry": geom, "properties": props})
                + "\n"
            )
        fh.write("]}\n")
    with open(out / "links" / "synthetic.geojson", "w") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        for j, (u, v) in enumerate(pairs):
            chord = _gc(lon[u], lat[u], lon[v], lat[v])
            rail = j % 10 == 0
            props = {
                "id": f"l{j}",
                "from": f"n{u}",
                "to": f"n{v}",
                "mode": "rail" if rail else "road",
                "status": "operational",
                "corridor": "Synthetic",
                "length_km": round(chord * 1.2 + 0.01, 2),
                "source": SOURCE,
            }
            if rail:
                props["gauge_mm"] = 1520
            geom = {
                "type": "LineString",
                "coordinates": [[round(lon[u], 5), round(lat[u], 5)], [round(lon[v], 5), round(lat[v], 5)]],
            }
            fh.write(
                ("," if j else "")
                + json.dumps({"type": "Feature", "geometry": geom, "properties": props})
                + "\n"
            )
        fh.write("]}\n")
    shutil.copy(paths.builtin_folder() / "costs.toml", out / "costs.toml")
    return len(used), len(pairs)


def _gc(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--links", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    nodes, links = generate(args.out, args.links, args.seed)
    print(f"wrote {nodes:,} nodes and {links:,} links to {args.out}")


if __name__ == "__main__":
    main()
