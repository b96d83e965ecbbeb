"""Parse GeoJSON FeatureCollections, saying in one line why a file cannot be read.

What is checked here is the JSON itself (encoding, syntax, NaN and Infinity, nesting, lone
surrogates, non-finite numbers) and the collection's shape; the features' properties are
checked by :mod:`geo.features`.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corridors.geo import jsonstream, safeio, validate
from corridors.geo.errors import FileAccessError
from corridors.geo.validate import Problem

#: Network files larger than this are refused before parsing.
MAX_FILE_BYTES = 2 * 1024**3


class _Constant:
    """Stands for a NaN or Infinity met while parsing, so that the problem can name its feature."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


#: What :func:`load_geojson` hands to ``convert`` at a time.
CHUNK = 10_000
#: Texts at least this long (characters) are decoded a feature at a time when a ``convert`` is
#: given; shorter ones are parsed whole, which is faster (one ``json.loads`` of a 354 MB link
#: file takes 2.3 s, the features one by one about 3 s more) and whose tree is small enough to
#: hold (at 10^5 links, a 35 MB file, about 0.3 GB). Measured by ``benchmarks/bench.py``.
STREAM_MIN_CHARS = 100_000_000
#: A list of features, or each chunk of them as ``convert`` turned it.
Convert = Callable[[list, int], list]


def load_geojson(
    path: str | Path,
    problems: list[Problem],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    raw: bytes | None = None,
    convert: Convert | None = None,
    chunk: int = CHUNK,
) -> list | None:
    """Parse a GeoJSON FeatureCollection and return its features, or record why it can't be read.

    Files over ``max_bytes``, and anything but a regular file, are refused before they are read.
    With ``raw``, those bytes are parsed as the content of ``path`` (a file about to be written).
    With ``convert``, the features of a text of :data:`STREAM_MIN_CHARS` or more are decoded one
    at a time (:mod:`geo.jsonstream`), and each run of ``chunk`` of them is passed as
    ``convert(chunk, index of its first)`` as soon as it is read and checked; the list returned
    is made of what ``convert`` returns. The tree of a large file is so never held whole. (A
    shorter text, or a collection with any problem, is parsed whole, and its features are not
    converted.)
    """
    file = str(path)
    if raw is None:
        try:
            raw = safeio.read_bytes(path, max_bytes=max_bytes)
        except FileAccessError as err:
            problems.append(Problem(file, str(err).removeprefix(f"{file}: ")))
            return None
    text = _decode(raw, file, problems)
    del raw  # the text alone from here: a large file is not held twice while it is parsed
    if text is None:
        return None
    escapes = _SURROGATE_ESCAPE.search(text) is not None if "\\u" in text else False
    if convert is not None and len(text) >= STREAM_MIN_CHARS:
        streamed = _streamed(text, file, problems, escapes, convert, chunk)
        if streamed is not _UNEXPECTED:
            return streamed
    constants: list[_Constant] = []

    def constant(name: str) -> _Constant:
        constants.append(_Constant(name))
        return constants[-1]

    try:
        data = json.loads(text, parse_constant=constant)
    except json.JSONDecodeError as err:
        problems.append(Problem(file, _json_error(text, err)))
        return None
    except RecursionError:
        problems.append(Problem(file, "JSON nested too deeply to read; GeoJSON needs only a few levels"))
        return None
    except ValueError as err:  # e.g. an integer with more digits than Python converts
        problems.append(Problem(file, f"not valid JSON: {str(err).split(';')[0]}"))
        return None
    if constants:
        _report_constants(data, file, problems)
        return None
    return feature_list(data, file, problems, escapes=escapes)


_UNEXPECTED = object()


def _streamed(
    text: str, file: str, problems: list[Problem], escapes: bool, convert: Convert, size: int
) -> Any:
    """:func:`load_geojson`'s result, the features decoded and converted a chunk at a time, or
    :data:`_UNEXPECTED` where the text is not a plain collection (to be parsed whole)."""
    out: list = []
    chunk: list = []
    done = [0]  # features converted so far (``convert`` may return fewer items than it was given)

    def on_feature(feature: Any) -> None:
        if _feature_problem(feature, file, done[0] + len(chunk), [], escapes):
            raise jsonstream.Unexpected  # parsed whole, so that every problem is told as before
        chunk.append(feature)
        if len(chunk) == size:
            out.extend(convert(chunk, done[0]))
            done[0] += len(chunk)
            chunk.clear()

    def constant(name: str) -> Any:
        raise jsonstream.Unexpected  # parsed whole, to name the feature holding it

    try:
        members = jsonstream.walk(text, on_feature, constant)
    except jsonstream.Unexpected:
        return _UNEXPECTED
    problem = _collection_problem(members, file)
    if problem:
        problems.append(Problem(file, problem))
        return None
    if _member_problem(members, file, problems):
        return None
    if chunk:
        out.extend(convert(chunk, done[0]))
    return out


#: The escape of a UTF-16 surrogate: only a text holding one can parse to a lone surrogate
#: (UTF-8 cannot encode one, and the decoder refuses it).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _decode(raw: bytes, file: str, problems: list[Problem]) -> str | None:
    """The text of a file that must be UTF-8 JSON, or None with the reason recorded."""
    if not raw.strip():
        problems.append(Problem(file, "file is empty; expected a GeoJSON FeatureCollection"))
        return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(
            Problem(file, "file is UTF-16 (or UTF-32) text; GeoJSON must be UTF-8: save it as UTF-8")
        )
        return None
    if raw.startswith(b"PK\x03\x04"):
        problems.append(Problem(file, "file is a ZIP archive (a zipped shapefile or KMZ?), not GeoJSON"))
        return None
    if b"\x00" in raw[:4096]:
        problems.append(Problem(file, "file holds binary data (a shapefile?), not GeoJSON text"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - raw.rfind(b"\n", 0, err.start)
        problems.append(
            Problem(
                file,
                f"not UTF-8 text: byte 0x{raw[err.start]:02X} at line {line} column {column} (Latin-1 or "
                "Windows-1252?); GeoJSON must be UTF-8 (RFC 7946): save the file as UTF-8",
            )
        )
        return None


def _json_error(text: str, err: json.JSONDecodeError) -> str:
    """Say why text is not JSON: truncated, several documents, XML, or where the syntax breaks."""
    where = f"line {err.lineno} column {err.colno}"
    rest = text[err.pos :]
    if err.pos >= len(text.rstrip()) or (err.msg.startswith("Unterminated string") and '"' not in rest[1:]):
        return f"truncated: the JSON ends early ({err.msg} at {where}); was the file cut off?"
    if err.msg == "Extra data":
        return (
            f"not valid JSON: more than one JSON value (from {where}); GeoJSON Lines and GeoJSONSeq "
            "are not read: save one FeatureCollection"
        )
    if text.lstrip().startswith("<"):
        return "not JSON but XML or HTML (KML? GPX?): export the layer as GeoJSON"
    return f"not valid JSON: {err.msg} at {where}"


def _report_constants(data: Any, file: str, problems: list[Problem]) -> None:
    """Name each feature holding a NaN or Infinity (which JSON does not have) and its property."""
    msg = "{} is not valid JSON (RFC 8259 has no NaN or Infinity): give a finite number or leave it out"
    features = data.get("features") if isinstance(data, dict) else None
    reported = False
    for index, feature in enumerate(features if isinstance(features, list) else []):
        if not isinstance(feature, dict):
            continue
        props = feature.get("properties")
        parts = list(props.items()) if isinstance(props, dict) else []
        parts += [(k, v) for k, v in feature.items() if k != "properties"]
        for prop, value in parts:
            name = _constant_in(value)
            if name:
                raw_id = props.get("id") if isinstance(props, dict) else None
                fid = raw_id if isinstance(raw_id, str) else None
                problems.append(Problem(file, msg.format(name), index, fid, prop))
                reported = True
                break
    if not reported:
        problems.append(Problem(file, msg.format(_constant_in(data) or "NaN")))


def _constant_in(value: Any) -> str | None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Constant):
            return item.name
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def feature_list(data: Any, file: str, problems: list[Problem], *, escapes: bool = True) -> list[dict] | None:
    """Check that parsed JSON is a FeatureCollection (lon/lat) and return its features.

    ``escapes=False`` says that the text held no escaped surrogate (so no string holds a lone
    one): the members of plain features are then cleared by :func:`_fits` alone.
    """
    problem = _collection_problem(data, file)
    if problem:
        problems.append(Problem(file, problem))
        return None
    features = data.get("features")
    if not isinstance(features, list):
        got = "missing" if features is None else f"got {validate.brief(features)}"
        problems.append(Problem(file, f"'features' must be a list of Features; {got}"))
        return None
    bad = 0
    for index, feature in enumerate(features):
        bad += _feature_problem(feature, file, index, problems, escapes)
    bad += _member_problem(data, file, problems)
    return None if bad else features


def _collection_problem(data: Any, file: str) -> str | None:
    """Why parsed JSON is not a FeatureCollection in lon/lat, or None."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return _not_a_collection(data)
    crs = data.get("crs")
    if crs is not None:
        props = crs.get("properties") if isinstance(crs, dict) else None
        given = props.get("name") if isinstance(props, dict) else None
        name = given if isinstance(given, str) else validate.brief(crs)
        if not any(tag in name.upper() for tag in ("CRS84", "4326")):
            return (
                f"'crs' is {name!r}; corridors reads WGS84 longitude/latitude only (RFC 7946): "
                "reproject the file to EPSG:4326"
            )
    return None


def _feature_problem(feature: Any, file: str, index: int, problems: list[Problem], escapes: bool) -> bool:
    """Record why an element of 'features' is not a Feature that can be kept; True if so."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        hint = (
            ' (add "type": "Feature")'
            if isinstance(feature, dict) and "type" not in feature and "geometry" in feature
            else ""
        )
        got = f"expected a GeoJSON Feature, got {validate.brief(feature)}{hint}"
        problems.append(Problem(file, got, index))
        return True
    return (escapes or not _fits(feature)) and _unfit_member(feature, file, index, problems)


def _member_problem(data: dict, file: str, problems: list[Problem]) -> bool:
    """Record the first member of the collection (but its features) that cannot be kept."""
    unfit = next(filter(None, (validate.check_tree(v) for k, v in data.items() if k != "features")), None)
    if unfit:
        problems.append(Problem(file, f"a member of the FeatureCollection: {unfit}"))
    return bool(unfit)


def _fits(feature: dict) -> bool:
    """True if no member of ``feature`` can be unfit (:func:`_unfit_member`), strings aside.

    The members, and the values of ``properties`` and ``geometry``, must be scalars with finite
    numbers, lists of them, or lists of lists of them (coordinates): nothing nests deeply
    enough to be refused. Anything else is left to :func:`_unfit_member`, which says what is
    wrong; so is every string of a text that holds surrogate escapes.
    """
    for key, member in feature.items():
        values = member.values() if type(member) is dict and key in _FLAT_MEMBERS else (member,)
        for value in values:
            kind = type(value)
            if kind is float:
                if value - value != 0.0:  # infinity or NaN
                    return False
            elif kind is list:
                for item in value:
                    kind = type(item)
                    if kind is float:
                        if item - item != 0.0:
                            return False
                    elif kind is list:
                        for x in item:
                            if type(x) is float:
                                if x - x != 0.0:
                                    return False
                            elif type(x) not in _FLAT_SCALARS:
                                return False
                    elif kind not in _FLAT_SCALARS:
                        return False
            elif kind not in _FLAT_SCALARS:
                return False
    return True


#: The scalars :func:`_fits` clears without a test (floats are tested for finiteness).
_FLAT_SCALARS = frozenset({str, int, bool, type(None)})
#: The members whose values :func:`_fits` reads one level down.
_FLAT_MEMBERS = frozenset({"properties", "geometry"})


def _unfit_member(feature: dict, file: str, index: int, problems: list[Problem]) -> bool:
    """Record the first member of a feature that cannot be kept and written out again."""
    props = feature.get("properties")
    members = [(f"properties.{k}", v) for k, v in props.items()] if isinstance(props, dict) else []
    members += [(k, v) for k, v in feature.items() if k != "properties"]
    for prop, value in members:
        unfit = validate.check_tree(prop) or validate.check_tree(value)
        if unfit:
            raw_id = props.get("id") if isinstance(props, dict) else None
            fid = raw_id if isinstance(raw_id, str) and not validate.unsafe_text(raw_id) else None
            problems.append(Problem(file, unfit, index, fid, prop.removeprefix("properties.")))
            return True
    return False


def _not_a_collection(data: Any) -> str:
    wrap = 'wrap it as {"type": "FeatureCollection", "features": [...]}'
    if isinstance(data, list):
        return f"expected a GeoJSON FeatureCollection, got a JSON array: {wrap}"
    if not isinstance(data, dict):
        json_type = {str: "string", bool: "boolean", type(None): "null"}.get(type(data), "number")
        return f"expected a GeoJSON FeatureCollection, got a JSON {json_type}"
    kind = data.get("type")
    if kind is None:
        return "expected a GeoJSON FeatureCollection, got an object without 'type'"
    if kind == "Feature":
        return f"expected a GeoJSON FeatureCollection, got a single Feature: {wrap}"
    if kind in ("Point", "LineString", "MultiLineString", "Polygon", "MultiPoint", "GeometryCollection"):
        return f"expected a GeoJSON FeatureCollection, got a bare {kind} geometry without properties"
    return f"expected a GeoJSON FeatureCollection, got type {validate.brief(kind)}"
