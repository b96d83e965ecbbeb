"""Read GeoPackage and GeoParquet files as the same plain features a GeoJSON file gives.

GIS users keep large layers in GeoPackage (``.gpkg``) or GeoParquet (``.parquet``) rather than
GeoJSON. :func:`load_features` reads either through pyogrio or pyarrow (imported only here) and
turns every row into a GeoJSON-like feature: its columns as properties (a missing value is left
out, as GeoJSON leaves it out; text holding a JSON list or object, as a GeoPackage column keeps
``aliases`` or ``border``, is read as that list or object) and its geometry as ``type`` and
``coordinates`` lists. The features then pass the same validation as GeoJSON's, so a bad
feature is named by the same feature number, id and property.
"""

from __future__ import annotations

import contextlib
import json
import math
from pathlib import Path
from typing import Any

from corridors.geo.schema import Problem

#: File name endings read as tables, and what they are.
SUFFIXES = {".gpkg": "GeoPackage", ".parquet": "GeoParquet"}
#: Properties whose values are lists or objects; a table keeps them as JSON text.
STRUCTURED = frozenset({"aliases", "open_months", "border", "transfer", "wait_h"})


def is_table(path: str | Path) -> bool:
    """Whether ``path`` names a GeoPackage or GeoParquet file (by its ending)."""
    return Path(path).suffix.lower() in SUFFIXES


def load_features(path: str | Path, problems: list[Problem], *, max_bytes: int) -> list[dict] | None:
    """The features of a GeoPackage or GeoParquet file, or None with the reason in ``problems``.

    Files over ``max_bytes`` are refused before they are read. A table must hold WGS84
    longitude/latitude, as GeoJSON must (RFC 7946).
    """
    file = str(path)
    kind = SUFFIXES[Path(path).suffix.lower()]
    try:
        size = Path(path).stat().st_size
    except OSError as err:
        problems.append(Problem(file, f"cannot read file: {err.strerror or err}"))
        return None
    if size > max_bytes:
        problems.append(Problem(file, f"file is {size:,} bytes; the limit is {max_bytes:,}"))
        return None
    try:
        frame = _read(path, kind)
    except ImportError as err:
        problems.append(Problem(file, f"reading {kind} needs {err.name or 'pyogrio'}: pip install it"))
        return None
    except Exception as err:  # the readers raise their own errors for files they cannot read
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        problems.append(Problem(file, f"cannot read {kind} file: {first}"))
        return None
    crs = frame.crs
    if crs is not None and not _lonlat(crs):
        name = crs.to_string()
        problems.append(
            Problem(
                file,
                f"'crs' is {name!r}; corridors reads WGS84 longitude/latitude only (RFC 7946): "
                "reproject the file to EPSG:4326",
            )
        )
        return None
    return _features(frame)


def _read(path: str | Path, kind: str):
    if kind == "GeoParquet":
        import geopandas

        return geopandas.read_parquet(path)
    import pyogrio

    return pyogrio.read_dataframe(path)


def _lonlat(crs) -> bool:
    try:
        epsg = crs.to_epsg()
    except Exception:  # pyproj may not resolve a custom CRS
        epsg = None
    return epsg == 4326 or "CRS84" in crs.to_string().upper()


def _features(frame) -> list[dict]:
    """Plain GeoJSON-like features of a GeoDataFrame, row by row."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    values = [_column(frame[c], c in STRUCTURED) for c in columns]
    geometries = _geometries(frame.geometry.values)
    features = []
    for i, geometry in enumerate(geometries):
        props = {}
        for name, column in zip(columns, values, strict=True):
            value = column[i]
            if value is not None:
                props[name] = value
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return features


def _column(series, structured: bool) -> list[Any]:
    """A column as plain Python values, a missing value (NaN, NA, NaT) as None."""
    out = series.astype(object).where(series.notna(), None).tolist()
    if series.dtype != object and not structured:
        return out  # numbers and flags convert to their Python twins
    for i, value in enumerate(out):
        if type(value) is float and not math.isfinite(value):
            out[i] = None
        elif hasattr(value, "item") and not isinstance(value, str | bytes):
            out[i] = value.item()  # numpy scalars, as their Python twins
        if structured and isinstance(out[i], str) and out[i].lstrip()[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):  # else left as text: validation says what is wrong
                out[i] = json.loads(out[i])
    return out


def _geometries(geoms) -> list[dict | None]:
    """GeoJSON geometry objects (coordinates as lists) of an array of shapely geometries.

    Points and LineStrings, the bulk of any network, are converted in arrays; other types
    one by one.
    """
    import numpy as np
    import shapely

    types = shapely.get_type_id(geoms)
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    starts = np.searchsorted(index, np.arange(len(geoms) + 1))
    positions = coords.tolist()
    out: list[dict | None] = []
    for i, (geom, kind) in enumerate(zip(geoms, types.tolist(), strict=True)):
        lo, hi = starts[i], starts[i + 1]
        if kind == 0 and hi - lo == 1:
            out.append({"type": "Point", "coordinates": positions[lo]})
        elif kind == 1 and hi > lo:
            out.append({"type": "LineString", "coordinates": positions[lo:hi]})
        elif geom is None or shapely.is_empty(geom):
            out.append(None)
        else:
            mapped = shapely.geometry.mapping(geom)
            out.append({"type": mapped["type"], "coordinates": _lists(mapped["coordinates"])})
    return out


def _lists(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    return value
