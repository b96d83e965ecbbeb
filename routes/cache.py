"""Cache of loaded networks: what is derived from files that did not change is not rebuilt.

A cache entry is a pickle of the loaded network (its :class:`geo.model.Network` and its graph,
or the array form of the graph for large networks), keyed by the size and modification time of
every module of ``geo`` and ``routes`` (so a changed cost model never serves stale weights)
and the path, size and modification time of every file read. Networks of fewer than
:data:`MIN_EDGES` graph edges are not cached. The folder is ``$CORRIDORS_CACHE_DIR``, else
``$XDG_CACHE_HOME/corridors``, else ``~/.cache/corridors``; ``CORRIDORS_CACHE_DIR=off`` disables it.
"""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
import zlib
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Graphs smaller than this are rebuilt each time: cheap, and they would only fill the cache.
MIN_EDGES = 1_000


def folder() -> Path | None:
    """The cache folder, or None when caching is off."""
    env = os.environ.get("CORRIDORS_CACHE_DIR")
    if env == "off":
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "corridors"


def key(files: Iterable[str | Path]) -> str:
    """What identifies a build: the size and modification time of every file read and of every
    module of the code that builds from them. The cache stores it beside the result and serves
    the result only to an identical key."""
    code = sorted(p for pkg in ("geo", "routes") for p in (Path(__file__).parent.parent / pkg).glob("*.py"))
    lines = ["corridors cache 3"]
    for f in [*code, *map(Path, files)]:
        st = f.stat()
        lines.append(f"{f.absolute()}|{st.st_size}|{st.st_mtime_ns}")
    return "\n".join(lines)


def _path(where: Path, k: str) -> Path:
    data = k.encode()
    return where / f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}.pickle"


@contextmanager
def no_gc():
    """Bulk loads create millions of small objects; the cyclic GC only slows them down."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def get(k: str) -> Any | None:
    """The object cached under key ``k``, or None (missing, unreadable, or another key)."""
    where = folder()
    path = _path(where, k) if where else None
    if path is None or not path.is_file():
        return None
    try:
        with open(path, "rb") as fh, no_gc():
            stored, obj = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    return obj if stored == k else None


def put(k: str, obj: Any) -> None:
    """Store ``obj`` under key ``k``, atomically; a cache that can't be written is skipped."""
    where = folder()
    if where is None:
        return
    tmp = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((k, obj), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, _path(where, k))
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
