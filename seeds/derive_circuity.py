"""Derive the ``[circuity]`` factors of ``seeds/costs.toml`` from the network's own published lengths.

A link's circuity is its published ``length_km`` divided by the geodesic length of its geometry
(through its waypoints). The factor of a mode (``road``, ``rail``, ``sea``) and of its mountain
terrain (``road_mountain``, ``rail_mountain``: links with ``terrain: mountain``) is the median
over every link with a published length, whatever its status, and no ``length_estimated`` flag
(a share of a total or another estimate would feed the factor back into itself). A factor is at
least 1: the network loader refuses less (a route is no shorter than its drawn line), so a median
below 1 (the few published sea routes, which the drawn sea lines slightly overstate) gives 1.

    python seeds/derive_circuity.py [--network seeds]        # print the table
    python seeds/derive_circuity.py --toml                   # print the [circuity] values only

Offline and read-only: it prints; ``costs.toml`` is edited by hand from its output, and
``tests/test_seeds.py`` checks that the two agree.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def ratios(folder: Path) -> dict[str, list[tuple[float, str]]]:
    """Per factor key, the (published length / geometry length, link id) of every link that counts."""
    from corridors.geo import geodesy

    found: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for path in sorted((folder / "links").glob("*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            props, geometry = feature["properties"], feature["geometry"]
            if "length_km" not in props or props.get("length_estimated"):
                continue
            parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
            drawn_km = sum(geodesy.line_length_km(part) for part in parts)
            key = props["mode"] + ("_mountain" if props.get("terrain") == "mountain" else "")
            found[key].append((props["length_km"] / drawn_km, props["id"]))
    return dict(found)


def factors(folder: Path) -> dict[str, float]:
    """The circuity per factor key as ``costs.toml`` gives it: the median, rounded to two decimals,
    and at least 1."""
    return {
        key: max(1.0, round(statistics.median(r for r, _ in rows), 2)) for key, rows in ratios(folder).items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", type=Path, default=HERE, help="network folder (default: seeds)")
    parser.add_argument("--toml", action="store_true", help="print only the [circuity] lines")
    args = parser.parse_args(argv)
    if not (args.network / "links").is_dir():
        print(f"derive_circuity: {args.network}: no links/ folder", file=sys.stderr)
        return 2
    found = ratios(args.network)
    for key in sorted(found):
        rows = sorted(found[key])
        median = statistics.median(r for r, _ in rows)
        if args.toml:
            print(f"{key} = {max(1.0, round(median, 2)):.2f}")
            continue
        low, high = rows[0], rows[-1]
        print(
            f"{key:14} median {median:.3f}  over {len(rows):3} links  "
            f"(range {low[0]:.2f} {low[1]} - {high[0]:.2f} {high[1]})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
