"""The network schema's vocabulary and limits, and the :class:`Problem` every check reports.

Kept free of any validation logic so that readers, writers and checks share one list of
properties, codes and tolerances.
"""

from __future__ import annotations

import difflib
import math
import re
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Link ends must lie within this distance of their ``from``/``to`` nodes.
ENDPOINT_TOLERANCE_KM = 2.0
#: A user link end without ``from``/``to`` snaps to the nearest node within this distance, and
#: moves onto it; farther than this, the link is refused with the nearest nodes listed.
SNAP_TOLERANCE_KM = 5.0
#: A new user node this close to an existing node earns a warning (the same place twice?).
NEAR_DUPLICATE_KM = 1.0
#: Any member of a feature (a property, the geometry, a foreign member) or of a collection nested
#: deeper than this (a list in an object in a list...) is refused: one limit for every GeoJSON
#: file read or written, far below Python's recursion limit (a MultiLineString needs 4 levels).
MAX_FEATURE_DEPTH = 8
#: The same limit, by its older name.
MAX_PROPERTY_DEPTH = MAX_FEATURE_DEPTH
#: Bounds that keep every route total finite: a link longer than the equator, a speed under
#: walking pace, or hours and dollars beyond these are data errors, not figures.
MAX_LENGTH_KM = 40_075.0
MIN_SPEED_KMH = 1.0
MAX_USD_PER_T_KM = 1_000.0
MAX_FIGURE = 1_000_000.0
#: A length shorter than this share of the great-circle distance between the ends is an error.
MIN_LENGTH_RATIO = 0.97
#: A published length over this multiple of the geometry length earns a warning.
MAX_LENGTH_RATIO = 3.0
#: What a node or link id looks like: a slug.
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
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
    | {"wait_h"}
    | {"terrain", "source", "note"}
)
TOOL_PROPERTIES = frozenset(
    {"fid", "title", "description", "stroke", "stroke-width", "stroke-opacity", "fill", "fill-opacity"}
    | {"marker-color", "marker-size", "marker-symbol"}
)
#: Words users write for the schema's values: ``planned`` for ``proposed``, ``railway`` for ``rail``.
SYNONYMS = {
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


def brief(value: Any, limit: int = 40) -> str:
    """A short, bounded ``repr`` of any JSON value, for messages (deep or huge values are cut)."""
    text = _SHOW.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def depth(value: Any, limit: int) -> int:
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


def hint(value: Any, allowed: Iterable) -> str:
    """`` (did you mean 'rail'?)`` for a string close to one of the allowed values, else ``""``."""
    if not isinstance(value, str):
        return ""
    by_text = {str(a).lower(): a for a in allowed}
    key = value.strip().lower().replace(" ", "_")
    key = SYNONYMS.get(key, key)
    close = [key] if key in by_text else difflib.get_close_matches(key, list(by_text), 1, 0.6)
    if not close:
        return ""
    match = by_text[close[0]]
    return f" (did you mean {match!r}?)" if isinstance(match, str) else f" (did you mean {match}, a number?)"


def check_position(pos: Any) -> str | None:
    """Return what is wrong with a GeoJSON position, or None if it is a valid lon/lat pair."""
    if not isinstance(pos, list | tuple) or len(pos) not in (2, 3):
        return f"expected a [lon, lat] position, got {brief(pos)}"
    if not all(is_number(c) for c in pos):
        return f"coordinates must be numbers, got {brief(pos)}"
    if not all(finite(c) for c in pos):
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


#: Characters that must not reach a terminal or a page from data: controls (escape sequences,
#: NUL) and the invisible formatting characters that reorder text (bidi overrides and isolates).
_UNSAFE_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def unsafe_text(text: str) -> str | None:
    """What makes ``text`` unfit for a name or message (a lone surrogate, a control or bidi
    character), or None when it is fine."""
    if _SURROGATE.search(text):
        return "holds a lone surrogate (\\ud800-\\udfff), which is not a character"
    found = _UNSAFE_TEXT.search(text)
    if found:
        return f"holds the control or formatting character U+{ord(found.group()):04X}"
    return None


def check_tree(value: Any) -> str | None:
    """What makes a parsed JSON value unfit to keep and write out again, or None.

    Refused: nesting deeper than :data:`MAX_FEATURE_DEPTH` (``value`` itself is the first level),
    a non-finite number (``1e309`` parses as infinity) and a lone surrogate in any string or key
    (it cannot be encoded).
    """
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return f"{brief(item)} holds a lone surrogate, which is not a character"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return f"{item} is not a finite number (a number over about 1.8e308?)"
        elif isinstance(item, dict | list):
            if level >= MAX_FEATURE_DEPTH:
                return f"nested more than {MAX_FEATURE_DEPTH} levels deep"
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return None
