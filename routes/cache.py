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
import hashlib
import os
import pickle
import tempfile
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
    """A key that changes when any file, or the code that builds from them, changes."""
    h = hashlib.sha256(b"corridors cache 2")
    code = sorted(p for pkg in ("geo", "routes") for p in (Path(__file__).parent.parent / pkg).glob("*.py"))
    for f in [*code, *map(Path, files)]:
        st = f.stat()
        h.update(f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


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
    """The cached object for key ``k``, or None (missing, unreadable or from another version)."""
    where = folder()
    path = where / f"{k}.pickle" if where else None
    if path is None or not path.is_file():
        return None
    try:
        with open(path, "rb") as fh, no_gc():
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


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
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, where / f"{k}.pickle")
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
