"""The code passes the project's linter (ruff, configured in pyproject.toml)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install '.[test]')")
    cmd = [ruff, "check", "--no-cache", str(ROOT)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout[-3000:]


#: Most lines a module of geo/, routes/ or maps/ may have (the standard: about 400).
MAX_LINES = 420
#: Modules still being split; each is to leave this list, not to grow.
TOO_LONG_FOR_NOW: frozenset[str] = frozenset()


def test_no_module_is_longer_than_the_standard():
    too_long = {}
    for package in ("geo", "routes", "maps"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES and name not in TOO_LONG_FOR_NOW:
                too_long[name] = lines
    assert not too_long, f"split these modules (at most {MAX_LINES} lines each): {too_long}"


def _private_uses(path: Path) -> list[str]:
    """``module._name`` where ``module`` is imported from corridors: a private of another module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("corridors")
        for alias in node.names
    }
    return [
        f"{path.relative_to(ROOT).as_posix()}:{node.lineno}: {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def test_the_library_calls_no_private_function_of_another_module():
    # The command line's modules share the helpers of routes/cli.py, and maps/ is its own layer.
    found = [
        use
        for package in ("geo", "routes")
        for path in sorted((ROOT / package).rglob("*.py"))
        if not path.name.startswith("cli")
        for use in _private_uses(path)
    ]
    assert not found, f"make these public (documented) or keep them in their module: {found}"
