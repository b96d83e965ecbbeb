"""Hostile and unlucky inputs: each ends with one line on stderr and the documented exit status.

Exit status 2 is bad input, 1 no route. Every case runs the command line in this process
(``cli.main``) unless it needs a real process (a FIFO that could block, a signal); each checks
that the folders it gives are left as they were and that nothing outside them was touched.
The tests run as root here: permission cases set explicit modes and owners, and the one case
that needs another user (a cache folder owned by someone else) uses ``os.chown`` and is skipped
when the process may not change owners.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from corridors.geo import authoring, journal, paths, transaction
from corridors.geo.errors import CorridorError, FileAccessError, QueryError
from corridors.maps import MapError
from corridors.routes import api, cache, cli, loading
from tests.conftest import run_cli

DATA = Path(__file__).parent / "data"
REGION = DATA / "region"
KURRAM = DATA / "user" / "kurram_crossing.geojson"
ROUTE = ("route", "Kapa", "Pport")


def fingerprint(folder: Path) -> dict[str, str]:
    """Every entry under a folder with the SHA-256 of its bytes (or its kind, for non-files)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        key = p.relative_to(folder).as_posix()
        out[key] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() and not p.is_symlink() else "*"
    return out


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run the command line in this process; return the status, stdout and stderr."""
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(err: str, expected: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert expected in lines[0], err


@pytest.fixture
def net(tmp_path: Path) -> Path:
    """An editable copy of the region network."""
    return authoring.init_network(tmp_path / "net", source=REGION)


def user_file(path: Path, **props) -> Path:
    """A user file of one valid road link from Kapa to Kbeta, with ``props`` changed."""
    base = {"mode": "road", "status": "proposed", "name": "New Road", "source": "s", "from": "kapa"}
    base["to"] = "kbeta"
    feature = {
        "type": "Feature",
        "properties": {**base, **props},
        "geometry": {"type": "LineString", "coordinates": [[76.0, 43.0], [65.0, 44.0], [53.0, 43.0]]},
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    path.write_text(text.replace('"__1e309__"', "1e309"))  # a number JSON allows but no float holds
    return path


# --- outputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("device", "flag"), [("/dev/null", "--map"), ("/dev/full", "--geojson"), ("/dev/null", "--geojson")]
)
def test_devices_are_refused_as_outputs(capsys, device, flag):
    if not Path(device).exists():
        pytest.skip(f"{device} is missing here")
    code, _, err = run(capsys, *ROUTE, "--network", REGION, flag, device)
    assert code == 2
    assert_one_line(err, "is a character device")
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_a_symbolic_link_is_refused_not_followed_or_replaced(capsys, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    link = tmp_path / "out.geojson"
    link.symlink_to(victim)
    code, _, err = run(capsys, *ROUTE, "--network", REGION, "--geojson", link)
    assert code == 2
    assert_one_line(err, "is a symbolic link")
    assert link.is_symlink() and victim.read_text() == "mine"


def test_a_folder_is_refused_as_output(capsys, tmp_path):
    code, _, err = run(capsys, *ROUTE, "--network", REGION, "--geojson", tmp_path)
    assert code == 2
    assert_one_line(err, "is a folder")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nodes.geojson", "is an input of this command"),
        ("costs.toml", "is an input of this command"),
        ("countries.geojson", "is an input of this command"),
        ("links/*", "is in the links folder of the network being read"),
    ],
)
def test_files_of_the_network_being_read_are_never_replaced(capsys, net, name, expected):
    target = next((net / "links").glob("*.geojson")) if name == "links/*" else net / name
    before = fingerprint(net)
    for flag in ("--geojson", "--map"):
        tiles = ("--tiles", "none") if flag == "--map" else ()
        code, _, err = run(capsys, *ROUTE, "--network", net, flag, target, *tiles)
        assert code == 2
        assert_one_line(err, expected)
    assert fingerprint(net) == before


def test_a_new_file_in_the_links_folder_is_refused(capsys, net):
    before = fingerprint(net)
    code, _, err = run(capsys, *ROUTE, "--network", net, "--geojson", net / "links" / "out.geojson")
    assert code == 2
    assert_one_line(err, "links folder of the network")
    assert fingerprint(net) == before


def test_a_with_file_is_never_replaced(capsys, tmp_path):
    extra = user_file(tmp_path / "extra.geojson")
    before = extra.read_bytes()
    code, _, err = run(capsys, *ROUTE, "--network", REGION, "--with", extra, "--map", extra)
    assert code == 2
    assert_one_line(err, "is an input of this command")
    assert extra.read_bytes() == before


def test_dash_writes_to_stdout_and_makes_no_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, *ROUTE, "--network", REGION, "--geojson", "-")
    assert code == 0
    assert json.loads(out)["type"] == "FeatureCollection"
    assert not (tmp_path / "-").exists()
    code, out, _ = run(capsys, *ROUTE, "--network", REGION, "--map", "-", "--tiles", "none")
    assert code == 0 and out.lstrip().startswith("<!DOCTYPE html>")
    assert list(tmp_path.iterdir()) == []


def test_overwriting_keeps_the_mode_of_an_ordinary_file(capsys, tmp_path):
    out = tmp_path / "route.geojson"
    out.write_text("old")
    out.chmod(0o640)
    code, _, _ = run(capsys, *ROUTE, "--network", REGION, "--geojson", out)
    assert code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert json.loads(out.read_text())["type"] == "FeatureCollection"


def test_a_new_output_gets_the_umask_mode(capsys, tmp_path):
    old = os.umask(0o027)
    try:
        code, _, _ = run(capsys, *ROUTE, "--network", REGION, "--geojson", tmp_path / "new.geojson")
    finally:
        os.umask(old)
    assert code == 0
    assert stat.S_IMODE((tmp_path / "new.geojson").stat().st_mode) == 0o640


def test_write_errors_name_the_target_not_a_temporary_file(capsys, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    target = tmp_path / "route.geojson"
    code, _, err = run(capsys, *ROUTE, "--network", REGION, "--geojson", target)
    assert code == 2
    assert_one_line(err, f"{target}: cannot write file: No space left on device")
    assert ".tmp" not in err and list(tmp_path.iterdir()) == []


def test_a_map_that_cannot_be_written_is_a_clean_error(capsys, tmp_path):
    code, _, err = run(capsys, *ROUTE, "--network", REGION, "--map", tmp_path / "no" / "such" / "m.html")
    assert code == 2
    assert_one_line(err, "cannot write the map to")
    assert issubclass(MapError, CorridorError)


@pytest.mark.parametrize("tiles", ["bogus", "https://tiles.example/{z}/{x}/{y}.png"])
def test_unknown_tiles_are_a_clean_error(capsys, tmp_path, tiles):
    code, _, err = run(capsys, *ROUTE, "--network", REGION, "--map", tmp_path / "m.html", "--tiles", tiles)
    assert code == 2
    assert_one_line(err, "unknown tile layer")
    assert not (tmp_path / "m.html").exists()


# --- options ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-k", "10000"], "error: -k must be a whole number from 1 to 10, got 10000"),
        (["-k", "0"], "error: -k must be a whole number from 1 to 10"),
        (["-k", "two"], "error: -k must be a whole number, got 'two'"),
        (["--max-stretch", "inf"], "error: --max-stretch must be a finite number from 1 to 100, got inf"),
        (["--max-stretch", "-1"], "error: --max-stretch must be a finite number from 1 to 100"),
        (["--max-overlap", "nan"], "error: --max-overlap must be a finite number from 0 to 1, got nan"),
        (["--max-overlap", "1.5"], "error: --max-overlap must be a finite number from 0 to 1"),
        (["--month", "13"], "error: --month must be a whole number from 1 to 12"),
        (["--snap-km", "0"], "error: --snap-km must be a distance above 0 km, got 0"),
        (["--payload-t", "0"], "error: --payload-t must be 1-100 tonnes, got 0"),
        (["--rail-service", "express"], "error: --rail-service: unknown service 'express'"),
        (["--gateways", "-k", "2"], "error: -k does not combine with --gateways, which choose the routes"),
        (["--pareto", "time,speed"], "error: --pareto: unknown criterion 'speed'"),
        (["--by", "beauty"], "invalid choice"),
        ([f"--via={v}" for v in "abcdefghi"], "at most 8 places"),
    ],
)
def test_options_out_of_range_are_refused_at_once(capsys, args, expected):
    t = time.perf_counter()
    code, out, err = run(capsys, *ROUTE, "--network", REGION, *args)
    assert code == 2 and out == ""
    assert_one_line(err, expected)
    assert time.perf_counter() - t < 5


def test_a_point_far_from_the_network_is_refused_not_snapped(capsys):
    code, _, err = run(capsys, "route", "--network", REGION, "--", "-89,-179", "Pport")
    assert code == 2
    assert_one_line(err, "from the nearest place of the network, over the 300 km limit")


def test_terminal_escapes_in_arguments_are_shown_escaped(capsys):
    code, _, err = run(capsys, "route", "Ka\x1b[2Jpa\u202e", "Pport", "--network", REGION)
    assert code == 2
    assert "\x1b" not in err and "\u202e" not in err
    assert_one_line(err, "unknown place")


def test_the_python_api_reads_a_string_as_one_list_not_letters():
    loaded = loading.load(REGION)
    one = api.plan("Kapa", "Pport", modes="road", network=loaded)
    listed = api.plan("Kapa", "Pport", modes=["road"], network=loaded)
    assert [r.time_h for r in one.routes] == [r.time_h for r in listed.routes]
    assert one.query["modes"] == ["road"]
    with pytest.raises(QueryError, match="`k` must be a whole number from 1 to 10"):
        api.plan("Kapa", "Pport", k=10_000, network=loaded)
    with pytest.raises(QueryError, match=r"^`max_stretch` must be a finite number from 1 to 100, got inf$"):
        api.plan("Kapa", "Pport", max_stretch=float("inf"), network=loaded)
    with pytest.raises(QueryError, match=r"^`snap_km` must be a distance above 0 km, got 0$"):
        api.plan("Kapa", "Pport", snap_km=0, network=loaded)


# --- inputs ----------------------------------------------------------------------------------


def test_device_files_as_inputs_are_refused_at_once(tmp_path):
    t = time.perf_counter()
    res = run_cli(*ROUTE, "--network", str(REGION), "--with", "/dev/zero")
    assert res.returncode == 2
    assert_one_line(res.stderr, "/dev/zero: is a character device, not a regular file")
    res = run_cli("validate", "/dev/urandom", "--network", str(REGION))
    assert res.returncode == 2 and "character device" in res.stdout
    assert time.perf_counter() - t < 30


def test_a_fifo_never_blocks(tmp_path, net):
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    for args in (
        ("validate", str(fifo), "--network", str(REGION)),
        (*ROUTE, "--network", str(REGION), "--with", str(fifo)),
    ):
        cmd = [sys.executable, "-m", "corridors", *args]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        assert res.returncode == 2
        assert "FIFO" in res.stdout + res.stderr and "Traceback" not in res.stderr
    os.mkfifo(net / "links" / "pipe.geojson")
    res = subprocess.run(
        [sys.executable, "-m", "corridors", *ROUTE, "--network", str(net)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert res.returncode == 2
    assert_one_line(res.stderr, "is a FIFO (named pipe), not a regular file")


def test_a_cost_model_that_is_a_device_is_refused(capsys, net):
    (net / "costs.toml").unlink()
    (net / "costs.toml").symlink_to("/dev/zero")
    code, _, err = run(capsys, *ROUTE, "--network", net)
    assert code == 2
    assert_one_line(err, "costs.toml is not a regular file")


def test_broken_country_outlines_are_a_clean_error(capsys, net, tmp_path):
    (net / "countries.geojson").write_text("[1, 2")
    code, _, err = run(capsys, *ROUTE, "--network", net, "--map", tmp_path / "m.html", "--tiles", "none")
    assert code == 2
    assert_one_line(err, "cannot read country outlines")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"origin,destination,weight\n\xff\xfe,Pport,1\n", "not UTF-8 text"),
        (b"Kapa,Pport,1\n", "line 1: expected the header origin,destination,weight"),
        (b"origin,destination,weight\nKapa,Pport,abc\n", "line 2: expected origin,destination,weight"),
        (b"origin,destination,weight\nKapa,Pport,nan\n", "weight must be a number >= 0"),
        (b"origin,destination,weight\nKapa,Kbeta,1\n", "not among the pairs ranked"),
        (b"origin,destination,weight\nKapa,Pport,1\nKapa,Pport,2\n", "given twice"),
    ],
)
def test_bad_weights_files_are_refused_with_the_line(capsys, tmp_path, content, expected):
    weights = tmp_path / "w.csv"
    weights.write_bytes(content)
    code, _, err = run(
        capsys, "rank", "--network", REGION, "--from", "KAZ", "--to", "PAK", "--weights", weights
    )
    assert code == 2
    assert_one_line(err, expected)


# --- data values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "prop", "expected"),
    [
        ({"name": "New\ud800Road"}, "name", "lone surrogate"),
        ({"name": "New\x1b[31mRoad"}, "name", "U+001B"),
        ({"note": "right\u202eleft"}, "note", "U+202E"),
        ({"source": "a\x00b"}, "source", "U+0000"),
        ({"extra": "__1e309__"}, "extra", "inf is not a finite number"),
        ({"length_km": 1e300}, "length_km", "implausibly large"),
        ({"speed_kmh": 1e-300}, "speed_kmh", "is not a freight speed"),
        ({"usd_per_t": 1e300}, "usd_per_t", "implausibly large"),
        ({"extra": [[[[[[[[[[1]]]]]]]]]]}, "extra", "nested more than 8 levels deep"),
    ],
)
def test_unfit_values_are_refused_by_every_command(capsys, net, tmp_path, props, prop, expected):
    bad = user_file(tmp_path / "bad.geojson", **props)
    before = fingerprint(net)
    code, out, _ = run(capsys, "validate", bad, "--network", net)
    assert code == 2
    assert f"property '{prop}'" in out and expected in out
    code, _, err = run(capsys, *ROUTE, "--network", net, "--with", bad, "--json")
    assert code == 2
    assert_one_line(err, expected)
    for dry in (["--dry-run"], []):
        code, out, err = run(capsys, "add", bad, "--network", net, *dry)
        assert code == 2 and expected in out and "Traceback" not in err
    assert fingerprint(net) == before


@pytest.mark.parametrize("depth", [40, 985])
def test_a_deep_foreign_member_cannot_be_added_and_the_folder_stays_usable(capsys, net, tmp_path, depth):
    bad = user_file(tmp_path / "deep.geojson", extra="__deep__")
    bad.write_text(bad.read_text().replace('"__deep__"', "[" * depth + "]" * depth))
    before = fingerprint(net)
    for dry in (["--dry-run"], []):
        code, out, err = run(capsys, "add", bad, "--network", net, *dry)
        assert code == 2 and "nested" in out and "Traceback" not in err
    assert fingerprint(net) == before
    code, _, _ = run(capsys, *ROUTE, "--network", net)
    assert code == 0


def test_add_reads_the_merged_folder_back_before_writing(net, monkeypatch):
    real = authoring.append_features

    def corrupt(old, lines):
        return real(old, lines)[:-5]  # as if the merge produced a cut-off file

    monkeypatch.setattr(authoring, "append_features", corrupt)
    before = fingerprint(net)
    with pytest.raises(CorridorError, match="after this merge the network would not load"):
        authoring.add([KURRAM], net)
    assert fingerprint(net) == before


# --- the recovery journal ----------------------------------------------------------------------


def plant(net: Path, content: str | bytes, staged: dict[str, bytes] | None = None) -> Path:
    pending = net / paths.PENDING_DIR
    pending.mkdir()
    (pending / journal.JOURNAL).write_bytes(content if isinstance(content, bytes) else content.encode())
    for name, data in (staged or {}).items():
        (pending / name).write_bytes(data)
    return pending


def entries(*rows: dict, made: list | None = None) -> str:
    return json.dumps({"entries": list(rows), "made": made or []})


@pytest.mark.parametrize(
    ("journal_text", "expected"),
    [
        (entries({"target": "{victim}", "staged": "0.new", "backup": None}), "is not nodes.geojson"),
        (entries({"target": "../victim.txt", "staged": "0.new", "backup": None}), "is not nodes.geojson"),
        (entries({"target": "links/../../victim.txt", "staged": "0.new", "backup": None}), "links/NAME"),
        (entries({"target": "nodes.geojson", "staged": "0.new", "backup": "../../victim.txt"}), "backup"),
        (entries({"target": "nodes.geojson", "staged": "/etc/passwd", "backup": None}), "staged file"),
        (entries({"target": "nodes.geojson", "staged": "0.new", "backup": None}, made=["../x"]), "'made'"),
        ("{not json", "is not valid JSON"),
        ("[]", 'expected {"entries"'),
        ('{"entries": [1], "made": []}', "entry 0"),
        ('{"entries": [], "made": [], "run": "rm -rf /"}', 'expected {"entries"'),
        (b"\xff\xfe", "is not valid JSON"),
    ],
)
def test_a_planted_journal_changes_nothing(capsys, net, tmp_path, journal_text, expected):
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    text = journal_text.replace("{victim}", str(victim)) if isinstance(journal_text, str) else journal_text
    plant(net, text, {"0.new": b"planted"})
    before = fingerprint(net)
    for args in (("add", "--recover", "--network", net), ("add", KURRAM, "--network", net)):
        code, _, err = run(capsys, *args)
        assert code == 2
        assert_one_line(err, expected)
        assert "nothing was recovered or changed" in err
    assert victim.read_text() == "mine"
    assert fingerprint(net) == before


def test_symbolic_links_in_the_staging_area_are_not_followed(capsys, net, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    (net / paths.PENDING_DIR).symlink_to(elsewhere)
    code, _, err = run(capsys, "add", "--recover", "--network", net)
    assert code == 2
    assert_one_line(err, "is not a folder (a symbolic link?)")
    assert (elsewhere / "keep.txt").read_text() == "mine"
    (net / paths.PENDING_DIR).unlink()
    secret = tmp_path / "id_rsa"
    secret.write_text("private")
    row = {"target": "nodes.geojson", "staged": "0.new", "backup": "0.old"}
    pending = plant(net, entries(row))
    (pending / "0.old").symlink_to(secret)
    before = (net / "nodes.geojson").read_bytes()
    code, _, err = run(capsys, "add", "--recover", "--network", net)
    assert code == 2
    assert_one_line(err, "is not a regular file (a symbolic link?)")
    assert secret.read_text() == "private" and (net / "nodes.geojson").read_bytes() == before


def test_a_links_folder_that_is_a_link_is_refused(capsys, net, tmp_path):
    outside = tmp_path / "outside"
    shutil.move(net / "links", outside)
    (net / "links").symlink_to(outside)
    plant(net, entries({"target": "links/region.geojson", "staged": "0.new", "backup": None}))
    before = fingerprint(outside)
    code, _, err = run(capsys, "add", "--recover", "--network", net)
    assert code == 2
    assert_one_line(err, "is not a folder (a symbolic link?)")
    assert fingerprint(outside) == before


def test_an_interrupt_after_the_commit_keeps_the_merge_and_says_so(capsys, net, monkeypatch):
    real = shutil.rmtree

    def interrupted(path, *args, **kwargs):
        if Path(path).name == paths.PENDING_DIR and (Path(path) / journal.DONE).exists():
            raise KeyboardInterrupt
        return real(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", interrupted)
    with pytest.raises(KeyboardInterrupt):
        authoring.add([KURRAM], net)
    monkeypatch.setattr(shutil, "rmtree", real)
    merged = fingerprint(net)
    assert (net / paths.PENDING_DIR / journal.DONE).exists()
    code, out, _ = run(capsys, "add", "--recover", "--network", net)
    assert code == 0 and "had completed: its changes are kept" in out
    assert not (net / paths.PENDING_DIR).exists()
    assert {k: v for k, v in merged.items() if not k.startswith(paths.PENDING_DIR)} == fingerprint(net)
    code, out, _ = run(capsys, "places", "Kurramgate", "--network", net)
    assert code == 0 and "Kurramgate" in out  # the merged folder loads, with the new place


def test_staging_without_a_journal_is_reported_as_changing_nothing(capsys, net):
    before = fingerprint(net)
    (net / paths.PENDING_DIR).mkdir()
    (net / paths.PENDING_DIR / "0.new").write_bytes(b"half")
    code, out, _ = run(capsys, "add", "--recover", "--network", net)
    assert code == 0 and "had changed nothing" in out
    assert fingerprint(net) == before


# --- the cache -------------------------------------------------------------------------------


class Boom:
    """Unpickling this runs a shell command, as a planted cache entry would."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    where = tmp_path / "cache"
    where.mkdir(mode=0o700)
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(where))
    monkeypatch.setattr(cache, "MIN_EDGES", 0)
    return where


def region_key() -> str:
    nodes, links, costs = paths.network_files(REGION)
    k = cache.key([nodes, *links, costs])
    assert k is not None
    return k


def test_a_planted_pickle_is_never_run(cache_dir, tmp_path):
    marker = tmp_path / "ran"
    k = region_key()
    cache._path(cache_dir, k).write_bytes(pickle.dumps((k, Boom(str(marker)))))
    loaded = loading.load(REGION)
    assert not marker.exists()
    assert "kapa" in loaded.network.nodes
    loading.load(REGION)  # the entry was rewritten, sealed: it loads, and still runs nothing
    assert not marker.exists()


def test_a_planted_entry_with_the_magic_but_no_valid_seal_is_never_run(cache_dir, tmp_path):
    marker = tmp_path / "ran"
    loading.load(REGION)  # makes the key file
    k = region_key()
    payload = pickle.dumps((k, Boom(str(marker))))
    cache._path(cache_dir, k).write_bytes(cache.MAGIC + b"\0" * 32 + payload)
    assert cache.get(k) is None
    assert not marker.exists()


def test_a_flipped_bit_in_an_entry_is_caught(cache_dir):
    cache.put("k", {"time_h": 1.5})
    entry = cache._path(cache_dir, "k")
    data = bytearray(entry.read_bytes())
    data[-3] ^= 0x01
    entry.write_bytes(bytes(data))
    assert cache.get("k") is None


def test_the_key_follows_content_not_size_and_time(tmp_path):
    f = tmp_path / "links.geojson"
    f.write_text('{"speed_kmh": 50}')
    st = f.stat()
    k1 = cache.key([f])
    f.write_text('{"speed_kmh": 90}')  # same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # same time stamp, as after cp -p or rsync -t
    assert cache.key([f]) != k1


def test_a_cache_folder_writable_by_others_is_not_used(capsys, cache_dir):
    cache_dir.chmod(0o777)
    cache._warned.clear()
    code, _, err = run(capsys, *ROUTE, "--network", REGION)
    assert code == 0
    assert_one_line(err, "warning: cache folder")
    assert "others may write it: not using it" in err
    assert not list(cache_dir.iterdir())


def test_a_cache_folder_of_another_user_is_not_used(cache_dir, caplog):
    try:
        os.chown(cache_dir, 4242, -1)
    except PermissionError:
        pytest.skip("changing a folder's owner needs root")
    cache._warned.clear()
    cache.put("k", 1)
    assert "is owned by user 4242" in caplog.text
    assert not list(cache_dir.iterdir())


@pytest.mark.parametrize("how", ["mode", "symlink", "size"])
def test_an_unsafe_key_file_disables_the_cache(cache_dir, tmp_path, caplog, how):
    key = cache_dir / cache.KEY_FILE
    if how == "mode":
        key.write_bytes(os.urandom(32))
        key.chmod(0o644)
    elif how == "symlink":
        (tmp_path / "their_key").write_bytes(b"\0" * 32)
        key.symlink_to(tmp_path / "their_key")
    else:
        key.write_bytes(b"short")
        key.chmod(0o600)
    cache._warned.clear()
    cache.put("k", 1)
    assert cache.get("k") is None
    assert "cache key" in caplog.text or "cannot be read" in caplog.text
    assert not list(cache_dir.glob("*.pickle"))


def test_a_cache_hit_serves_the_same_network(cache_dir):
    first = loading.load(REGION)
    assert list(cache_dir.glob("*.pickle"))
    second = loading.load(REGION)
    assert sorted(second.network.links) == sorted(first.network.links)
    key_mode = stat.S_IMODE((cache_dir / cache.KEY_FILE).stat().st_mode)
    assert key_mode == 0o600


# --- the error tree ----------------------------------------------------------------------------


@pytest.mark.parametrize("error", [MapError, FileAccessError, QueryError])
def test_every_error_a_user_can_cause_is_a_corridor_error(error: Callable):
    assert issubclass(error, CorridorError)


# --- writing a network folder ------------------------------------------------------------------


def test_a_planted_lock_link_creates_nothing_outside(capsys, net, tmp_path):
    target = tmp_path / "nologin"
    (net / transaction.LOCK_FILE).unlink()
    (net / transaction.LOCK_FILE).symlink_to(target)
    code, _, err = run(capsys, "add", KURRAM, "--network", net)
    assert code == 2
    assert_one_line(err, "cannot create the lock file")
    assert not target.exists()


def test_add_never_writes_through_a_linked_links_folder(capsys, net, tmp_path):
    outside = tmp_path / "outside"
    shutil.move(net / "links", outside)
    (net / "links").symlink_to(outside)
    before = fingerprint(outside)
    code, _, err = run(capsys, "add", KURRAM, "--network", net)
    assert code == 2
    assert_one_line(err, "is a symbolic link; `corridors add` writes only the folder's own files")
    assert fingerprint(outside) == before and not (net / paths.PENDING_DIR).exists()


def test_a_failed_commit_names_the_file_of_the_folder_not_the_staged_one(net, monkeypatch):
    real = os.replace

    def full(src, dst, *args, **kwargs):
        if Path(dst).name == "nodes.geojson":
            raise OSError(28, "No space left on device", str(src), None, str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full)
    before = fingerprint(net)
    with pytest.raises(CorridorError) as caught:
        authoring.add([KURRAM], net)
    msg = str(caught.value)
    assert f"could not write {net / 'nodes.geojson'}: No space left on device" in msg
    assert ".new" not in msg and ".corridors-add" not in msg
    assert fingerprint(net) == before


def test_init_into_a_folder_that_cannot_be_made_is_a_clean_error(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "network", "init", blocker / "net")
    assert code == 2
    assert "Traceback" not in err and str(blocker / "net") in err


def test_a_remembered_digest_serves_only_the_same_file_state(cache_dir, tmp_path, monkeypatch):
    f = tmp_path / "links.geojson"
    f.write_bytes(b"a" * cache.MIN_REMEMBERED_BYTES)
    settled = time.time_ns() - 10 * 10**9
    os.utime(f, ns=(settled, settled))
    monkeypatch.setattr(cache, "_RACY_NS", -(10**12))  # the change time is now too: take it as settled
    k1 = cache.key([f])
    assert (cache_dir / cache.DIGESTS_FILE).is_file()
    assert cache.key([f]) == k1  # from the remembered digest
    time.sleep(0.05)  # past the change time's tick (coarse on some file systems)
    with f.open("r+b") as fh:
        fh.write(b"b")  # same size; the time stamps set back again: only the change time moves
    os.utime(f, ns=(settled, settled))
    assert cache.key([f]) != k1


def test_a_planted_digests_file_is_ignored(cache_dir, tmp_path):
    f = tmp_path / "links.geojson"
    f.write_bytes(b"a" * cache.MIN_REMEMBERED_BYTES)
    st = f.stat()
    loading.load(REGION)  # makes the key file
    lie = {str(f.absolute()): [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, "0" * 64]}
    (cache_dir / cache.DIGESTS_FILE).write_bytes(cache.MAGIC + b"\0" * 32 + json.dumps(lie).encode())
    assert "0" * 64 not in cache.key([f])
