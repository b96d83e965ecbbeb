"""Read a run of plain link features straight into columns, without an object per link.

A network of a million links spends most of its first load on Python objects: one
:class:`geo.model.Link` per feature, built by the per-feature checks of :mod:`geo.plain`, then
taken apart again into columns (:class:`geo.columns.Columns`). :func:`read_blocks` reads a run of
features field by field instead: each property of every feature at once (``map`` over the
features), checked over the whole run (the kinds of values met, the set of modes), and the
coordinates and lengths checked in arrays as :func:`geo.plain.plain_links` checks them.

It clears a feature only where :func:`geo.plain.plain_link` would, and builds the same values
(a test compares them row by row, and on mutated features). Whatever it does not clear (a
Point, an unusual property, a value near a limit, any doubt) is handed back in
:attr:`Block.rest`, for the per-feature checks, which report every problem as before. When a
check over the whole run fails, the run is screened feature by feature first
(:func:`geo.plain.screen_link`) and read again without the features that did not pass.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from corridors.geo import checks, geodesy, model, modes, plain
from corridors.geo.schema import ENDPOINT_TOLERANCE_KM, MAX_LENGTH_RATIO, MIN_LENGTH_RATIO

_GEOMETRY = operator.methodcaller("get", "geometry")
_PROPERTIES = operator.methodcaller("get", "properties")
_TYPE = operator.methodcaller("get", "type")
_COORDINATES = operator.methodcaller("get", "coordinates")
#: Every id of a run, one a line: a line that is not a slug fails the match.
_SLUGS = re.compile(r"[a-z0-9][a-z0-9_\-]*(?:\n[a-z0-9][a-z0-9_\-]*)*\Z")
_NUMBERS = frozenset({float, int})
_LENGTHS = frozenset({float, int, type(None)})
_GAUGES = frozenset({int, type(None)})
#: Integers up to this size convert to floats exactly; a run holding larger ones is screened.
_EXACT_INT = 2**53
#: The fields every cleared link leaves at their defaults (a plain feature sets none of them).
_UNSET = ("project", "speed_kmh", "wait_h", "usd_per_t_km", "usd_per_t", "open_months", "oneway", "year")
DEFAULTS = {f: getattr(model.Link, f) for f in (*_UNSET, "terrain", "note")}


class NodeTable:
    """The nodes known so far, for the links of a run: each id's position and its lon/lat."""

    def __init__(self, nodes: Mapping[str, model.Node]) -> None:
        self.nodes = nodes
        self.position = {k: i for i, k in enumerate(nodes)}
        values = nodes.values()
        self.lon = np.fromiter((n.lon for n in values), np.float64, len(nodes))
        self.lat = np.fromiter((n.lat for n in values), np.float64, len(nodes))


@dataclass
class Block:
    """A run of features of one file, read into columns.

    ``at`` holds the positions in the run of the links it cleared, in order; ``columns`` their
    fields (``from_id``/``to_id`` as node positions, ``coords`` as flat lon/lat pairs with
    ``sizes`` positions per link, ``length_km`` as floats, the others as :func:`coded` values);
    ``rest`` every other feature of the run (Points included) as ``(index in file, feature)``.
    """

    start: int
    at: np.ndarray
    ids: list[str]
    columns: dict
    rest: list[tuple[int, dict]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


#: Runs of fewer features than this that fail a check over the run are not split further.
MIN_RUN = 64


def read_blocks(chunk: list, start: int, nodes: NodeTable, costs: model.CostModel) -> list[Block]:
    """The links of ``chunk`` (features of a file from index ``start``; None stands for a
    feature already read, a node) that read as plain, in columns, as blocks in file order; the
    other features in their ``rest``.

    Where a check over the run fails, the features that :func:`geo.plain.screen_link` does not
    pass are left out and the others read again; where that fails too (a feature the screen
    passes but the run's checks do not read, such as a position with a height), the run is
    read in halves, down to :data:`MIN_RUN` features.
    """
    index = [i for i, f in enumerate(chunk) if f is not None]
    reads: list = []
    if index and not checks.LINK_CHECKS:  # checks of built links need the links: none is read here
        read = _read([chunk[i] for i in index], nodes, costs)
        if read is not None:
            reads.append((index, read))
        else:  # a doubt over the run: screen each feature, and read those that pass
            screened = [i for i in index if plain.screen_link(chunk[i], nodes.nodes) is not None]
            _halves(chunk, screened, nodes, costs, reads)
    blocks = []
    for part, (ok, ids, columns) in reads:
        at = np.asarray(part, np.int64)[ok]
        if len(at):
            blocks.append(Block(start, at, ids, columns))
    if not blocks:
        return [Block(start, np.zeros(0, np.int64), [], {}, [(start + i, chunk[i]) for i in index])]
    cleared = set(itertools.chain.from_iterable(b.at.tolist() for b in blocks))
    firsts = [int(b.at[0]) for b in blocks[1:]]
    for i in index:
        if i not in cleared:  # before the next block's first link: with this block
            blocks[bisect.bisect_right(firsts, i)].rest.append((start + i, chunk[i]))
    return blocks


def _halves(chunk: list, index: list[int], nodes: NodeTable, costs: model.CostModel, reads: list) -> None:
    """Read the features at ``index``, in halves where the whole fails; append ``(index, read)``."""
    read = _read([chunk[i] for i in index], nodes, costs) if index else None
    if read is not None:
        reads.append((index, read))
    elif len(index) >= max(2, MIN_RUN):
        half = len(index) // 2
        _halves(chunk, index[:half], nodes, costs, reads)
        _halves(chunk, index[half:], nodes, costs, reads)


def _read(features: list, nodes: NodeTable, costs: model.CostModel):
    """``(cleared, ids, columns)`` for ``features``: which read as plain links, and their fields;
    None if any check over the whole run fails (each feature then screened on its own)."""
    if not features:
        return None
    try:
        screened = _screen(features, nodes)
    except (AttributeError, TypeError, ValueError, OverflowError):  # odd values: screen one by one
        return None
    if screened is None:
        return None
    return _geodesy(screened, nodes, costs)


def _kinds(values) -> set:
    return set(map(type, values))


def _screen(features: list, nodes: NodeTable) -> dict | None:
    """What :func:`geo.plain.screen_link` reads of every feature, checked over the run at once;
    None where any feature would not pass (or might not). A value of the wrong kind fails the
    first operation that needs the right one (``.get`` of a dict, ``len``, ``str.strip``), so
    the kinds are not all tested one by one."""
    geoms = list(map(_GEOMETRY, features))
    if set(map(_TYPE, geoms)) != {"LineString"}:
        return None
    coords = list(map(_COORDINATES, geoms))
    sizes = np.fromiter(map(len, coords), np.int64, len(coords))
    if sizes.min() < 2:
        return None
    points = list(itertools.chain.from_iterable(coords))
    if set(map(len, points)) != {2}:
        return None  # 3-D positions, or odd ones: screened one by one
    numbers = list(itertools.chain.from_iterable(points))  # a point that is no list: a str in it
    kinds = _kinds(numbers)
    if not kinds <= _NUMBERS or (int in kinds and not _small_ints(numbers)) or _kinds(coords) != {list}:
        return None
    flat = np.fromiter(numbers, np.float64, len(numbers))
    lon, lat = flat[0::2], flat[1::2]
    if not (np.all((lon >= -180) & (lon <= 180)) and np.all((lat >= -90) & (lat <= 90))):
        return None
    props = list(map(_PROPERTIES, features))
    if not all(map(operator.le, map(dict.keys, props), repeat(plain.LINK_PLAIN))):
        keys = set(itertools.chain.from_iterable(props))
        for key in keys & plain.LINK_OTHER:
            if set(map(operator.methodcaller("get", key), props)) != {None}:
                return None
        if not _kinds(itertools.chain.from_iterable(map(dict.values, props))) <= plain.SCALARS:
            return None
    got = {k: list(map(operator.methodcaller("get", k), props)) for k in plain.LINK_PLAIN}
    ids = got["id"]
    joined = "\n".join(ids)  # only strings join
    if joined.count("\n") != len(ids) - 1 or not _SLUGS.match(joined):
        return None
    mode, status = coded(got["mode"]), coded(got["status"])
    if not set(mode[1]) <= plain.MODES or not set(status[1]) <= plain.LINK_STATUSES:
        return None
    texts = {}
    for k in ("corridor", "source", "from", "to"):
        texts[k] = list(map(str.strip, got[k]))  # only strings strip
        if not all(texts[k]):
            return None
    a = np.fromiter(map(nodes.position.get, texts["from"], repeat(-1)), np.int64, len(ids))
    b = np.fromiter(map(nodes.position.get, texts["to"], repeat(-1)), np.int64, len(ids))
    if a.min() < 0 or b.min() < 0 or np.any(a == b):
        return None
    gauges = _gauges(mode, got["gauge_mm"])
    lengths = got["length_km"]
    kinds = _kinds(lengths)
    if not kinds <= _LENGTHS or (int in kinds and not _small_ints(v for v in lengths if type(v) is int)):
        return None
    given = np.array(lengths, np.float64)  # None reads NaN
    published = ~np.isnan(given)
    if gauges is None or not np.all((given[published] > 0) & (given[published] < 1e300)):
        return None
    return {
        "ids": ids, "a": a, "b": b, "sizes": sizes, "flat": flat, "given": given,
        "published": published, "mode": mode, "status": status,
        "corridor": texts["corridor"], "source": texts["source"], "gauge_mm": gauges,
    }  # fmt: skip


def _small_ints(values) -> bool:
    return all(-_EXACT_INT < v < _EXACT_INT for v in values if type(v) is int)


def _gauges(mode: tuple[np.ndarray, list], gauge: list) -> tuple[np.ndarray, list] | None:
    """Each link's gauge as the full checks keep it (an int where its mode has gauges, else
    None), :func:`coded`; None where any is not what :func:`geo.plain.screen_link` clears (or
    is not an int: a gauge of 1520.0 is screened one by one)."""
    if not _kinds(gauge) <= _GAUGES:
        return None
    codes, table = coded(gauge)
    for pair in np.unique(mode[0].astype(np.int64) * len(table) + codes).tolist():
        m, g = mode[1][pair // len(table)], table[pair % len(table)]
        if modes.get(m).gauged:
            if g is None or modes.gauge_problem(g) is not None:
                return None
        elif g is not None:
            return None
    return codes, table


def coded(values: list) -> tuple[np.ndarray, list]:
    """Values of one kind (or None) as codes into a table of the distinct ones, first met first."""
    table = list(dict.fromkeys(values))
    if len(table) == 1:
        return np.zeros(len(values), np.int32), table
    index = {v: i for i, v in enumerate(table)}
    return np.fromiter(map(index.__getitem__, values), np.int32, len(values)), table


def _geodesy(s: dict, nodes: NodeTable, costs: model.CostModel):
    """The distance and length checks of :func:`geo.plain.plain_links` over the screened run;
    ``(cleared, ids, columns)`` of the links that pass them."""
    sizes, flat, a, b, given, published = s["sizes"], s["flat"], s["a"], s["b"], s["given"], s["published"]
    lon, lat = flat[0::2], flat[1::2]
    starts = np.zeros(len(sizes), np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    ends = starts + sizes - 1
    alon, alat, blon, blat = nodes.lon[a], nodes.lat[a], nodes.lon[b], nodes.lat[b]
    tolerance = ENDPOINT_TOLERANCE_KM * (1 - plain.MARGIN)
    near = (plain.haversine(np, alon, alat, lon[starts], lat[starts]) < tolerance) & (
        plain.haversine(np, blon, blat, lon[ends], lat[ends]) < tolerance
    )
    pieces = np.append(plain.haversine(np, lon[:-1], lat[:-1], lon[1:], lat[1:]), 0.0)
    inner = np.ones(len(lon), bool)
    inner[ends] = False  # a piece from a line's last position to the next line's first is none
    geometry_km = np.add.reduceat(np.where(inner, pieces, 0.0), starts)
    chord = plain.haversine(np, alon, alat, blon, blat)
    with np.errstate(invalid="ignore"):
        fits = (given >= MIN_LENGTH_RATIO * chord * (1 + plain.MARGIN) + 1e-12) & (
            (geometry_km > 0) & (given <= MAX_LENGTH_RATIO * geometry_km * (1 - plain.MARGIN))
        )
    ok = near & (~published | fits)
    rows = np.flatnonzero(ok)
    every = len(rows) == len(ok)

    def pick(values):
        if every:
            return values
        return (values[0][rows], values[1]) if type(values) is tuple else [values[i] for i in rows.tolist()]

    mode = pick(s["mode"])
    km = given[rows]
    estimated = ~published[rows]
    point_ok = np.repeat(ok, sizes)
    flat_ok = flat if every else flat.reshape(-1, 2)[point_ok].reshape(-1)
    kept_sizes = sizes[rows]
    basis = (np.zeros(len(rows), np.int32), ["published"])
    if estimated.any():
        names = ["published"] * len(rows)
        offsets = np.zeros(len(rows) + 1, np.int64)
        np.cumsum(kept_sizes, out=offsets[1:])
        for j in np.flatnonzero(estimated).tolist():
            pts = flat_ok[2 * offsets[j] : 2 * offsets[j + 1]].tolist()
            line = list(zip(pts[0::2], pts[1::2], strict=True))
            geometry = geodesy.line_length_km(line)  # exactly as the full checks compute it
            factor = costs.circuity.get(mode[1][mode[0][j]], 1.0)
            km[j] = geometry * factor
            names[j] = f"geometry {geometry:.1f} km x circuity {factor:g} ({costs.circuity_source})"
        basis = coded(names)
    columns = {
        "from_id": a[rows], "to_id": b[rows], "mode": mode, "status": pick(s["status"]),
        "corridor": coded(pick(s["corridor"])), "source": coded(pick(s["source"])),
        "coords": (flat_ok, kept_sizes), "length_km": km,
        "length_estimated": (estimated.astype(np.int32), [False, True]),
        "length_basis": basis, "gauge_mm": pick(s["gauge_mm"]),
    }  # fmt: skip
    return ok, pick(s["ids"]), columns
