"""The HTTP API through the framework's test client: the CLI's --json contract, and every error path."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.datastructures import QueryParams

from corridors.routes import api, loading, server, server_queries
from corridors.routes import cli as cli_module
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def loaded():
    return loading.load()


@pytest.fixture(scope="module")
def client(loaded):
    return TestClient(server.create_app(loaded), raise_server_exceptions=False)


def cli(*args: str) -> tuple[int, str, str]:
    """Run the command line's ``main`` in this process (quicker than a new one each time)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli_module.main(list(args))
    return status, out.getvalue(), err.getvalue()


def cli_json(*args: str):
    status, out, err = cli(*args, "--json")
    assert status == 0, err
    return json.loads(out)


def as_the_cli_names_it(message: str, command: str) -> str:
    """The server's message with each option named as the command line names it (its flag)."""
    parser = cli_module.command_parser(cli_module.build_parser(command), command)
    return cli_module.flag_names(message, parser)


def as_the_cli_says(doc, command: str):
    """A server's JSON document with its notes and reasons naming options as the command line
    does (its flags), where the server names its query parameters."""
    if isinstance(doc, list):
        return [as_the_cli_says(item, command) for item in doc]
    if not isinstance(doc, dict):
        return doc
    out = {key: as_the_cli_says(value, command) for key, value in doc.items()}
    if isinstance(doc.get("notes"), list):
        out["notes"] = [as_the_cli_names_it(n, command) for n in doc["notes"]]
    if isinstance(doc.get("reason"), str):
        out["reason"] = as_the_cli_names_it(doc["reason"], command)
    return out


def cli_error(*args: str) -> tuple[int, str]:
    """The exit status and the one-line message of a failing command, without the program's prefix."""
    status, _, err = cli(*args)
    lines = [line for line in err.splitlines() if line.startswith("corridors: ")]
    assert len(lines) == 1, err
    return status, re.sub(r"^corridors: (error: )?", "", lines[0])


# -- the contract equals the command line's


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("from=Almaty&to=Karachi", ["Almaty", "Karachi"]),
        ("from=Almaty&to=Karachi&k=3&by=cost", ["Almaty", "Karachi", "-k", "3", "--by", "cost"]),
        (
            "from=Kazakhstan&to=Arabian%20Sea&k=3&avoid=AFG&status=operational&month=1",
            [
                "Kazakhstan",
                "Arabian Sea",
                "-k",
                "3",
                "--avoid",
                "AFG",
                "--status",
                "operational",
                "--month",
                "1",
            ],
        ),
        (
            "from=Almaty&to=Gwadar&via=Sust&via=Quetta&modes=road,rail&include_suspended=true&max_overlap=0.4",
            [
                "Almaty",
                "Gwadar",
                "--via",
                "Sust",
                "--via",
                "Quetta",
                "--modes",
                "road,rail",
                "--include-suspended",
                "--max-overlap",
                "0.4",
            ],
        ),
        (
            "from=Almaty&to=Karachi&k=2&projects=ML-1%20Upgrade,Khunjerab%20Railway&reopen=all",
            [
                "Almaty",
                "Karachi",
                "-k",
                "2",
                "--projects",
                "ML-1 Upgrade,Khunjerab Railway",
                "--reopen",
                "all",
            ],
        ),
        (
            "from=Almaty&to=Gwadar&year=2030&snap_km=50",
            ["Almaty", "Gwadar", "--year", "2030", "--snap-km", "50"],
        ),
        (
            "from=43.2,76.9&to=Karachi&avoid=KGZ&avoid=Torkham",
            ["43.2,76.9", "Karachi", "--avoid", "KGZ,Torkham"],
        ),
        (
            "from=Karachi&to=Kabul&reopen=Torkham&cargo_from=sea",
            ["Karachi", "Kabul", "--reopen", "Torkham", "--cargo-from", "sea"],
        ),
    ],
)
def test_route_is_the_cli_json(client, query, args):
    response = client.get(f"/v1/route?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert as_the_cli_says(response.json(), "route") == cli_json("route", *args)


@pytest.mark.parametrize(("query", "args"), [("k=2", ["-k", "2"]), ("compare=true", ["--compare"])])
def test_route_geojson_is_what_the_cli_writes(client, tmp_path, query, args):
    out = tmp_path / "routes.geojson"
    assert cli("route", "Almaty", "Karachi", *args, "--geojson", str(out))[0] == 0
    response = client.get(f"/v1/route?from=Almaty&to=Karachi&{query}&format=geojson")
    assert response.status_code == 200
    assert response.json() == json.loads(out.read_text(encoding="utf-8"))


def test_places_projects_and_rank_are_the_cli_json(client):
    assert client.get("/v1/places?q=khunj").json() == cli_json("places", "khunj")
    assert client.get("/v1/places?country=KGZ&kind=city").json() == cli_json(
        "places", "--country", "KGZ", "--kind", "city"
    )
    assert client.get("/v1/projects").json() == cli_json("projects")
    assert client.get("/v1/rank?by=cost&month=1").json() == cli_json("rank", "--by", "cost", "--month", "1")


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("", []),
        ("projects=Khunjerab%20Railway&reopen=all", ["--projects", "Khunjerab Railway", "--reopen", "all"]),
        (
            "to=Karachi&from=Almaty&by=cost&modes=road&status=operational,proposed",
            [
                "Karachi",
                "--from",
                "Almaty",
                "--by",
                "cost",
                "--modes",
                "road",
                "--status",
                "operational,proposed",
            ],
        ),
    ],
)
def test_reach_is_the_cli_json(client, query, args):
    response = client.get(f"/v1/reach?{query}")
    assert response.status_code == 200, response.text
    assert as_the_cli_says(response.json(), "reach") == cli_json("reach", *args)


def test_route_compare_is_the_cli_json(client):
    response = client.get("/v1/route?from=Almaty&to=Karachi&compare=true")
    assert response.status_code == 200, response.text
    assert as_the_cli_says(response.json(), "route") == cli_json("route", "Almaty", "Karachi", "--compare")
    named = client.get("/v1/route?from=Almaty&to=Gwadar&compare=true&reopen=all&by=cost").json()
    assert as_the_cli_says(named, "route") == cli_json(
        "route", "Almaty", "Gwadar", "--compare", "--reopen", "all", "--by", "cost"
    )
    assert named["scenario"]["query"]["scenario"] != named["today"]["query"]["scenario"]


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("from=Almaty&to=Karachi&k=3", ["Almaty", "Karachi", "-k", "3"]),
        ("from=Almaty&to=Karachi&k=2&explain=true", ["Almaty", "Karachi", "-k", "2", "--explain"]),
        ("from=Kazakhstan&to=Iran&gateways=true", ["Kazakhstan", "Iran", "--gateways"]),
        ("from=Almaty&to=Karachi&compare=true&k=2", ["Almaty", "Karachi", "--compare", "-k", "2"]),
    ],
)
def test_route_csv_is_what_the_cli_prints(client, query, args):
    response = client.get(f"/v1/route?{query}&format=csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    status, out, err = cli("route", *args, "--csv")
    assert status == 0, err
    assert response.text == out
    accepted = client.get(f"/v1/route?{query}", headers={"Accept": "text/csv"})
    assert accepted.text == out


def test_route_payload_and_value_of_time_are_the_cli_json(client):
    query = "from=Almaty&to=Karachi&by=generalised&payload_t=10&value_of_time=25&rail_service=block"
    assert client.get(f"/v1/route?{query}").json() == cli_json(
        "route",
        "Almaty",
        "Karachi",
        "--by",
        "generalised",
        "--payload-t",
        "10",
        "--value-of-time",
        "25",
        "--rail-service",
        "block",
    )


def test_rank_weights_and_csv_are_the_cli_output(client, tmp_path):
    weights = "origin,destination,weight\nAlmaty,Karachi,3\nAstana,Gwadar,1\n"
    path = tmp_path / "weights.csv"
    path.write_text(weights, encoding="utf-8")
    expected = cli_json("rank", "--weights", str(path))
    assert client.get("/v1/rank", params={"weights": weights}).json() == expected
    posted = client.post("/v1/rank", content=weights.encode(), headers={"Content-Type": "text/csv"})
    assert posted.status_code == 200, posted.text
    assert posted.json() == expected
    status, out, err = cli("rank", "--by", "cost", "--csv")
    assert status == 0, err
    assert client.get("/v1/rank?by=cost&format=csv").text == out
    based = client.get("/v1/rank?reopen=all&year=2030&from=Almaty")
    assert based.status_code == 200, based.text
    assert based.json() == cli_json("rank", "--reopen", "all", "--year", "2030", "--from", "Almaty")


@pytest.mark.parametrize(
    "rows",
    ["", "Almaty,Karachi,0\n", "Almaty,Karachi,1,2\n", "Almaty,Karachi\n", "Nowhere,Karachi,1\n"],
)
def test_rank_weights_rows_are_blamed_on_weights(client, rows):
    body = ("origin,destination,weight\n" + rows).encode()
    response = client.post("/v1/rank", content=body, headers={"Content-Type": "text/csv"})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["parameter"] == "weights"


def test_rank_weights_near_the_largest_float_are_ranked(client):
    body = b"origin,destination,weight\nAlmaty,Karachi,1e308\nAstana,Karachi,1e308\n"
    response = client.post("/v1/rank", content=body, headers={"Content-Type": "text/csv"})
    assert response.status_code == 200, response.text


def test_rank_weights_errors_say_what_the_cli_says(client, tmp_path):
    weights = "origin,destination,weight\nAlmaty,Atlantis,3\n"
    path = tmp_path / "weights.csv"
    path.write_text(weights, encoding="utf-8")
    _, message = cli_error("rank", "--weights", str(path))
    response = client.get("/v1/rank", params={"weights": weights})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["parameter"] == "weights"
    assert error["message"] == message.replace(f"--weights {path}", "weights")
    both = client.post("/v1/rank", params={"weights": weights}, content=weights.encode())
    assert both.status_code == 400
    assert both.json()["error"]["message"].startswith("weights: give them in the query string or as the body")
    latin = client.post(
        "/v1/rank", content="origin,destination,weight\nAlmat\xff,Karachi,1\n".encode("latin-1")
    )
    assert latin.status_code == 400
    assert latin.json()["error"]["message"].startswith("weights: not UTF-8 text")
    small = TestClient(
        server.create_app(client.app.state.planner.loaded, limits=server.Limits(max_weights_bytes=10))
    )
    assert small.post("/v1/rank", content=weights.encode()).status_code == 413


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("within=3d,36h", ["--within", "3d,36h"]),
        (
            "within=2d&from=Almaty&modes=rail&reopen=all",
            ["--within", "2d", "--from", "Almaty", "--modes", "rail", "--reopen", "all"],
        ),
        ("compare=true", ["--compare"]),
        ("compare=true&year=2030&by=cost", ["--compare", "--year", "2030", "--by", "cost"]),
    ],
)
def test_reach_within_and_compare_are_the_cli_json(client, query, args):
    response = client.get(f"/v1/reach?{query}")
    assert response.status_code == 200, response.text
    assert as_the_cli_says(response.json(), "reach") == cli_json("reach", *args)


def test_reach_csv_and_geojson_are_the_cli_output(client, tmp_path):
    for args, query in (
        (["--by", "cost"], "by=cost"),
        (["--compare", "--year", "2030"], "compare=true&year=2030"),
        (["--within", "2d", "--from", "Almaty"], "within=2d&from=Almaty"),
    ):
        status, out, err = cli("reach", *args, "--csv")
        assert status == 0, err
        response = client.get(f"/v1/reach?{query}&format=csv")
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.text == out
    for args, query in ((["--compare"], "compare=true"), (["--within", "2d"], "within=2d")):
        path = tmp_path / "reach.geojson"
        assert cli("reach", *args, "--geojson", str(path))[0] == 0
        answer = client.get(f"/v1/reach?{query}&format=geojson")
        assert answer.headers["content-type"] == "application/geo+json"
        assert answer.json() == json.loads(path.read_text(encoding="utf-8"))


def test_reach_within_error_is_the_cli_message_naming_the_parameter(client):
    response = client.get("/v1/reach?within=3x")
    message = response.json()["error"]["message"]
    assert message == "`within`: '3x' is not a duration such as 3d or 36h"
    done = run_cli("reach", "--within", "3x")
    assert done.returncode == 2
    assert "argument --within: '3x' is not a duration such as 3d or 36h" in done.stderr
    assert done.stderr.count("--within") == 1


@pytest.mark.parametrize(
    ("query", "args", "parameter", "message"),
    [
        ("max_stretch=inf", ["--max-stretch", "inf"], "max_stretch", "`max_stretch` must be a finite number"),
        ("snap_km=0", ["--snap-km", "0"], "snap_km", "`snap_km` must be a distance above 0 km, got 0"),
        ("payload_t=0", ["--payload-t", "0"], "payload_t", "`payload_t` must be 1-100 tonnes, got 0"),
        ("gateways=true&k=2", ["--gateways", "-k", "2"], "k", "`k` does not combine with `gateways`"),
        ("cargo_to=Narnia", ["--cargo-to", "Narnia"], "cargo_to", "`cargo_to`: 'Narnia' is neither"),
    ],
)
def test_the_server_names_its_parameter_where_the_cli_names_its_flag(client, query, args, parameter, message):
    response = client.get(f"/v1/route?from=Almaty&to=Karachi&{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"].startswith(message) and error["parameter"] == parameter
    assert "--" not in error["message"]
    status, said = cli_error("route", "Almaty", "Karachi", *args)
    assert status == 2 and "`" not in said
    assert said == as_the_cli_names_it(error["message"], "route")
    flag = next(a for a in args if a.startswith("-") and a.lstrip("-").replace("-", "_") == parameter)
    assert said.startswith(flag)


@pytest.mark.parametrize(
    ("path", "query", "args"),
    [
        (
            "route",
            "from=Almaty&to=Karachi&compare=true&pareto=time",
            ["route", "Almaty", "Karachi", "--compare", "--pareto", "time"],
        ),
        (
            "route",
            "from=Almaty&to=Karachi&compare=true&gateways=true",
            ["route", "Almaty", "Karachi", "--compare", "--gateways"],
        ),
        (
            "route",
            "from=Almaty&to=Karachi&compare=true&format=csv&explain=true",
            ["route", "Almaty", "Karachi", "--compare", "--csv", "--explain"],
        ),
        ("reach", "within=3d&compare=true", ["reach", "--within", "3d", "--compare"]),
        ("reach", "within=3d&to=Gwadar", ["reach", "Gwadar", "--within", "3d"]),
        ("reach", "within=3d&by=cost", ["reach", "--within", "3d", "--by", "cost"]),
    ],
)
def test_options_that_do_not_combine_say_what_the_cli_says(client, path, query, args):
    response = client.get(f"/v1/{path}?{query}")
    assert response.status_code == 400
    exit_status, message = cli_error(*args)
    assert exit_status == 2
    assert "does not combine with" in message and "`" not in message
    assert as_the_cli_names_it(response.json()["error"]["message"], args[0]) == message


#: Options of the commands that write files or pages, pick the network, or choose the output:
#: the server has its own network, the planner page is its map, and ``format`` its outputs.
OUTSIDE_THE_API = {"json", "csv", "geojson", "map", "chart", "tiles", "offline", "network", "extra"}
#: Options that shape only the command's text or map output.
TEXT_ONLY = {"route": {"sources"}, "reach": {"measure"}, "rank": set()}


@pytest.mark.parametrize(
    ("command", "query_type"),
    [
        ("route", server_queries.RouteQuery),
        ("rank", server_queries.RankQuery),
        ("reach", server_queries.ReachQuery),
    ],
)
def test_every_option_of_the_command_is_a_parameter(command, query_type):
    parser = cli_module.build_parser(command)
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    options = {a.dest for a in commands.choices[command]._actions if a.dest != "help"}
    missing = options - set(query_type.model_fields) - OUTSIDE_THE_API - TEXT_ONLY[command]
    assert not missing, f"{command} options with no API parameter: {sorted(missing)}"


def test_places_limit_for_autocomplete(client):
    everything = client.get("/v1/places?q=a").json()
    first = client.get("/v1/places?q=a&limit=5").json()
    assert len(everything) > 5
    assert first == everything[:5]


def test_network_geojson(client, loaded):
    network = client.get("/v1/network")
    assert network.headers["content-type"] == "application/geo+json"
    features = network.json()["features"]
    points = [f for f in features if f["geometry"]["type"] == "Point"]
    lines = [f for f in features if f["geometry"]["type"] == "LineString"]
    assert len(points) == len(loaded.network.nodes)
    assert len(lines) == len(loaded.network.links)
    countries = client.get("/v1/network/countries").json()
    assert {f["properties"]["iso3"] for f in countries["features"]} >= {"KAZ", "PAK", "CHN"}


def test_health_get_and_head(client, loaded):
    assert client.get("/health").json() == {
        "status": "ok",
        "nodes": len(loaded.network.nodes),
        "links": len(loaded.network.links),
    }
    head = client.head("/health")
    assert head.status_code == 200
    assert head.content == b""


# -- errors: 4xx JSON with the command line's message, naming the parameter


@pytest.mark.parametrize(
    ("query", "args", "status", "parameter"),
    [
        ("from=Almty&to=Karachi", ["Almty", "Karachi"], 400, "from"),
        ("from=Almaty&to=Karachy", ["Almaty", "Karachy"], 400, "to"),
        ("from=Almaty&to=Karachi&via=Susst", ["Almaty", "Karachi", "--via", "Susst"], 400, "via"),
        ("from=Almaty&to=Karachi&month=13", ["Almaty", "Karachi", "--month", "13"], 400, "month"),
        ("from=Almaty&to=Karachi&modes=road,car", ["Almaty", "Karachi", "--modes", "road,car"], 400, "modes"),
        ("from=Almaty&to=Karachi&status=open", ["Almaty", "Karachi", "--status", "open"], 400, "status"),
        ("from=Almaty&to=Karachi&avoid=Nowhere", ["Almaty", "Karachi", "--avoid", "Nowhere"], 400, "avoid"),
        ("from=Almaty&to=Karachi&avoid=PAK", ["Almaty", "Karachi", "--avoid", "PAK"], 422, "avoid"),
        (
            "from=Almaty&to=Karachi&compare=true&pareto=time,cost",
            ["Almaty", "Karachi", "--compare", "--pareto", "time,cost"],
            400,
            "compare",
        ),
        (
            "from=Almaty&to=Karachi&rail_service=express",
            ["Almaty", "Karachi", "--rail-service", "express"],
            400,
            "rail_service",
        ),
        (
            "from=Almaty&to=Karachi&payload_t=0",
            ["Almaty", "Karachi", "--payload-t", "0"],
            400,
            "payload_t",
        ),
        (
            "from=Almaty&to=Karachi&by=generalised&value_of_time=1e308",
            ["Almaty", "Karachi", "--by", "generalised", "--value-of-time", "1e308"],
            400,
            "value_of_time",
        ),
        (
            "from=Almaty&to=Karachi&avoid=CHN,IRN&modes=road",
            ["Almaty", "Karachi", "--avoid", "CHN,IRN", "--modes", "road"],
            422,
            "avoid",
        ),
    ],
)
def test_route_errors_say_what_the_cli_says(client, query, args, status, parameter):
    response = client.get(f"/v1/route?{query}")
    assert response.status_code == status
    exit_status, message = cli_error("route", *args)
    assert exit_status == (1 if status == 422 else 2)
    error = response.json()["error"]
    assert error["parameter"] == parameter
    assert as_the_cli_names_it(error["message"], "route") == message


def test_unknown_place_suggests_names(client):
    error = client.get("/v1/route?from=Almty&to=Karachi").json()["error"]
    assert error["message"].startswith("unknown place 'Almty'; did you mean Almaty")


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("to=Karachi", "from", "from: missing"),
        ("from=Almaty", "to", "to: missing"),
        ("from=Almaty&to=Karachi&k=abc", "k", "k: expected an integer, got 'abc'"),
        ("from=Almaty&to=Karachi&k=2.5", "k", "k: expected an integer"),
        ("from=Almaty&to=Karachi&k=0", "k", "k must be 1-10"),
        ("from=Almaty&to=Karachi&k=11", "k", "k must be 1-10"),
        ("from=Almaty&to=Karachi&month=may", "month", "month: expected an integer"),
        ("from=Almaty&to=Karachi&include_suspended=perhaps", "include_suspended", "expected true or false"),
        ("from=Almaty&to=Karachi&max_overlap=lots", "max_overlap", "expected a number"),
        ("from=Almaty&to=Karachi&by=speed", "by", "unknown objective 'speed'"),
        ("from=Almaty&to=Karachi&format=kml", "format", "unknown format 'kml'"),
        (
            "from=Almaty&to=Karachi&compare=true&format=csv&explain=true",
            "compare",
            "`compare` does not combine with `explain`",
        ),
        ("from=Almaty&to=Karachi&explain=true", "explain", "explain is for format=csv"),
        ("from=Almaty&to=Karachi&compare=maybe", "compare", "expected true or false"),
        ("from=Almaty&to=Karachi&payload_t=heavy", "payload_t", "expected a number"),
        ("from=Almaty&to=Karachi&colour=red", "colour", "unknown parameter 'colour'"),
        ("from=Almaty&to=Karachi&via=", "via", "empty place name"),
        ("from=Almaty&to=Karachi&via=Sust&via=%20", "via", "empty place name"),
        ("from=Almaty&to=Karachi&from=Aktau", "from", "from: expected one value"),
        ("from=Almaty&to=Karachi" + "&via=Sust" * 9, "via", "via: at most 8 places"),
        ("from=" + "A" * 201 + "&to=Karachi", "from", "from: longer than 200 characters"),
        ("from=Almaty&to=Karachi" + "&avoid=AFG,IRN" * 26, "avoid", "avoid: at most 50"),
        ("from=&to=Karachi", "from", "empty place name"),
        ("from=91,0&to=Karachi", "from", "expected 'lat,lon' in degrees"),
    ],
)
def test_bad_route_queries(client, query, parameter, message):
    response = client.get(f"/v1/route?{query}")
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["parameter"] == parameter
    assert message in error["message"]
    assert "\n" not in error["message"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/v1/places?kind=castle", "kind"),
        ("/v1/places?limit=0", "limit"),
        ("/v1/places?limit=ten", "limit"),
        ("/v1/places?q=" + "x" * 201, "q"),
        ("/v1/rank?from=Atlantis", "from"),
        ("/v1/rank?by=speed", "by"),
        ("/v1/rank?month=0", "month"),
        ("/v1/rank?status=open", "status"),
        ("/v1/rank?reopen=Nowhere", "reopen"),
        ("/v1/reach?to=Atlantis", "to"),
        ("/v1/reach?modes=car", "modes"),
        ("/v1/reach?within=3x", "within"),
        ("/v1/reach?within=0d", "within"),
        ("/v1/reach?within=1000000000000000000000000h&from=Almaty", "within"),
        ("/v1/reach?within=3d&compare=true", "within"),
        ("/v1/reach?within=3d&to=Gwadar", "within"),
        ("/v1/reach?within=3d&by=time", "within"),
        ("/v1/reach?format=kml", "format"),
        ("/v1/rank?format=geojson", "format"),
        ("/v1/rank?weights=origin,destination", "weights"),
    ],
)
def test_bad_other_queries(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["parameter"] == parameter


def test_unknown_paths_and_methods_are_json(client):
    missing = client.get("/v2/route?from=Almaty&to=Karachi")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"message": "no such path: /v2/route", "parameter": None}}
    post = client.post("/v1/route?from=Almaty&to=Karachi")
    assert post.status_code == 405
    assert post.json()["error"]["message"] == "method POST not allowed on /v1/route"


def test_time_limit(loaded, monkeypatch):
    def slow(*args, **kwargs):
        time.sleep(0.5)
        return real(*args, **kwargs)

    real = api.plan
    app = server.create_app(loaded, limits=server.Limits(time_limit_s=0.05, inline_searches=0))
    monkeypatch.setattr(api, "plan", slow)
    response = TestClient(app).get("/v1/route?from=Almaty&to=Karachi")
    assert response.status_code == 503
    assert "longer than the server's limit of 0.05 s" in response.json()["error"]["message"]


def test_quick_routes_run_at_once_and_long_queries_on_the_pool(client):
    planner = client.app.state.planner

    def query(text: str, kind=server_queries.RouteQuery):
        return server_queries.parse(QueryParams(text), kind)

    assert planner.is_quick(query("from=Almaty&to=Karachi"))
    assert planner.is_quick(query("from=Almaty&to=Karachi&k=3&compare=true"))
    assert not planner.is_quick(query("from=Almaty&to=Karachi&k=4&compare=true"))
    assert not planner.is_quick(query("from=Almaty&to=Karachi&via=Sust&via=Quetta&k=3"))
    assert not planner.is_quick(query("from=Almaty&to=Karachi&pareto=time,cost"))
    assert not planner.is_quick(query("from=Kazakhstan&to=Iran&gateways=true"))
    ranked = query("by=distance&month=2", server_queries.RankQuery)
    assert not planner.is_cached(server.ranking, ranked)
    assert client.get("/v1/rank?month=2&by=distance&format=csv").status_code == 200
    assert planner.is_cached(server.ranking, ranked)  # the same query in another order and format
    assert not planner.is_cached(server.ranking, query("by=distance&month=3", server_queries.RankQuery))


def test_a_bug_is_a_json_500_without_traceback(loaded, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    app = server.create_app(loaded)
    monkeypatch.setattr(api, "plan", broken)
    response = TestClient(app, raise_server_exceptions=False).get("/v1/route?from=Almaty&to=Karachi")
    assert response.status_code == 500
    assert response.json() == {
        "error": {"message": "internal error (logged on the server)", "parameter": None}
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(["from", "to", "via", "by", "k", "avoid", "modes", "status", "month", "max_stretch"]),
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(["Almaty", "Karachi", "KAZ", "Arabian Sea", "-1", "0", "1e309", "nan", "40,70"]),
        ),
    )
)
def test_no_query_string_gets_a_5xx(client, params):
    response = client.get("/v1/route", params=params)
    assert response.status_code in (200, 400, 422), response.text
    if response.status_code != 200:
        assert set(response.json()["error"]) == {"message", "parameter"}


# -- the server's surroundings


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_work_offline(client, path):
    docs = client.get(path)
    assert docs.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", docs.text)
    assert urls
    assert not [u for u in urls if re.match(r"(https?:)?//", u)]
    for url in urls:
        assert client.get(url).status_code == 200, url
    schema = client.get("/openapi.json").json()
    route = schema["paths"]["/v1/route"]["get"]
    names = {p["name"] for p in route["parameters"]}
    assert names >= {"from", "to", "via", "by", "k", "avoid", "modes", "status", "month", "include_suspended"}
    assert names >= {"compare", "payload_t", "value_of_time", "explain", "format"}
    assert {p["name"] for p in schema["paths"]["/v1/rank"]["get"]["parameters"]} >= {"weights", "format"}
    assert {p["name"] for p in schema["paths"]["/v1/reach"]["get"]["parameters"]} >= {"within", "compare"}
    assert {"/v1/rank", "/v1/reach", "/v1/places", "/v1/projects", "/v1/network", "/health"} <= set(
        schema["paths"]
    )


def test_page_and_its_assets_are_local(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "static/leaflet/leaflet.js" in assets
    for asset in assets:
        if asset.startswith("data:"):
            continue
        assert not re.match(r"(https?:)?//", asset)
        assert client.get("/" + asset).status_code == 200, asset
    config = client.get("/static/config.json").json()
    assert config["tiles"] is None
    assert config["style"]["routes"][0] == "#0072B2"


def test_cors_is_off_unless_asked(loaded):
    headers = {"Origin": "https://example.org"}
    plain = TestClient(server.create_app(loaded)).get("/health", headers=headers)
    assert "access-control-allow-origin" not in plain.headers
    app = server.create_app(loaded, cors_origins=["https://example.org"])
    allowed = TestClient(app).get("/health", headers=headers)
    assert allowed.headers["access-control-allow-origin"] == "https://example.org"


def test_large_answers_are_compressed(client):
    response = client.get("/v1/network", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"


def test_route_command_does_not_import_the_server():
    code = (
        "import sys; from corridors.routes import cli; cli.main(['route', 'Almaty', 'Karachi', '--json']); "
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette', 'pydantic') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command_answers_on_loopback(tmp_path: Path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "corridors", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                    health = json.loads(answer.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert health["status"] == "ok"
        url = f"http://127.0.0.1:{port}/v1/route?from=Almaty&to=Karachi"
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert as_the_cli_says(json.loads(answer.read()), "route") == cli_json(
                "route", "Almaty", "Karachi"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_worker_processes_make_their_app_from_the_environment(monkeypatch, tiny_dir):
    settings = {"network": str(tiny_dir), "extra": [], "tiles": "osm", "cors_origins": []}
    monkeypatch.setenv(server.SETTINGS_VARIABLE, json.dumps(settings))
    worker = TestClient(server.app_from_environment())
    assert worker.get("/health").json()["nodes"] == len(loading.load(tiny_dir).network.nodes)
    assert (
        worker.get("/static/config.json").json()["tiles"]["url"].startswith("https://tile.openstreetmap.org/")
    )


def test_serve_refuses_a_bad_worker_count():
    assert cli_error("serve", "--workers", "0") == (2, "--workers must be 1-64, got 0")


def test_serve_rejects_bad_options():
    done = run_cli("serve", "--port", "eighty")
    assert done.returncode == 2
    assert "--port" in done.stderr
