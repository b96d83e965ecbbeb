"""The reach maps in a real headless Chromium: region shapes, legend, tooltips, time bands."""

from __future__ import annotations

import json

from tests import browser as chromium
from tests.conftest import run_cli


def _open(browser, path):
    page, log = chromium.new_page(browser, offline=True, width=1200, height=800)
    chromium.open_map(page, path)
    return page, log


def test_the_reach_map_draws_every_region_with_its_legend_and_tooltips(browser, tmp_path):
    out = tmp_path / "reach.html"
    res = run_cli("reach", "--map", str(out), "--offline", "--tiles", "none")
    assert res.returncode == 0, res.stderr
    doc = json.loads(run_cli("reach", "--json").stdout)
    page, log = _open(browser, out)
    assert page.locator("path.corridors-region").count() >= 20  # MultiPolygons draw one path each
    assert page.locator("path.corridors-reach-place").count() == len(doc["places"])
    legend = page.locator(".corridors-legend").inner_text()
    assert "Time to the destination (regional centre), days" in legend
    assert "no route" in legend
    assert "Kazakhstan → Arabian Sea, today's network" in page.locator(".corridors-map-title").inner_text()
    # Hover over the region of Astana: its tooltip names it and gives its centre's figures.
    astana = next(g for g in doc["regions"] if g["id"] == "astana_city")
    days = astana["centre"]["totals"]["time_h"] / 24
    index = next(i for i, g in enumerate(doc["regions"]) if g["id"] == "astana_city")
    x, y = chromium.centre_of(page, "path.corridors-region", index)
    page.mouse.move(x, y)
    tip = page.locator(".leaflet-tooltip-pane .leaflet-tooltip").last
    tip.wait_for(state="visible", timeout=3000)
    text = tip.inner_text()
    assert "Astana" in text and f"{days:,.1f} days" in text
    assert log.errors == [] and log.dialogs == [] and log.blocked == []
    page.context.close()


def test_the_within_map_colours_places_and_links_by_band(browser, tmp_path):
    out = tmp_path / "within.html"
    res = run_cli(
        "reach", "--from", "Almaty", "--within", "2d,4d", "--map", str(out), "--offline", "--tiles", "none"
    )
    assert res.returncode == 0, res.stderr
    bands = json.loads(run_cli("reach", "--from", "Almaty", "--within", "2d,4d", "--json").stdout)["bands"]
    page, log = _open(browser, out)
    for i, band in enumerate(bands, start=1):
        assert page.locator(f"path.corridors-band-place-{i}").count() == len(band["places"])
        assert page.locator(f"path.corridors-band-{i}").count() > 0
    assert "Reached within" in page.locator(".corridors-legend").inner_text()
    assert log.errors == [] and log.dialogs == [] and log.blocked == []
    page.context.close()
