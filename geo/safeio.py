"""Read inputs as regular files with a size bound; write outputs without harming what is there.

Every file corridors reads from a user (network folders, ``--with``, ``validate``, ``add``,
``rank --weights``) goes through :func:`read_bytes`: a device (``/dev/zero``), a FIFO, a socket
or a folder is refused at once, and no more than the bound is ever read. Every output (``--map``,
``--geojson``) goes through :func:`write_bytes`: a new file is written beside the target and
renamed over it, so the target is whole or untouched; symbolic links, devices and folders are
refused rather than replaced; an ordinary file keeps its permissions (and, where the process may
set them, its owner); and files listed as inputs are never replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from corridors.geo.errors import FileAccessError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISLNK, "a symbolic link"),
)


def kind_of(mode: int) -> str:
    """What a file of ``st_mode`` is, in words: ``"a regular file"``, ``"a FIFO (named pipe)"``..."""
    return next((name for test, name in _KINDS if test(mode)), "a regular file")


def read_bytes(path: str | Path, *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` bytes.

    The file is opened without blocking (a FIFO cannot hold the process) and checked on the
    open descriptor, so what is read is what was checked.

    Raises
    ------
    FileAccessError
        When the file is missing or unreadable, is not a regular file, or is over the bound.
    """
    fd = _open_checked(path, max_bytes)
    try:
        return _read_bounded(fd, path, max_bytes)
    except OSError as err:
        msg = f"{path}: cannot read file: {err.strerror or err}"
        raise FileAccessError(msg) from None
    finally:
        os.close(fd)


def check_input(path: str | Path, *, max_bytes: int) -> None:
    """Refuse, as :func:`read_bytes` would, a file that another reader is about to open.

    Raises
    ------
    FileAccessError
        When the file is missing or unreadable, is not a regular file, or is over the bound.
    """
    os.close(_open_checked(path, max_bytes))


def _open_checked(path: str | Path, max_bytes: int) -> int:
    """Open ``path`` without blocking; return the descriptor of a regular file within the bound."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        msg = f"{path}: cannot read file: {err.strerror or err}"
        raise FileAccessError(msg) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            msg = f"{path}: is {kind_of(st.st_mode)}, not a regular file"
            raise FileAccessError(msg)
        if st.st_size > max_bytes:
            msg = f"{path}: file is {st.st_size:,} bytes; the limit is {max_bytes:,}"
            raise FileAccessError(msg)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _read_bounded(fd: int, path: str | Path, max_bytes: int) -> bytes:
    chunks, total = [], 0
    while chunk := os.read(fd, min(1 << 24, max_bytes + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            msg = f"{path}: file grew past the limit of {max_bytes:,} bytes while it was read"
            raise FileAccessError(msg)
    return b"".join(chunks)


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    """Whether two ``stat`` results are of one file."""
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def check_target(path: str | Path, *, inputs: Iterable[str | Path] = ()) -> os.stat_result | None:
    """Refuse an output path that must not be replaced; return the ``lstat`` of what is there.

    Raises
    ------
    FileAccessError
        When the path is a symbolic link, a device, a FIFO, a socket or a folder, or is one of
        ``inputs`` (files the command reads, such as a network's files or ``--with`` files).
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as err:
        msg = f"{path}: cannot write file: {err.strerror or err}"
        raise FileAccessError(msg) from None
    if not stat.S_ISREG(st.st_mode):
        msg = f"{path}: is {kind_of(st.st_mode)}; give the path of a new or ordinary file"
        raise FileAccessError(msg)
    for item in inputs:
        with contextlib.suppress(OSError):
            if same_file(st, os.stat(item)):
                msg = f"{path}: is an input of this command ({item}); write the output elsewhere"
                raise FileAccessError(msg)
    return st


def write_bytes(path: str | Path, data: bytes, *, inputs: Iterable[str | Path] = ()) -> None:
    """Write ``data`` to ``path`` through a new file in the same folder renamed over it.

    An existing ordinary file keeps its permission bits (and owner and group where this process
    may set them); a new file gets ``0o666`` less the umask, like any file the shell makes.

    Raises
    ------
    FileAccessError
        See :func:`check_target`; also when the file cannot be written (the target is then
        untouched and no temporary file is left). The message names ``path``.
    """
    path = Path(path)
    old = check_target(path, inputs=inputs)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        msg = f"{path}: cannot write file: {err.strerror or err}"
        raise FileAccessError(msg) from None
    try:
        _fill(fd, data, old)
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            msg = f"{path}: cannot write file: {err.strerror or err}"
            raise FileAccessError(msg) from None
        raise


def _fill(fd: int, data: bytes, old: os.stat_result | None) -> None:
    """Write, set the mode (and owner) the target should have, and flush to disk; close ``fd``."""
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        if old is None:
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
        else:
            with contextlib.suppress(PermissionError):
                os.fchown(fh.fileno(), old.st_uid, old.st_gid)
            os.fchmod(fh.fileno(), stat.S_IMODE(old.st_mode))
        os.fsync(fh.fileno())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def sha256(path: str | Path, *, max_bytes: int) -> str:
    """The SHA-256 (hex) of a regular file of at most ``max_bytes`` bytes, read in blocks.

    Raises
    ------
    FileAccessError
        As :func:`read_bytes`.
    """
    import hashlib

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        msg = f"{path}: cannot read file: {err.strerror or err}"
        raise FileAccessError(msg) from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            msg = f"{path}: is {kind_of(st.st_mode)} of {st.st_size:,} bytes; expected a regular file"
            raise FileAccessError(msg)
        return hashlib.file_digest(fh, "sha256").hexdigest()
