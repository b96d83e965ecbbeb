"""Add user-drawn GeoJSON to a network folder: check it, plan the merge, write all of it or nothing.

Users draw links (and new places) in QGIS or geojson.io. :func:`check_files` validates such
files against a network; :func:`plan_add` works out the new bytes of each file of the folder
(new links go to ``links/<file name>.geojson``, new nodes to the end of ``nodes.geojson``, with
the resolved ``from``/``to`` and generated ids written out); :func:`add` writes them through
:mod:`geo.transaction` (all or nothing, under the folder's lock, an interrupted earlier merge
undone first; :func:`repair` undoes one on its own). :func:`init_network` copies a network into
a folder the user can edit.
"""

from __future__ import annotations

import codecs
import functools
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridors.geo import io, model, paths, transaction, validate
from corridors.geo.errors import NetworkDataError
from corridors.geo.transaction import Change
from corridors.geo.validate import Problem

log = logging.getLogger(__name__)


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
    with transaction.lock(folder):
        recovered = transaction.recover(folder)
        merge = plan_add(files, folder)
        merge.recovered = recovered
        if merge.check.errors or (strict and merge.check.warnings) or not merge.changes:
            return merge
        transaction.commit(folder, merge.changes)
        merge.committed = True
    return merge


def repair(folder: str | Path) -> str:
    """Undo an interrupted merge in a network folder, under its lock; say what was found.

    See :func:`geo.transaction.recover` for the states returned.

    Raises
    ------
    NetworkDataError
        When the folder is not a network folder or another process holds its lock.
    """
    folder = Path(folder)
    _require_network_folder(folder)
    with transaction.lock(folder):
        return transaction.recover(folder)


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
        (staging / transaction.LOCK_FILE).touch()
        os.rename(staging, dest)
    except BaseException as err:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(err, OSError):
            msg = f"{dest}: cannot copy the network there: {err.strerror or err}"
            raise NetworkDataError(msg) from None
        raise
    log.info("Copied the network %s to %s", source, dest)
    return dest
