"""Typed access to the properties and geometry of one GeoJSON feature, recording problems."""

from __future__ import annotations

import difflib
from typing import Any

from corridors.geo.schema import (
    ID_RE,
    ISO3_CODES,
    MAX_PROPERTY_DEPTH,
    TOOL_PROPERTIES,
    Problem,
    brief,
    check_position,
    depth,
    finite,
    hint,
    is_number,
    unsafe_text,
)


class Fields:
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
        unsafe = unsafe_text(value)
        if unsafe:
            self.error(key, f"{brief(value)} {unsafe}")
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
                f"got {brief(value)}; expected one of {', '.join(map(str, allowed))}{hint(value, allowed)}",
            )
            return None
        return value

    def number(
        self, key: str, *, positive: bool = True, integer: bool = False, limit: float | None = None
    ) -> float | None:
        """A number property; with ``limit``, values above it are refused (a figure must stay
        finite through every sum and division a route makes)."""
        value = self.props.get(key)
        if value is None:
            return None
        kind = "an integer" if integer else "a number"
        if not is_number(value) or not finite(value) or (integer and value != int(value)):
            self.error(key, f"expected {kind}, got {brief(value)}")
            return None
        if positive and value <= 0:
            self.error(key, f"must be greater than 0, got {brief(value)}")
            return None
        if limit is not None and value > limit:
            self.error(key, f"{value:g} is implausibly large (the limit is {limit:g})")
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
        if value is not None and not ID_RE.match(value):
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
            if depth(value, MAX_PROPERTY_DEPTH + 1) > MAX_PROPERTY_DEPTH:
                self.error(key, f"value nested more than {MAX_PROPERTY_DEPTH} levels deep")

    def check_known(self, known: frozenset[str]) -> None:
        for key in self.props:
            if key in known or key in TOOL_PROPERTIES:
                continue
            close = difflib.get_close_matches(key, known, 1, 0.7)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.error(key, f"unknown property, ignored{hint}", severity="warning")


def geometry(feat: Fields, feature: dict, expected: str, *, multi: bool = False) -> list | None:
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
