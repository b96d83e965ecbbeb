"""Shared fixtures: the hand-made tiny network and a runner for the real command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny"


@pytest.fixture(scope="session")
def tiny_dir() -> Path:
    return TINY


@pytest.fixture(scope="session")
def tiny():
    from corridors.routes import loading

    return loading.load(TINY)


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny network folder."""
    dest = tmp_path / "net"
    shutil.copytree(TINY, dest)
    return dest


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``corridors`` as a real process (``python -m corridors``)."""
    return subprocess.run(
        [sys.executable, "-m", "corridors", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def fixture_links() -> dict[str, dict]:
    """The tiny network's link properties, read straight from the file."""
    data = json.loads((TINY / "links" / "tiny.geojson").read_text())
    return {f["properties"]["id"]: f["properties"] for f in data["features"]}


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Keep the tests' network cache out of the user's home, and the tests independent of it."""
    os.environ["CORRIDORS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium (one per test module); skipped without it, except in CI."""
    from tests import browser as chromium

    reason = chromium.unavailable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = chromium.launch(playwright)
        yield launched
        launched.close()
