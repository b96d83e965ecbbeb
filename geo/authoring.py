"""Add user-drawn GeoJSON to a network folder: check it, plan the merge, write all of it or nothing.

Users draw links (and new places) in QGIS or geojson.io. :func:`check_files` validates such
files against a network; :func:`plan_add` works out the new bytes of each file of the folder
(new links go to ``links/<file name>.geojson``, new nodes to the end of ``nodes.geojson``, with
the resolved ``from``/``to`` and generated ids written out); :func:`commit` writes them through a
transaction: staged files, backups and a journal in ``DIR/.corridors-add``, then renames, and on
any failure a rollback to the bytes that were there before. A crash mid-way (the process killed)
leaves the journal behind: :func:`recover` (or :func:`repair`, which takes the lock first) undoes
the merge, and the folder refuses to load until it has. :func:`lock` keeps two writers apart;
:func:`init_network` copies a network into a folder the user can edit.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import json
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridors.geo import io, journal, model, paths, validate
from corridors.geo.errors import NetworkDataError
from corridors.geo.validate import Problem

log = logging.getLogger(__name__)

#: The lock file of a network folder: ``corridors add`` holds an exclusive ``flock`` on it.
LOCK_FILE = ".corridors.lock"


@dataclass(slots=True)
class Check:
    """User files checked against a network: what each adds, and every problem found."""

    network: model.Network
    files: list[validate.UserFile]
    problems: list[Problem]
    features: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


@dataclass(frozen=True, slots=True)
class Change:
    """The new bytes of one file of a network folder (``old`` is None for a new file)."""

    path: Path
    old: bytes | None
    new: bytes
    kind: str
    added: tuple[str, ...]


@dataclass(slots=True)
class Merge:
    """A planned (and, once ``committed``, written) merge of user files into a network folder."""

    folder: Path
    check: Check
    changes: list[Change]
    committed: bool = False
    recovered: str = ""


def check_files(
    files: Iterable[str | Path], *, folder: str | Path | None = None, extra: Iterable[str | Path] = ()
) -> Check:
    """Validate user files against a network folder (default: the built-in network).

    Every file is read even when another one fails, and every problem is collected.

    Raises
    ------
    NetworkDataError
        When the network itself (with ``extra``) cannot be read.
    """
    files = list(files)
    network = io.read_network(folder, extra=extra)
    own = {Path(f).resolve() for f in network.files}
    problems: list[Problem] = []
    parsed: list[tuple[str, list[dict]]] = []
    for path in map(Path, files):
        if path.resolve() in own:
            msg = (
                f"this file is part of the network {network.folder}; check a network with `corridors network`"
            )
            problems.append(Problem(str(path), msg))
            continue
        features = io.load_features(path, problems, max_bytes=io.MAX_USER_FILE_BYTES)
        if features is not None:
            parsed.append((str(path), features))
    added = validate.user_features(parsed, network.nodes, network.links, network.costs, problems)
    order = {str(path): n for n, path in enumerate(files)}
    problems.sort(key=lambda p: (order.get(p.file, len(order)), -1 if p.index is None else p.index))
    return Check(network, added, problems, dict(parsed))


def plan_add(files: Iterable[str | Path], folder: str | Path) -> Merge:
    """Check user files against a network folder and work out the new bytes of its files.

    With errors, the merge has no changes. Nothing is written.
    """
    folder = Path(folder)
    check = check_files(files, folder=folder)
    if check.errors:
        return Merge(folder, check, [])
    nodes: list[tuple[str, dict]] = []
    links: dict[Path, list[tuple[str, dict]]] = {}
    for added in check.files:
        features = check.features[added.file]
        for index, node in added.nodes:
            nodes.append((node.id, _node_feature(features[index], node)))
        target = folder / "links" / f"{validate.slugify(Path(added.file).stem) or 'user_links'}.geojson"
        for index, link in added.links:
            filled = added.filled.get(index, {})
            links.setdefault(target, []).append((link.id, _link_feature(features[index], link, filled)))
    changes = [_change(folder / "nodes.geojson", nodes, "node")] if nodes else []
    changes += [_change(path, items, "link") for path, items in links.items()]
    _read_back(folder, changes)
    return Merge(folder, check, changes)


def _read_back(folder: Path, changes: list[Change]) -> None:
    """Read the folder as it would be after the merge, exactly as ``corridors route`` will.

    Raises
    ------
    NetworkDataError
        When the merged folder would not load; nothing has been written.
    """
    try:
        io.read_network(folder, contents={c.path: c.new for c in changes})
    except NetworkDataError as err:
        msg = f"{folder}: after this merge the network would not load, so nothing was written: {err}"
        raise NetworkDataError(msg) from None


def add(
    files: Iterable[str | Path], folder: str | Path, *, dry_run: bool = False, strict: bool = False
) -> Merge:
    """Validate user files and merge them into a network folder, atomically.

    Nothing is written when a file has errors (or, with ``strict``, warnings), when
    ``dry_run`` is set, or when anything goes wrong while writing: then every file is put back
    as it was. An interrupted earlier merge is undone first.

    Raises
    ------
    NetworkDataError
        When the folder is not a network folder, is locked by another writer, or cannot be
        written (it is then unchanged).
    """
    folder = Path(folder)
    _require_network_folder(folder)
    if dry_run:
        return plan_add(files, folder)
    with lock(folder):
        recovered = recover(folder)
        merge = plan_add(files, folder)
        merge.recovered = recovered
        if merge.check.errors or (strict and merge.check.warnings) or not merge.changes:
            return merge
        commit(merge)
    return merge


def repair(folder: str | Path) -> str:
    """Undo an interrupted merge in a network folder, under its lock; say what was found.

    See :func:`recover` for the states returned.

    Raises
    ------
    NetworkDataError
        When the folder is not a network folder or another process holds its lock.
    """
    folder = Path(folder)
    _require_network_folder(folder)
    with lock(folder):
        return recover(folder)


def _require_network_folder(folder: Path) -> None:
    for name in ("nodes.geojson", "costs.toml"):
        if not (folder / name).is_file():
            msg = (
                f"{folder}: not a network folder: {name} is missing (make one with `corridors network init`)"
            )
            raise NetworkDataError(msg)


def _node_feature(feature: dict, node: model.Node) -> dict:
    props = {"id": node.id, **{k: v for k, v in feature["properties"].items() if k != "id"}}
    return {**feature, "properties": props}


def _link_feature(feature: dict, link: model.Link, filled: dict[str, str]) -> dict:
    """The feature as written to the network: resolved ``from``/``to``, id, corridor, ends."""
    head = {"id": link.id, "from": link.from_id, "to": link.to_id}
    props = {**head, **{k: v for k, v in feature["properties"].items() if k not in head}}
    if "corridor" in filled:
        props["corridor"] = link.corridor
    geometry = feature["geometry"]
    out = {k: v for k, v in feature.items() if k != "bbox"}
    if "from" in filled or "to" in filled or geometry["type"] != "LineString":
        coords = geometry["coordinates"]
        positions = [list(p) for p in (coords if geometry["type"] == "LineString" else coords[0])]
        for key, at in (("from", 0), ("to", -1)):
            if key in filled:
                positions[at] = [*link.coords[at], *positions[at][2:]]
        geometry = {"type": "LineString", "coordinates": positions}
    elif "bbox" in feature:
        out["bbox"] = feature["bbox"]
    out.update(properties=props, geometry=geometry)
    return out


def _change(path: Path, items: list[tuple[str, dict]], kind: str) -> Change:
    old = path.read_bytes() if path.exists() else None
    lines = [json.dumps(feature, ensure_ascii=False, allow_nan=False) for _, feature in items]
    return Change(path, old, append_features(old, lines), kind, tuple(i for i, _ in items))


def append_features(old: bytes | None, lines: list[str]) -> bytes:
    """A FeatureCollection's bytes with features (one JSON text each) added at the end.

    The existing bytes are kept as they are where the file ends with its ``features`` list:
    the new features, one per line, go in before the closing ``]}``. Otherwise the file is
    written anew, one feature per line, with the same content. Either way the result is checked
    by parsing it again.
    """
    if old is None:
        return ('{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + "\n]}\n").encode()
    bom = codecs.BOM_UTF8 if old.startswith(codecs.BOM_UTF8) else b""
    text = old.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    expected = json.loads(text)
    expected["features"] = expected["features"] + [json.loads(line) for line in lines]
    spliced = _splice(text, lines, newline)
    if spliced is None or _parse(spliced) != expected:
        spliced = _layout(expected, newline)
    return bom + spliced.encode()


def _splice(text: str, lines: list[str], newline: str) -> str | None:
    body = text.rstrip()
    if not body.endswith("}"):
        return None
    inner = body[:-1].rstrip()
    if not inner.endswith("]"):
        return None
    head = inner[:-1].rstrip()
    sep = newline if head.endswith("[") else "," + newline
    return head + sep + ("," + newline).join(lines) + text[len(head) :]


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _layout(data: dict, newline: str) -> str:
    """A FeatureCollection as text: its other members on the first line, one feature per line."""
    dump = functools.partial(json.dumps, ensure_ascii=False, allow_nan=False)
    members = [f"{dump(k)}: {dump(v)}" for k, v in data.items() if k != "features"]
    features = ("," + newline).join(dump(f) for f in data["features"])
    return "{" + ", ".join([*members, '"features": [']) + newline + features + newline + "]}" + newline


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


def commit(merge: Merge) -> None:
    """Write a planned merge: every changed file, or (on any failure) none. Hold :func:`lock`.

    Each new file content is staged and each old one backed up in ``DIR/.corridors-add``, with a
    journal of the renames; then the staged files are renamed into place. Removing the journal
    commits the merge; until then :func:`recover` restores the old bytes.

    Raises
    ------
    NetworkDataError
        When a file changed since the merge was planned, or cannot be written; the folder is
        then as it was.
    """
    folder, pending = merge.folder, merge.folder / paths.PENDING_DIR
    for change in merge.changes:
        now = change.path.read_bytes() if change.path.exists() else None
        if now != change.old:
            msg = f"{change.path}: changed since it was checked; run the command again"
            raise NetworkDataError(msg)
    _check_writable(merge)
    try:
        pending.mkdir()
        entries, made = _stage(merge, pending)
        _write(pending / journal.JOURNAL, journal.encode(entries, made), None)
        _sync_dir(pending)
        for name in made:
            (folder / name).mkdir(parents=True)
        for entry in entries:
            os.replace(pending / entry.staged, folder / entry.target)
        for parent in {folder, *(c.path.parent for c in merge.changes)}:
            _sync_dir(parent)
    except BaseException as err:
        recover(folder)
        if isinstance(err, OSError):
            what = _named_target(err, merge)
            msg = f"{folder}: could not write {what}: {err.strerror or err}; nothing was changed"
            raise NetworkDataError(msg) from None
        raise
    os.replace(pending / journal.JOURNAL, pending / journal.DONE)  # the commit point
    merge.committed = True
    shutil.rmtree(pending, ignore_errors=True)
    log.info("Merged %d file(s) into %s", len(merge.changes), folder)


def _named_target(err: OSError, merge: Merge) -> str:
    """The file of the folder an error was about: a staged file or backup is named by its target."""
    pending = merge.folder / paths.PENDING_DIR
    for path in (err.filename, err.filename2):
        if not path:
            continue
        name = Path(path).name
        if Path(path).parent == pending and name.split(".")[0].isdigit():
            n = int(name.split(".")[0])
            if n < len(merge.changes):
                return str(merge.changes[n].path)
        elif Path(path).parent != pending:
            return str(path)
    return "its files"


def _check_writable(merge: Merge) -> None:
    """Refuse to write through a symbolic link: ``links`` and each target must be real."""
    for change in merge.changes:
        for path in (change.path.parent, change.path):
            if path.is_symlink():
                msg = f"{path}: is a symbolic link; `corridors add` writes only the folder's own files"
                raise NetworkDataError(msg)


def _stage(merge: Merge, pending: Path) -> tuple[list[journal.Entry], list[str]]:
    """Write each new file content and each backup into the staging folder; list the renames."""
    entries: list[journal.Entry] = []
    made: list[str] = []
    for n, change in enumerate(merge.changes):
        mode = stat.S_IMODE(change.path.stat().st_mode) if change.old is not None else None
        _write(pending / f"{n}.new", change.new, mode)
        if change.old is not None:
            _write(pending / f"{n}.old", change.old, mode)
        target = change.path.relative_to(merge.folder).as_posix()
        entries.append(journal.Entry(target, f"{n}.new", f"{n}.old" if change.old is not None else None))
        parent = change.path.parent
        if not parent.exists() and parent.relative_to(merge.folder).as_posix() not in made:
            made.append(parent.relative_to(merge.folder).as_posix())
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


def init_network(dest: str | Path, *, source: str | Path | None = None) -> Path:
    """Copy a network folder (default: the built-in one) to ``dest``, a new folder to edit.

    Only data is copied (GeoJSON, TOML, Markdown and the like), writable whatever the
    permissions of the installed package; the copy appears whole or not at all.

    Raises
    ------
    NetworkDataError
        When ``source`` is not a network folder or ``dest`` exists and is not an empty folder.
    """
    source = Path(source) if source is not None else paths.builtin_folder()
    paths.network_files(source)
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        msg = f"{dest}: already exists and is not an empty folder; give a new folder"
        raise NetworkDataError(msg)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    except OSError as err:
        msg = f"{dest}: cannot make the folder: {err.strerror or err}"
        raise NetworkDataError(msg) from None
    try:
        ignore = shutil.ignore_patterns("__pycache__", "*.py", "*.pyc", "py.typed", ".*")
        shutil.copytree(source, staging, ignore=ignore, copy_function=shutil.copyfile, dirs_exist_ok=True)
        umask = os.umask(0)
        os.umask(umask)
        for path in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
            os.chmod(path, 0o777 & ~umask)
        (staging / LOCK_FILE).touch()
        os.rename(staging, dest)
    except BaseException as err:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(err, OSError):
            msg = f"{dest}: cannot copy the network there: {err.strerror or err}"
            raise NetworkDataError(msg) from None
        raise
    log.info("Copied the network %s to %s", source, dest)
    return dest
