"""No free border jumps: user links that cross a border away from a crossing are refused.

tests/data/places has its own outlines: Uzbekistan north of 37.25° N, Afghanistan south of it.
Termo (67.0, 37.5) straight to Mazra (67.0, 36.7) crosses at [67.000, 37.250], 0.05° of
latitude (5.6 km) from Bridgegate, which is not one of its ends. Termiz (68.0, 37.5) to
Bridgegate (67.0, 37.2) crosses at 5/6 of the way, about 15 km from Bridgegate: its own end.
"""

from __future__ import annotations

import json
import shutil

from tests.conftest import DATA, run_cli

PLACES = DATA / "places"


def draft(tmp_path, *links) -> str:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": coords},
            "properties": {"mode": "road", "status": "operational", "name": name, "source": "drawn"},
        }
        for name, coords in links
    ]
    path = tmp_path / "draft.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(path)


STRAIGHT = ("Straight road", [[67.0, 37.5], [67.0, 36.7]])
TO_THE_GATE = ("Gate road", [[68.0, 37.5], [67.0, 37.2]])
JUMP = (
    "feature 0 (id 'straight_road_t_mz'): property 'geometry': the line crosses the UZB–AFG border at "
    "[67.000, 37.250], not at a border crossing: end the link at a border_crossing node of UZB and AFG "
    '(a Point with "border": {"countries": ["UZB", "AFG"]}) and draw the rest as a second link; the '
    "nearest is 'g', 6 km away"
)


def test_validate_refuses_a_link_across_a_border_away_from_a_crossing(tmp_path):
    path = draft(tmp_path, STRAIGHT)
    res = run_cli("validate", "-q", path, "--network", str(PLACES))
    assert res.returncode == 2
    assert res.stdout.strip().splitlines() == [f"{path}: {JUMP}"]


def test_a_link_that_ends_at_the_crossing_passes(tmp_path):
    res = run_cli("validate", "-q", draft(tmp_path, TO_THE_GATE), "--network", str(PLACES))
    assert res.returncode == 0, res.stdout + res.stderr


def test_route_with_the_jump_exits_2_and_add_writes_nothing(tmp_path):
    path = draft(tmp_path, STRAIGHT)
    res = run_cli("route", "Termo", "Mazra", "--with", path, "--network", str(PLACES))
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [f"corridors: error: {path}: {JUMP}"]
    net = tmp_path / "net"
    shutil.copytree(PLACES, net)
    before = {p.name: p.read_bytes() for p in net.rglob("*.geojson")}
    res = run_cli("add", path, "--network", str(net))
    assert res.returncode == 2
    assert {p.name: p.read_bytes() for p in net.rglob("*.geojson")} == before


def test_builtin_almaty_straight_to_bishkek_is_refused(tmp_path):
    path = draft(tmp_path, ("Straight road", [[76.8958, 43.2775], [74.5698, 42.8746]]))
    res = run_cli("validate", "-q", path)
    assert res.returncode == 2
    assert "the line crosses the KAZ–KGZ border at" in res.stdout
    assert "the nearest is 'korday'" in res.stdout


def test_builtin_network_jumps_no_border():
    """Every built-in road and rail link passes borders only at its crossings, and none runs
    through another country between two stretches in its own (no warnings either)."""
    from corridors.geo import borders, io

    network = io.read_network()
    shapes = borders.outlines(borders.countries_file(network.nodes.values()))
    found = {
        (link.id, severity)
        for link in network.links.values()
        for severity, _ in borders.jumps(link, network.nodes, shapes)
    }
    assert found == set()
