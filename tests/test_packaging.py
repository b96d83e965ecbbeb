"""The wheel installs one import name, `corridors`, with the built-in network inside it.

The wheel is built from a copy of the project's package folders (so the build leaves nothing in
the checkout) with ``pip wheel --no-deps --no-build-isolation``: a few seconds, no download.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("geo", "routes", "maps", "seeds", "src", "pyproject.toml", "README.md")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    project = work / "project"
    project.mkdir()
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / part)
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
    dist = str(work / "dist")
    opts = {"capture_output": True, "text": True, "timeout": 120, "check": False}
    res = subprocess.run([*cmd, "-w", dist, str(project)], **opts)
    assert res.returncode == 0, f"building the wheel failed (the test extra has setuptools>=77): {res.stderr}"
    (built,) = (work / "dist").glob("corridors-*.whl")
    return built


def test_the_wheel_puts_only_corridors_at_the_top_of_site_packages(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {"corridors", wheel.name.split("-py3")[0] + ".dist-info"}
    for package in ("geo", "routes", "maps", "seeds", "seeds/links"):
        assert f"corridors/{package}/__init__.py" in names
    assert "corridors/seeds/nodes.geojson" in names
    assert "corridors/seeds/costs.toml" in names
    assert any(n.startswith("corridors/seeds/links/") and n.endswith(".geojson") for n in names)
    assert "corridors/maps/py.typed" in names
    for page_file in ("index.html", "planner.js", "planner.css"):  # the planner of `corridors serve`
        assert f"corridors/routes/static/{page_file}" in names


def test_an_installed_wheel_routes_with_its_own_network(wheel, tmp_path):
    target = tmp_path / "site"
    cmd = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target)]
    res = subprocess.run([*cmd, str(wheel)], capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    dist_info = wheel.name.split("-py3")[0] + ".dist-info"
    assert {p.name for p in target.iterdir()} - {"bin"} == {"corridors", dist_info}
    env = {"PYTHONPATH": str(target), "CORRIDORS_CACHE_DIR": "off", "PATH": "/usr/bin:/bin"}
    probe = "import corridors.geo.paths as p; print(p.builtin_folder())"
    run = {"capture_output": True, "text": True, "timeout": 60, "check": False, "env": env, "cwd": tmp_path}
    out = subprocess.run([sys.executable, "-c", probe], **run)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(str(target / "corridors" / "seeds"))
    route = subprocess.run([sys.executable, "-m", "corridors", "route", "Almaty", "Karachi", "--json"], **run)
    assert route.returncode == 0, route.stderr
    # Karachi, the place, answers with its ports (Port Qasim is part of it)
    assert '"destination": "karachi"' in route.stdout or '"destination": "port_qasim"' in route.stdout
