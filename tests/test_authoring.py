"""User-drawn GeoJSON: completing features, validating, routing with --with, merging with add.

Fixtures: the hand-made region (tests/data/region) and user files in tests/data/user:
``kurram_crossing.geojson`` (a new crossing Kurramgate and two railway links drawn without
``from``/``to``/``id``, named instead of given a corridor) and ``qgis_export.geojson`` (a QGIS
export: CRS84 ``crs``, ``fid``, nulls, a one-part MultiLineString with Z).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.geo import authoring, geodesy, io, paths, transaction, validate
from corridors.geo.errors import NetworkDataError, NoRouteError
from corridors.routes import api, loading
from tests.conftest import run_cli

DATA = Path(__file__).parent / "data"
REGION = DATA / "region"
TINY = DATA / "tiny"
USER = DATA / "user"
KURRAM = USER / "kurram_crossing.geojson"
QGIS = USER / "qgis_export.geojson"


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under a folder (hidden ones too) with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def region_copy(tmp_path: Path) -> Path:
    """An editable copy of the region network, made the way users make one."""
    return authoring.init_network(tmp_path / "net", source=REGION)


def write_fc(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


#: A line from Kapa to Kazgate that differs from the region's own road between them.
KAPA_KX = [[76, 43], [78, 44.5], [80, 44]]


def line(coords, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coords}}


# --- completing user features ----------------------------------------------------------------


def test_ends_snap_ids_are_generated_and_a_name_stands_for_the_corridor():
    check = authoring.check_files([KURRAM], folder=REGION)
    assert check.problems == []
    (added,) = check.files
    assert [n.id for _, n in added.nodes] == ["kurramgate"]
    links = dict(added.links)
    assert links[1].id == "kurram_railway_acity_kurramgate"
    assert (links[1].from_id, links[1].to_id) == ("acity", "kurramgate")
    assert links[2].id == "kurram_railway_kurramgate_pcity"
    assert links[1].corridor == "Kurram Railway"
    assert "snapped to 'acity', 1.4 km" in added.filled[1]["from"]
    # A snapped end moves onto its node.
    acity = check.network.nodes["acity"]
    assert links[1].coords[0] == (acity.lon, acity.lat)


def test_generated_ids_are_stable_and_unique(tmp_path):
    features = [
        line([[76, 43], [78, 44.5], [80, 44]], mode="road", status="proposed", name="New Road", source="s"),
        line([[76, 43], [78, 43.6], [80, 44]], mode="road", status="proposed", name="New Road", source="s"),
        line(
            [[76, 43], [80, 44]], mode="rail", status="proposed", name="New Road", source="s", gauge_mm=1520
        ),
    ]
    path = write_fc(tmp_path / "roads.geojson", features)
    first = [link.id for _, link in authoring.check_files([path], folder=REGION).files[0].links]
    again = [link.id for _, link in authoring.check_files([path], folder=REGION).files[0].links]
    assert first == again == ["new_road_kapa_kx", "new_road_kapa_kx_2", "new_road_kapa_kx_3"]
    assert all(validate._ID_RE.match(i) for i in first)


def test_generated_id_avoids_an_id_given_later_in_the_file(tmp_path):
    features = [
        line(KAPA_KX, mode="road", status="proposed", name="New Road", source="s"),
        line(
            [[76, 43], [78, 44], [80, 44]],
            id="new_road_kapa_kx",
            mode="road",
            status="proposed",
            corridor="X",
            source="s",
        ),
    ]
    path = write_fc(tmp_path / "roads.geojson", features)
    check = authoring.check_files([path], folder=REGION)
    assert check.errors == []
    assert sorted(link.id for _, link in check.files[0].links) == ["new_road_kapa_kx", "new_road_kapa_kx_2"]


def test_slugify():
    assert validate.slugify("Serhetabat–Torghundi spur") == "serhetabat_torghundi_spur"
    assert validate.slugify("Mazār-i-Sharīf") == "mazar_i_sharif"
    assert validate.slugify("Термез") == ""


def test_snap_miss_names_the_three_nearest_nodes_and_their_distances(tmp_path):
    path = write_fc(
        tmp_path / "f.geojson",
        [line([[76, 43], [78, 41]], mode="road", status="proposed", name="N", source="s")],
    )
    (problem,) = authoring.check_files([path], folder=REGION).errors
    assert problem.prop == "to" and problem.index == 0
    nearest = sorted(
        (geodesy.great_circle_km(78, 41, n.lon, n.lat), n.id) for n in io.read_network(REGION).nodes.values()
    )[:3]
    assert "not within 5 km of a node" in problem.message
    for km, node_id in nearest:
        assert f"'{node_id}' {km:,.1f} km" in problem.message


def test_swapped_lon_lat_is_pointed_out(tmp_path):
    path = write_fc(
        tmp_path / "f.geojson",
        [line([[43, 76], [80, 44]], mode="road", status="proposed", name="N", source="s")],
    )
    (problem,) = authoring.check_files([path], folder=REGION).errors
    assert "swapping longitude and latitude would put it 0.0 km from 'kapa'" in problem.message


def test_two_nodes_within_snapping_distance_earn_a_warning(tmp_path):
    kapa_east = {
        "type": "Feature",
        "properties": {"name": "Kapa East", "country": "KAZ", "kind": "junction", "source": "s"},
        "geometry": {"type": "Point", "coordinates": [76.03, 43.0]},
    }
    link = line([[76.01, 43], *KAPA_KX[1:]], mode="road", status="proposed", name="N", source="s")
    check = authoring.check_files([write_fc(tmp_path / "f.geojson", [kapa_east, link])], folder=REGION)
    assert check.errors == []
    (warning,) = check.warnings
    assert (warning.index, warning.prop) == (1, "from")
    assert "snapped to 'kapa' (0.8 km), but 'kapa_east' is also within 5 km (1.6 km)" in warning.message


def test_qgis_export_is_accepted():
    check = authoring.check_files([QGIS], folder=REGION)
    assert check.problems == []
    ((_, link),) = check.files[0].links
    assert link.id == "steppe_bypass_kapa_kuz" and link.status == "under_construction"


def test_unknown_property_is_a_warning_with_a_suggestion(tmp_path):
    path = write_fc(
        tmp_path / "f.geojson",
        [
            line(
                [[76, 43], [80, 44]],
                mode="rail",
                status="proposed",
                name="N",
                source="s",
                gauge_mm=1520,
                speed=80,
            )
        ],
    )
    check = authoring.check_files([path], folder=REGION)
    assert check.errors == []
    (warning,) = check.warnings
    assert warning.prop == "speed" and "did you mean 'speed_kmh'" in warning.message


# --- routing with --with ---------------------------------------------------------------------


def test_route_uses_the_user_links_for_this_run_only():
    region = loading.load(REGION)
    with pytest.raises(NoRouteError):
        api.plan("Afghanabad", "Pakabad", modes=["rail"], network=region)
    plan = api.plan("Afghanabad", "Pakabad", modes=["rail"], network=loading.load(REGION, extra=[KURRAM]))
    (route,) = plan.routes
    assert [c.node_id for c in route.crossings] == ["kurramgate"]
    assert "kurram_railway_acity_kurramgate" in route.relies_on


def test_cli_route_network_and_rank_take_with():
    res = run_cli(
        "route",
        "Afghanabad",
        "Pakabad",
        "--modes",
        "rail",
        "--json",
        "--network",
        str(REGION),
        "--with",
        str(KURRAM),
    )
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert [s["link_id"] for s in doc["routes"][0]["segments"]] == [
        "kurram_railway_acity_kurramgate",
        "kurram_railway_kurramgate_pcity",
    ]
    res = run_cli("network", "--network", str(REGION), "--with", str(KURRAM), "--with", str(QGIS))
    assert res.returncode == 0, res.stderr
    assert "21 nodes, 26 links" in res.stdout
    res = run_cli("rank", "--json", "--network", str(REGION), "--with", str(KURRAM))
    assert res.returncode == 0, res.stderr
    assert "Kurram Railway" in res.stdout


# --- corridors validate ----------------------------------------------------------------------


def test_cli_validate_clean_file_exits_0_and_lists_what_it_adds():
    res = run_cli("validate", str(KURRAM), str(QGIS), "--network", str(REGION))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "feature 1: link kurram_railway_acity_kurramgate (id generated)\n" in res.stdout
    assert "      acity → kurramgate, rail 1520 mm, proposed, 117 km (estimated)\n" in res.stdout
    assert "from snapped to 'acity'" in res.stdout
    assert "2 files: 0 errors, 0 warnings" in res.stderr


def test_cli_validate_warnings_fail_only_with_strict(tmp_path):
    feature = line(KAPA_KX, mode="road", status="proposed", name="N", source="s", length_km=5000)
    path = write_fc(tmp_path / "long.geojson", [feature])
    res = run_cli("validate", str(path), "--network", str(REGION))
    assert res.returncode == 0
    assert f"{path}: feature 0: property 'length_km': warning: 5000 km is over 3 times" in res.stdout
    assert run_cli("validate", str(path), "--strict", "--network", str(REGION)).returncode == 2


def test_cli_validate_reports_every_problem_of_every_file_one_line_each(tmp_path):
    bad = write_fc(
        tmp_path / "bad.geojson",
        [
            line(KAPA_KX, mode="hovercraft", status="proposed", name="N", source="s"),
            line(KAPA_KX, mode="road", status="someday", name="N", source="s", open_months=[0, 13]),
        ],
    )
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [')
    res = run_cli("validate", str(bad), str(broken), str(KURRAM), "--network", str(REGION))
    assert res.returncode == 2
    problems = [ln for ln in res.stdout.splitlines() if ln.startswith(str(tmp_path)) and "new node" not in ln]
    assert f"{bad}: feature 0: property 'mode': got 'hovercraft'" in problems[0]
    assert any(f"{bad}: feature 1: property 'status'" in ln for ln in problems)
    assert any(f"{bad}: feature 1: property 'open_months'" in ln for ln in problems)
    assert any(ln.startswith(f"{broken}: truncated") for ln in problems)
    assert "3 files: 4 errors, 0 warnings" in res.stderr
    assert "Traceback" not in res.stderr


def test_validate_refuses_a_file_of_the_network_itself():
    check = authoring.check_files([REGION / "links" / "region.geojson"], folder=REGION)
    (problem,) = check.errors
    assert "part of the network" in problem.message


# --- corridors add ---------------------------------------------------------------------------


def test_dry_run_shows_the_changes_and_writes_nothing(region_copy):
    before = fingerprint(region_copy)
    res = run_cli("add", str(KURRAM), "--network", str(region_copy), "--dry-run")
    assert res.returncode == 0, res.stderr
    assert "would change (dry run: nothing written)" in res.stdout
    assert "nodes.geojson (appended): + 1 node" in res.stdout
    assert "links/kurram_crossing.geojson (new file): + 2 links" in res.stdout
    assert fingerprint(region_copy) == before


def test_add_merges_and_the_merged_network_needs_no_snapping(region_copy):
    old_nodes = (region_copy / "nodes.geojson").read_bytes()
    res = run_cli("add", str(KURRAM), "--network", str(region_copy))
    assert res.returncode == 0, res.stderr
    assert "changed:" in res.stdout
    written = json.loads((region_copy / "links" / "kurram_crossing.geojson").read_text(encoding="utf-8"))
    props = [f["properties"] for f in written["features"]]
    assert [(p["id"], p["from"], p["to"], p["corridor"]) for p in props] == [
        ("kurram_railway_acity_kurramgate", "acity", "kurramgate", "Kurram Railway"),
        ("kurram_railway_kurramgate_pcity", "kurramgate", "pcity", "Kurram Railway"),
    ]
    assert written["features"][0]["geometry"]["coordinates"][0] == [69.2, 34.5]  # moved onto Afghanabad
    assert written["features"][0]["geometry"]["coordinates"][1] == [69.7, 34.2]  # as drawn
    # The existing nodes are kept byte for byte; the new one is appended on one line.
    new_nodes = (region_copy / "nodes.geojson").read_bytes()
    head = old_nodes.rstrip()[:-1].rstrip()[:-1].rstrip()
    assert new_nodes.startswith(head)
    assert new_nodes.count(b"\n") == old_nodes.count(b"\n") + 1
    # The merged folder is a plain network: it loads without any user-file completion.
    network = io.read_network(region_copy)
    assert network.links["kurram_railway_kurramgate_pcity"].from_id == "kurramgate"
    assert network.nodes["kurramgate"].border.countries == ("AFG", "PAK")
    assert {"kurramgate", "acity"} <= {n.id for n in network.nodes.values()}
    assert not list(region_copy.glob(".corridors-add*"))


def test_adding_the_same_file_twice_is_refused(region_copy):
    assert run_cli("add", str(KURRAM), "--network", str(region_copy)).returncode == 0
    before = fingerprint(region_copy)
    res = run_cli("add", str(KURRAM), "--network", str(region_copy))
    assert res.returncode == 2
    assert "'Kurramgate' is already node 'kurramgate'" in res.stdout
    assert "the same rail link as 'kurram_railway_acity_kurramgate'" in res.stdout
    assert "unchanged (3 errors)" in res.stderr
    assert fingerprint(region_copy) == before


def test_a_file_with_the_stem_of_a_links_file_is_appended_to_it(region_copy, tmp_path):
    # Kapa to Kazgate, the KAZ–CHN crossing: a link to Chenshi would jump the border.
    path = write_fc(
        tmp_path / "region.geojson",
        [
            line(
                [[76, 43], [78, 44.5], [80, 44]],
                mode="road",
                status="proposed",
                corridor="Short Cut",
                source="s",
            )
        ],
    )
    old = json.loads((region_copy / "links" / "region.geojson").read_text())
    merge = authoring.add([path], region_copy)
    assert merge.committed
    new = json.loads((region_copy / "links" / "region.geojson").read_text())
    assert new["features"][:-1] == old["features"]
    assert new["features"][-1]["properties"]["id"] == "short_cut_kapa_kx"


def test_a_clashing_id_in_the_same_links_file_is_refused(region_copy, tmp_path):
    feature = line(
        [[76, 43], [77, 41], [76, 39.5]],
        id="kapa_kx_road",
        mode="road",
        status="proposed",
        corridor="C",
        source="s",
    )
    path = write_fc(tmp_path / "region.geojson", [feature])
    before = fingerprint(region_copy)
    merge = authoring.add([path], region_copy)
    assert not merge.committed
    (problem,) = merge.check.errors
    assert problem.prop == "id" and "duplicate id; already used in" in problem.message
    assert fingerprint(region_copy) == before


def test_append_keeps_the_bytes_and_falls_back_to_a_full_layout():
    lines = ['{"type": "Feature", "properties": {"id": "n"}, "geometry": null}']
    feature = b'{"type": "Feature", "properties": {"id": "a"}, "geometry": null}'
    seeds_style = b'{"type": "FeatureCollection", "features": [\n' + feature + b"\n]}\n"
    out = authoring.append_features(seeds_style, lines)
    assert out.startswith(seeds_style[:-4]) and out.endswith(b"\n]}\n")
    assert [f["properties"]["id"] for f in json.loads(out)["features"]] == ["a", "n"]
    features_first = b'{"features": [' + feature + b'], "type": "FeatureCollection", "name": "\xc3\xa9"}'
    out = authoring.append_features(features_first, lines)
    doc = json.loads(out)
    assert [f["properties"]["id"] for f in doc["features"]] == ["a", "n"]
    assert doc["name"] == "é" and "é" in out.decode("utf-8")
    empty = b'\xef\xbb\xbf{"type": "FeatureCollection", "features": []}\r\n'
    out = authoring.append_features(empty, lines)
    assert (
        out.startswith(b"\xef\xbb\xbf")
        and json.loads(out.decode("utf-8-sig"))["features"][0]["properties"]["id"] == "n"
    )


def test_add_needs_a_network_folder(tmp_path):
    res = run_cli("add", str(KURRAM))
    assert res.returncode == 2
    assert "add needs --network DIR" in res.stderr and "corridors network init" in res.stderr
    res = run_cli("add", str(KURRAM), "--network", str(tmp_path))
    assert res.returncode == 2 and "not a network folder" in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_rename_leaves_the_folder_byte_for_byte_as_it_was(region_copy, monkeypatch):
    before = fingerprint(region_copy)
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(NetworkDataError, match="No space left on device; nothing was changed"):
        authoring.add([KURRAM], region_copy)
    assert len(calls) >= 2
    assert Path(calls[0]).name == "nodes.geojson"  # the first file had been replaced, and was put back
    assert fingerprint(region_copy) == before


def test_failed_rename_is_undone_even_when_renaming_keeps_failing(region_copy, monkeypatch):
    before = fingerprint(region_copy)
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) >= 2:
            raise OSError(5, "Input/output error", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(NetworkDataError):
        authoring.add([KURRAM], region_copy)
    assert fingerprint(region_copy) == before


def test_interrupt_while_writing_rolls_back(region_copy, monkeypatch):
    before = fingerprint(region_copy)
    real_replace = os.replace

    def interrupted(src, dst):
        real_replace(src, dst)
        monkeypatch.setattr(os, "replace", real_replace)
        raise KeyboardInterrupt  # Ctrl-C right after the first rename

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        authoring.add([KURRAM], region_copy)
    assert fingerprint(region_copy) == before


KILL_ON_SECOND_RENAME = """
import os, signal, sys
from corridors.geo import authoring
real, calls = os.replace, []
def replace(src, dst):
    calls.append(dst)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)
os.replace = replace
authoring.add([sys.argv[1]], sys.argv[2])
"""


def test_killed_add_is_refused_by_readers_and_undone_by_recover(region_copy):
    before = fingerprint(region_copy)
    proc = subprocess.run(
        [sys.executable, "-c", KILL_ON_SECOND_RENAME, str(KURRAM), str(region_copy)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL
    assert fingerprint(region_copy) != before  # killed half-way: one file replaced
    res = run_cli("route", "Afghanabad", "Pakabad", "--network", str(region_copy))
    assert res.returncode == 2
    assert "was interrupted" in res.stderr and "corridors add --recover" in res.stderr
    res = run_cli("add", "--recover", "--network", str(region_copy))
    assert res.returncode == 0, res.stderr
    assert "restored as it was before the interrupted add" in res.stdout
    assert fingerprint(region_copy) == before


def test_next_add_undoes_an_interrupted_one_first(region_copy):
    subprocess.run(
        [sys.executable, "-c", KILL_ON_SECOND_RENAME, str(KURRAM), str(region_copy)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    res = run_cli("add", str(KURRAM), "--network", str(region_copy))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "first undid an interrupted add" in res.stderr
    assert len(io.read_network(region_copy).links) == len(io.read_network(REGION).links) + 2


def test_a_second_writer_is_turned_away(region_copy):
    before = fingerprint(region_copy)
    with transaction.lock(region_copy):
        res = run_cli("add", str(KURRAM), "--network", str(region_copy))
    assert res.returncode == 2
    assert "another `corridors add` is writing this folder" in res.stderr
    assert fingerprint(region_copy) == before


# --- corridors network init ------------------------------------------------------------------


def test_network_init_copies_a_network_into_an_editable_folder(tmp_path):
    source = tmp_path / "installed"
    shutil.copytree(REGION, source)
    (source / "__init__.py").write_text("")
    for path in [source, *source.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        res = run_cli("network", "init", str(tmp_path / "mine"), "--network", str(source))
        assert res.returncode == 0, res.stderr
    finally:
        for path in [source, *source.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    mine = tmp_path / "mine"
    assert not (mine / "__init__.py").exists()
    assert {k: v for k, v in fingerprint(mine).items() if k != ".corridors.lock"} == {
        k: v for k, v in fingerprint(source).items() if k != "__init__.py"
    }
    assert os.access(mine / "nodes.geojson", os.W_OK) and os.access(mine / "links", os.W_OK)
    assert io.read_network(mine).nodes.keys() == io.read_network(REGION).nodes.keys()
    res = run_cli("network", "init", str(mine), "--network", str(source))
    assert res.returncode == 2 and "not an empty folder" in res.stderr


def test_network_init_copies_the_built_in_network_into_an_empty_folder(tmp_path):
    (tmp_path / "net").mkdir()
    res = run_cli("network", "init", str(tmp_path / "net"))
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "net" / "nodes.geojson").read_bytes() == (
        paths.builtin_folder() / "nodes.geojson"
    ).read_bytes()


def test_network_without_init_still_summarises():
    res = run_cli("network", "--network", str(TINY))
    assert res.returncode == 0 and "4 nodes, 7 links" in res.stdout
    res = run_cli("network", "somewhere", "--network", str(TINY))
    assert res.returncode == 2 and "Traceback" not in res.stderr


# --- the Serhetabat example file (new places and links) on the built-in network ------------


def _seeds_without(folder: Path, node_ids: set[str]) -> Path:
    """A copy of the built-in network without some nodes and the links that touch them."""
    shutil.copytree(
        paths.builtin_folder(), folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__")
    )
    for file in [folder / "nodes.geojson", *sorted((folder / "links").glob("*.geojson"))]:
        data = json.loads(file.read_text())
        data["features"] = [
            f
            for f in data["features"]
            if f["properties"]["id"] not in node_ids
            and not {f["properties"].get("from"), f["properties"].get("to")} & node_ids
        ]
        file.write_text(json.dumps(data, ensure_ascii=False))
    return folder


def test_readme_example_validates_routes_and_merges_on_the_seeds(tmp_path):
    # The built-in network now holds Serhetabat–Torghundi–Herat itself (seeds/links/
    # turkmenistan_afghanistan.geojson), so the example is checked against the seeds without it.
    example = USER / "serhetabat_herat.geojson"
    before = _seeds_without(tmp_path / "before", {"serhetabat", "torghundi"})
    check = authoring.check_files([example], folder=before)
    assert check.problems == []
    ids = [link.id for _, link in check.files[0].links]
    assert ids == [
        "serhetabat_torghundi_spur_serhetabat_torghundi",
        "herat_railway_torghundi_herat",
        "ah77_torghundi_herat_torghundi_herat",
    ]
    plan = api.plan("Serhetabat", "Herat", by="distance", network=loading.load(before, extra=[example]))
    assert {s.link_id for s in plan.routes[0].segments} <= set(ids)
    assert authoring.check_files([example]).problems  # the seeds already have these places
    net = before
    merge = authoring.add([example], net)
    assert merge.committed
    assert {"serhetabat", "torghundi"} <= io.read_network(net).nodes.keys()
