"""Validate GeoJSON features against the network schema and turn them into nodes and links.

Every check reports a :class:`Problem` naming the file, the feature (index and id) and the
property; callers decide whether to stop at errors or list them all.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from geo import geodesy, model

#: Link ends must lie within this distance of their ``from``/``to`` nodes.
ENDPOINT_TOLERANCE_KM = 2.0
#: A length shorter than this share of the great-circle distance between the ends is an error.
MIN_LENGTH_RATIO = 0.97
#: A published length over this multiple of the geometry length earns a warning.
MAX_LENGTH_RATIO = 3.0
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (``error``) or doubtful (``warning``) in an input file."""

    file: str
    message: str
    index: int | None = None
    feature_id: str | None = None
    prop: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = [self.file]
        if self.index is not None:
            where.append(f"feature {self.index}" + (f" (id {self.feature_id!r})" if self.feature_id else ""))
        if self.prop:
            where.append(f"property {self.prop!r}")
        label = "" if self.severity == "error" else f"{self.severity}: "
        return f"{': '.join(where)}: {label}{self.message}"


class _Feature:
    """Typed access to one feature's properties, recording problems as it goes."""

    def __init__(self, props: dict, file: str, index: int, problems: list[Problem]) -> None:
        self.props = props
        self.file = file
        self.index = index
        self.problems = problems
        raw_id = props.get("id")
        self.id = raw_id if isinstance(raw_id, str) else None
        self.ok = True

    def error(self, prop: str | None, msg: str, severity: str = "error") -> None:
        if severity == "error":
            self.ok = False
        self.problems.append(Problem(self.file, msg, self.index, self.id, prop, severity))

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.props.get(key)
        if value is None:
            if required:
                self.error(key, "missing; expected a non-empty string")
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"expected a non-empty string, got {_show(value)}")
            return None
        return value.strip()

    def choice(self, key: str, allowed: tuple, *, required: bool = True) -> Any:
        value = self.props.get(key)
        if value is None:
            if required:
                self.error(key, f"missing; expected one of {', '.join(map(str, allowed))}")
            return None
        if value not in allowed or isinstance(value, bool):
            self.error(key, f"got {_show(value)}; expected one of {', '.join(map(str, allowed))}")
            return None
        return value

    def number(self, key: str, *, positive: bool = True, integer: bool = False) -> float | None:
        value = self.props.get(key)
        if value is None:
            return None
        kind = "an integer" if integer else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(key, f"expected {kind}, got {_show(value)}")
            return None
        if not math.isfinite(value) or (integer and value != int(value)):
            self.error(key, f"expected {kind}, got {_show(value)}")
            return None
        if positive and value <= 0:
            self.error(key, f"must be greater than 0, got {_show(value)}")
            return None
        return int(value) if integer else float(value)

    def months(self, key: str = "open_months") -> frozenset[int] | None:
        value = self.props.get(key)
        if value is None:
            return None
        ok = (
            isinstance(value, list)
            and value
            and all(isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value)
        )
        if not ok:
            self.error(key, f"expected a non-empty list of months 1-12, got {_show(value)}")
            return None
        return frozenset(value)

    def flag(self, key: str) -> bool:
        value = self.props.get(key, False)
        if not isinstance(value, bool):
            self.error(key, f"expected true or false, got {_show(value)}")
            return False
        return value

    def slug(self) -> str | None:
        value = self.text("id")
        if value is not None and not _ID_RE.match(value):
            self.error("id", f"got {_show(value)}; expected a slug of a-z, 0-9, '_' and '-'")
            return None
        return value


def _show(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_position(pos: Any) -> str | None:
    """Return what is wrong with a GeoJSON position, or None if it is a valid lon/lat pair."""
    if not isinstance(pos, list | tuple) or len(pos) not in (2, 3):
        return f"expected a [lon, lat] position, got {_show(pos)}"
    if any(isinstance(c, bool) or not isinstance(c, int | float) for c in pos):
        return f"coordinates must be numbers, got {_show(pos)}"
    if not all(math.isfinite(c) for c in pos):
        return f"coordinates must be finite numbers, got {_show(pos)}"
    lon, lat = pos[0], pos[1]
    if abs(lon) > 360 or abs(lat) > 180:
        return (
            f"coordinates {_show(list(pos))} look projected (metres?); GeoJSON needs WGS84 "
            "longitude/latitude in degrees (RFC 7946)"
        )
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"coordinates {_show(list(pos))} out of range (lon -180..180, lat -90..90)"
    return None


def _geometry(feat: _Feature, feature: dict, expected: str) -> list | None:
    geom = feature.get("geometry")
    if geom is None:
        feat.error("geometry", f"missing; expected a {expected}")
        return None
    if not isinstance(geom, dict) or geom.get("type") != expected:
        got = geom.get("type") if isinstance(geom, dict) else _show(geom)
        feat.error("geometry", f"type {got!r}; expected a {expected}")
        return None
    coords = geom.get("coordinates")
    positions = [coords] if expected == "Point" else coords
    if not isinstance(positions, list) or (expected == "LineString" and len(positions) < 2):
        feat.error(
            "geometry",
            f"a {expected} needs {'a position' if expected == 'Point' else 'at least two positions'}",
        )
        return None
    for pos in positions:
        msg = check_position(pos)
        if msg:
            feat.error("geometry", msg)
            return None
    return [(float(p[0]), float(p[1])) for p in positions]


def node_from_feature(feature: dict, index: int, file: str, problems: list[Problem]) -> model.Node | None:
    """Validate a Point feature as a node; record problems and return None if it is invalid."""
    props = feature.get("properties")
    if not isinstance(props, dict):
        problems.append(Problem(file, "feature has no properties object", index, None, "properties"))
        return None
    feat = _Feature(props, file, index, problems)
    coords = _geometry(feat, feature, "Point")
    node_id = feat.slug()
    name = feat.text("name")
    country = feat.text("country")
    if country is not None and not _ISO3_RE.match(country):
        feat.error("country", f"got {country!r}; expected an ISO 3166-1 alpha-3 code such as 'KAZ'")
    kind = feat.choice("kind", model.NODE_KINDS)
    source = feat.text("source")
    sea = feat.choice("sea", model.SEAS, required=kind == "port")
    status = feat.choice("status", model.NODE_STATUSES, required=False) or "operational"
    border = _border(feat, required=kind == "border_crossing")
    transfer = _transfer(feat)
    aliases = props.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        feat.error("aliases", f"expected a list of strings, got {_show(aliases)}")
        aliases = []
    open_months = feat.months()
    note = feat.text("note", required=False)
    if not feat.ok or coords is None:
        return None
    return model.Node(
        id=node_id,
        name=name,
        lon=coords[0][0],
        lat=coords[0][1],
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
    )


def _border(feat: _Feature, *, required: bool) -> model.Border | None:
    value = feat.props.get("border")
    if value is None:
        if required:
            feat.error("border", "missing; a border_crossing needs {countries, hours}")
        return None
    if not isinstance(value, dict):
        feat.error("border", f"expected an object, got {_show(value)}")
        return None
    countries = value.get("countries")
    if not (
        isinstance(countries, list)
        and len(countries) == 2
        and all(isinstance(c, str) and _ISO3_RE.match(c) for c in countries)
    ):
        feat.error("border.countries", f"expected two ISO3 codes, got {_show(countries)}")
        return None
    tables = {}
    for key in ("hours", "usd_per_t"):
        table = value.get(key, {})
        if not isinstance(table, dict) or any(
            m not in ("road", "rail")
            or isinstance(v, bool)
            or not isinstance(v, int | float)
            or not math.isfinite(v)
            or v < 0
            for m, v in table.items()
        ):
            feat.error(f"border.{key}", f"expected {{mode: number >= 0}} for road/rail, got {_show(table)}")
            return None
        tables[key] = {m: float(v) for m, v in table.items()}
    return model.Border(tuple(countries), tables["hours"], tables["usd_per_t"])


def _transfer(feat: _Feature) -> dict[str, model.Figure]:
    value = feat.props.get("transfer")
    if value is None:
        return {}
    out = {}
    if not isinstance(value, dict):
        feat.error("transfer", f"expected an object, got {_show(value)}")
        return out
    for kind, fig in value.items():
        prop = f"transfer.{kind}"
        if kind not in model.TRANSFER_KINDS:
            feat.error(prop, f"unknown transfer; expected one of {', '.join(model.TRANSFER_KINDS)}")
            continue
        if not (
            isinstance(fig, dict)
            and all(
                isinstance(fig.get(k), int | float)
                and not isinstance(fig.get(k), bool)
                and math.isfinite(fig[k])
                and fig[k] >= 0
                for k in ("hours", "usd_per_t")
            )
        ):
            feat.error(prop, f"expected {{hours, usd_per_t}} numbers >= 0, got {_show(fig)}")
            continue
        source = fig.get("source") or feat.props.get("source") or ""
        out[kind] = model.Figure(float(fig["hours"]), float(fig["usd_per_t"]), str(source))
    return out


def link_from_feature(
    feature: dict,
    index: int,
    file: str,
    nodes: dict[str, model.Node],
    costs: model.CostModel,
    problems: list[Problem],
) -> model.Link | None:
    """Validate a LineString feature as a link between known nodes.

    The length is resolved here: ``length_km`` when given, else the geometry's length times the
    circuity factor of the link's mode and terrain.
    """
    props = feature.get("properties")
    if not isinstance(props, dict):
        problems.append(Problem(file, "feature has no properties object", index, None, "properties"))
        return None
    feat = _Feature(props, file, index, problems)
    coords = _geometry(feat, feature, "LineString")
    link_id = feat.slug()
    mode = feat.choice("mode", model.MODES)
    status = feat.choice("status", model.LINK_STATUSES)
    corridor = feat.text("corridor")
    source = feat.text("source")
    project = feat.text("project", required=False)
    gauge = feat.choice("gauge_mm", model.GAUGES_MM, required=mode == "rail")
    if gauge is not None and mode != "rail":
        feat.error("gauge_mm", f"only rail links have a gauge; this link's mode is {mode!r}")
    terrain = feat.choice("terrain", ("plain", "mountain"), required=False)
    speed = feat.number("speed_kmh")
    if speed is not None and speed > 1000:
        feat.error("speed_kmh", f"{speed:g} km/h is not a freight speed")
    rate = feat.number("usd_per_t_km", positive=False)
    flat = feat.number("usd_per_t", positive=False)
    for key, val in (("usd_per_t_km", rate), ("usd_per_t", flat)):
        if val is not None and val < 0:
            feat.error(key, f"must be 0 or more, got {val:g}")
    year = feat.number("year", integer=True)
    length = feat.number("length_km")
    estimated = feat.flag("length_estimated")
    ends = [_endpoint(feat, key, nodes) for key in ("from", "to")]
    open_months = feat.months()
    oneway = feat.flag("oneway")
    note = feat.text("note", required=False)
    if not feat.ok or coords is None or None in ends:
        return None
    a, b = ends
    if a.id == b.id:
        feat.error("to", f"link starts and ends at the same node {a.id!r} (a self-loop)")
        return None
    for key, node, pos in (("from", a, coords[0]), ("to", b, coords[-1])):
        gap = geodesy.great_circle_km(node.lon, node.lat, pos[0], pos[1])
        if gap > ENDPOINT_TOLERANCE_KM:
            feat.error(
                "geometry",
                f"{'first' if key == 'from' else 'last'} position is {gap:.1f} km from its "
                f"{key!r} node {node.id!r} (at most {ENDPOINT_TOLERANCE_KM:g} km)",
            )
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
    return model.Link(
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
        usd_per_t_km=rate,
        usd_per_t=flat,
        open_months=open_months,
        oneway=oneway,
        year=year,
        terrain=terrain,
        note=note,
        file=file,
    )


def _endpoint(feat: _Feature, key: str, nodes: dict[str, model.Node]) -> model.Node | None:
    node_id = feat.text(key)
    if node_id is None:
        return None
    node = nodes.get(node_id)
    if node is None:
        feat.error(key, f"unknown node id {node_id!r}")
    return node


def _circuity(costs: model.CostModel, mode: str, terrain: str | None) -> float:
    if terrain == "mountain" and f"{mode}_mountain" in costs.circuity:
        return costs.circuity[f"{mode}_mountain"]
    return costs.circuity.get(mode, 1.0)
