"""Notes, gateway reasons and explanations of no route name each option as the interface's users
write it: the Python API by its keyword in backticks, the command line by its flag, the HTTP API
by its query parameter; in every output (table, JSON, CSV)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import corridors
from corridors.geo.errors import NoRouteError, QueryError
from corridors.routes import chart, loading, scenarios, server
from tests.test_server import cli, cli_error, cli_json


@pytest.fixture(scope="module")
def loaded():
    return loading.load()


@pytest.fixture(scope="module")
def client(loaded):
    return TestClient(server.create_app(loaded), raise_server_exceptions=False)


def test_notes_of_alternatives_name_max_overlap_and_max_stretch_per_interface(loaded, client):
    api_notes = corridors.plan("Almaty", "Karachi", k=3, max_overlap=0.1, network=loaded).notes
    assert any(n.endswith("(see `max_overlap` and `max_stretch`)") for n in api_notes)
    assert any("(`rail_service` block for another)" in n for n in api_notes)
    http = client.get("/v1/route?from=Almaty&to=Karachi&k=3&max_overlap=0.1").json()["notes"]
    assert http == api_notes  # the query parameters are the keywords here
    said = cli_json("route", "Almaty", "Karachi", "-k", "3", "--max-overlap", "0.1")["notes"]
    assert any(n.endswith("(see --max-overlap and --max-stretch)") for n in said)
    assert any("(--rail-service block for another)" in n for n in said)
    assert not any("`" in n for n in said)
    _, table, _ = cli("route", "Almaty", "Karachi", "-k", "3", "--max-overlap", "0.1")
    assert "(see --max-overlap and --max-stretch)" in table and "`" not in table
    csv = client.get("/v1/route?from=Almaty&to=Karachi&format=csv").text
    assert "--" not in csv


def test_scenario_notes_name_year_and_projects_per_interface(client):
    http = client.get("/v1/reach?year=2030").json()["notes"]
    assert any("not counted in `year` 2030 (add it with `projects`)" in n for n in http)
    _, table, _ = cli("reach", "--year", "2030")
    assert "not counted in --year 2030 (add it with --projects)" in table


def test_the_explanation_of_no_route_names_the_parameters_over_http(loaded, client):
    with pytest.raises(NoRouteError, match=r"avoided countries \(`avoid`\).*\(`reopen` all\)"):
        corridors.plan("Almaty", "Karachi", avoid=["CHN", "IRN"], modes=["road"], network=loaded)
    response = client.get("/v1/route?from=Almaty&to=Karachi&avoid=CHN,IRN&modes=road")
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "avoided countries (`avoid`)" in message and "(`reopen` all)" in message
    assert "--" not in message
    status, said = cli_error("route", "Almaty", "Karachi", "--avoid", "CHN,IRN", "--modes", "road")
    assert status == 1
    assert "avoided countries (--avoid)" in said and "(--reopen all)" in said and "`" not in said


def test_a_gateway_avoided_says_so_per_interface(client):
    query = "from=Almaty&to=PAK&gateways=true&avoid=Torkham"
    reasons = {g["name"]: g["reason"] for g in client.get(f"/v1/route?{query}").json()["gateways"]}
    assert "avoided (`avoid`)" in reasons.values()
    said = cli_json("route", "Almaty", "PAK", "--gateways", "--avoid", "Torkham")["gateways"]
    assert "avoided (--avoid)" in [g["reason"] for g in said]
    assert not any("`" in (g["reason"] or "") for g in said)


def test_an_unknown_crew_names_drivers_per_interface(client):
    response = client.get("/v1/route?from=Almaty&to=Karachi&drivers=3")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "message": "`drivers`: no crew of 3 drivers; expected 1 or 2",
        "parameter": "drivers",
    }
    assert cli_error("route", "Almaty", "Karachi", "--drivers", "3") == (
        2,
        "--drivers: no crew of 3 drivers; expected 1 or 2",
    )


def test_chart_errors_name_chart_per_interface(tmp_path):
    target = tmp_path / "chart.pdf"
    expected = rf"^`chart` {re.escape(str(target))}: expected a file ending in .svg"
    with pytest.raises(QueryError, match=expected):
        chart.write([], {}, target)
    with pytest.raises(QueryError, match=r"^`chart`: no route to draw$"):
        chart.write([], {}, tmp_path / "chart.svg")
    status, said = cli_error("route", "Almaty", "Karachi", "--chart", str(target))
    assert status == 2
    assert said.startswith(f"--chart {target}: expected a file ending in .svg") and "`" not in said


def test_weights_file_errors_name_weights_per_interface(loaded, tmp_path):
    latin = tmp_path / "w.csv"
    latin.write_bytes("origin,destination,weight\nAlmaty,Karachi,1\nKöln,Karachi,1\n".encode("latin-1"))
    missing = tmp_path / "none.csv"
    for path, text in ((latin, ": not UTF-8 text (byte "), (missing, "")):
        with pytest.raises(QueryError, match=rf"^`weights` [^`]*{re.escape(path.name + text)}"):
            scenarios.pair_weights(path, loaded.network)
        status, said = cli_error("rank", "--weights", str(path))
        assert status == 2
        assert said.startswith("--weights ") and str(path) + text in said and "`" not in said
    bad = tmp_path / "bad.csv"
    bad.write_text("origin,destination,weight\nAlmaty,Atlantis,1\n")
    with pytest.raises(QueryError, match=rf"^`weights` {re.escape(str(bad))}: line 2: expected"):
        scenarios.pair_weights(bad, loaded.network)
    assert cli_error("rank", "--weights", str(bad))[1].startswith(f"--weights {bad}: line 2: expected")


def _messages(tree: ast.AST):
    """The string parts of each error raised or message (``msg = ...``) built in a module."""
    for node in ast.walk(tree):
        is_msg = isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "msg" for t in node.targets)
        if isinstance(node, ast.Raise) or is_msg:
            for part in ast.walk(node):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield part.lineno, part.value


def test_the_library_names_no_flag_in_its_errors():
    """Only the command line speaks of flags (and a message that says which command to run); the
    server finds the parameter of an error by the option it names in backticks, not by a flag."""
    root = Path(__file__).resolve().parent.parent
    found = [
        f"{path.relative_to(root)}:{line}: {text!r}"
        for package in ("geo", "routes", "maps")
        for path in sorted((root / package).rglob("*.py"))
        if not path.name.startswith("cli")
        for line, text in _messages(ast.parse(path.read_text(encoding="utf-8")))
        if re.search(r"(?<![\w-])--[a-z]", text) and "`corridors " not in text  # a command to run
    ]
    assert not found, found
