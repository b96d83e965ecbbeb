"""Cache of loaded networks: what is derived from files that did not change is not rebuilt.

A cache entry is a pickle of the loaded network (its :class:`geo.model.Network` and the array
form of its graph), keyed by the corridors version and the path, size and modification time
of every file read. Only large networks are cached: the built-in network parses and builds
faster than a pickle loads. The folder is ``$CORRIDORS_CACHE_DIR``, else
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
from importlib import metadata
from pathlib import Path
from typing import Any


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
    """A key that changes when any file, or corridors itself, changes."""
    try:
        version = metadata.version("corridors")
    except metadata.PackageNotFoundError:
        version = "dev"
    h = hashlib.sha256(f"corridors {version} cache 1".encode())
    for f in files:
        st = Path(f).stat()
        h.update(f"{Path(f).resolve()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
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
