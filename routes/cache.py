"""Cache of loaded networks: what is derived from files that did not change is not rebuilt.

A cache entry is the loaded network (its :class:`geo.model.Network` and its graph, or the array
form of the graph for large networks), keyed by the content of every file read and of every
module of ``geo`` and ``routes`` (so a changed cost model never serves stale weights): a SHA-256
of the bytes, not sizes and times, so an edit that keeps the size and the time stamp (``cp -p``,
``rsync -t``, an unpacked archive) still makes a new key. The digest of a large file is
remembered with its ``stat``, change time included (:class:`_Digests`), so that a cached load
does not read every input file again. Networks of fewer than
:data:`MIN_EDGES` graph edges are not cached. The folder is ``$CORRIDORS_CACHE_DIR``, else
``$XDG_CACHE_HOME/corridors``, else ``~/.cache/corridors``; ``CORRIDORS_CACHE_DIR=off`` disables it.

Format, and why. An entry is a pickle (the built objects as they are: a networkx graph, numpy
arrays, dataclasses) sealed with an HMAC-SHA256 under a secret key of 32 random bytes kept in
the cache folder's ``key`` file (mode 0600). The tag is checked before a single byte is
unpickled, so a file planted in the folder (or a flipped bit) is discarded, never run or
trusted: making a valid tag needs the key. The key is as safe as the folder, so the folder must
be owned by the user running corridors and writable by no one else, and the key file must be a
regular file owned by that user and readable by no one else; otherwise the cache is not used
and a warning says why. Files are opened relative to the checked folder and never through a
symbolic link. A data-only format (numpy ``.npz`` plus JSON) would need a converter for every
class that is cached and to rebuild the networkx graph on each load, which is where most of the
cold-load time goes; an authenticated pickle keeps cached loads of 10^6 links at the speed of
unpickling plus one pass of SHA-256 over the entry.

The layout of an entry, mapped into memory rather than read, is :mod:`routes.cache_entry`.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import json
import logging
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

from corridors.geo import safeio
from corridors.geo.errors import FileAccessError
from corridors.routes import cache_entry

log = logging.getLogger(__name__)

#: Graphs smaller than this are rebuilt each time: cheap, and they would only fill the cache.
MIN_EDGES = 1_000
#: The first bytes of every entry; a new format gets a new one.
MAGIC = cache_entry.MAGIC
#: The name of the secret key file in the cache folder.
KEY_FILE = "key"
_KEY_BYTES = 32
_TAG_BYTES = cache_entry.TAG_BYTES
#: Files larger than this are not hashed for a key (the network reader refuses them anyway).
MAX_KEYED_BYTES = 4 * 1024**3
#: Files of at least this size have their digest remembered (:class:`_Digests`).
MIN_REMEMBERED_BYTES = 1 << 20
#: The file of remembered digests in the cache folder, and how many it keeps at most.
DIGESTS_FILE = "digests"
_MAX_DIGESTS = 256
_MAX_DIGESTS_BYTES = 1 << 20
#: A file changed less than this long ago (2 s) has its digest taken afresh.
_RACY_NS = 2 * 10**9
_ENV = "CORRIDORS_CACHE_DIR"
_warned: set[str] = set()


def folder() -> Path | None:
    """The cache folder, or None when caching is off."""
    env = os.environ.get(_ENV)
    if env == "off":
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "corridors"


def key(files: Iterable[str | Path]) -> str | None:
    """What identifies a build: the SHA-256 of every file read and of every module of the code
    that builds from them, with the paths. The cache serves a result only to an identical key.
    None when a file cannot be read as a regular file (the reader then says why).

    The digest of a large file is remembered (:class:`_Digests`) beside the file's device,
    inode, size and time stamps, change time included: no edit keeps all of them.
    """
    code = sorted(p for pkg in ("geo", "routes") for p in (Path(__file__).parent.parent / pkg).glob("*.py"))
    lines = [MAGIC.decode().strip()]
    digests = _Digests()
    try:
        for f in [*code, *map(Path, files)]:
            lines.append(f"{f.absolute()}|{digests.sha256(f)}")
    except FileAccessError:
        return None
    digests.save()
    return "\n".join(lines)


class _Digests:
    """The SHA-256 of large input files by their ``stat``, kept sealed in the cache folder.

    A digest is taken from the file ``DIGESTS_FILE`` only while the file's device, inode, size,
    modification and change times (``st_ctime_ns``, which only the kernel sets, on every write
    or time stamp change) are those it was hashed with; a file changed within the last
    :data:`_RACY_NS` is hashed again each time, since a second change so soon may leave its
    time stamps as they were (as git does for its index). The file is sealed like an entry.
    """

    def __init__(self) -> None:
        self.known: dict[str, list] = {}
        self.changed = False
        with _opened(create=False) as (dfd, secret):
            fh = _open_entry(dfd, DIGESTS_FILE) if dfd is not None else None
            if fh is not None:
                with fh:
                    data = fh.read(_MAX_DIGESTS_BYTES + 1)
                self.known = _unsealed_digests(secret, data)

    def sha256(self, path: Path) -> str:
        try:
            st = os.stat(path)
        except OSError:
            return safeio.sha256(path, max_bytes=MAX_KEYED_BYTES)  # says why it cannot be read
        name = str(path.absolute())
        seen = [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
        entry = self.known.get(name)
        if entry is not None and entry[:5] == seen and stat.S_ISREG(st.st_mode):
            return entry[5]
        digest = safeio.sha256(path, max_bytes=MAX_KEYED_BYTES)
        settled = time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > _RACY_NS
        if st.st_size >= MIN_REMEMBERED_BYTES and settled:
            self.known[name] = [*seen, digest]
            self.changed = True
        return digest

    def save(self) -> None:
        if not self.changed:
            return
        known = dict(list(self.known.items())[-_MAX_DIGESTS:])
        payload = json.dumps(known).encode()
        with _opened(create=True) as (dfd, secret):
            if dfd is not None:
                head = MAGIC + cache_entry.seal(secret, DIGESTS_FILE, payload)
                _write_atomic(dfd, DIGESTS_FILE, lambda fh: fh.write(head + payload))


def _unsealed_digests(secret: bytes, data: bytes) -> dict[str, list]:
    """The digests of a sealed ``DIGESTS_FILE``, or none if the seal or the content is wrong."""
    head = len(MAGIC) + _TAG_BYTES
    payload = data[head:]
    if not data.startswith(MAGIC) or not hmac.compare_digest(
        data[len(MAGIC) : head], cache_entry.seal(secret, DIGESTS_FILE, payload)
    ):
        return {}
    try:
        known = json.loads(payload)
    except ValueError:
        return {}
    ok = isinstance(known, dict) and all(_digest_entry(v) for v in known.values())
    return known if ok else {}


def _digest_entry(value: Any) -> bool:
    """True for ``[device, inode, size, mtime_ns, ctime_ns, sha256]``."""
    return (
        isinstance(value, list)
        and len(value) == 6
        and all(type(x) is int for x in value[:5])
        and isinstance(value[5], str)
    )


def _name(k: str) -> str:
    return hashlib.sha256(k.encode()).hexdigest()[:32] + ".pickle"


def _path(where: Path, k: str) -> Path:
    return where / _name(k)


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
    """The object cached under key ``k``, or None (missing, unsealed, corrupt, or another key)."""
    with _opened(create=False) as (dfd, secret):
        fh = _open_entry(dfd, _name(k)) if dfd is not None else None
        if fh is None:
            return None
        with fh:
            found = cache_entry.read(fh.fileno(), secret, k, no_gc)
        if found is None:
            return None
        stored, obj = found
        return obj if stored == k else None


def put(k: str, obj: Any) -> None:
    """Store ``obj`` under key ``k``, atomically; a cache that can't be written is skipped.

    The entry is written as it is made, sealed on the way (:func:`routes.cache_entry.write`).
    """
    with _opened(create=True) as (dfd, secret):
        if dfd is not None:
            _write_atomic(dfd, _name(k), lambda fh: cache_entry.write(fh, secret, k, obj))


def _write_atomic(dfd: int, name: str, write: Callable[[BinaryIO], Any]) -> None:
    """Write a file ``name`` of the folder with ``write(file)``, whole or not at all."""
    tmp = f".{secrets.token_hex(8)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=dfd)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
    except BaseException as err:  # no half-written file is left, whatever stopped the writing
        with suppress(OSError):
            os.unlink(tmp, dir_fd=dfd)
        if not isinstance(err, OSError):
            raise


@contextmanager
def _opened(*, create: bool) -> Iterator[tuple[int | None, bytes]]:
    """The checked cache folder (a descriptor) and its secret key, or ``(None, b"")``."""
    where = folder()
    dfd = _open_folder(where, create=create) if where is not None else None
    try:
        secret = _secret(where, dfd, create=create) if dfd is not None else None
        yield (dfd, secret) if secret is not None else (None, b"")
    finally:
        if dfd is not None:
            os.close(dfd)


def _open_folder(where: Path, *, create: bool) -> int | None:
    """A descriptor of the cache folder once it is known safe; None (with a warning) if not."""
    if create:
        with suppress(OSError):
            where.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        dfd = os.open(where, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    st = os.fstat(dfd)
    why = unsafe_owner(st, group_may_read=True)
    if why:
        os.close(dfd)
        _warn(f"cache folder {where} {why}: not using it (make it yours, mode 0700, or set {_ENV})")
        return None
    return dfd


def unsafe_owner(st: os.stat_result, *, group_may_read: bool) -> str | None:
    """Why a file or folder of ``st`` cannot be trusted by this user, or None."""
    if st.st_uid != os.geteuid():
        return f"is owned by user {st.st_uid}, not by this user ({os.geteuid()})"
    loose = stat.S_IMODE(st.st_mode) & (0o022 if group_may_read else 0o077)
    if loose:
        may = "write" if loose & 0o022 else "read"
        return f"has mode {stat.S_IMODE(st.st_mode):04o}: others may {may} it"
    return None


def _secret(where: Path, dfd: int, *, create: bool) -> bytes | None:
    """The cache's secret key; made on first use (``create``); None (with a warning) if unsafe."""
    try:
        fd = os.open(KEY_FILE, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dfd)
    except FileNotFoundError:
        return _new_secret(dfd) if create else None
    except OSError as err:
        _warn(f"cache key {where / KEY_FILE} cannot be read ({err.strerror}): not using the cache")
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        regular = stat.S_ISREG(st.st_mode)
        why = unsafe_owner(st, group_may_read=False) if regular else "is not a regular file"
        secret = fh.read(_KEY_BYTES + 1) if why is None else b""
    if why is None and len(secret) != _KEY_BYTES:
        why = f"is not {_KEY_BYTES} bytes long"
    if why:
        _warn(f"cache key {where / KEY_FILE} {why}: not using the cache (delete the file to make a new key)")
        return None
    return secret


def _new_secret(dfd: int) -> bytes | None:
    secret = secrets.token_bytes(_KEY_BYTES)
    try:
        fd = os.open(KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=dfd)
    except OSError:
        return None
    with os.fdopen(fd, "wb") as fh:
        fh.write(secret)
    return secret


def _open_entry(dfd: int, name: str) -> BinaryIO | None:
    """An entry opened for reading if it is a regular file of this user, else None.

    Only this user can write such a file in the checked folder; the bytes that pass the seal
    are the bytes then unpickled (:func:`_unsealed`).
    """
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dfd)
    except OSError:
        return None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
        os.close(fd)
        return None
    return os.fdopen(fd, "rb", buffering=1 << 20)


def _warn(msg: str) -> None:
    if msg not in _warned:
        _warned.add(msg)
        log.warning(msg)
