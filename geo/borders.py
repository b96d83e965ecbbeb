"""Border jumps: a road or rail link that crosses a country border anywhere but at a crossing.

A route pays a border only at a border-crossing node, so a link drawn across a border
elsewhere (Almaty straight to Bishkek) would cross it for nothing. The check reads the country
outlines of the network folder (``countries.geojson``, else the built-in Natural Earth ones)
with shapely, which is imported here only: checking user files is the one path that needs it.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

from corridors.geo import geodesy, model, paths
from corridors.geo.schema import ISO3_CODES, Problem

#: A border passed within this distance of a crossing node at the link's end is that crossing
#: (the crossing's point and the simplified outline are both a few km off the real line).
TOLERANCE_KM = 30.0
#: A stretch of a link inside a country shorter than this is outline noise, not a visit.
SLIVER_KM = 3.0
#: A stretch through another country shorter than this, between two stretches in the same
#: country, is a road along a border drawn through few waypoints, not a visit: the route does not
#: change country there (the longest in the built-in network, Oral–Aktobe beside the Russian
#: border, is about 16 km).
EXCURSION_KM = 60.0


def countries_file(nodes: Iterable[model.Node]) -> Path | None:
    """The outlines beside the network's nodes file, else the built-in ones."""
    folders = dict.fromkeys(Path(n.file).parent for n in nodes if n.file)
    for folder in (*folders, paths.builtin_folder()):
        path = folder / "countries.geojson"
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=4)
def _outlines(path: str, _mtime_ns: int) -> tuple:
    """``(iso3, prepared shape)`` of each country with an ISO 3166 code (disputed areas are left out)."""
    import shapely
    from shapely.geometry import shape

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for feature in data.get("features", []):
        iso3 = (feature.get("properties") or {}).get("iso3")
        if iso3 in ISO3_CODES and feature.get("geometry"):
            geometry = shape(feature["geometry"])
            shapely.prepare(geometry)
            out.append((iso3, geometry))
    return tuple(out)


def outlines(path: Path) -> tuple:
    """The country shapes of an outlines file, read once per file version."""
    return _outlines(str(path), path.stat().st_mtime_ns)


#: The line is read every this many km.
STEP_KM = 1.0


def passes(
    coords: tuple[tuple[float, float], ...], shapes: tuple, ends: tuple[str, str]
) -> list[tuple[str, str, tuple]]:
    """The borders a line passes, in order: ``(from country, to country, (lon, lat))``.

    The line is read every :data:`STEP_KM`; where outlines overlap, a point stays in the country
    of the point before it. ``ends`` are the countries of the link's end nodes: the line starts
    and ends there, whatever a simplified outline says of a place near a border.
    """
    import numpy as np
    import shapely
    from shapely.geometry import LineString

    length_km = geodesy.line_length_km(list(coords))
    n = max(2, math.ceil(length_km / STEP_KM) + 1)
    points = shapely.line_interpolate_point(LineString(coords), np.linspace(0.0, 1.0, n), normalized=True)
    xs, ys = shapely.get_x(points), shapely.get_y(points)
    inside = [(iso3, shapely.contains_xy(geometry, xs, ys)) for iso3, geometry in shapes]
    step_km = length_km / (n - 1)
    stretches: list[list] = [[ends[0], 0.0, 0]]
    current = ends[0]
    for k in range(n):
        here = [iso3 for iso3, mask in inside if mask[k]]
        if not here:
            continue
        if current not in here:
            current = here[0]
        if stretches[-1][0] == current:
            stretches[-1][1] += step_km
            stretches[-1][2] = k
        else:
            stretches.append([current, step_km, k])
    stretches.append([ends[1], 0.0, n - 1])
    last = len(stretches) - 1
    kept = _without_excursions([s for i, s in enumerate(stretches) if s[1] >= SLIVER_KM or i in (0, last)])
    # After merging, neighbouring stretches lie in different countries: each pair is a border.
    by_iso3 = dict(shapes)
    return [
        (before[0], after[0], _where(by_iso3.get(before[0]), xs, ys, before[2]))
        for before, after in itertools.pairwise(kept)
    ]


def _where(geometry, xs, ys, k: int) -> tuple[float, float]:
    """Where the line leaves ``geometry`` between its points ``k`` and ``k + 1``."""
    from shapely.geometry import LineString

    k = min(k, len(xs) - 2)
    step = LineString([(xs[k], ys[k]), (xs[k + 1], ys[k + 1])])
    hit = step.intersection(geometry.boundary) if geometry is not None else None
    if hit is None or hit.is_empty:
        return (float((xs[k] + xs[k + 1]) / 2), float((ys[k] + ys[k + 1]) / 2))
    point = hit if hit.geom_type == "Point" else hit.geoms[0] if hasattr(hit, "geoms") else hit.centroid
    return (float(point.x), float(point.y))


def _without_excursions(stretches: list[list]) -> list[list]:
    """Merge ``A, B, ..., A`` into ``A`` where the stretches between are shorter than
    :data:`EXCURSION_KM` in all; each is ``[country, km, index of its last point]``."""
    merged: list[list] = []
    for s in stretches:
        back = next((i for i in range(len(merged) - 1, -1, -1) if merged[i][0] == s[0]), None)
        if back is not None and sum(m[1] for m in merged[back + 1 :]) < EXCURSION_KM:
            first = merged[back]
            del merged[back:]
            s = [s[0], first[1] + s[1], s[2]]
        merged.append(s)
    return merged


def _crossings_at(node: model.Node, nodes: Mapping[str, model.Node]) -> list[model.Node]:
    """The crossing a link end stands for: the node itself, or the crossing it is a side of."""
    place = nodes.get(node.part_of) if node.part_of else None
    return [n for n in (node, place) if n is not None and n.is_crossing]


def jumps(link: model.Link, nodes: Mapping[str, model.Node], shapes: tuple) -> list[tuple[str, str]]:
    """``(severity, message)`` for each border a road or rail link passes away from a crossing.

    A pass that changes the country between the link's ends is an error unless a crossing of
    those two countries is at an end; a long stretch through another country between two
    stretches in the same one is a warning (the road is drawn through too few waypoints).
    """
    if link.mode == "sea":
        return []
    a_node, b_node = nodes[link.from_id], nodes[link.to_id]
    ends = [c for n in (a_node, b_node) for c in _crossings_at(n, nodes)]
    found = passes(link.coords, shapes, (a_node.country, b_node.country))
    out = []
    i = 0
    while i < len(found):
        a, b, (lon, lat) = found[i]
        back = next((j for j in range(i + 1, len(found)) if found[j][1] == a), None)
        if back is not None:
            through = ", ".join(dict.fromkeys(p[1] for p in found[i:back]))
            out.append(
                (
                    "warning",
                    f"the line leaves {a} at [{lon:.3f}, {lat:.3f}] and runs through {through} before it "
                    f"comes back (over {EXCURSION_KM:g} km): draw it through waypoints in {a}",
                )
            )
            i = back + 1
            continue
        i += 1
        if any(
            set(c.border.countries) == {a, b}
            and geodesy.great_circle_km(lon, lat, c.lon, c.lat) <= TOLERANCE_KM
            for c in ends
        ):
            continue
        out.append(("error", _jump_message(a, b, lon, lat, nodes)))
    return out


def _jump_message(a: str, b: str, lon: float, lat: float, nodes: Mapping[str, model.Node]) -> str:
    near = sorted(
        (geodesy.great_circle_km(lon, lat, n.lon, n.lat), n.id)
        for n in nodes.values()
        if n.is_crossing and set(n.border.countries) == {a, b}
    )
    hint = f"; the nearest is {near[0][1]!r}, {near[0][0]:,.0f} km away" if near else ""
    return (
        f"the line crosses the {a}–{b} border at [{lon:.3f}, {lat:.3f}], not at a border crossing: "
        f"end the link at a border_crossing node of {a} and {b} (a Point with "
        f'"border": {{"countries": ["{a}", "{b}"]}}) and draw the rest as a second link{hint}'
    )


def check_links(
    items: Iterable[tuple[int | None, model.Link]], nodes: Mapping[str, model.Node], problems: list[Problem]
) -> None:
    """Record a problem for each link of ``items`` (feature index, link) that jumps a border."""
    items = [(i, link) for i, link in items if link.mode != "sea"]
    path = countries_file(nodes.values()) if items else None
    if path is None:
        return
    shapes = outlines(path)
    for index, link in items:
        for severity, msg in jumps(link, nodes, shapes):
            problems.append(Problem(link.file, msg, index, link.id, "geometry", severity))
