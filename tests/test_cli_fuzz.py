"""Property-based test of the command line: generated options and GeoJSON values, in process.

Whatever the arguments and whatever a ``--with`` or ``validate`` file holds, ``cli.main``
returns (no exception escapes it, so no traceback reaches the user), the status is 0, 1 or 2,
an error is one line on stderr, and the network folder is byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.geo import authoring
from corridors.routes import cli

DATA = Path(__file__).parent / "data"
REGION = DATA / "region"

#: A valid user file for the region: a proposed railway between two of its places.
BASE_LINK = {
    "type": "Feature",
    "properties": {
        "from": "kapa",
        "to": "kbeta",
        "mode": "rail",
        "status": "proposed",
        "corridor": "Steppe Railway",
        "gauge_mm": 1520,
        "length_km": 2600,
        "source": "s",
    },
    "geometry": {"type": "LineString", "coordinates": [[76.0, 43.0], [65.0, 44.0], [53.0, 43.0]]},
}

hostile_text = st.sampled_from(
    ["", " ", "\ud800", "a\udfffb", "\x1b[2J", "\u202eevil", "a\x00b", "\n", "Kapa", "Pport", "KAZ", "1e309"]
) | st.text(max_size=8)
hostile_number = st.sampled_from(
    [0, -1, 1e-300, 1e300, 1e308, 10**400, 2**63, 0.5, 13, 1520, float("nan"), float("inf")]
) | st.floats(allow_nan=True, allow_infinity=True)
values = st.recursive(
    st.none() | st.booleans() | hostile_number | hostile_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(hostile_text, children, max_size=3),
    max_leaves=8,
)
properties = st.sampled_from(
    [
        "from",
        "to",
        "mode",
        "status",
        "corridor",
        "name",
        "length_km",
        "speed_kmh",
        "usd_per_t",
        "note",
        "gauge_mm",
        "open_months",
        "year",
        "id",
        "source",
        "extra",
    ]
)


@st.composite
def user_file_text(draw) -> str:
    """The base link with a few properties (or a foreign member) set to generated values."""
    feature = json.loads(json.dumps(BASE_LINK))
    for _ in range(draw(st.integers(0, 3))):
        value = draw(values)
        if draw(st.booleans()):
            feature["properties"][draw(properties)] = value
        else:
            feature[draw(st.sampled_from(["foreign", "bbox", "id"]))] = value
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})  # NaN/Infinity as written
    depth = draw(st.sampled_from([0, 0, 0, 12, 400, 2000]))
    if depth:  # a deep foreign member, written as raw text
        deep = "[" * depth + "]" * depth
        text = text.replace('"type": "Feature",', f'"type": "Feature", "deep": {deep},')
    if draw(st.booleans()):
        text = text.replace('"length_km": 2600', '"length_km": 1e309')
    return text


number_text = st.one_of(
    st.integers(-5, 40).map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e309", "0x10", "", "½", "1_0"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    hostile_text,
)
place = (
    st.sampled_from(["Kapa", "Pport", "KAZ", "Pakistan", "Arabian Sea", "43.0,76.0", "-89,-179"])
    | hostile_text
)


@st.composite
def route_args(draw) -> list[str]:
    args = ["route", draw(place), draw(place)]
    for flag, strategy in (
        ("-k", number_text),
        ("--max-stretch", number_text),
        ("--max-overlap", number_text),
        ("--month", number_text),
        ("--by", st.sampled_from(["time", "cost", "distance", "beauty", ""])),
        ("--via", place),
        ("--modes", st.sampled_from(["road", "rail,sea", "boat", ""]) | hostile_text),
        ("--status", st.sampled_from(["operational", "proposed,suspended", "x"])),
        ("--avoid", place),
    ):
        if draw(st.integers(0, 3)) == 0:
            args += [flag, draw(strategy)]
    if draw(st.booleans()):
        args.append(draw(st.sampled_from(["--json", "--explain", "--include-suspended", "--compare"])))
    return args


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return authoring.init_network(tmp_path_factory.mktemp("fuzz") / "net", source=REGION)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("scratch")


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "/"
        for p in sorted(folder.rglob("*"))
    }


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(["route", "validate", "add", "network", "places"]),
    args=route_args(),
    text=user_file_text(),
    output=st.sampled_from([None, "-", "out.geojson", "net/nodes.geojson", "net/links/x.geojson", "."]),
)
def test_any_arguments_and_values_end_cleanly(folder, scratch, command, args, text, output):
    before = fingerprint(folder)
    user = scratch / "user.geojson"
    user.write_text(text, encoding="utf-8", errors="surrogatepass")
    net = ["--network", str(folder)]
    if command == "route":
        argv = [*args, *net, "--with", str(user)]
        if output is not None and "--json" not in argv:
            base = folder.parent if output.startswith("net") else scratch
            argv += ["--geojson", {"-": "-", ".": str(scratch)}.get(output) or str(base / output)]
    elif command == "validate":
        argv = ["validate", str(user), *net]
    elif command == "add":
        argv = ["add", str(user), *net, "--dry-run"]
    elif command == "network":
        argv = ["network", *net, "--with", str(user)]
    else:
        argv = ["places", args[1], *net]
    code, _, err = run(argv)
    assert code in (0, 1, 2), (argv, err)
    assert "Traceback" not in err
    if code != 0 and command in ("route", "network", "places"):
        assert len([line for line in err.splitlines() if line.strip()]) >= 1
    assert fingerprint(folder) == before
