"""Validate one Point feature as a node or one LineString feature as a link.

The length of a link is resolved here. The values of single properties are checked by
:mod:`geo.properties`, the link's ends by :mod:`geo.linkends`; checks that need more than one
feature (and checks added by other modules, see :mod:`geo.checks`) run through
:func:`geo.checks.link_problems`.
"""

from __future__ import annotations

from typing import Any

from corridors.geo import checks, geodesy, linkends, model, properties
from corridors.geo.fields import Fields, geometry
from corridors.geo.nodeindex import UserContext
from corridors.geo.schema import (
    LINK_PROPERTIES,
    MAX_FIGURE,
    MAX_LENGTH_KM,
    MAX_LENGTH_RATIO,
    MAX_USD_PER_T_KM,
    MIN_LENGTH_RATIO,
    MIN_SPEED_KMH,
    NODE_PROPERTIES,
    Problem,
    brief,
    unsafe_text,
)


def node_from_feature(
    feature: dict,
    index: int,
    file: str,
    problems: list[Problem],
    *,
    user: UserContext | None = None,
) -> model.Node | None:
    """Validate a Point feature as a node; record problems and return None if it is invalid.

    With ``user`` (a feature of a user file), unknown properties earn warnings and a missing
    ``id`` is generated from the name.
    """
    props = feature.get("properties")
    if not isinstance(props, dict):
        problems.append(Problem(file, "feature has no properties object", index, None, "properties"))
        return None
    feat = Fields(props, file, index, problems)
    feat.check_depth()
    if user is not None:
        feat.check_known(NODE_PROPERTIES)
    coords = geometry(feat, feature, "Point")
    node_id = feat.slug(required=user is None)
    name = feat.text("name")
    country = feat.country()
    kind = feat.choice("kind", model.NODE_KINDS)
    source = feat.text("source")
    sea = properties.sea(feat, required=kind == "port", user=user)
    status = feat.choice("status", model.NODE_STATUSES, required=False) or "operational"
    border = properties.border(feat, required=kind == "border_crossing")
    transfer = properties.transfer(feat)
    aliases = props.get("aliases", [])
    if aliases is None:
        aliases = []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        feat.error("aliases", f"expected a list of strings, got {brief(aliases)}")
        aliases = []
    for alias in aliases:
        if unsafe_text(alias):
            feat.error("aliases", f"{brief(alias)} {unsafe_text(alias)}")
    open_months = feat.months()
    note = feat.text("note", required=False)
    part_of = feat.text("part_of", required=False)
    if not feat.ok or coords is None:
        return None
    lon, lat = coords[0]
    if node_id is None and user is not None:
        node_id = user.new_node_id(name, lon, lat)
        feat.filled["id"] = "generated from the name"
    if user is not None and feat.filled:
        user.filled[(file, index)] = feat.filled
    return model.Node(
        id=node_id,
        name=name,
        lon=lon,
        lat=lat,
        country=country,
        kind=kind,
        source=source,
        aliases=tuple(aliases),
        sea=sea,
        border=border,
        status=status,
        open_months=open_months,
        transfer=transfer,
        note=note,
        file=file,
        part_of=part_of,
    )


def link_from_feature(
    feature: dict,
    index: int,
    file: str,
    nodes: dict[str, model.Node],
    costs: model.CostModel,
    problems: list[Problem],
    *,
    user: UserContext | None = None,
) -> model.Link | None:
    """Validate a LineString feature as a link between known nodes.

    The length is resolved here: ``length_km`` when given, else the geometry's length times the
    circuity factor of the link's mode and terrain.

    With ``user`` (a feature of a user file): a missing ``from``/``to`` snaps to the nearest node
    within :data:`SNAP_TOLERANCE_KM` of that end (the end moves onto the node), a missing ``id``
    is generated, a ``name`` stands in for a missing ``corridor``, a one-part MultiLineString
    counts as a LineString, and unknown properties earn warnings.
    """
    props = feature.get("properties")
    if not isinstance(props, dict):
        problems.append(Problem(file, "feature has no properties object", index, None, "properties"))
        return None
    feat = Fields(props, file, index, problems)
    feat.check_depth()
    if user is not None:
        feat.check_known(LINK_PROPERTIES)
    coords = geometry(feat, feature, "LineString", multi=user is not None)
    link_id = feat.slug(required=user is None)
    mode = feat.choice("mode", model.MODES)
    status = feat.choice("status", model.LINK_STATUSES)
    corridor = properties.corridor(feat, user)
    source = feat.text("source")
    project = feat.text("project", required=False)
    gauge = properties.gauge(feat, mode)
    terrain = feat.choice("terrain", ("plain", "mountain"), required=False)
    speed = feat.number("speed_kmh")
    if speed is not None and speed < MIN_SPEED_KMH:
        feat.error("speed_kmh", f"{speed:g} km/h is not a freight speed (at least {MIN_SPEED_KMH:g})")
    if speed is not None and speed > 1000:
        feat.error("speed_kmh", f"{speed:g} km/h is not a freight speed")
    wait = properties.wait(feat, mode)
    rate = feat.number("usd_per_t_km", positive=False, limit=MAX_USD_PER_T_KM)
    flat = feat.number("usd_per_t", positive=False, limit=MAX_FIGURE)
    for key, val in (("usd_per_t_km", rate), ("usd_per_t", flat)):
        if val is not None and val < 0:
            feat.error(key, f"must be 0 or more, got {val:g}")
    year = feat.number("year", integer=True)
    length = feat.number("length_km", limit=MAX_LENGTH_KM)
    estimated = feat.flag("length_estimated")
    ends = [linkends.endpoint(feat, key, nodes, coords, user) for key in ("from", "to")]
    open_months = feat.months()
    oneway = feat.flag("oneway")
    note = feat.text("note", required=False)
    if not feat.ok or coords is None or None in ends:
        return None
    a, b = ends
    if a.id == b.id:
        how = " (both ends snapped to it)" if "from" in feat.filled and "to" in feat.filled else ""
        feat.error("to", f"link starts and ends at the same node {a.id!r} (a self-loop){how}")
        return None
    if not linkends.ends_fit(feat, coords, a, b):
        return None
    geometry_km = geodesy.line_length_km(coords)
    chord_km = geodesy.great_circle_km(a.lon, a.lat, b.lon, b.lat)
    if length is None:
        factor = _circuity(costs, mode, terrain)
        length, estimated = geometry_km * factor, True
        basis = f"geometry {geometry_km:.1f} km x circuity {factor:g} ({costs.circuity_source})"
    else:
        basis = "published" if not estimated else "estimate given in the data"
        if length < MIN_LENGTH_RATIO * chord_km:
            feat.error(
                "length_km",
                f"{length:g} km is shorter than the {chord_km:.1f} km great-circle distance "
                f"between {a.id!r} and {b.id!r}",
            )
            return None
        if geometry_km > 0 and length > MAX_LENGTH_RATIO * geometry_km:
            feat.error(
                "length_km",
                f"{length:g} km is over {MAX_LENGTH_RATIO:g} times the geometry's {geometry_km:.1f} km",
                severity="warning",
            )
    if link_id is None and user is not None:
        link_id = user.new_link_id(corridor, mode, a.id, b.id)
        feat.filled["id"] = "generated"
    link = model.Link(
        id=link_id,
        from_id=a.id,
        to_id=b.id,
        mode=mode,
        status=status,
        corridor=corridor,
        source=source,
        coords=tuple(coords),
        length_km=length,
        length_estimated=estimated,
        length_basis=basis,
        gauge_mm=gauge,
        project=project,
        speed_kmh=speed,
        wait_h=wait,
        usd_per_t_km=rate,
        usd_per_t=flat,
        open_months=open_months,
        oneway=oneway,
        year=year,
        terrain=terrain,
        note=note,
        file=file,
    )
    for prop, msg, severity in checks.link_problems(link, a, b):
        feat.error(prop, msg, severity)
    if not feat.ok:
        return None
    if user is not None and feat.filled:
        user.filled[(file, index)] = feat.filled
    return link


def _circuity(costs: model.CostModel, mode: str, terrain: str | None) -> float:
    if terrain == "mountain" and f"{mode}_mountain" in costs.circuity:
        return costs.circuity[f"{mode}_mountain"]
    return costs.circuity.get(mode, 1.0)


def geometry_type(feature: dict) -> str | None:
    """The ``type`` of a feature's geometry, or None when it has none."""
    geom = feature.get("geometry")
    return geom.get("type") if isinstance(geom, dict) else None


def add_unique(table: dict, item: Any, file: str, index: int, problems: list[Problem]) -> bool:
    """Add a node or link to ``table`` by id; a duplicate id is a problem. Return whether added."""
    if item is None:
        return False
    if item.id in table:
        first = table[item.id]
        problems.append(Problem(file, f"duplicate id; already used in {first.file}", index, item.id, "id"))
        return False
    table[item.id] = item
    return True
