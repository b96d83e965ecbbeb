"""A fast path for plain features of network folders, with exactly the results of the full checks.

Most features of a large network are plain: scalar properties of the common kinds, a clean
geometry, known ends. :func:`plain_node` and :func:`plain_link` build their node or link with a
few direct tests, and return None for anything they do not clear (an unusual property, a
doubtful value, a problem of any kind, even a warning). The caller then runs the full checks of
:mod:`geo.features` on that feature, so every problem is reported exactly as before, with its
file, feature and property; only features that pass every check take the fast path, and for
them both paths build the same object (a test compares them feature by feature).

Features of user files always take the full path: they are completed (snapped ends, generated
ids) and warned about in ways that need it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any

from corridors.geo import checks, geodesy, model, modes
from corridors.geo.schema import ENDPOINT_TOLERANCE_KM, ISO3_CODES, MAX_LENGTH_RATIO, MIN_LENGTH_RATIO

#: A slug with nothing around it (the full path strips, then matches ``schema.ID_RE``).
_SLUG = re.compile(r"[a-z0-9][a-z0-9_\-]*\Z")
SCALARS = frozenset({str, int, float, bool, type(None)})
#: Link properties the fast path reads; a link with any other schema property takes the full path.
LINK_PLAIN = frozenset({"id", "from", "to", "mode", "status", "corridor", "source", "length_km", "gauge_mm"})
LINK_OTHER = frozenset(
    {"project", "terrain", "speed_kmh", "wait_h", "usd_per_t_km", "usd_per_t", "year"}
    | {"length_estimated", "open_months", "oneway", "note"}
)
_NODE_OTHER = frozenset({"border", "transfer", "open_months", "part_of"})
_NODE_KINDS = frozenset(model.NODE_KINDS) - {"border_crossing"}
MODES = frozenset(model.MODES)
LINK_STATUSES = frozenset(model.LINK_STATUSES)
_NODE_STATUSES = frozenset(model.NODE_STATUSES)


def _text(value: Any) -> str | None:
    """A non-empty string, stripped as the full path strips it, else None."""
    if type(value) is not str:
        return None
    value = value.strip()
    return value or None


def _position(pos: Any) -> tuple[float, float] | None:
    """A plain lon/lat position (2 or 3 finite numbers, in range), else None."""
    if type(pos) is not list or not 2 <= len(pos) <= 3:
        return None
    for c in pos:
        if type(c) is not float and type(c) is not int:
            return None
    lon, lat = pos[0], pos[1]
    # NaN and infinities fail these comparisons; integers too large for a float take the full path.
    if not (-180 <= lon <= 180 and -90 <= lat <= 90) or (len(pos) == 3 and not -1e300 < pos[2] < 1e300):
        return None
    return (float(lon), float(lat))


def _props(feature: dict, other: frozenset[str], listed: str = "") -> dict | None:
    """The properties if none of ``other`` is set and every value is a scalar (but ``listed``)."""
    props = feature.get("properties")
    if type(props) is not dict:
        return None
    if not props.keys().isdisjoint(other) and any(props[k] is not None for k in other if k in props):
        return None
    if not set(map(type, props.values())) <= SCALARS:
        for key, value in props.items():
            if type(value) not in SCALARS and key != listed:
                return None
    return props


def plain_node(feature: dict, file: str) -> model.Node | None:
    """The node of a plain Point feature of a network folder, or None to run the full checks."""
    props = _props(feature, _NODE_OTHER, "aliases")
    geom = feature.get("geometry")
    if props is None or type(geom) is not dict or geom.get("type") != "Point":
        return None
    pos = _position(geom.get("coordinates"))
    node_id = props.get("id")
    if pos is None or type(node_id) is not str or not _SLUG.match(node_id):
        return None
    name, country, source = _text(props.get("name")), _text(props.get("country")), _text(props.get("source"))
    kind = props.get("kind")
    if name is None or source is None or country not in ISO3_CODES or type(kind) is not str:
        return None
    if kind not in _NODE_KINDS:
        return None
    sea = props.get("sea")
    if sea is not None or kind == "port":
        sea = _text(sea)
        if sea is None:
            return None
    status = props.get("status")
    if status is None:
        status = "operational"
    elif type(status) is not str or status not in _NODE_STATUSES:
        return None
    aliases = props.get("aliases")
    if aliases is None:
        aliases = ()
    elif type(aliases) is list and all(type(a) is str for a in aliases):
        aliases = tuple(aliases)
    else:
        return None
    note = props.get("note")
    if note is not None and (note := _text(note)) is None:
        return None
    return model.Node(
        id=node_id,
        name=name,
        lon=pos[0],
        lat=pos[1],
        country=sys.intern(country),  # repeated values kept once: a large network holds millions
        kind=sys.intern(kind),
        source=sys.intern(source),
        aliases=aliases,
        sea=sea,
        border=None,
        status=sys.intern(status),
        open_months=None,
        transfer={},
        note=note,
        file=file,
    )


def plain_link(
    feature: dict, file: str, nodes: Mapping[str, model.Node], costs: model.CostModel
) -> model.Link | None:
    """The link of a plain LineString feature of a network folder, or None to run the full checks."""
    screened = screen_link(feature, nodes)
    if screened is None:
        return None
    coords, length, a, b = screened[0], screened[1], screened[2], screened[3]
    for node, at in ((a, coords[0]), (b, coords[-1])):
        if geodesy.great_circle_km(node.lon, node.lat, at[0], at[1]) > ENDPOINT_TOLERANCE_KM:
            return None
    geometry_km = geodesy.line_length_km(coords)
    if length is not None:
        chord_km = geodesy.great_circle_km(a.lon, a.lat, b.lon, b.lat)
        if length < MIN_LENGTH_RATIO * chord_km or (
            geometry_km > 0 and length > MAX_LENGTH_RATIO * geometry_km
        ):
            return None
    return _link(screened, file, costs, geometry_km)


#: Files with more features than this have their links' geodesy checked in arrays (numpy).
VECTOR_MIN = 5_000
#: Link features are checked this many at a time, so that the parsed JSON can be freed as read.
CHUNK = 50_000
#: Margin of the array checks: a value this close to a limit is left to the full checks.
MARGIN = 1e-9


def plain_links(
    features: list, file: str, nodes: Mapping[str, model.Node], costs: model.CostModel
) -> list[model.Link | None]:
    """:func:`plain_link` for every feature of a file (None for Points and features it does not clear).

    In a large file the distances between ends and nodes, the geometry lengths and the
    great-circle distances are computed in arrays; a value within a hair of a limit is left to
    the full checks, so the arrays never clear what the scalar checks would fault.
    """
    if len(features) < VECTOR_MIN:
        return [
            plain_link(f, file, nodes, costs) if _geometry_type(f) == "LineString" else None for f in features
        ]
    import numpy as np

    out: list[model.Link | None] = [None] * len(features)
    screened = [
        (i, s)
        for i, f in enumerate(features)
        if _geometry_type(f) == "LineString" and (s := screen_link(f, nodes)) is not None
    ]
    if not screened:
        return out
    n = len(screened)
    sizes = np.fromiter((len(s[0]) for _, s in screened), np.int64, n)
    flat = np.fromiter((c for _, s in screened for p in s[0] for c in p), np.float64, 2 * int(sizes.sum()))
    lon, lat = flat[0::2], flat[1::2]
    starts = np.zeros(n, np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    ends = starts + sizes - 1
    ends_xy = np.fromiter(
        (c for _, s in screened for c in (s[2].lon, s[2].lat, s[3].lon, s[3].lat)), np.float64, 4 * n
    )
    alon, alat, blon, blat = (ends_xy[k::4] for k in range(4))
    near = (haversine(np, alon, alat, lon[starts], lat[starts]) < ENDPOINT_TOLERANCE_KM * (1 - MARGIN)) & (
        haversine(np, blon, blat, lon[ends], lat[ends]) < ENDPOINT_TOLERANCE_KM * (1 - MARGIN)
    )
    pieces = haversine(np, lon[:-1], lat[:-1], lon[1:], lat[1:])
    pieces = np.append(pieces, 0.0)
    inner = np.ones(len(lon), bool)
    inner[ends] = False  # a piece from a line's last position to the next line's first is none
    geometry_km = np.add.reduceat(np.where(inner, pieces, 0.0), starts)
    chord = haversine(np, alon, alat, blon, blat)
    given = np.fromiter((np.nan if s[1] is None else s[1] for _, s in screened), np.float64, n)
    published = ~np.isnan(given)
    fits = (given >= MIN_LENGTH_RATIO * chord * (1 + MARGIN) + 1e-12) & (
        (geometry_km > 0) & (given <= MAX_LENGTH_RATIO * geometry_km * (1 - MARGIN))
    )
    ok = near & (~published | fits)
    for (index, screen), good, published_one in zip(screened, ok.tolist(), published.tolist(), strict=True):
        if good:
            # an estimated length is the geometry's, computed exactly as the full checks do
            km = 0.0 if published_one else geodesy.line_length_km(screen[0])
            out[index] = _link(screen, file, costs, km)
    return out


def haversine(np, lon1, lat1, lon2, lat2):
    """:func:`geodesy.great_circle_km` over arrays."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * geodesy.EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def _geometry_type(feature: Any) -> str | None:
    geom = feature.get("geometry") if type(feature) is dict else None
    return geom.get("type") if type(geom) is dict else None


def screen_link(feature: dict, nodes: Mapping[str, model.Node]) -> tuple | None:
    """The parts of a plain link that need no geodesy, or None: ``(coords, length, a, b, ...)``."""
    props = _props(feature, LINK_OTHER)
    geom = feature.get("geometry")
    if props is None or type(geom) is not dict or geom.get("type") != "LineString":
        return None
    raw = geom.get("coordinates")
    if type(raw) is not list or len(raw) < 2:
        return None
    coords = []
    for p in raw:
        pos = _position(p)
        if pos is None:
            return None
        coords.append(pos)
    link_id, mode, status = props.get("id"), props.get("mode"), props.get("status")
    if type(link_id) is not str or not _SLUG.match(link_id):
        return None
    if type(mode) is not str or mode not in MODES or type(status) is not str or status not in LINK_STATUSES:
        return None
    corridor, source = _text(props.get("corridor")), _text(props.get("source"))
    a, b = nodes.get(_text(props.get("from"))), nodes.get(_text(props.get("to")))
    if corridor is None or source is None or a is None or b is None or a.id == b.id:
        return None
    gauge = props.get("gauge_mm")
    if modes.get(mode).gauged:
        if gauge is None or modes.gauge_problem(gauge) is not None:
            return None
        gauge = int(gauge)
    elif gauge is not None:
        return None
    length = props.get("length_km")
    if length is not None:
        if (type(length) is not float and type(length) is not int) or not 0 < length < 1e300:
            return None
        length = float(length)
    return coords, length, a, b, link_id, mode, status, corridor, source, gauge


def _link(screened: tuple, file: str, costs: model.CostModel, geometry_km: float) -> model.Link | None:
    """The link of a screened feature whose geodesy passed (``geometry_km`` for an estimated length)."""
    coords, length, a, b, link_id, mode, status, corridor, source, gauge = screened
    if length is None:
        factor = costs.circuity.get(mode, 1.0)
        length, estimated = geometry_km * factor, True
        basis = f"geometry {geometry_km:.1f} km x circuity {factor:g} ({costs.circuity_source})"
    else:
        estimated, basis = False, "published"
    link = model.Link(
        id=link_id,
        from_id=a.id,
        to_id=b.id,
        mode=sys.intern(mode),  # repeated values kept once: a large network holds millions
        status=sys.intern(status),
        corridor=sys.intern(corridor),
        source=sys.intern(source),
        coords=tuple(coords),
        length_km=length,
        length_estimated=estimated,
        length_basis=basis,
        gauge_mm=gauge,
        file=file,
    )
    if checks.LINK_CHECKS and next(checks.link_problems(link, a, b), None) is not None:
        return None
    return link
