"""The recovery journal of ``corridors add``: written by a commit, trusted by nothing else.

A network folder may come from anywhere (a zip, a git repository, a shared drive), and with it
a ``.corridors-add`` folder. Recovery acts only on what this module accepts: a journal of the
exact shape :func:`geo.transaction.commit` writes, whose targets are the folder's own
``nodes.geojson`` or ``links/<name>.geojson``, whose staged files and backups are plain names
inside ``.corridors-add``, and where no path on the way is a symbolic link. Anything else is a
:class:`NetworkDataError` and nothing is touched.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from corridors.geo import paths
from corridors.geo.errors import NetworkDataError

#: The journal of renames, in the staging folder.
JOURNAL = "journal.json"
#: Left in the staging folder at the commit point: the merge is in place, only cleanup remains.
DONE = "committed"
#: A journal is a few hundred bytes; a larger one is not ours.
MAX_JOURNAL_BYTES = 1_000_000
_STAGED = re.compile(r"^[0-9]{1,6}\.new$")
_BACKUP = re.compile(r"^[0-9]{1,6}\.old$")
_LINK_FILE = re.compile(r"^links/[^/\x00]+\.geojson$")
_MADE = ("links",)


@dataclass(frozen=True, slots=True)
class Entry:
    """One rename of a commit: ``staged`` went to ``target``; ``backup`` holds the old bytes."""

    target: str
    staged: str
    backup: str | None


@dataclass(frozen=True, slots=True)
class Journal:
    """The renames of a commit and the folders it made, as checked plain names."""

    entries: tuple[Entry, ...]
    made: tuple[str, ...]


def encode(entries: list[Entry], made: list[str]) -> bytes:
    """The bytes of a journal."""
    rows = [{"target": e.target, "staged": e.staged, "backup": e.backup} for e in entries]
    return json.dumps({"entries": rows, "made": made}).encode()


def staging_folder(folder: Path) -> Path | None:
    """The staging folder of a network folder, or None when there is none.

    Raises
    ------
    NetworkDataError
        When ``.corridors-add`` is a symbolic link or not a folder.
    """
    pending = folder / paths.PENDING_DIR
    try:
        st = os.lstat(pending)
    except FileNotFoundError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        _refuse(pending, "is not a folder (a symbolic link?)")
    return pending


def read(pending: Path) -> Journal | None:
    """The checked journal of a staging folder, or None when the commit never wrote one.

    Raises
    ------
    NetworkDataError
        When the journal is not one that :func:`encode` wrote for this folder.
    """
    path = pending / JOURNAL
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as err:
        _refuse(path, f"cannot be read ({err.strerror or err}; a symbolic link?)")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_JOURNAL_BYTES:
            _refuse(path, "is not a regular file of a journal's size")
        raw = os.read(fd, MAX_JOURNAL_BYTES + 1)
    finally:
        os.close(fd)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        _refuse(path, "is not valid JSON")
    return Journal(_entries(data, path), _made(data, path))


def _entries(data: Any, path: Path) -> tuple[Entry, ...]:
    shaped = isinstance(data, dict) and set(data) == {"entries", "made"}
    if not shaped or not isinstance(data["entries"], list):
        _refuse(path, 'expected {"entries": [...], "made": [...]}')
    out = []
    for n, row in enumerate(data["entries"]):
        if not isinstance(row, dict) or set(row) != {"target", "staged", "backup"}:
            _refuse(path, f"entry {n}: expected target, staged and backup")
        target, staged, backup = row["target"], row["staged"], row["backup"]
        if not isinstance(target, str) or not (target == "nodes.geojson" or _LINK_FILE.match(target)):
            _refuse(path, f"entry {n}: target {target!r} is not nodes.geojson or links/NAME.geojson")
        if not isinstance(staged, str) or not _STAGED.match(staged):
            _refuse(path, f"entry {n}: staged file {staged!r} is not a plain name of the staging folder")
        if backup is not None and (not isinstance(backup, str) or not _BACKUP.match(backup)):
            _refuse(path, f"entry {n}: backup {backup!r} is not a plain name of the staging folder")
        out.append(Entry(target, staged, backup))
    return tuple(out)


def _made(data: dict, path: Path) -> tuple[str, ...]:
    made = data["made"]
    if not isinstance(made, list) or any(m not in _MADE for m in made):
        _refuse(path, f"'made' must list only {', '.join(_MADE)}, got {made!r}"[:200])
    return tuple(made)


def check_paths(folder: Path, pending: Path, journal: Journal) -> None:
    """Refuse a journal whose files lie behind a symbolic link or are not regular files.

    Raises
    ------
    NetworkDataError
        When ``links`` is not a real folder, a target is a link or a special file, or a backup is
        not a regular file.
    """
    links = folder / "links"
    uses_links = any(e.target.startswith("links/") for e in journal.entries)
    if uses_links and os.path.lexists(links) and not stat.S_ISDIR(os.lstat(links).st_mode):
        _refuse(pending / JOURNAL, f"{links} is not a folder (a symbolic link?)")
    for entry in journal.entries:
        target = folder / entry.target
        if os.path.lexists(target) and not stat.S_ISREG(os.lstat(target).st_mode):
            _refuse(pending / JOURNAL, f"{target} is not a regular file (a symbolic link?)")
        backup = pending / entry.backup if entry.backup else None
        if backup is not None and os.path.lexists(backup) and not stat.S_ISREG(os.lstat(backup).st_mode):
            _refuse(pending / JOURNAL, f"{backup} is not a regular file (a symbolic link?)")


def _refuse(path: Path, why: str) -> NoReturn:
    msg = (
        f"{path}: {why}; this is not a journal `corridors add` wrote, so nothing was recovered "
        f"or changed: inspect {path.parent} and remove it by hand"
    )
    raise NetworkDataError(msg)
