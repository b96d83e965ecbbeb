"""The README's example outputs, run on the built-in network and compared with what they print.

A fenced block right after a marker line is an example::

    <!-- output -->                      the block's `$ ` lines are the commands, each
                                         followed by what it prints (stdout and stderr)
    <!-- output: OPTION; OPTION -->      the same, with each output cut down by the options

Options, applied to each command's output in order:

- ``run=COMMAND``: the block shows only the output of COMMAND, without a ``$`` line;
- ``head=N``: the first N lines, then ``...``;
- ``upto=REGEX``: the lines before the first one REGEX finds, then ``...``;
- ``routes=1,-2,-1``: of a route table, only these routes (by rank; negative from the end);
- ``omit=via,borders``: a route's ``via``/``borders``... lines (and their continuations) as ``...``;
- ``keep=REGEX``: only the lines REGEX finds and the lines under them (3 or more columns deeper).

A left-out run of lines is one ``...`` line. Commands run in the order of the README, in one
scratch folder holding copies of ``examples/`` and ``tests/data/eastafrica`` (so the walk-through's
``mynet`` is made there and grows from command to command), in this process: ``corridors ...``
through the command line's ``main``, ``python SCRIPT ...`` as that script of the repository.
Only absolute paths are normalised (the scratch folder's, the repository's and the built-in
network's, shown as ``seeds``); figures never are.

A block with a ``$`` line and no marker must be listed in :data:`EXCLUDED` with the reason.

Usage (from the repository root)::

    python -m tests.readme_blocks            # check: print the blocks that differ, exit 1 if any
    python -m tests.readme_blocks --update   # rewrite the blocks from what the commands print
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import os
import re
import runpy
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
UPDATE = "python -m tests.readme_blocks --update"
#: Folders of the repository that the README's commands name by relative path.
COPIED = ("examples", "tests/data/eastafrica")
#: Blocks with ``$`` lines that are not run, by their first command, with the reason.
EXCLUDED = {
    "corridors validate -q draft.geojson": "draft.geojson is a sketch in the text, not a shipped file",
    "curl -s '127.0.0.1:8000/v1/route?from=Almty&to=Karachi'": (
        "needs a running server; tests/test_server.py checks the same error body"
    ),
}
MARKER = re.compile(r"^<!-- output(?::\s*(.*?))?\s*-->\s*$")
FENCE = "```"
ROW = re.compile(r"^\s?(\d+)\s")
#: A line this many columns deeper than the one before belongs to it (a route's ``via`` lines
#: under its row, a step's figures under it); an itinerary's steps, two deeper, do not.
UNDER = 3


@dataclass
class Block:
    """One marked block: its lines in the README (``start`` to ``end``, exclusive), its options."""

    start: int
    end: int
    options: list[tuple[str, str]]
    lines: list[str]

    @property
    def run(self) -> str | None:
        return next((value for key, value in self.options if key == "run"), None)

    def commands(self) -> list[str]:
        if self.run is not None:
            return [self.run]
        return [line[2:] for line in self.lines if line.startswith("$ ")]

    def spaced(self) -> bool:
        """Whether the block keeps a blank line between one command's output and the next."""
        at = [i for i, line in enumerate(self.lines) if line.startswith("$ ")]
        return any(i > 0 and self.lines[i - 1] == "" for i in at[1:])


def parse_options(text: str | None) -> list[tuple[str, str]]:
    out = []
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        key, sep, value = part.strip().partition("=")
        if not sep or (key not in FILTERS and key != "run"):
            raise ValueError(f"README marker: unknown option {part.strip()!r}")
        out.append((key, value.strip()))
    return out


def blocks(text: str) -> list[Block]:
    """The marked blocks of the README text, in order."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        match = MARKER.match(line)
        if not match:
            continue
        if i + 1 >= len(lines) or lines[i + 1] != FENCE:
            raise ValueError(f"README line {i + 1}: an output marker must be followed by a ``` line")
        end = lines.index(FENCE, i + 2)
        out.append(Block(i + 2, end, parse_options(match.group(1)), lines[i + 2 : end]))
    return out


def unmarked(text: str) -> list[str]:
    """The first command of every fenced block with ``$`` lines, no marker and no exclusion."""
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith(FENCE):
            end = lines.index(FENCE, i + 1)
            shown = [line[2:] for line in lines[i + 1 : end] if line.startswith("$ ")]
            marked = i > 0 and MARKER.match(lines[i - 1])
            if shown and not marked and shown[0] not in EXCLUDED:
                out.append(shown[0])
            i = end
        i += 1
    return out


# ---- filters: each takes the output lines and the option's value ----


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _elide(lines: list[str], kept: list[bool], mark: Callable[[str], str]) -> list[str]:
    """The kept lines, with each run of lines left out as one line, ``mark`` of its first."""
    out: list[str] = []
    for n, (line, keep) in enumerate(zip(lines, kept, strict=True)):
        if keep:
            out.append(line)
        elif n == 0 or kept[n - 1]:
            out.append(mark(line))
    return out


def _under(lines: list[str], start: int) -> int:
    """The index after ``lines[start]`` and the lines under it (indented :data:`UNDER` deeper)."""
    end = start + 1
    while end < len(lines) and lines[end].strip() and _indent(lines[end]) >= _indent(lines[start]) + UNDER:
        end += 1
    return end


def f_head(lines: list[str], value: str) -> list[str]:
    n = int(value)
    return lines if len(lines) <= n else [*lines[:n], "..."]


def f_upto(lines: list[str], value: str) -> list[str]:
    pattern = re.compile(value)
    n = next((i for i, line in enumerate(lines) if pattern.search(line)), len(lines))
    return lines if n == len(lines) else [*lines[:n], "..."]


def f_keep(lines: list[str], value: str) -> list[str]:
    pattern = re.compile(value)
    kept = [False] * len(lines)
    i = 0
    while i < len(lines):
        if pattern.search(lines[i]):
            end = _under(lines, i)
            kept[i:end] = [True] * (end - i)
            i = end
        else:
            i += 1
    return _elide(lines, kept, lambda line: " " * _indent(line) + "...")


def f_omit(lines: list[str], value: str) -> list[str]:
    labels = tuple(f"    {label.strip()} " for label in value.split(","))
    kept = [True] * len(lines)
    i = 0
    while i < len(lines):
        if lines[i].startswith(labels):
            end = _under(lines, i)
            kept[i:end] = [False] * (end - i)
            i = end
        else:
            i += 1
    return _elide(lines, kept, lambda line: "    ...")


def f_routes(lines: list[str], value: str) -> list[str]:
    starts = [i for i, line in enumerate(lines) if ROW.match(line) and not line.startswith(" #")]
    ranks = [int(ROW.match(lines[i]).group(1)) for i in starts]
    wanted = set()
    for part in value.split(","):
        n = int(part)
        wanted.add(ranks[n] if n < 0 and -n <= len(ranks) else n)
    kept = [True] * len(lines)
    for i, rank in zip(starts, ranks, strict=True):
        if rank not in wanted:
            end = _under(lines, i)
            kept[i:end] = [False] * (end - i)
    return _elide(lines, kept, lambda line: "    ...")


FILTERS: dict[str, Callable[[list[str], str], list[str]]] = {
    "head": f_head,
    "upto": f_upto,
    "keep": f_keep,
    "omit": f_omit,
    "routes": f_routes,
}


# ---- running ----


def scratch_folder(where: Path) -> Path:
    """``where``, with copies of the folders the README's commands name."""
    for name in COPIED:
        shutil.copytree(ROOT / name, where / name, dirs_exist_ok=True)
    return where


def execute(command: str, cwd: Path) -> str:
    """What ``command`` prints (stdout and stderr as a terminal shows them), run in this process."""
    args = shlex.split(command)
    buffer = io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        try:
            if args[0] == "corridors":
                from corridors.routes import cli

                cli.main(args[1:])
            elif args[0] == "python" and len(args) > 1 and args[1].endswith(".py"):
                script = str(ROOT / args[1])
                saved = sys.argv
                sys.argv = [script, *args[2:]]
                try:
                    runpy.run_path(script, run_name="__main__")
                finally:
                    sys.argv = saved
            else:
                raise ValueError(f"README: cannot run {command!r} (corridors or python SCRIPT only)")
        except SystemExit:
            pass
    return normalise(buffer.getvalue(), cwd)


def normalise(text: str, cwd: Path) -> str:
    """``text`` with the absolute paths that vary by machine made relative: the scratch folder's,
    the built-in network's (installed or in the repository: shown as ``seeds``) and the repository's.
    """
    import corridors.seeds

    builtin = str(Path(corridors.seeds.__file__).resolve().parent)
    text = text.replace(builtin, "seeds")
    for path in (str(cwd), str(ROOT)):
        text = text.replace(path + os.sep, "").replace(path, ".")
    return text


def render(block: Block, cwd: Path) -> list[str]:
    """The block's lines as the commands print them now."""
    out: list[str] = []
    for n, command in enumerate(block.commands()):
        lines = execute(command, cwd).rstrip("\n").split("\n")
        for key, value in block.options:
            if key != "run":
                lines = FILTERS[key](lines, value)
        if n and block.spaced():
            out.append("")
        if block.run is None:
            out.append(f"$ {command}")
        out.extend(line.rstrip() for line in lines)
    return out


def refresh(text: str, cwd: Path) -> tuple[str, list[str]]:
    """The README text with every block as its commands print it, and a diff of each change."""
    lines = text.split("\n")
    diffs = []
    # in order: the walk-through's commands build on the ones before
    rendered = [(block, render(block, cwd)) for block in blocks(text)]
    for block, new in rendered:
        if new != block.lines:
            where = f"README.md line {block.start + 1}"
            diff = difflib.unified_diff(block.lines, new, where, "now", lineterm="")
            diffs.append("\n".join(diff))
    for block, new in reversed(rendered):
        lines[block.start : block.end] = new
    return "\n".join(lines), diffs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Check (or --update) the README's example outputs.")
    p.add_argument("--update", action="store_true", help="rewrite the README's blocks")
    args = p.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    missing = unmarked(text)
    for command in missing:
        print(f"README: a block with `$ {command}` has no output marker and is not excluded")
    with tempfile.TemporaryDirectory() as tmp:
        new, diffs = refresh(text, scratch_folder(Path(tmp)))
    for diff in diffs:
        print(diff)
    if args.update:
        if new != text:
            README.write_text(new, encoding="utf-8")
        print(f"README.md: {len(diffs)} block(s) rewritten")
        return 1 if missing else 0
    if diffs:
        print(f"README.md: {len(diffs)} block(s) differ from the commands; run `{UPDATE}`")
    else:
        print(f"README.md: {len(blocks(text))} blocks show what their commands print")
    return 1 if diffs or missing else 0


if __name__ == "__main__":
    sys.exit(main())
