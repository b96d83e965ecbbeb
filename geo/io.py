"""Read network folders and GeoJSON files into validated :class:`geo.model.Network` objects."""

from __future__ import annotations

import codecs
import itertools
import json
import math
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from corridors.geo import emissions, model, modes, parts, plain, safeio, spans, tables, validate
from corridors.geo.errors import FileAccessError, NetworkDataError
from corridors.geo.paths import builtin_folder, network_files
from corridors.geo.validate import Problem

#: Network files larger than this are refused before parsing.
MAX_FILE_BYTES = 2 * 1024**3
#: User files (``--with``, ``corridors validate``, ``corridors add``) larger than this are refused:
#: a network that large belongs in a network folder of its own (``--network DIR``).
MAX_USER_FILE_BYTES = 100 * 1000**2
#: A cost model is a page of TOML; anything larger is not one.
MAX_COSTS_BYTES = 1000**2


class _Constant:
    """Stands for a NaN or Infinity met while parsing, so that the problem can name its feature."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def load_geojson(
    path: str | Path, problems: list[Problem], *, max_bytes: int = MAX_FILE_BYTES, raw: bytes | None = None
) -> list[dict] | None:
    """Parse a GeoJSON FeatureCollection and return its features, or record why it can't be read.

    Files over ``max_bytes``, and anything but a regular file, are refused before they are read.
    With ``raw``, those bytes are parsed as the content of ``path`` (a file about to be written).
    """
    file = str(path)
    if raw is None:
        try:
            raw = safeio.read_bytes(path, max_bytes=max_bytes)
        except FileAccessError as err:
            problems.append(Problem(file, str(err).removeprefix(f"{file}: ")))
            return None
    text = _decode(raw, file, problems)
    if text is None:
        return None
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
    return feature_list(data, file, problems)


def load_features(
    path: str | Path, problems: list[Problem], *, max_bytes: int = MAX_FILE_BYTES, raw: bytes | None = None
) -> list[dict] | None:
    """The features of a GeoJSON, GeoPackage or GeoParquet file (:mod:`geo.tables`), by its ending.

    Every one must be a regular file within ``max_bytes``; ``raw`` is as for :func:`load_geojson`.
    """
    if raw is None and tables.is_table(path):
        try:
            safeio.check_input(path, max_bytes=max_bytes)
        except FileAccessError as err:
            problems.append(Problem(str(path), str(err).removeprefix(f"{path}: ")))
            return None
        return tables.load_features(path, problems, max_bytes=max_bytes)
    return load_geojson(path, problems, max_bytes=max_bytes, raw=raw)


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


def feature_list(data: Any, file: str, problems: list[Problem]) -> list[dict] | None:
    """Check that parsed JSON is a FeatureCollection (lon/lat) and return its features."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(Problem(file, _not_a_collection(data)))
        return None
    crs = data.get("crs")
    if crs is not None:
        props = crs.get("properties") if isinstance(crs, dict) else None
        given = props.get("name") if isinstance(props, dict) else None
        name = given if isinstance(given, str) else validate.brief(crs)
        if not any(tag in name.upper() for tag in ("CRS84", "4326")):
            problems.append(
                Problem(
                    file,
                    f"'crs' is {name!r}; corridors reads WGS84 longitude/latitude only (RFC 7946): "
                    "reproject the file to EPSG:4326",
                )
            )
            return None
    features = data.get("features")
    if not isinstance(features, list):
        got = "missing" if features is None else f"got {validate.brief(features)}"
        problems.append(Problem(file, f"'features' must be a list of Features; {got}"))
        return None
    bad = 0
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            hint = (
                ' (add "type": "Feature")'
                if isinstance(feature, dict) and "type" not in feature and "geometry" in feature
                else ""
            )
            problems.append(
                Problem(file, f"expected a GeoJSON Feature, got {validate.brief(feature)}{hint}", index)
            )
            bad += 1
        elif _unfit_member(feature, file, index, problems):
            bad += 1
    unfit = next(filter(None, (validate.check_tree(v) for k, v in data.items() if k != "features")), None)
    if unfit:
        problems.append(Problem(file, f"a member of the FeatureCollection: {unfit}"))
        bad += 1
    return None if bad else features


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


def read_costs(path: str | Path) -> model.CostModel:
    """Read ``costs.toml``: line-haul, transfer and border defaults, circuity, payload, emissions."""
    file = str(path)
    try:
        data = tomllib.loads(safeio.read_bytes(path, max_bytes=MAX_COSTS_BYTES).decode("utf-8"))
    except FileAccessError as err:
        raise NetworkDataError(str(err)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        msg = f"{file}: cannot read cost model: {err}"
        raise NetworkDataError(msg) from err

    def table(key: str, value: Any, fields: Iterable[str]) -> dict:
        if not isinstance(value, dict):
            msg = f"{file}: [{key}] missing or not a table"
            raise NetworkDataError(msg)
        for name in fields:
            v = value.get(name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
                msg = f"{file}: [{key}] {name}: expected a number >= 0, got {v!r}"
                raise NetworkDataError(msg)
            low = validate.MIN_SPEED_KMH if name == "speed_kmh" else 0
            if not low <= v <= validate.MAX_FIGURE:
                msg = f"{file}: [{key}] {name}: {v!r} is out of range ({low:g} to {validate.MAX_FIGURE:g})"
                raise NetworkDataError(msg)
        source = value.get("source")
        if not isinstance(source, str) or not source.strip():
            msg = f"{file}: [{key}] source: every figure needs a source"
            raise NetworkDataError(msg)
        return value

    payload = table("payload", data.get("payload"), ["t"])
    line_haul = {}
    for mode in modes.NAMES:
        key = f"line_haul.{mode}"
        t = table(key, (data.get("line_haul") or {}).get(mode), ["speed_kmh", "usd_per_t_km"])
        _speed_ends(file, key, table(key, t, [k for k in SPEED_ENDS if k in t]))
        by_country = {}
        for iso3, override in (t.get("country") or {}).items():
            fields = [k for k in ("speed_kmh", "usd_per_t_km", *SPEED_ENDS) if k in (override or {})]
            by_country[iso3] = table(f"{key}.country.{iso3}", override, fields)
            _speed_ends(file, f"{key}.country.{iso3}", by_country[iso3])
        line_haul[mode] = model.LineHaul(
            float(t["speed_kmh"]),
            float(t["usd_per_t_km"]),
            t["source"],
            by_country,
            speed_kmh_fast=_optional(t.get("speed_kmh_fast")),
            speed_kmh_slow=_optional(t.get("speed_kmh_slow")),
        )

    def figures(section: str, kinds: Iterable[str]) -> dict[str, model.Figure]:
        out = {}
        for kind in kinds:
            key = f"{section}.{kind}"
            t = table(key, (data.get(section) or {}).get(kind), ["hours", "usd_per_t"])
            ends = table(key, t, [k for k in ("hours_low", "hours_high") if k in t])
            out[kind] = model.Figure(
                float(t["hours"]),
                float(t["usd_per_t"]),
                t["source"],
                hours_low=_optional(ends.get("hours_low")),
                hours_high=_optional(ends.get("hours_high")),
            )
            spans.check_order(file, key, out[kind].span)
        return out

    circuity = table("circuity", data.get("circuity"), list(modes.NAMES))
    factors = {k: float(v) for k, v in circuity.items() if k not in ("source", "note")}
    if any(v < 1 for v in factors.values()):
        msg = f"{file}: [circuity] factors must be 1 or more"
        raise NetworkDataError(msg)
    co2e, co2e_transfer = emissions.read(data, table, file)
    vot = {"usd_per_t_day": 0, "source": ""}
    if data.get("value_of_time") is not None:
        vot = table("value_of_time", data["value_of_time"], ["usd_per_t_day"])
    per_shipment = payload.get("per_shipment", [])
    known = {"border", *(f"transfer.{k}" for k in model.TRANSFER_KINDS)}
    if not isinstance(per_shipment, list) or not set(per_shipment) <= known:
        msg = f"{file}: [payload] per_shipment: expected a list of {', '.join(sorted(known))}"
        raise NetworkDataError(msg)
    return model.CostModel(
        payload_t=float(payload["t"]),
        line_haul=line_haul,
        transfer=figures("transfer", modes.transfer_kinds()),
        border=figures("border", modes.BORDER_MODES),
        circuity=factors,
        circuity_source=circuity["source"],
        co2e=co2e,
        co2e_transfer=co2e_transfer,
        per_shipment=tuple(per_shipment),
        value_of_time_usd_per_t_day=float(vot["usd_per_t_day"]),
        value_of_time_source=vot["source"],
        dwell=spans.read_dwell(file, data.get("dwell") or {}, table),
        port_customs=_read_port_customs(data.get("port_customs"), table),
    )


def _read_port_customs(value: Any, table) -> dict[str, model.Figure]:
    """``[port_customs]``: the default clearance at a port and ``[port_customs.country.XXX]``."""
    if value is None:
        return {}
    default = table("port_customs", value, ["hours", "usd_per_t"])
    out = {"default": model.Figure(float(default["hours"]), float(default["usd_per_t"]), default["source"])}
    for iso3, override in (value.get("country") or {}).items():
        t = table(f"port_customs.country.{iso3}", override, ["hours", "usd_per_t"])
        out[iso3] = model.Figure(float(t["hours"]), float(t["usd_per_t"]), t["source"])
    return out


#: The optional ends of a line-haul speed (measured by year), beside ``speed_kmh``.
SPEED_ENDS = ("speed_kmh_slow", "speed_kmh_fast")


def _speed_ends(file: str, key: str, t: dict) -> None:
    """Check ``speed_kmh_slow <= speed_kmh <= speed_kmh_fast``, each given end above 0."""
    if not any(k in t for k in SPEED_ENDS):
        return
    slow, fast = t.get("speed_kmh_slow"), t.get("speed_kmh_fast")
    central = t.get("speed_kmh")
    if (
        central is None
        or any(v is not None and v <= 0 for v in (slow, fast))
        or not ((slow is None or slow <= central) and (fast is None or central <= fast))
    ):
        msg = f"{file}: [{key}] expected 0 < speed_kmh_slow <= speed_kmh <= speed_kmh_fast"
        raise NetworkDataError(msg)


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


def read_network(
    folder: str | Path | None = None,
    *,
    extra: Iterable[str | Path] = (),
    problems: list[Problem] | None = None,
    contents: Mapping[Path, bytes] | None = None,
) -> model.Network:
    """Read and validate a network folder (default: the built-in one) plus extra GeoJSON files.

    ``extra`` files are user files: their links may leave out ``from``/``to`` (ends snap to
    nodes), ``id`` (generated) and ``corridor`` (a ``name`` will do); see
    :func:`geo.validate.user_features`. ``contents`` gives the bytes of files of the folder as
    they are about to be written (new link files included): the network is read as it will be.

    Raises
    ------
    NetworkDataError
        On the first file with errors; the message names the file, the feature and the
        property, and ``problems`` (if given) receives every problem found, warnings included.
    """
    folder = Path(folder) if folder is not None else builtin_folder()
    nodes_file, link_files, costs_file = network_files(folder)
    contents = contents or {}
    new_links = [p for p in contents if p.parent == folder / "links" and p not in link_files]
    costs = read_costs(costs_file)
    found: list[Problem] = [] if problems is None else problems
    files = [nodes_file, *sorted([*link_files, *new_links])]
    user_files = [Path(p) for p in extra]
    parsed = [(str(f), load_features(f, found, raw=contents.get(f))) for f in files]
    parsed_user = [(str(f), load_features(f, found, max_bytes=MAX_USER_FILE_BYTES)) for f in user_files]
    _raise_errors(found)
    nodes: dict[str, model.Node] = {}
    links: dict[str, model.Link] = {}
    for file, features in parsed:
        for index, feature in enumerate(features):
            if validate.geometry_type(feature) == "Point":
                node = plain.plain_node(feature, file) or validate.node_from_feature(
                    feature, index, file, found
                )
                validate.add_unique(nodes, node, file, index, found)
    for file, features in parsed:
        for start in range(0, len(features), plain.CHUNK):
            chunk = features[start : start + plain.CHUNK]
            fast = plain.plain_links(chunk, file, nodes, costs)
            for index, feature, link in zip(itertools.count(start), chunk, fast, strict=False):
                if validate.geometry_type(feature) != "Point":
                    link = link or validate.link_from_feature(feature, index, file, nodes, costs, found)
                    validate.add_unique(links, link, file, index, found)
            features[start : start + len(chunk)] = [None] * len(chunk)  # the parsed JSON, freed as read
    parts.check_parts(nodes, found)
    user_parsed = [(file, features) for file, features in parsed_user if features is not None]
    for added in validate.user_features(user_parsed, nodes, links, costs, found) if user_parsed else ():
        nodes.update((node.id, node) for _, node in added.nodes)
        links.update((link.id, link) for _, link in added.links)
    _raise_errors(found)
    return model.Network(nodes, links, costs, str(folder), tuple(str(f) for f in [*files, *user_files]))


def _raise_errors(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise NetworkDataError(f"{errors[0]}{more}", problems=errors)
