"""Validate one Point feature as a node or one LineString feature as a link.

The length of a link is resolved here; checks that need more than one feature (and checks
added by other modules, see :mod:`geo.checks`) run through :func:`geo.checks.link_problems`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from corridors.geo import checks, geodesy, model, modes
from corridors.geo.fields import Fields, geometry
from corridors.geo.nodeindex import UserContext
from corridors.geo.schema import (
    ENDPOINT_TOLERANCE_KM,
    ISO3_CODES,
    LINK_PROPERTIES,
    MAX_FIGURE,
    MAX_LENGTH_KM,
    MAX_LENGTH_RATIO,
    MAX_USD_PER_T_KM,
    MIN_LENGTH_RATIO,
    MIN_SPEED_KMH,
    NODE_PROPERTIES,
    SNAP_TOLERANCE_KM,
    Problem,
    brief,
    finite,
    is_number,
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
    sea = _sea(feat, required=kind == "port", user=user)
    status = feat.choice("status", model.NODE_STATUSES, required=False) or "operational"
    border = _border(feat, required=kind == "border_crossing")
    transfer = _transfer(feat)
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


def _sea(feat: Fields, *, required: bool, user: UserContext | None) -> str | None:
    """The sea or lake a port is on: any name. In a user file, a sea no port of the network is
    on earns a warning, with the known sea it is likely a misspelling of."""
    value = feat.props.get("sea")
    if value is None and required:
        feat.error("sea", "missing; expected the sea or lake the port is on, such as 'Arabian Sea'")
        return None
    sea = feat.text("sea", required=False)
    if sea is None or user is None or not user.seas or sea in user.seas:
        return sea
    by_key = {s.casefold(): s for s in user.seas}
    close = difflib.get_close_matches(sea.casefold(), list(by_key), 1, 0.75)
    hint = f"did you mean {by_key[close[0]]!r}? " if close else ""
    known = ", ".join(sorted(user.seas))
    msg = f"{sea!r} is a new sea: no port of the network is on it ({hint}known: {known})"
    feat.error("sea", msg, "warning")
    return sea


def _gauge(feat: Fields, mode: str | None) -> int | None:
    """The track gauge in mm: required on a gauged mode (rail), refused on the others."""
    value = feat.props.get("gauge_mm")
    gauged = mode is not None and modes.get(mode).gauged
    if value is None:
        if gauged:
            feat.error("gauge_mm", "missing; expected the track gauge in mm, such as 1435")
        return None
    if mode is not None and not gauged:
        feat.error("gauge_mm", f"only rail links have a gauge; this link's mode is {mode!r}")
        return None
    problem = modes.gauge_problem(value)
    if problem is not None:
        numeric = isinstance(value, str) and value.strip().isdigit()
        feat.error("gauge_mm", problem + (f" (did you mean {value.strip()}, a number?)" if numeric else ""))
        return None
    return int(value)


def _border(feat: Fields, *, required: bool) -> model.Border | None:
    value = feat.props.get("border")
    if value is None:
        if required:
            feat.error("border", "missing; a border_crossing needs {countries, hours}")
        return None
    if not isinstance(value, dict):
        feat.error("border", f"expected an object, got {brief(value)}")
        return None
    countries = value.get("countries")
    if not (
        isinstance(countries, list)
        and len(countries) == 2
        and all(isinstance(c, str) and c in ISO3_CODES for c in countries)
    ):
        feat.error("border.countries", f"expected two ISO 3166-1 alpha-3 codes, got {brief(countries)}")
        return None
    hours = value.get("hours", {})
    if not isinstance(hours, dict) or any(
        not _border_key_ok(m) or not _border_hours_ok(v, countries) for m, v in hours.items()
    ):
        feat.error(
            "border.hours",
            f"expected {{mode: hours}} for {'/'.join(modes.BORDER_MODES)} (or mode.service, "
            '"rail.block"), hours a number >= 0, '
            "{low, central, high} or by "
            f'direction {{"in": .., "out": ..}} / {{"{countries[0]}>{countries[1]}": ..}}, '
            f"got {brief(hours)}",
        )
        return None
    usd = value.get("usd_per_t", {})
    if not isinstance(usd, dict) or any(
        m not in modes.BORDER_MODES or not _amount(v) for m, v in usd.items()
    ):
        feat.error(
            "border.usd_per_t",
            f"expected {{mode: number >= 0}} for {'/'.join(modes.BORDER_MODES)}, got {brief(usd)}",
        )
        return None
    return model.Border(
        tuple(countries),
        {m: (float(v) if _amount(v) else v) for m, v in hours.items()},
        {m: float(v) for m, v in usd.items()},
    )


def _amount(value: Any) -> bool:
    return is_number(value) and finite(value) and 0 <= value <= MAX_FIGURE


def span_ok(value: Any) -> bool:
    """Whether ``value`` is a number >= 0 or an ordered ``{low, central, high}`` table."""
    if _amount(value):
        return True
    if not isinstance(value, dict) or "central" not in value or set(value) - set(model.SPAN_ENDS):
        return False
    ends = [value.get(e, value["central"]) for e in model.SPAN_ENDS]
    return all(_amount(v) for v in ends) and ends[0] <= ends[1] <= ends[2]


def _border_key_ok(key: Any) -> bool:
    """A key of ``border.hours``: a mode that crosses borders, or ``mode.service`` (``rail.block``)."""
    if not isinstance(key, str):
        return False
    mode, _, service = key.partition(".")
    return mode in modes.BORDER_MODES and (service.strip() != "" or "." not in key)


def _border_hours_ok(value: Any, countries: list[str]) -> bool:
    """A mode's border hours: a span, or spans by direction (``in``/``out`` or ``A>B``)."""
    if span_ok(value):
        return True
    pairs = {f"{countries[0]}>{countries[1]}", f"{countries[1]}>{countries[0]}"}
    return (
        isinstance(value, dict)
        and bool(value)
        and all(k in ("in", "out") or k in pairs for k in value)
        and all(span_ok(v) for v in value.values())
    )


def _transfer(feat: Fields) -> dict[str, model.Figure]:
    value = feat.props.get("transfer")
    if value is None:
        return {}
    out = {}
    if not isinstance(value, dict):
        feat.error("transfer", f"expected an object, got {brief(value)}")
        return out
    for kind, fig in value.items():
        prop = f"transfer.{kind}"
        if kind not in model.TRANSFER_KINDS:
            feat.error(prop, f"unknown transfer; expected one of {', '.join(model.TRANSFER_KINDS)}")
            continue
        if not (
            isinstance(fig, dict)
            and all(
                is_number(fig.get(k)) and finite(fig[k]) and 0 <= fig[k] <= MAX_FIGURE
                for k in ("hours", "usd_per_t")
            )
        ):
            feat.error(prop, f"expected {{hours, usd_per_t}} numbers >= 0, got {brief(fig)}")
            continue
        source = next(
            (s for s in (fig.get("source"), feat.props.get("source")) if isinstance(s, str) and s), ""
        )
        ends = [fig.get(k) for k in ("hours_low", "hours_high")]
        if not all(e is None or _amount(e) for e in ends) or not (
            (ends[0] is None or ends[0] <= fig["hours"]) and (ends[1] is None or fig["hours"] <= ends[1])
        ):
            feat.error(prop, f"expected hours_low <= hours <= hours_high, numbers >= 0, got {brief(fig)}")
            continue
        out[kind] = model.Figure(
            float(fig["hours"]),
            float(fig["usd_per_t"]),
            source,
            hours_low=None if ends[0] is None else float(ends[0]),
            hours_high=None if ends[1] is None else float(ends[1]),
        )
    return out


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
    corridor = _corridor(feat, user)
    source = feat.text("source")
    project = feat.text("project", required=False)
    gauge = _gauge(feat, mode)
    terrain = feat.choice("terrain", ("plain", "mountain"), required=False)
    speed = feat.number("speed_kmh")
    if speed is not None and speed < MIN_SPEED_KMH:
        feat.error("speed_kmh", f"{speed:g} km/h is not a freight speed (at least {MIN_SPEED_KMH:g})")
    if speed is not None and speed > 1000:
        feat.error("speed_kmh", f"{speed:g} km/h is not a freight speed")
    wait = _wait(feat, mode)
    rate = feat.number("usd_per_t_km", positive=False, limit=MAX_USD_PER_T_KM)
    flat = feat.number("usd_per_t", positive=False, limit=MAX_FIGURE)
    for key, val in (("usd_per_t_km", rate), ("usd_per_t", flat)):
        if val is not None and val < 0:
            feat.error(key, f"must be 0 or more, got {val:g}")
    year = feat.number("year", integer=True)
    length = feat.number("length_km", limit=MAX_LENGTH_KM)
    estimated = feat.flag("length_estimated")
    ends = [_endpoint(feat, key, nodes, coords, user) for key in ("from", "to")]
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
    if not _ends_fit(feat, coords, a, b):
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


def _wait(feat: Fields, mode: str | None) -> model.Span | None:
    """A sea link's wait for a sailing: a number of hours or ``{low, central, high}``."""
    value = feat.props.get("wait_h")
    if value is None:
        return None
    if mode != "sea":
        feat.error("wait_h", "only a sea link waits for a sailing")
        return None
    if not span_ok(value):
        feat.error("wait_h", f"expected hours >= 0 or {{low, central, high}} in order, got {brief(value)}")
        return None
    if not isinstance(value, dict):
        return model.Span.point(float(value))
    central = float(value["central"])
    return model.Span(float(value.get("low", central)), central, float(value.get("high", central)))


def _corridor(feat: Fields, user: UserContext | None) -> str | None:
    if user is None or feat.props.get("corridor") is not None:
        return feat.text("corridor")
    if feat.props.get("name") is None:
        feat.error("corridor", "missing; expected the corridor or project the link belongs to, or a 'name'")
        return None
    name = feat.text("name")
    if name is not None:
        feat.filled["corridor"] = "taken from 'name'"
    return name


def _ends_fit(feat: Fields, coords: list, a: model.Node, b: model.Node) -> bool:
    """Move snapped ends onto their nodes; check that given ends lie near theirs."""
    for key, node, at in (("from", a, 0), ("to", b, -1)):
        if key in feat.filled:
            coords[at] = (node.lon, node.lat)
            continue
        pos = coords[at]
        gap = geodesy.great_circle_km(node.lon, node.lat, pos[0], pos[1])
        if gap > ENDPOINT_TOLERANCE_KM:
            other = b if key == "from" else a
            flipped = geodesy.great_circle_km(other.lon, other.lat, pos[0], pos[1]) <= ENDPOINT_TOLERANCE_KM
            hint = (
                "; the line seems drawn from 'to' to 'from': swap them or reverse the line" if flipped else ""
            )
            feat.error(
                "geometry",
                f"{'first' if key == 'from' else 'last'} position is {gap:.1f} km from its "
                f"{key!r} node {node.id!r} (at most {ENDPOINT_TOLERANCE_KM:g} km){hint}",
            )
            return False
    return True


def _endpoint(
    feat: Fields, key: str, nodes: dict[str, model.Node], coords: list | None, user: UserContext | None
) -> model.Node | None:
    if user is not None and feat.props.get(key) is None:
        return _snap(feat, key, coords, user) if coords is not None else None
    node_id = feat.text(key)
    if node_id is None:
        return None
    node = nodes.get(node_id)
    if node is None:
        feat.error(key, f"unknown node id {node_id!r}{_node_hint(node_id, nodes)}")
    return node


def _node_hint(text: str, nodes: Mapping[str, model.Node]) -> str:
    key = text.strip().casefold()
    for node in nodes.values():
        if key in (name.casefold() for name in (node.name, *node.aliases)):
            return f" (did you mean {node.id!r}, the id of {node.name}?)"
    close = difflib.get_close_matches(key, list(nodes), 1, 0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _snap(feat: Fields, key: str, coords: list, user: UserContext) -> model.Node | None:
    end = "first" if key == "from" else "last"
    lon, lat = coords[0] if key == "from" else coords[-1]
    near = user.index.within(lon, lat, SNAP_TOLERANCE_KM)
    if near:
        km, node = near[0]
        feat.filled[key] = f"snapped to {node.id!r}, {km:.1f} km from the {end} position"
        if len(near) > 1:
            km2, node2 = near[1]
            feat.error(
                key,
                f"the {end} position snapped to {node.id!r} ({km:.1f} km), but {node2.id!r} is also "
                f"within {SNAP_TOLERANCE_KM:g} km ({km2:.1f} km): give {key!r} to choose",
                severity="warning",
            )
        return node
    nearest = ", ".join(f"{n.id!r} {km:,.1f} km" for km, n in user.index.nearest(lon, lat, 3))
    swapped = user.index.within(lat, lon, SNAP_TOLERANCE_KM) if abs(lat) <= 180 and abs(lon) <= 90 else []
    hint = (
        f"; swapping longitude and latitude would put it {swapped[0][0]:.1f} km from {swapped[0][1].id!r}"
        " (GeoJSON positions are [lon, lat])"
        if swapped
        else ""
    )
    feat.error(
        key,
        f"missing, and the {end} position [{lon:g}, {lat:g}] is not within {SNAP_TOLERANCE_KM:g} km of "
        f"a node (nearest: {nearest or 'none'}): give {key!r}, move the end onto a node, or add the "
        f"place as a Point feature{hint}",
    )
    return None


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
