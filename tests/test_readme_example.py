"""The README's "Adding your own links" walk-through, run as written.

Every ``$ corridors ...`` command of the section's code blocks runs in a scratch folder that
holds the shipped ``examples/`` (so ``mynet`` is made there), in the order of the README, and
its output must contain the README's lines in that order. ``...`` in the README stands for
lines left out. Route tables are compared on the columns that belong to the route (distance,
borders, modes); time, range and cost follow the cost model and are left to its own tests.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXAMPLE = "examples/andkhoy_mazar_railway.geojson"
#: Files the section names that are sketches in the text, not shipped.
NOT_SHIPPED = ("draft.geojson",)
ROW = re.compile(r"^\s*(\d+)\s+([\d,]+ km)\s+.*?\s(\d+)\s+(\S+)\s*$")


def section(text: str) -> str:
    start = text.index("## Adding your own links")
    return text[start : text.index("\n## ", start + 1)]


def commands(text: str) -> list[tuple[str, list[str]]]:
    """``(command line, expected output lines)`` for each ``$ corridors`` line, in order."""
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```\n(.*?)```", section(text), flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ corridors "):
                out.append((line[2:], []))
            elif out and line.strip():
                out[-1][1].append(line)
    return [(cmd, lines) for cmd, lines in out if not any(name in cmd for name in NOT_SHIPPED)]


def normal(line: str) -> str:
    """A line as compared: table rows by route columns, counts of link files left out."""
    match = ROW.match(line)
    if match:
        return "row " + " ".join(match.groups())
    return re.sub(r"\(\d+ link files\)", "(N link files)", line.rstrip())


def contains_in_order(actual: list[str], expected: list[str]) -> str | None:
    """None if ``expected`` (with ``...`` for any lines) appears in ``actual`` in order."""
    got = [normal(line) for line in actual]
    at = 0
    for line in expected:
        if line.strip() == "...":
            continue
        want = normal(line)
        try:
            at = got.index(want, at) + 1
        except ValueError:
            return want
    return None


def test_the_readme_names_the_shipped_example():
    text = README.read_text(encoding="utf-8")
    steps = commands(text)
    assert (ROOT / EXAMPLE).is_file()
    assert sum(EXAMPLE in cmd for cmd, _ in steps) >= 4
    assert any(cmd.startswith("corridors network init") for cmd, _ in steps)


def test_the_readme_walk_through_runs_as_written(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    for cmd, expected in commands(README.read_text(encoding="utf-8")):
        args = shlex.split(cmd)[1:]
        res = run_cli(*args, cwd=tmp_path)
        assert "Traceback" not in res.stderr, cmd
        missing = contains_in_order((res.stdout + res.stderr).splitlines(), expected)
        assert missing is None, f"{cmd}: README line not in the output: {missing!r}\n{res.stdout}{res.stderr}"
    # The refused second add changed nothing, and the example was merged once.
    merged = (tmp_path / "mynet" / "links" / "andkhoy_mazar_railway.geojson").read_text(encoding="utf-8")
    assert merged.count('"type": "Feature"') == 1
