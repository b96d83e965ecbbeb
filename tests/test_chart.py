"""Time/cost–distance charts: the running totals, the files, and no matplotlib on the plain route path."""

from __future__ import annotations

import subprocess
import sys

import pytest

from corridors.routes import api, chart
from tests.conftest import run_cli


def test_profile_climbs_along_links_and_steps_up_at_stops(tiny):
    route = api.plan("Aqsu", "Chenggu", by="cost", network=tiny).routes[0]  # all rail, hand-worked
    points = chart.profile(route)
    assert [round(p.distance_km, 6) for p in points] == [0, 180, 340, 340, 340, 500]
    assert [round(p.cost_usd_per_t, 6) for p in points] == [0, 9, 17, 23, 33, 41]
    assert [round(p.time_h, 6) for p in points] == [0, 7.2, 13.6, 33.6, 38.6, 45]
    assert [p.label for p in points if p.label] == ["Xgate (border)", "Xgate (gauge 1520→1435 mm)"]


@pytest.mark.parametrize("suffix", [".svg", ".png", ".html"])
def test_chart_files(tiny_dir, tmp_path, suffix):
    target = tmp_path / f"chart{suffix}"
    out = run_cli("route", "a", "c", "--pareto", "--chart", str(target), "--network", str(tiny_dir))
    assert out.returncode == 0, out.stderr
    data = target.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
    else:
        text = data.decode("utf-8")
        assert "<svg" in text
        if suffix == ".html":
            assert "Xgate (border)" in text  # the steps table under the chart
            assert "<title>Aqsu → Chenggu: cumulative cost and time against distance</title>" in text


def test_chart_text_from_data_is_escaped_in_html(tiny):
    route = api.plan("Aqsu", "Chenggu", network=tiny).routes[0]
    page = chart.page([route], {"a": "<script>alert(1)</script>"}, title="<b>x</b>")
    assert "<script>alert" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_bad_chart_file_exits_2(tiny_dir, tmp_path):
    out = run_cli("route", "a", "c", "--chart", str(tmp_path / "chart.pdf"), "--network", str(tiny_dir))
    assert out.returncode == 2
    assert "expected a file ending in .svg, .png, .html" in out.stderr and "Traceback" not in out.stderr


def test_plain_route_does_not_import_matplotlib(tiny_dir):
    code = (
        "import sys; from corridors.routes import cli; "
        f"cli.main(['route', 'a', 'c', '--network', {str(tiny_dir)!r}]); "
        "print('matplotlib' in sys.modules, 'folium' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_route_map_carries_the_chart_in_a_side_panel(tiny_dir, tmp_path):
    target = tmp_path / "map.html"
    out = run_cli(
        "route", "a", "c", "-k", "2", "--map", str(target), "--tiles", "none", "--network", str(tiny_dir)
    )
    assert out.returncode == 0, out.stderr
    page = target.read_text(encoding="utf-8")
    assert '<details class="corridors-panel"><summary>Time/cost–distance</summary><svg' in page


def test_panel_refuses_a_drawing_with_scripts():
    import folium

    from corridors.maps import MapError, add_figure

    with pytest.raises(MapError, match="without scripts"):
        add_figure(folium.Map(tiles=None), '<svg onload="alert(1)"></svg>', title="x")
    m = add_figure(folium.Map(tiles=None), "<svg></svg>", title="<b>")
    assert "&lt;b&gt;" in m.get_root().render()
