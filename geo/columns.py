"""Store many nodes or links column by column: a read-only mapping that loads fast.

A network of a million links holds millions of small objects; pickling them one by one makes a
cache slower to load than the files it replaces. :class:`Columns` keeps each field as one
numpy array (numbers, coordinates), as codes into a small table (repeated values such as
modes, statuses, corridors and sources), or as a plain list, and builds an object only when it
is asked for.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

import numpy as np

T = TypeVar("T")


def _encode(values: list[Any]) -> tuple:
    # the types are read first, in one pass each (a column of a large network holds millions)
    kinds = set(map(type, values))
    if float in kinds and kinds <= {float, type(None)}:
        return ("float", np.array([math.nan if v is None else v for v in values], dtype=np.float64))
    points = itertools.chain.from_iterable(values) if kinds == {tuple} else ()
    if kinds == {tuple} and set(map(type, points)) == {tuple} and _pairs(values):
        offsets = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, values), np.int64, len(values)), out=offsets[1:])
        points = itertools.chain.from_iterable(itertools.chain.from_iterable(values))
        flat = np.fromiter(points, np.float64, 2 * int(offsets[-1]))
        return ("coords", flat, offsets)
    # 1, 1.0 and True are equal keys of a dict, as are 0.0 and -0.0: where values of several
    # types (or floats) are mixed, each is told apart by its type (and a float by its text)
    kinds -= {type(None)}
    keys = values if len(kinds) <= 1 and float not in kinds else list(map(_key, values))
    try:
        index = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    except TypeError:
        return ("list", values)
    if len(index) <= max(256, len(values) // 4):
        table = list(index) if keys is values else [float(k[1]) if k[0] is float else k[1] for k in index]
        dtype = np.int8 if len(table) < 128 else np.int16 if len(table) < 2**15 else np.int32
        return ("codes", np.fromiter(map(index.__getitem__, keys), dtype, len(values)), table)
    return ("list", values)


def _pairs(values: list[tuple]) -> bool:
    """Whether every position of every line (a tuple of tuples) is a pair, and there is one."""
    sizes = set(map(len, itertools.chain.from_iterable(values)))
    return sizes == {2}


def _key(value: Any) -> Any:
    """A key that no value of another type, or another float, is equal to."""
    return (type(value), repr(value)) if type(value) is float else (type(value), value)


def _refer(values: list[Any], other: Columns) -> tuple | None:
    """Ids of ``other`` as positions into its ids (``("ref", positions, ids)``), or None."""
    positions = other.positions()
    try:
        return ("ref", np.fromiter(map(positions.__getitem__, values), np.int32, len(values)), other.ids)
    except (KeyError, TypeError):
        return None


def _decode(column: tuple, i: int) -> Any:
    kind = column[0]
    if kind == "ref":
        return column[2][column[1][i]]
    if kind == "float":
        v = column[1][i]
        return None if math.isnan(v) else float(v)
    if kind == "coords":
        flat, offsets = column[1], column[2]
        pts = flat[2 * offsets[i] : 2 * offsets[i + 1]]
        return tuple((float(pts[j]), float(pts[j + 1])) for j in range(0, len(pts), 2))
    if kind == "codes":
        return column[2][column[1][i]]
    return column[1][i]


#: A column of values as :class:`Columns` stores it (numbers, coordinates, codes or a list).
encode = _encode


def decoded(column: tuple) -> list:
    """Every value of a column, in order."""
    kind = column[0]
    n = len(column[2]) - 1 if kind == "coords" else len(column[1])
    return [_decode(column, i) for i in range(n)]


def column_codes(column: tuple) -> tuple[np.ndarray, list]:
    """A column as integer codes into a table of its distinct values: ``values[i] ==
    table[codes[i]]``. Values that cannot be told apart as keys (a dict) get a code each; a
    missing float (NaN) reads None."""
    kind = column[0]
    if kind in ("codes", "ref"):
        return column[1].astype(np.int64), list(column[2])
    if kind == "float":
        distinct, codes = np.unique(column[1], return_inverse=True)  # one NaN, last
        return codes.reshape(-1).astype(np.int64), [None if math.isnan(v) else v for v in distinct.tolist()]
    if kind != "list":
        msg = f"a column of {kind} has no codes"
        raise ValueError(msg)
    values = column[1]
    kinds = set(map(type, values)) - {type(None)}
    keys = values if len(kinds) <= 1 and float not in kinds else list(map(_key, values))
    try:
        index = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    except TypeError:  # unhashable values: each its own
        return np.arange(len(values), dtype=np.int64), list(values)
    table = [None] * len(index)
    for k, v in zip(keys, values, strict=True):
        table[index[k]] = v
    return np.fromiter(map(index.__getitem__, keys), np.int64, len(values)), table


class Columns(Mapping[str, T], Generic[T]):
    """A read-only mapping ``id -> object`` of one dataclass, stored column by column."""

    def __init__(
        self, cls: type[T], items: Iterable[T], *, refs: Mapping[str, Columns] | None = None
    ) -> None:
        """``refs`` names fields that hold ids of another :class:`Columns` (a link's ``from_id``):
        they are kept as positions into its ids, one shared list of strings."""
        rows = list(items)
        self.cls = cls
        self.ids = list(map(operator.attrgetter("id"), rows))
        self.columns = {}
        for f in dataclasses.fields(cls):
            if f.name != "id":
                values = list(map(operator.attrgetter(f.name), rows))
                other = (refs or {}).get(f.name)
                self.columns[f.name] = (other and _refer(values, other)) or _encode(values)
        self._index: dict[str, int] | None = None
        self._rows: dict[int, T] = {}

    @classmethod
    def from_columns(cls, of: type[T], ids: list[str], columns: dict[str, tuple]) -> Columns[T]:
        """The mapping of ``ids`` whose fields are ``columns``, stored as :func:`encode` stores them."""
        self = cls.__new__(cls)
        self.__setstate__({"cls": of, "ids": ids, "columns": columns})
        return self

    def share_refs(self, refs: Mapping[str, Columns]) -> None:
        """Let the fields named in ``refs`` that hold positions into the same ids share the ids of
        those :class:`Columns` (one list of strings)."""
        for name, other in refs.items():
            column = self.columns[name]
            if column[0] == "ref" and column[2] is not other.ids and column[2] == other.ids:
                self.columns[name] = ("ref", column[1], other.ids)

    def __getstate__(self) -> dict:
        return {"cls": self.cls, "ids": joined(self.ids), "columns": self.columns}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, ids=split(state["ids"]))
        self._index = None  # made on the first look-up by id
        self._rows = {}

    def positions(self, *, lazy: bool = False) -> Mapping[str, int]:
        """Each id's position (read-only: shared with whoever asks); with ``lazy``, a view that
        makes the index on its first look-up (a million ids take a third of a second)."""
        return _Positions(self) if lazy else self._positions()

    def _positions(self) -> dict[str, int]:
        if self._index is None:
            self._index = {k: i for i, k in enumerate(self.ids)}
        return self._index

    def row(self, i: int) -> T:
        """The object at position ``i`` (built once, then kept: the objects are immutable)."""
        row = self._rows.get(i)
        if row is None:
            if len(self._rows) > 100_000:
                self._rows.clear()
            row = self._rows[i] = self._build(i)
        return row

    def __getitem__(self, key: str) -> T:
        return self.row(self._positions()[key])

    def __contains__(self, key: object) -> bool:
        return key in self._positions()

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def where(self, field: str, test: Callable[[Any], bool]) -> list[str]:
        """The ids of the rows whose ``field`` passes ``test``, without building the rows: a
        column of codes tests each of its distinct values once."""
        column = self.columns[field]
        if column[0] == "codes":
            passing = [code for code, value in enumerate(column[2]) if test(value)]
            at = np.flatnonzero(np.isin(column[1], passing)) if passing else []
        else:
            at = [i for i in range(len(self.ids)) if test(_decode(column, i))]
        return [self.ids[i] for i in at]

    def _build(self, i: int) -> T:
        return self.cls(id=self.ids[i], **{name: _decode(col, i) for name, col in self.columns.items()})

    def values(self):  # type: ignore[override]
        """Every object, built on the fly and not kept (a full scan would fill the memory)."""
        return (self._rows.get(i) or self._build(i) for i in range(len(self.ids)))

    def items(self):  # type: ignore[override]
        return ((k, self._rows.get(i) or self._build(i)) for i, k in enumerate(self.ids))


def joined(texts: list[str]) -> list[str] | tuple[int, str]:
    """A list of strings as one string and their number, to pickle: a million ids unpickle as
    one string split in a twentieth of a second, against a third of a second one by one. A
    list that a separator cannot join (a string holding ``\\0``, or not a string) stays a list."""
    text = "\0".join(texts) if all(type(t) is str for t in texts) else None
    if text is None or text.count("\0") != max(len(texts) - 1, 0):
        return texts
    return (len(texts), text)


def split(texts: list[str] | tuple[int, str]) -> list[str]:
    """The list :func:`joined` joined (a list passes as it is)."""
    if isinstance(texts, list):
        return texts
    n, text = texts
    return text.split("\0") if n else []


class _Positions(Mapping[str, int]):
    """The positions of a :class:`Columns`' ids, its index made on the first look-up."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns

    def __getitem__(self, key: str) -> int:
        return self._columns._positions()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._columns._positions()

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns.ids)

    def __len__(self) -> int:
        return len(self._columns.ids)
