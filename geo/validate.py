"""Validate GeoJSON features against the network schema and turn them into nodes and links.

Every check reports a :class:`Problem` naming the file, the feature (index and id) and the
property; callers decide whether to stop at errors or list them all.

Features of user files (``--with``, ``corridors validate``, ``corridors add``) are completed
first by :func:`user_features`: a link without ``from``/``to`` snaps its ends to the nearest
node within :data:`SNAP_TOLERANCE_KM`, a feature without ``id`` gets a stable generated one,
and a ``name`` stands in for a missing ``corridor``.
"""

from __future__ import annotations

import difflib
import heapq
import math
import re
import reprlib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from corridors.geo import geodesy, model

#: Link ends must lie within this distance of their ``from``/``to`` nodes.
ENDPOINT_TOLERANCE_KM = 2.0
#: A user link end without ``from``/``to`` snaps to the nearest node within this distance, and
#: moves onto it; farther than this, the link is refused with the nearest nodes listed.
SNAP_TOLERANCE_KM = 5.0
#: A new user node this close to an existing node earns a warning (the same place twice?).
NEAR_DUPLICATE_KM = 1.0
#: Property values nested deeper than this (a list in an object in a list...) are refused.
MAX_PROPERTY_DEPTH = 8
#: A length shorter than this share of the great-circle distance between the ends is an error.
MIN_LENGTH_RATIO = 0.97
#: A published length over this multiple of the geometry length earns a warning.
MAX_LENGTH_RATIO = 3.0
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_ISO3_TEXT = """
    ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD
    BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR
    COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH
    ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL
    GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR
    JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR
    MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL
    NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY
    PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP
    SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA
    UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
"""
#: Officially assigned ISO 3166-1 alpha-3 codes (249).
ISO3_CODES = frozenset(_ISO3_TEXT.split())
#: Properties of the schema (DESIGN.md section 2), and what drawing tools add (QGIS ``fid``,
#: geojson.io's simplestyle): other properties of user features earn an "ignored" warning.
NODE_PROPERTIES = frozenset(
    {"id", "name", "aliases", "country", "kind", "sea", "border", "status", "open_months", "transfer"}
    | {"part_of", "source", "note"}
)
LINK_PROPERTIES = frozenset(
    {"id", "name", "from", "to", "mode", "status", "corridor", "project", "gauge_mm", "length_km"}
    | {"length_estimated", "speed_kmh", "usd_per_t_km", "usd_per_t", "open_months", "oneway", "year"}
    | {"terrain", "source", "note"}
)
TOOL_PROPERTIES = frozenset(
    {"fid", "title", "description", "stroke", "stroke-width", "stroke-opacity", "fill", "fill-opacity"}
    | {"marker-color", "marker-size", "marker-symbol"}
)
#: Words users write for the schema's values: ``planned`` for ``proposed``, ``railway`` for ``rail``.
_SYNONYMS = {
    "planned": "proposed",
    "projected": "proposed",
    "existing": "operational",
    "open": "operational",
    "closed": "suspended",
    "construction": "under_construction",
    "railway": "rail",
    "railroad": "rail",
    "highway": "road",
    "motorway": "road",
    "shipping": "sea",
    "ferry": "sea",
}
_SHOW = reprlib.Repr()
_SHOW.maxlevel, _SHOW.maxstring, _SHOW.maxother, _SHOW.maxlist, _SHOW.maxdict = 2, 36, 36, 4, 3


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


@dataclass(slots=True)
class UserFile:
    """What one user file adds: its valid nodes and links, by feature index in the file.

    ``filled`` says, by feature index, which properties were completed and how, for example
    ``{"from": "snapped to 'termez', 0.4 km from the first position", "id": "generated"}``.
    """

    file: str
    nodes: list[tuple[int, model.Node]] = field(default_factory=list)
    links: list[tuple[int, model.Link]] = field(default_factory=list)
    filled: dict[int, dict[str, str]] = field(default_factory=dict)


class NodeIndex:
    """Nodes bucketed on a longitude/latitude grid, to find the nodes near a position quickly."""

    CELL_DEG = 0.5

    def __init__(self, nodes: Iterable[model.Node] = ()) -> None:
        self.nodes: list[model.Node] = []
        self._cells: dict[tuple[int, int], list[model.Node]] = defaultdict(list)
        for node in nodes:
            self.add(node)

    def _cell(self, lon: float, lat: float) -> tuple[int, int]:
        columns = round(360 / self.CELL_DEG)
        return math.floor((lon + 180) / self.CELL_DEG) % columns, math.floor(lat / self.CELL_DEG)

    def add(self, node: model.Node) -> None:
        """Add a node to the index."""
        self.nodes.append(node)
        self._cells[self._cell(node.lon, node.lat)].append(node)

    def within(self, lon: float, lat: float, km: float) -> list[tuple[float, model.Node]]:
        """The nodes within ``km`` of a position, as ``(distance_km, node)``, nearest first."""
        deg = km / geodesy.great_circle_km(0, 0, 0, 1)
        columns = round(360 / self.CELL_DEG)
        reach_lat = math.ceil(deg / self.CELL_DEG)
        edge = abs(lat) + deg
        reach_lon = math.ceil(deg / math.cos(math.radians(edge)) / self.CELL_DEG) if edge < 89 else columns
        if 2 * reach_lon + 1 >= columns or (2 * reach_lon + 1) * (2 * reach_lat + 1) >= len(self._cells):
            candidates: Iterable[model.Node] = self.nodes
        else:
            cx, cy = self._cell(lon, lat)
            candidates = [
                node
                for dx in range(-reach_lon, reach_lon + 1)
                for dy in range(-reach_lat, reach_lat + 1)
                for node in self._cells.get(((cx + dx) % columns, cy + dy), ())
            ]
        found = [(geodesy.great_circle_km(lon, lat, n.lon, n.lat), n) for n in candidates]
        return sorted((f for f in found if f[0] <= km), key=lambda f: (f[0], f[1].id))

    def nearest(self, lon: float, lat: float, k: int = 3) -> list[tuple[float, model.Node]]:
        """The ``k`` nodes nearest a position, as ``(distance_km, node)``, nearest first."""
        found = ((geodesy.great_circle_km(lon, lat, n.lon, n.lat), n) for n in self.nodes)
        return heapq.nsmallest(k, found, key=lambda f: (f[0], f[1].id))


class UserContext:
    """What completing the features of user files needs: nodes to snap to and ids in use.

    ``filled`` records, by ``(file, index)``, what was completed on each valid feature.
    """

    def __init__(self, nodes: Mapping[str, model.Node], link_ids: Iterable[str]) -> None:
        self.index = NodeIndex(nodes.values())
        self.node_ids = set(nodes)
        self.link_ids = set(link_ids)
        self.filled: dict[tuple[str, int], dict[str, str]] = {}

    def new_link_id(self, name: str, mode: str, from_id: str, to_id: str) -> str:
        """A link id from its corridor or name and its ends, made unique with a suffix."""
        return _unique(f"{slugify(name) or mode}_{from_id}_{to_id}", self.link_ids)

    def new_node_id(self, name: str, lon: float, lat: float) -> str:
        """A node id from its name (or its position), made unique with a suffix."""
        where = f"place_{abs(lat):.3f}{'n' if lat >= 0 else 's'}_{abs(lon):.3f}{'e' if lon >= 0 else 'w'}"
        return _unique(slugify(name) or where.replace(".", "_"), self.node_ids)


def slugify(text: str, *, limit: int = 48) -> str:
    """A slug of a-z, 0-9 and ``_``: ``"Trans-Afghan Railway"`` gives ``"trans_afghan_railway"``.

    Letters lose their accents; text with no Latin letters or digits gives ``""``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c if c.isascii() else "" if unicodedata.combining(c) else " " for c in decomposed)
    slug = re.sub(r"[^a-z0-9]+", "_", kept.lower()).strip("_")
    return slug[:limit].rstrip("_")


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


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
        self.filled: dict[str, str] = {}

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
            self.error(key, f"expected a non-empty string, got {brief(value)}")
            return None
        return value.strip()

    def choice(self, key: str, allowed: tuple, *, required: bool = True) -> Any:
        value = self.props.get(key)
        if value is None:
            if required:
                self.error(key, f"missing; expected one of {', '.join(map(str, allowed))}")
            return None
        if value not in allowed or isinstance(value, bool):
            self.error(
                key,
                f"got {brief(value)}; expected one of {', '.join(map(str, allowed))}{_hint(value, allowed)}",
            )
            return None
        return value

    def number(self, key: str, *, positive: bool = True, integer: bool = False) -> float | None:
        value = self.props.get(key)
        if value is None:
            return None
        kind = "an integer" if integer else "a number"
        if not _is_number(value) or not _finite(value) or (integer and value != int(value)):
            self.error(key, f"expected {kind}, got {brief(value)}")
            return None
        if positive and value <= 0:
            self.error(key, f"must be greater than 0, got {brief(value)}")
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
            self.error(key, f"expected a non-empty list of months 1-12, got {brief(value)}")
            return None
        return frozenset(value)

    def flag(self, key: str) -> bool:
        value = self.props.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(key, f"expected true or false, got {brief(value)}")
            return False
        return value

    def slug(self, *, required: bool = True) -> str | None:
        value = self.text("id", required=required)
        if value is not None and not _ID_RE.match(value):
            self.error("id", f"got {brief(value)}; expected a slug of a-z, 0-9, '_' and '-'")
            return None
        return value

    def country(self, key: str = "country") -> str | None:
        value = self.text(key)
        if value is not None and value not in ISO3_CODES:
            hint = f" (did you mean {value.upper()!r}?)" if value.upper() in ISO3_CODES else ""
            self.error(
                key, f"got {value!r}; expected an ISO 3166-1 alpha-3 code such as 'KAZ' or 'PAK'{hint}"
            )
            return None
        return value

    def check_depth(self) -> None:
        for key, value in self.props.items():
            if _depth(value, MAX_PROPERTY_DEPTH + 1) > MAX_PROPERTY_DEPTH:
                self.error(key, f"value nested more than {MAX_PROPERTY_DEPTH} levels deep")

    def check_known(self, known: frozenset[str]) -> None:
        for key in self.props:
            if key in known or key in TOOL_PROPERTIES:
                continue
            close = difflib.get_close_matches(key, known, 1, 0.7)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.error(key, f"unknown property, ignored{hint}", severity="warning")


def brief(value: Any, limit: int = 40) -> str:
    """A short, bounded ``repr`` of any JSON value, for messages (deep or huge values are cut)."""
    text = _SHOW.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _depth(value: Any, limit: int) -> int:
    """How deeply lists and objects nest in a JSON value (0 for a scalar), counted up to ``limit``."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth + 1)
        if deepest >= limit:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _hint(value: Any, allowed: Iterable) -> str:
    """`` (did you mean 'rail'?)`` for a string close to one of the allowed values, else ``""``."""
    if not isinstance(value, str):
        return ""
    by_text = {str(a).lower(): a for a in allowed}
    key = value.strip().lower().replace(" ", "_")
    key = _SYNONYMS.get(key, key)
    close = [key] if key in by_text else difflib.get_close_matches(key, list(by_text), 1, 0.6)
    if not close:
        return ""
    match = by_text[close[0]]
    return f" (did you mean {match!r}?)" if isinstance(match, str) else f" (did you mean {match}, a number?)"


def check_position(pos: Any) -> str | None:
    """Return what is wrong with a GeoJSON position, or None if it is a valid lon/lat pair."""
    if not isinstance(pos, list | tuple) or len(pos) not in (2, 3):
        return f"expected a [lon, lat] position, got {brief(pos)}"
    if not all(_is_number(c) for c in pos):
        return f"coordinates must be numbers, got {brief(pos)}"
    if not all(_finite(c) for c in pos):
        return f"coordinates must be finite numbers, got {brief(pos)}"
    lon, lat = pos[0], pos[1]
    if abs(lon) > 360 or abs(lat) > 180:
        return (
            f"coordinates {brief(list(pos))} look projected (metres?); GeoJSON needs WGS84 "
            "longitude/latitude in degrees (RFC 7946): reproject the file to EPSG:4326"
        )
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        swapped = (
            " (latitude and longitude swapped? GeoJSON positions are [lon, lat])" if abs(lon) <= 90 else ""
        )
        return f"coordinates {brief(list(pos))} out of range (lon -180..180, lat -90..90){swapped}"
    return None


def _geometry(feat: _Feature, feature: dict, expected: str, *, multi: bool = False) -> list | None:
    geom = feature.get("geometry")
    if geom is None:
        feat.error("geometry", f"missing; expected a {expected}")
        return None
    if not isinstance(geom, dict):
        feat.error("geometry", f"expected a {expected} geometry object, got {brief(geom)}")
        return None
    gtype, coords = geom.get("type"), geom.get("coordinates")
    if multi and gtype == "MultiLineString" and isinstance(coords, list):
        if len(coords) != 1:
            feat.error(
                "geometry",
                f"a MultiLineString of {len(coords)} parts; expected one LineString per link "
                "(in QGIS: Vector > Geometry Tools > Multipart to Singleparts)",
            )
            return None
        gtype, coords = "LineString", coords[0]
    if gtype != expected:
        got = "no 'type'" if gtype is None else f"type {brief(gtype)}"
        feat.error("geometry", f"{got}; expected a {expected}")
        return None
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
    feat = _Feature(props, file, index, problems)
    feat.check_depth()
    if user is not None:
        feat.check_known(NODE_PROPERTIES)
    coords = _geometry(feat, feature, "Point")
    node_id = feat.slug(required=user is None)
    name = feat.text("name")
    country = feat.country()
    kind = feat.choice("kind", model.NODE_KINDS)
    source = feat.text("source")
    sea = feat.choice("sea", model.SEAS, required=kind == "port")
    status = feat.choice("status", model.NODE_STATUSES, required=False) or "operational"
    border = _border(feat, required=kind == "border_crossing")
    transfer = _transfer(feat)
    aliases = props.get("aliases", [])
    if aliases is None:
        aliases = []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        feat.error("aliases", f"expected a list of strings, got {brief(aliases)}")
        aliases = []
    open_months = feat.months()
    note = feat.text("note", required=False)
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
    )


def _border(feat: _Feature, *, required: bool) -> model.Border | None:
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
        m not in ("road", "rail") or not _border_hours_ok(v, countries) for m, v in hours.items()
    ):
        feat.error(
            "border.hours",
            "expected {mode: hours} for road/rail, hours a number >= 0, {low, central, high} or by "
            f'direction {{"in": .., "out": ..}} / {{"{countries[0]}>{countries[1]}": ..}}, '
            f"got {brief(hours)}",
        )
        return None
    usd = value.get("usd_per_t", {})
    if not isinstance(usd, dict) or any(m not in ("road", "rail") or not _amount(v) for m, v in usd.items()):
        feat.error("border.usd_per_t", f"expected {{mode: number >= 0}} for road/rail, got {brief(usd)}")
        return None
    return model.Border(
        tuple(countries),
        {m: (float(v) if _amount(v) else v) for m, v in hours.items()},
        {m: float(v) for m, v in usd.items()},
    )


def _amount(value: Any) -> bool:
    return _is_number(value) and _finite(value) and value >= 0


def span_ok(value: Any) -> bool:
    """Whether ``value`` is a number >= 0 or an ordered ``{low, central, high}`` table."""
    if _amount(value):
        return True
    if not isinstance(value, dict) or "central" not in value or set(value) - set(model.SPAN_ENDS):
        return False
    ends = [value.get(e, value["central"]) for e in model.SPAN_ENDS]
    return all(_amount(v) for v in ends) and ends[0] <= ends[1] <= ends[2]


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


def _transfer(feat: _Feature) -> dict[str, model.Figure]:
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
                _is_number(fig.get(k)) and _finite(fig[k]) and fig[k] >= 0 for k in ("hours", "usd_per_t")
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
    feat = _Feature(props, file, index, problems)
    feat.check_depth()
    if user is not None:
        feat.check_known(LINK_PROPERTIES)
    coords = _geometry(feat, feature, "LineString", multi=user is not None)
    link_id = feat.slug(required=user is None)
    mode = feat.choice("mode", model.MODES)
    status = feat.choice("status", model.LINK_STATUSES)
    corridor = _corridor(feat, user)
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
    if user is not None and feat.filled:
        user.filled[(file, index)] = feat.filled
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


def _corridor(feat: _Feature, user: UserContext | None) -> str | None:
    if user is None or feat.props.get("corridor") is not None:
        return feat.text("corridor")
    if feat.props.get("name") is None:
        feat.error("corridor", "missing; expected the corridor or project the link belongs to, or a 'name'")
        return None
    name = feat.text("name")
    if name is not None:
        feat.filled["corridor"] = "taken from 'name'"
    return name


def _ends_fit(feat: _Feature, coords: list, a: model.Node, b: model.Node) -> bool:
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
    feat: _Feature, key: str, nodes: dict[str, model.Node], coords: list | None, user: UserContext | None
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


def _snap(feat: _Feature, key: str, coords: list, user: UserContext) -> model.Node | None:
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


def _user_kind(feature: dict, file: str, index: int, problems: list[Problem]) -> str | None:
    """Whether a user feature is a node or a link: by its geometry, else by its properties."""
    gtype = geometry_type(feature)
    if gtype == "Point":
        return "node"
    if gtype in ("LineString", "MultiLineString"):
        return "link"
    props = feature.get("properties")
    if isinstance(props, dict):
        if any(props.get(k) is not None for k in ("mode", "from", "to", "corridor")):
            return "link"
        if any(props.get(k) is not None for k in ("kind", "country")):
            return "node"
    msg = (
        "missing; expected a LineString (a link) or a Point (a new node)"
        if feature.get("geometry") is None
        else f"type {brief(gtype)}; expected a LineString (a link) or a Point (a new node)"
    )
    raw_id = props.get("id") if isinstance(props, dict) else None
    problems.append(Problem(file, msg, index, raw_id if isinstance(raw_id, str) else None, "geometry"))
    return None


def user_features(
    parsed: Iterable[tuple[str, list[dict]]],
    nodes: Mapping[str, model.Node],
    links: Mapping[str, model.Link],
    costs: model.CostModel,
    problems: list[Problem],
) -> list[UserFile]:
    """Validate the features of user files against a network, completing what they leave out.

    Points are new nodes and LineStrings links; the nodes of every file are read before the
    links, so a link may end at a node of any file. Ids must be new to the network and to the
    files. Returns one :class:`UserFile` per file; ``problems`` receives every problem found.
    """
    parsed = list(parsed)
    user = UserContext(nodes, links)
    kinds = [[_user_kind(f, file, i, problems) for i, f in enumerate(features)] for file, features in parsed]
    for (_, features), file_kinds in zip(parsed, kinds, strict=True):
        for feature, kind in zip(features, file_kinds, strict=True):
            props = feature.get("properties")
            raw_id = props.get("id") if isinstance(props, dict) else None
            if isinstance(raw_id, str) and kind is not None:
                (user.node_ids if kind == "node" else user.link_ids).add(raw_id.strip())
    all_nodes, all_links = dict(nodes), dict(links)
    out = [UserFile(file) for file, _ in parsed]
    for uf, (file, features), file_kinds in zip(out, parsed, kinds, strict=True):
        if not features:
            problems.append(Problem(file, "the FeatureCollection has no features; expected links and nodes"))
        for index, (feature, kind) in enumerate(zip(features, file_kinds, strict=True)):
            if kind != "node":
                continue
            node = node_from_feature(feature, index, file, problems, user=user)
            if (
                node is not None
                and _new_place(node, user.index, index, _given_id(user, index, node), problems)
                and add_unique(all_nodes, node, file, index, problems)
            ):
                user.index.add(node)
                uf.nodes.append((index, node))
    by_ends: dict[tuple, list[model.Link]] = defaultdict(list)
    for existing in links.values():
        by_ends[_ends_key(existing)].append(existing)
    for uf, (file, features), file_kinds in zip(out, parsed, kinds, strict=True):
        for index, (feature, kind) in enumerate(zip(features, file_kinds, strict=True)):
            if kind != "link":
                continue
            link = link_from_feature(feature, index, file, all_nodes, costs, problems, user=user)
            if (
                link is not None
                and _new_link(link, by_ends, index, _given_id(user, index, link), problems)
                and add_unique(all_links, link, file, index, problems)
            ):
                by_ends[_ends_key(link)].append(link)
                uf.links.append((index, link))
        uf.filled = {i: v for (f, i), v in user.filled.items() if f == file}
    return out


def _given_id(user: UserContext, index: int, item: model.Node | model.Link) -> str | None:
    """The id of a feature as its file gives it: None where it was generated."""
    return None if "id" in user.filled.get((item.file, index), {}) else item.id


def _new_place(
    node: model.Node, index: NodeIndex, at: int, given_id: str | None, problems: list[Problem]
) -> bool:
    """Refuse a node that repeats a node of the same name; warn of one close to another node."""
    near = index.within(node.lon, node.lat, NEAR_DUPLICATE_KM)
    if not near:
        return True
    km, other = near[0]
    same = node.name.casefold() == other.name.casefold()
    msg = (
        f"{other.name!r} is already node {other.id!r} of {other.file}, {km:.1f} km away (added before?)"
        if same
        else f"new node is {km:.1f} km from node {other.id!r} ({other.name}): the same place? "
        "A link end near a node snaps to it without a new Point"
    )
    problems.append(Problem(node.file, msg, at, given_id, "geometry", "error" if same else "warning"))
    return not same


def _ends_key(link: model.Link) -> tuple:
    return (*sorted((link.from_id, link.to_id)), link.mode)


def _new_link(
    link: model.Link,
    by_ends: Mapping[tuple, list[model.Link]],
    at: int,
    given_id: str | None,
    problems: list[Problem],
) -> bool:
    """Refuse a link whose mode, ends and geometry repeat a link already there."""
    shape = [tuple(round(c, 6) for c in p) for p in link.coords]
    for other in by_ends.get(_ends_key(link), ()):
        theirs = [tuple(round(c, 6) for c in p) for p in other.coords]
        if shape in (theirs, theirs[::-1]):
            msg = f"the same {link.mode} link as {other.id!r} of {other.file} (added before?)"
            problems.append(Problem(link.file, msg, at, given_id, "geometry"))
            return False
    return True
