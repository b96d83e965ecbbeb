"""Write the new bytes of a network folder's files all or nothing, and undo an interrupted write.

:func:`commit` stages each new file and backs up each old one in ``DIR/.corridors-add``, with
a journal of the renames (:mod:`geo.journal`), then renames them into place; on any failure it
rolls back to the bytes that were there before. A crash mid-way (the process killed) leaves the
journal behind: :func:`recover` undoes the write, and the folder refuses to load until it has.
:func:`lock` keeps two writers apart.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corridors.geo import journal, paths
from corridors.geo.errors import NetworkDataError

log = logging.getLogger(__name__)

#: The lock file of a network folder: ``corridors add`` holds an exclusive ``flock`` on it.
LOCK_FILE = ".corridors.lock"


@dataclass(frozen=True, slots=True)
class Change:
    """The new bytes of one file of a network folder (``old`` is None for a new file)."""

    path: Path
    old: bytes | None
    new: bytes
    kind: str
    added: tuple[str, ...]


@contextlib.contextmanager
def lock(folder: str | Path) -> Iterator[None]:
    """Hold the exclusive write lock of a network folder (``flock`` on :data:`LOCK_FILE`).

    Raises
    ------
    NetworkDataError
        At once, when another process holds the lock.
    """
    import fcntl

    path = Path(folder) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as err:
        msg = f"{folder}: cannot create the lock file {LOCK_FILE}: {err.strerror or err}"
        raise NetworkDataError(msg) from err
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            msg = f"{folder}: another `corridors add` is writing this folder; try again when it has finished"
            raise NetworkDataError(msg) from None
        yield
    finally:
        os.close(fd)


def commit(folder: Path, changes: list[Change]) -> None:
    """Write ``changes`` into ``folder``: every file, or (on any failure) none. Hold :func:`lock`.

    Each new file content is staged and each old one backed up in ``DIR/.corridors-add``, with a
    journal of the renames; then the staged files are renamed into place. Removing the journal
    commits the write; until then :func:`recover` restores the old bytes.

    Raises
    ------
    NetworkDataError
        When a file changed since its new bytes were worked out, or cannot be written; the
        folder is then as it was.
    """
    pending = folder / paths.PENDING_DIR
    for change in changes:
        now = change.path.read_bytes() if change.path.exists() else None
        if now != change.old:
            msg = f"{change.path}: changed since it was checked; run the command again"
            raise NetworkDataError(msg)
    _check_writable(changes)
    try:
        pending.mkdir()
        entries, made = _stage(folder, changes, pending)
        _write(pending / journal.JOURNAL, journal.encode(entries, made), None)
        _sync_dir(pending)
        for name in made:
            (folder / name).mkdir(parents=True)
        for entry in entries:
            os.replace(pending / entry.staged, folder / entry.target)
        for parent in {folder, *(c.path.parent for c in changes)}:
            _sync_dir(parent)
    except BaseException as err:
        recover(folder)
        if isinstance(err, OSError):
            what = _named_target(err, folder, changes)
            msg = f"{folder}: could not write {what}: {err.strerror or err}; nothing was changed"
            raise NetworkDataError(msg) from None
        raise
    os.replace(pending / journal.JOURNAL, pending / journal.DONE)  # the commit point
    shutil.rmtree(pending, ignore_errors=True)
    log.info("Merged %d file(s) into %s", len(changes), folder)


def _named_target(err: OSError, folder: Path, changes: list[Change]) -> str:
    """The file of the folder an error was about: a staged file or backup is named by its target."""
    pending = folder / paths.PENDING_DIR
    for path in (err.filename, err.filename2):
        if not path:
            continue
        name = Path(path).name
        if Path(path).parent == pending and name.split(".")[0].isdigit():
            n = int(name.split(".")[0])
            if n < len(changes):
                return str(changes[n].path)
        elif Path(path).parent != pending:
            return str(path)
    return "its files"


def _check_writable(changes: list[Change]) -> None:
    """Refuse to write through a symbolic link: ``links`` and each target must be real."""
    for change in changes:
        for path in (change.path.parent, change.path):
            if path.is_symlink():
                msg = f"{path}: is a symbolic link; `corridors add` writes only the folder's own files"
                raise NetworkDataError(msg)


def _stage(folder: Path, changes: list[Change], pending: Path) -> tuple[list[journal.Entry], list[str]]:
    """Write each new file content and each backup into the staging folder; list the renames."""
    entries: list[journal.Entry] = []
    made: list[str] = []
    for n, change in enumerate(changes):
        mode = stat.S_IMODE(change.path.stat().st_mode) if change.old is not None else None
        _write(pending / f"{n}.new", change.new, mode)
        if change.old is not None:
            _write(pending / f"{n}.old", change.old, mode)
        target = change.path.relative_to(folder).as_posix()
        entries.append(journal.Entry(target, f"{n}.new", f"{n}.old" if change.old is not None else None))
        parent = change.path.parent
        if not parent.exists() and parent.relative_to(folder).as_posix() not in made:
            made.append(parent.relative_to(folder).as_posix())
    return entries, made


def _write(path: Path, data: bytes, mode: int | None) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    if mode is not None:
        os.chmod(path, mode)


def _sync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


#: What :func:`recover` found: an add undone, one that had committed (its leftover staging
#: removed), one stopped while staging (nothing had been renamed), or nothing at all ("").
UNDONE, FINISHED, NOT_STARTED = "undone", "finished", "not started"


def recover(folder: str | Path) -> str:
    """Undo a merge that was interrupted; say what was found (see :data:`UNDONE`). Hold :func:`lock`.

    With a journal, each file is put back from its backup and each new file removed; without
    one (the process stopped while staging), nothing had been renamed yet; after the commit point
    the merge stays. Either way the staging folder goes. Returns ``""`` when there was none.

    Raises
    ------
    NetworkDataError
        When the staging folder or its journal is not what :func:`commit` writes (see
        :mod:`geo.journal`); nothing is then changed.
    """
    folder = Path(folder)
    pending = journal.staging_folder(folder)
    if pending is None:
        return ""
    found = journal.read(pending)
    if os.path.lexists(pending / journal.DONE):
        state = FINISHED
    elif found is None:
        state = NOT_STARTED
    else:
        journal.check_paths(folder, pending, found)
        _undo(folder, pending, found)
        state = UNDONE
    shutil.rmtree(pending)
    log.info("Interrupted merge in %s: %s", folder, state)
    return state


def _undo(folder: Path, pending: Path, found: journal.Journal) -> None:
    for entry in reversed(found.entries):
        target = folder / entry.target
        if entry.backup:
            backup = pending / entry.backup
            if backup.exists():
                _restore(backup, target)
        else:
            target.unlink(missing_ok=True)
    for name in reversed(found.made):
        with contextlib.suppress(OSError):
            (folder / name).rmdir()


def _restore(backup: Path, target: Path) -> None:
    try:
        os.replace(backup, target)
    except OSError:  # renaming failed: copy the bytes back instead, never through a link
        data = backup.read_bytes()
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
