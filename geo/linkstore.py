"""The links of a network as they are read: runs in columns and single links, in file order.

:func:`geo.io.read_network` adds each file's links here in order: runs read column-wise
(:class:`geo.linkblock.Block`) and single :class:`geo.model.Link` objects (the features the
per-feature checks read). Ids are checked as :func:`geo.features.add_unique` checks them (a
duplicate is reported at the feature that repeats it, naming the file of the first), and
:meth:`LinkStore.links` gives the links as a dict, or as :class:`geo.columns.Columns` for a
large network, column by column exactly as ``Columns(Link, links.values())`` would store them,
without building an object per link. A store that never met a run keeps a plain dict.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Mapping

import numpy as np

from corridors.geo import columns, linkblock, model
from corridors.geo.schema import Problem

_FIELDS = [f.name for f in dataclasses.fields(model.Link) if f.name != "id"]
_REFS = ("from_id", "to_id")


def _typed(value) -> tuple:
    """A key that no value of another type, or another float, is equal to (as ``columns`` keys)."""
    return (float, repr(value)) if type(value) is float else (type(value), value)


class _Chunks:
    """Values of one dtype added as arrays or one at a time, concatenated once at the end."""

    def __init__(self, dtype) -> None:
        self.dtype = dtype
        self.arrays: list[np.ndarray] = []
        self.pending: list = []

    def extend(self, values: np.ndarray) -> None:
        self._flush()
        self.arrays.append(values)

    def append(self, value) -> None:
        self.pending.append(value)

    def array(self) -> np.ndarray:
        self._flush()
        return np.concatenate(self.arrays) if self.arrays else np.zeros(0, self.dtype)

    def _flush(self) -> None:
        if self.pending:
            self.arrays.append(np.array(self.pending, self.dtype))
            self.pending = []


class _Coded:
    """One field as codes into a table of its values; :meth:`column` encodes it as
    :class:`geo.columns.Columns` would (codes in order of first appearance, floats, or a list)."""

    def __init__(self) -> None:
        self.index: dict = {}
        self.table: list = []
        self.codes = _Chunks(np.int32)
        self.values: list | None = None  # the values themselves, once one cannot be a key

    def code(self, value) -> int:
        key = _typed(value)
        code = self.index.get(key)
        if code is None:
            code = self.index[key] = len(self.table)
            self.table.append(value)
        return code

    def add_codes(self, codes: np.ndarray, table: list) -> None:
        if self.values is not None:
            self.values.extend(table[c] for c in codes.tolist())
            return
        lut = np.fromiter(map(self.code, table), np.int32, len(table))
        self.codes.extend(lut[codes])

    def add_same(self, value, n: int) -> None:
        self.add_codes(np.zeros(n, np.int32), [value])

    def add_one(self, value) -> None:
        if self.values is None:
            try:
                self.codes.append(self.code(value))
                return
            except TypeError:  # unhashable: the field keeps its values
                self.values = [self.table[c] for c in self.codes.array().tolist()]
                self.codes = _Chunks(np.int32)
        self.values.append(value)

    def column(self) -> tuple:
        if self.values is not None:
            return columns.encode(self.values)
        codes = self.codes.array()
        if not len(codes):
            return columns.encode([])
        distinct, first = np.unique(codes, return_index=True)
        order = distinct[np.argsort(first, kind="stable")]
        table = [self.table[c] for c in order.tolist()]
        renumber = np.zeros(len(self.table), np.int64)
        renumber[order] = np.arange(len(order))
        codes = renumber[codes]
        kinds = set(map(type, table))
        if float in kinds and kinds <= {float, type(None)}:
            floats = np.array([np.nan if v is None else v for v in table], np.float64)
            return ("float", floats[codes])
        if kinds == {tuple} or len(table) > max(256, len(codes) // 4):
            return columns.encode([table[c] for c in codes.tolist()])
        dtype = np.int8 if len(table) < 128 else np.int16 if len(table) < 2**15 else np.int32
        return ("codes", codes.astype(dtype), table)


class _Floats:
    """A field of floats (``length_km``), kept as floats while every value is one."""

    def __init__(self) -> None:
        self.floats = _Chunks(np.float64)
        self.values: list | None = None  # the values themselves, once one is not a float

    def add_floats(self, values: np.ndarray) -> None:
        if self.values is not None:
            self.values.extend(values.tolist())
            return
        self.floats.extend(values)

    def add_one(self, value) -> None:
        if self.values is None and type(value) is float:
            self.floats.append(value)
            return
        if self.values is None:
            self.values = self.floats.array().tolist()
        self.values.append(value)

    def column(self) -> tuple:
        if self.values is not None:
            return columns.encode(self.values)
        floats = self.floats.array()
        return ("float", floats) if len(floats) else columns.encode([])


class _Coords:
    """The ``coords`` field: flat lon/lat pairs and the number of positions of each link."""

    def __init__(self) -> None:
        self.flat: list[np.ndarray] = []
        self.sizes: list[np.ndarray] = []
        self.values: list | None = None

    def add_flat(self, flat: np.ndarray, sizes: np.ndarray) -> None:
        self.flat.append(flat)
        self.sizes.append(sizes)

    def add_one(self, coords: tuple) -> None:
        if self.values is None and not all(type(p) is tuple and len(p) == 2 for p in coords):
            self.values = columns.decoded(self.column())  # as Columns keeps them
        if self.values is not None:
            self.values.append(coords)
            return
        self.flat.append(np.fromiter((c for p in coords for c in p), np.float64, 2 * len(coords)))
        self.sizes.append(np.array([len(coords)], np.int64))

    def column(self) -> tuple:
        if self.values is not None:
            return columns.encode(self.values)
        if not self.sizes:
            return columns.encode([])
        sizes = np.concatenate(self.sizes)
        offsets = np.zeros(len(sizes) + 1, np.int64)
        np.cumsum(sizes, out=offsets[1:])
        return ("coords", np.concatenate(self.flat), offsets)


class _Refs:
    """A link's end, as positions into the nodes (ids of single links resolved at the end)."""

    def __init__(self) -> None:
        self.pieces: list = []

    def add_positions(self, positions: np.ndarray) -> None:
        self.pieces.append(positions)

    def add_one(self, node_id: str) -> None:
        if not self.pieces or type(self.pieces[-1]) is not list:
            self.pieces.append([])
        self.pieces[-1].append(node_id)

    def column(self, position: Mapping[str, int], ids: list[str]) -> tuple:
        parts = [
            p.astype(np.int32)
            if type(p) is not list
            else np.fromiter(map(position.__getitem__, p), np.int32, len(p))
            for p in self.pieces
        ]
        return ("ref", np.concatenate(parts) if parts else np.zeros(0, np.int32), ids)


def _field(name: str):
    """The store of one field of the links."""
    if name in _REFS:
        return _Refs()
    return _Coords() if name == "coords" else _Floats() if name == "length_km" else _Coded()


class LinkStore:
    """The links read so far, in file order; see the module's doc."""

    def __init__(self, links: dict[str, model.Link] | None = None) -> None:
        """``links``: those read so far (the dict is taken over)."""
        self.dict: dict[str, model.Link] | None = {} if links is None else links  # until a run
        self.ids: list[str] = []
        self.position: dict[str, int] = {}
        self.starts: list[int] = []  # the first row of each run of rows of one file
        self.files: list[str] = []  # that file
        self.fields: dict = {}

    def __len__(self) -> int:
        return len(self.dict) if self.dict is not None else len(self.ids)

    def add(self, link: model.Link | None, file: str, index: int, problems: list[Problem]) -> bool:
        """Add one link as :func:`geo.features.add_unique` adds it; return whether added."""
        if link is None:
            return False
        if self.dict is not None:
            first = self.dict.get(link.id)
            if first is None:
                self.dict[link.id] = link
                return True
            problems.append(
                Problem(file, f"duplicate id; already used in {first.file}", index, link.id, "id")
            )
            return False
        if link.id in self.position:
            problems.append(self._duplicate(link.id, file, index))
            return False
        self._row(link.id, link.file)
        for name, store in self.fields.items():
            store.add_one(getattr(link, name))
        return True

    def add_block(
        self,
        block: linkblock.Block,
        file: str,
        problems: list[Problem],
        check: Callable[[int, dict], model.Link | None],
    ) -> None:
        """Add a run's links and, at their places among them, those ``check`` makes of the rest."""
        if not len(block) and not block.rest:
            return
        if self.dict is not None:
            self._to_columns()
        cleared = block.start + block.at
        done = 0
        for index, feature in block.rest:
            upto = int(np.searchsorted(cleared, index))
            self._take(block, done, upto, file, problems)
            done = upto
            self.add(check(index, feature), file, index, problems)
        self._take(block, done, len(block), file, problems)

    def links(self, node_ids: list[str], *, columns_over: int) -> Mapping[str, model.Link]:
        """The links, as a dict or (more than ``columns_over`` of them, read in runs) as
        :class:`geo.columns.Columns`, their ends as positions into ``node_ids``."""
        if self.dict is not None:
            return self.dict
        position = {k: i for i, k in enumerate(node_ids)}
        out = {}
        for name, store in self.fields.items():
            out[name] = store.column(position, node_ids) if name in _REFS else store.column()
        table = columns.Columns.from_columns(model.Link, list(self.ids), out)
        return table if len(table) > columns_over else dict(table.items())

    def _to_columns(self) -> None:
        links, self.dict = self.dict, None
        self.fields = {name: _field(name) for name in _FIELDS}
        for link in links.values():
            self.add(link, link.file, 0, [])

    def _file(self, file: str) -> None:
        """Note that the next row is of ``file``."""
        if not self.files or self.files[-1] != file:
            self.starts.append(len(self.ids))
            self.files.append(file)

    def _row(self, link_id: str, file: str) -> None:
        self._file(file)
        self.position[link_id] = len(self.ids)
        self.ids.append(link_id)

    def _duplicate(self, link_id: str, file: str, index: int) -> Problem:
        row = self.position[link_id]
        first = self.files[bisect.bisect_right(self.starts, row) - 1]
        return Problem(file, f"duplicate id; already used in {first}", index, link_id, "id")

    def _take(self, block: linkblock.Block, lo: int, hi: int, file: str, problems: list[Problem]) -> None:
        """Add the cleared links ``lo:hi`` of ``block`` (those whose id is new)."""
        if hi <= lo:
            return
        ids = block.ids[lo:hi]
        rows = np.arange(lo, hi)
        if len(set(ids)) != len(ids) or not self.position.keys().isdisjoint(ids):
            kept, here = [], set()
            for j, link_id in zip(range(lo, hi), ids, strict=True):
                index = block.start + int(block.at[j])
                if link_id in self.position:
                    problems.append(self._duplicate(link_id, file, index))
                elif link_id in here:
                    msg = f"duplicate id; already used in {file}"
                    problems.append(Problem(file, msg, index, link_id, "id"))
                else:
                    here.add(link_id)
                    kept.append(j)
            rows = np.asarray(kept, np.int64)
        if not len(rows):
            return
        self._file(file)
        first = len(self.ids)
        new = [block.ids[j] for j in rows.tolist()] if len(rows) != hi - lo else ids
        self.position.update(zip(new, range(first, first + len(new)), strict=True))
        self.ids.extend(new)
        cols, n = block.columns, len(rows)
        for name, store in self.fields.items():
            if name in _REFS:
                store.add_positions(cols[name][rows])
            elif name == "coords":
                flat, sizes = cols["coords"]
                if n == len(sizes):
                    store.add_flat(flat, sizes)
                else:
                    keep = np.zeros(len(sizes), bool)
                    keep[rows] = True
                    store.add_flat(flat.reshape(-1, 2)[np.repeat(keep, sizes)].reshape(-1), sizes[rows])
            elif name == "length_km":
                store.add_floats(cols[name][rows])
            elif name == "file":
                store.add_same(file, n)
            elif name in linkblock.DEFAULTS:
                store.add_same(linkblock.DEFAULTS[name], n)
            else:
                codes, table = cols[name]
                store.add_codes(codes[rows], table)
