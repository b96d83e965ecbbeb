"""Maps in a real headless Chromium, offline: what is drawn, what hovering shows, what never runs.

Needs Debian's ``chromium`` and the playwright package (no ``playwright install``). Without
them these tests fail when the environment variable CI is set, and are skipped otherwise.
"""

from __future__ import annotations

from pathlib import Path

import folium
import pytest

from corridors import maps
from tests import browser as chromium
from tests import maps_fixtures
from tests.test_maps import with_a_port_call

ROUTE_COLOURS = {1: "#0072B2", 2: "#D55E00", 3: "#009E73"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Saved map pages, by name."""
    folder = tmp_path_factory.mktemp("maps")
    network, routes = maps_fixtures.load("network"), maps_fixtures.load("routes")
    countries = maps_fixtures.load("countries")
    bad_network, bad_routes = maps_fixtures.hostile(network), maps_fixtures.hostile(routes)
    bad_map = maps.network_map(bad_network, countries=countries, tiles=None)
    offline_map = maps.routes_map(routes, network=network, countries=countries, tiles=None)
    folium.Marker((30.18, 67.0)).add_to(offline_map)  # a plain marker: Leaflet's default icon, inlined
    built = {
        "routes": (maps.routes_map(routes, network=network, countries=countries), False),
        "network": (maps.network_map(network, countries=countries, tiles=None), False),
        "hostile": (maps.routes_map(bad_routes, m=bad_map), False),
        "port_call": (maps.routes_map(with_a_port_call(routes), tiles=None), False),
        "offline": (offline_map, True),
        "offline_tiles": (maps.routes_map(routes, countries=countries), True),
    }
    return {
        name: maps.save_map(m, folder / f"{name}.html", offline=offline)
        for name, (m, offline) in built.items()
    }


@pytest.fixture
def open_page(browser):
    """Open a saved page; after the test, check that it raised no error and no dialog."""
    opened = []

    def open_(path: Path, *, offline: bool = False, width: int = 1200, height: int = 800):
        page, log = chromium.new_page(browser, offline=offline, width=width, height=height)
        opened.append((page, log))
        chromium.open_map(page, path)
        return page, log

    yield open_
    for page, log in opened:
        page.wait_for_timeout(100)  # let an injected onerror handler run, if any
        page.context.close()
        assert log.errors == []
        assert log.dialogs == []


def count(page, selector: str) -> int:
    return page.locator(selector).count()


def hover(page, selector: str, index: int = 0) -> str:
    x, y = chromium.centre_of(page, selector, index)
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip-pane .leaflet-tooltip").last  # the one opened last
    tooltip.wait_for(state="visible", timeout=3000)
    return tooltip.inner_text()


def test_routes_are_drawn_with_their_stops_legend_and_layers(open_page, pages):
    page, log = open_page(pages["routes"])
    for rank, segments in {1: 6, 2: 5, 3: 7}.items():
        selector = f".leaflet-pane svg path.corridors-route-{rank}"
        assert count(page, selector) == segments
        colours = page.eval_on_selector_all(
            selector, "ps => [...new Set(ps.map(p => p.getAttribute('stroke')))]"
        )
        assert colours == [ROUTE_COLOURS[rank]]
        assert count(page, f"path.corridors-stop-{rank}") == 5 if rank < 3 else 4
    assert count(page, ".leaflet-overlay-pane svg path.corridors-link") == 16
    assert page.locator(".corridors-legend").is_visible()
    assert "Route 1: Almaty → Karachi" in page.locator(".corridors-legend").inner_text()
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [label.strip() for label in labels] == [
        "Country outlines",
        "Network",
        "■ Route 1: Almaty → Karachi",
        "■ Route 2: Almaty → Karachi",
        "■ Route 3: Almaty → Gwadar",
    ]
    assert log.blocked == [] and log.tiles, "tiles answered locally, nothing else asked for"
    assert any(url.endswith("/leaflet.js") for url in log.served)


def test_route_one_lies_on_top_where_routes_share_a_link(open_page, pages):
    page, _ = open_page(pages["routes"])
    # the first segment, Almaty - Khorgos, is on all three routes
    text = hover(page, "path.corridors-route-1", 0)
    assert text.splitlines()[:2] == ["Route 1: Almaty → Karachi", "Almaty → Khorgos"]
    assert "road · Operational · 304 km · 6.1 h · 45.3 USD/t" in text


def test_clicking_a_route_opens_its_itinerary(open_page, pages):
    page, _ = open_page(pages["routes"])
    x, y = chromium.centre_of(page, "path.corridors-route-3", 6)  # Quetta - Gwadar: route 3 alone
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=3000)
    text = popup.inner_text()
    assert "Route 3: Almaty → Gwadar" in text
    assert "ranked by time · 4,840 km · 156.1 h · 409.2 USD/t" in text
    assert "Relies on (not open today): islamabad_quetta_road" in text
    assert "Border crossing at Khunjerab Pass" in text


def test_network_lines_markers_and_tooltips(open_page, pages):
    page, _ = open_page(pages["network"])
    network = maps_fixtures.load("network")
    for mode in ("road", "rail", "sea"):
        links = [f for f in network["features"] if f["properties"].get("mode") == mode]
        assert count(page, f"path.corridors-link.corridors-mode-{mode}") == len(links) > 0
    dashes = page.eval_on_selector_all(
        "path.corridors-link",
        """ps => Object.fromEntries(ps.map(p => [
            [...p.classList].find(c => c.startsWith('corridors-status-')),
            p.getAttribute('stroke-dasharray')]))""",
    )
    assert dashes == {
        "corridors-status-operational": None,
        "corridors-status-under_construction": "10 6",
        "corridors-status-proposed": "1 6",
        "corridors-status-suspended": "12 5 1 5",
    }
    assert count(page, "path.corridors-node") == 15
    assert count(page, "path.corridors-kind-border_crossing") == 4
    text = hover(page, "path.corridors-kind-border_crossing", 1)
    assert text.splitlines() == [
        "Khunjerab Pass (Border crossing, CHN)",
        "Dwell: road 6.0 h",
        "Open: Apr, May, Jun, Jul, Aug, Sep, Oct, Nov",
    ]
    assert page.locator(".corridors-legend").is_visible()
    assert count(page, ".leaflet-control-layers-overlays label") == 7


def test_hostile_text_is_shown_and_never_run(open_page, pages):
    page, log = open_page(pages["hostile"], width=1400, height=1000)  # long names: wide controls
    bad = maps_fixtures.hostile(maps_fixtures.load("routes"))
    assert count(page, "path.corridors-route") == 18 and count(page, "path.corridors-node") == 15
    shown = [page.locator(".leaflet-control-layers-overlays").inner_text()]
    first, third = bad[0]["route"], bad[2]["route"]
    assert f"Route 1: {first['origin']} → {first['destination']}" in shown[0]

    sost_islamabad = next(f["properties"] for f in bad[0]["features"] if f["properties"].get("seq") == 6)
    shown.append(hover(page, "path.corridors-route-1", 4))
    assert sost_islamabad["corridor"] in shown[-1] and sost_islamabad["to_name"] in shown[-1]
    shown.append(hover(page, "path.corridors-kind-border_crossing", 2))
    assert shown[-1].startswith(maps_fixtures.hostile("Chaman"))

    x, y = chromium.centre_of(page, "path.corridors-route-3", 6)
    page.mouse.click(x, y)
    page.locator(".leaflet-popup-content").wait_for(state="visible", timeout=3000)
    shown.append(page.locator(".leaflet-popup-content").inner_text())
    assert f"Route 3: {third['origin']} → {third['destination']}" in shown[-1]
    shown.append(page.locator(".corridors-legend").inner_text())

    for payload in maps_fixtures.PAYLOADS:  # each one reached the page, as text
        assert payload in "\n".join(shown)
    assert count(page, "img[src='x'], svg[onload]") == 0
    page.wait_for_timeout(200)
    assert log.dialogs == [] and log.blocked == []


def test_offline_page_makes_no_request_at_all(open_page, pages):
    page, log = open_page(pages["offline"], offline=True)
    assert count(page, "path.corridors-route") == 18
    assert count(page, "path.corridors-link") == 16
    assert page.locator(".corridors-legend").is_visible()
    icon = page.locator(".leaflet-marker-icon")
    assert icon.get_attribute("src").startswith("data:image/png;base64,")
    assert page.evaluate("document.querySelector('.leaflet-marker-icon').naturalWidth") == 25
    assert log.remote == []


def test_offline_page_with_tiles_asks_only_for_tiles(open_page, pages):
    page, log = open_page(pages["offline_tiles"], offline=True)
    page.wait_for_timeout(200)
    assert count(page, "path.corridors-route") == 18
    assert log.blocked and all(url.startswith("https://tile.openstreetmap.org/") for url in log.blocked)


def test_screenshot(browser, pages, tmp_path: Path):
    png = chromium.screenshot(pages["routes"], tmp_path / "route.png", width=800, height=600, browser=browser)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(data[16:20], "big") == 800 and int.from_bytes(data[20:24], "big") == 600


def test_the_cli_map_of_kazakhstan_to_the_arabian_sea(open_page, tmp_path):
    """The page `corridors route Kazakhstan "Arabian Sea" -k 3 --map` writes for the built-in
    network shows the three routes that `--json` returns, each in its own colour."""
    import json

    from tests.conftest import run_cli

    out = tmp_path / "routes.html"
    query = ["route", "Kazakhstan", "Arabian Sea", "-k", "3"]
    res = run_cli(*query, "--map", str(out), "--offline", "--tiles", "none")
    assert res.returncode == 0, res.stderr
    routes = json.loads(run_cli(*query, "--json").stdout)["routes"]
    assert len(routes) == 3
    page, log = open_page(out, offline=True)
    for route in routes:
        selector = f".leaflet-pane svg path.corridors-route-{route['rank']}"
        assert count(page, selector) >= len(route["segments"])
        colours = page.eval_on_selector_all(
            selector, "ps => [...new Set(ps.map(p => p.getAttribute('stroke')))]"
        )
        assert ROUTE_COLOURS[route["rank"]] in colours
    legend = page.locator(".corridors-legend").inner_text()
    for route in routes:
        assert f"{route['totals']['distance_km']:,.0f} km" in legend
    assert log.blocked == []


def test_a_port_call_is_its_own_marker_with_its_tooltip_and_legend_row(open_page, pages):
    page, _ = open_page(pages["port_call"])
    selector = "path.corridors-stop-port_call"
    assert count(page, selector) == 1
    assert page.get_attribute(selector, "fill") == "#88CCEE"
    lines = hover(page, selector).splitlines()
    assert lines[:2] == ["Route 3: Almaty → Gwadar", "Port customs at Gwadar customs"]
    assert lines[2].startswith("in PAK, sea PAK → OMN")
    assert "Port customs (where a ship calls)" in page.locator(".corridors-legend").inner_text()
