"""Read network folders and GeoJSON files into validated :class:`geo.model.Network` objects."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from geo import model, validate
from geo.errors import NetworkDataError
from geo.validate import Problem

#: Files larger than this are refused before parsing.
MAX_FILE_BYTES = 2 * 1024**3


def builtin_folder() -> Path:
    """The folder of the built-in network shipped with the package."""
    return Path(str(resources.files("seeds")))


def network_files(folder: str | Path) -> tuple[Path, list[Path], Path]:
    """The nodes file, link files and costs file of a network folder."""
    folder = Path(folder)
    nodes = folder / "nodes.geojson"
    costs = folder / "costs.toml"
    for path in (nodes, costs):
        if not path.is_file():
            msg = f"{folder}: not a network folder: {path.name} is missing"
            raise NetworkDataError(msg)
    links = sorted((folder / "links").glob("*.geojson")) if (folder / "links").is_dir() else []
    return nodes, links, costs


def _reject_constant(name: str) -> Any:
    msg = f"{name} is not valid JSON (RFC 8259 has no NaN or Infinity)"
    raise ValueError(msg)


def load_geojson(path: str | Path, problems: list[Problem]) -> list[dict] | None:
    """Parse a GeoJSON FeatureCollection and return its features, or record why it can't be read."""
    file = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(file, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"))
            return None
        raw = Path(path).read_bytes()
    except OSError as err:
        problems.append(Problem(file, f"cannot read file: {err.strerror or err}"))
        return None
    if not raw.strip():
        problems.append(Problem(file, "file is empty; expected a GeoJSON FeatureCollection"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problems.append(Problem(file, f"not UTF-8 text (byte {err.start}); GeoJSON must be UTF-8"))
        return None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        where = "truncated" if err.pos >= len(text.rstrip()) else "not valid JSON"
        problems.append(Problem(file, f"{where}: {err.msg} at line {err.lineno} column {err.colno}"))
        return None
    except ValueError as err:
        problems.append(Problem(file, str(err)))
        return None
    except RecursionError:
        problems.append(Problem(file, "JSON nested too deeply"))
        return None
    return feature_list(data, file, problems)


def feature_list(data: Any, file: str, problems: list[Problem]) -> list[dict] | None:
    """Check that parsed JSON is a FeatureCollection (lon/lat) and return its features."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        got = data.get("type") if isinstance(data, dict) else type(data).__name__
        problems.append(Problem(file, f"expected a GeoJSON FeatureCollection, got {got!r}"))
        return None
    crs = data.get("crs")
    if crs is not None:
        name = (
            str(((crs or {}).get("properties") or {}).get("name", crs)) if isinstance(crs, dict) else str(crs)
        )
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
        problems.append(Problem(file, "'features' must be a list"))
        return None
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(file, "expected a GeoJSON Feature", index))
            return None
    return features


def read_costs(path: str | Path) -> model.CostModel:
    """Read ``costs.toml``: line-haul, transfer and border defaults, circuity factors, payload."""
    file = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
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
        source = value.get("source")
        if not isinstance(source, str) or not source.strip():
            msg = f"{file}: [{key}] source: every figure needs a source"
            raise NetworkDataError(msg)
        return value

    payload = table("payload", data.get("payload"), ["t"])
    line_haul = {}
    for mode in model.MODES:
        key = f"line_haul.{mode}"
        t = table(key, (data.get("line_haul") or {}).get(mode), ["speed_kmh", "usd_per_t_km"])
        by_country = {}
        for iso3, override in (t.get("country") or {}).items():
            fields = [k for k in ("speed_kmh", "usd_per_t_km") if k in (override or {})]
            by_country[iso3] = table(f"{key}.country.{iso3}", override, fields)
        line_haul[mode] = model.LineHaul(
            float(t["speed_kmh"]), float(t["usd_per_t_km"]), t["source"], by_country
        )

    def figures(section: str, kinds: Iterable[str]) -> dict[str, model.Figure]:
        out = {}
        for kind in kinds:
            t = table(f"{section}.{kind}", (data.get(section) or {}).get(kind), ["hours", "usd_per_t"])
            out[kind] = model.Figure(float(t["hours"]), float(t["usd_per_t"]), t["source"])
        return out

    circuity = table("circuity", data.get("circuity"), list(model.MODES))
    factors = {k: float(v) for k, v in circuity.items() if k not in ("source", "note")}
    if any(v < 1 for v in factors.values()):
        msg = f"{file}: [circuity] factors must be 1 or more"
        raise NetworkDataError(msg)
    return model.CostModel(
        payload_t=float(payload["t"]),
        line_haul=line_haul,
        transfer=figures("transfer", model.TRANSFER_KINDS),
        border=figures("border", ("road", "rail")),
        circuity=factors,
        circuity_source=circuity["source"],
    )


def read_network(
    folder: str | Path | None = None,
    *,
    extra: Iterable[str | Path] = (),
    problems: list[Problem] | None = None,
) -> model.Network:
    """Read and validate a network folder (default: the built-in one) plus extra GeoJSON files.

    Raises
    ------
    NetworkDataError
        On the first file with errors; the message names the file, the feature and the
        property, and ``problems`` (if given) receives every problem found, warnings included.
    """
    folder = Path(folder) if folder is not None else builtin_folder()
    nodes_file, link_files, costs_file = network_files(folder)
    costs = read_costs(costs_file)
    found: list[Problem] = [] if problems is None else problems
    files = [nodes_file, *link_files, *(Path(p) for p in extra)]
    parsed = [(str(f), load_geojson(f, found)) for f in files]
    _raise_errors(found)
    nodes: dict[str, model.Node] = {}
    links: dict[str, model.Link] = {}
    for file, features in parsed:
        for index, feature in enumerate(features):
            if (feature.get("geometry") or {}).get("type") == "Point":
                _add_unique(
                    nodes, validate.node_from_feature(feature, index, file, found), file, index, found
                )
    for file, features in parsed:
        for index, feature in enumerate(features):
            if (feature.get("geometry") or {}).get("type") != "Point":
                link = validate.link_from_feature(feature, index, file, nodes, costs, found)
                _add_unique(links, link, file, index, found)
    _raise_errors(found)
    return model.Network(nodes, links, costs, str(folder), tuple(str(f) for f in files))


def _add_unique(table: dict, item: Any, file: str, index: int, problems: list[Problem]) -> None:
    if item is None:
        return
    if item.id in table:
        first = table[item.id]
        problems.append(Problem(file, f"duplicate id; already used in {first.file}", index, item.id, "id"))
        return
    table[item.id] = item


def _raise_errors(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise NetworkDataError(f"{errors[0]}{more}", problems=errors)
