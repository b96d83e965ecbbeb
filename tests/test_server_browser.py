"""The planner page in a real headless Chromium, served by uvicorn on 127.0.0.1.

The page may request nothing but the server it came from: every request to another host is
aborted and recorded, and the tests assert there was none. Needs Debian's ``chromium`` and
playwright (no ``playwright install``); without them these tests fail when CI is set, and are
skipped otherwise.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from corridors.routes import loading, plan_text, server
from tests import browser as chromium
from tests.conftest import run_cli
from tests.test_server import cli_json

PAYLOAD = "<img src=x onerror=alert(1)>"


@dataclass
class Visit:
    """What a page did: requests to its own server and to others, errors, dialogs."""

    local: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def _serve(loaded: loading.Loaded):
    """Run the app with uvicorn in a thread on a free loopback port; yield its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(server.create_app(loaded), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url():
    yield from _serve(loading.load())


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory) -> Path:
    """A user file: a new town with a script payload in its name and note, and a road to Almaty."""
    town = {
        "name": "Hostileabad" + PAYLOAD,
        "country": "KAZ",
        "kind": "city",
        "source": "test fixture",
        "note": "a note" + PAYLOAD,
    }
    road = {
        "mode": "road",
        "status": "operational",
        "corridor": "Hostile Road" + PAYLOAD,
        "source": "test fixture",
    }
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": town,
                "geometry": {"type": "Point", "coordinates": [77.6, 43.9]},
            },
            {
                "type": "Feature",
                "properties": road,
                "geometry": {"type": "LineString", "coordinates": [[77.6, 43.9], [76.9126, 43.2567]]},
            },
        ],
    }
    path = tmp_path_factory.mktemp("hostile") / "hostile.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_url(hostile_file):
    yield from _serve(loading.load(extra=[hostile_file]))


@pytest.fixture
def open_page(browser):
    """Open the planner; after the test, check it made no off-host request, error or dialog."""
    opened = []

    def open_(url: str, *, width: int = 1280, height: int = 800):
        # the page's Content-Security-Policy would stop playwright's own scripts; bypassing it
        # also shows that the page's escaping holds without it
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        visit = Visit()
        origin = re.match(r"https?://[^/]+/", url)[0]

        def answer(route):
            request_url = route.request.url
            if request_url.startswith(origin) or request_url.startswith(("data:", "about:")):
                visit.local.append(request_url)
                route.continue_()
            else:
                visit.remote.append(request_url)
                route.abort()

        page.route("**/*", answer)
        page.on("pageerror", lambda error: visit.errors.append(f"pageerror: {error}"))
        page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
        page.on("dialog", lambda dialog: (visit.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url, wait_until="load")
        page.wait_for_function("document.body.dataset.ready !== undefined")
        opened.append((page, visit))
        return page, visit

    yield open_
    for page, visit in opened:
        page.wait_for_timeout(150)  # let an injected onerror handler run, if any
        page.context.close()
        assert visit.remote == []
        assert visit.dialogs == []
        assert visit.errors == []


def table_rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#routes tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))"
    )


def expected_rows(plan: dict) -> list[list[str]]:
    """The table rows as the command line's table formats the same totals."""
    return [
        [
            str(r["rank"]),
            f"{r['totals']['distance_km']:,.0f} km",
            plan_text.duration(r["totals"]["time_h"]),
            plan_text.time_range(r["totals"]["time_h_low"], r["totals"]["time_h_high"]),
            f"{r['totals']['cost_usd_per_t']:,.0f} $/t",
            str(sum(c["kind"] == "crossing" for c in r["border_crossings"])),  # port calls are no border
            "+".join(r["modes"]),
        ]
        for r in plan["routes"]
    ]


def test_type_two_places_and_see_the_routes_of_the_cli(open_page, base_url):
    page, visit = open_page(base_url)
    assert page.locator("path.corridors-link").count() > 100
    assert page.locator("#legend .corridors-legend-row").count() >= 8
    page.locator("#from").press_sequentially("Alma", delay=20)
    page.wait_for_function("[...document.querySelectorAll('#places option')].some(o => o.value === 'Almaty')")
    page.fill("#from", "Almaty")
    page.fill("#to", "Karachi")
    page.fill("#k", "3")
    page.click("#submit")
    page.wait_for_selector("#routes tbody tr")
    done = run_cli(
        "route",
        "Almaty",
        "Karachi",
        "-k",
        "3",
        "--json",
    )
    plan = json.loads(done.stdout)
    assert table_rows(page) == expected_rows(plan)
    assert page.locator("path.corridors-route-1").count() == len(plan["routes"][0]["segments"])
    assert page.locator("path.corridors-route-3").count() == len(plan["routes"][2]["segments"])
    itinerary = page.inner_text("#itinerary")
    assert "Route 1: Almaty → " in itinerary  # Karachi answers with its ports
    assert page.locator("#itinerary ol.steps li").count() == sum(
        len(plan["routes"][0][part]) for part in ("segments", "transfers", "border_crossings")
    )
    assert "from=Almaty" in page.url and "to=Karachi" in page.url
    page.click("#routes tbody tr[data-rank='2']")
    assert page.inner_text("#itinerary").startswith("Route 2:")
    assert any("/v1/route?" in url for url in visit.local)


def test_a_shared_url_restores_the_query(open_page, base_url):
    page, _ = open_page(base_url + "?from=Almaty&to=Gwadar&by=cost&k=2&month=1&avoid=AFG&projects=all")
    page.wait_for_selector("#routes tbody tr")
    assert page.input_value("#from") == "Almaty"
    assert page.input_value("#by") == "cost"
    assert page.input_value("#month") == "1"
    assert page.input_value("#avoid") == "AFG"
    assert page.is_checked("input[name=projects]")
    plan = cli_json(
        "route",
        "Almaty",
        "Gwadar",
        "--by",
        "cost",
        "-k",
        "2",
        "--month",
        "1",
        "--avoid",
        "AFG",
        "--projects",
        "all",
    )
    assert table_rows(page) == expected_rows(plan)


def test_an_unknown_place_shows_the_message(open_page, base_url):
    page, visit = open_page(base_url)
    page.fill("#from", "Almty")
    page.fill("#to", "Karachi")
    page.click("#submit")
    page.wait_for_selector("#error:not([hidden])")
    assert page.inner_text("#error").startswith("unknown place 'Almty'; did you mean Almaty")
    assert page.get_attribute("#from", "aria-invalid") == "true"
    assert page.locator("#routes").is_hidden()
    visit.errors.clear()  # the 400 answer itself is logged as a failed resource


def test_clicks_on_the_map_set_the_endpoints(open_page, base_url):
    page, visit = open_page(base_url)
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + box["height"] - 60)
    assert re.fullmatch(r"-?\d+\.\d{4},-?\d+\.\d{4}", page.input_value("#from"))
    x, y = chromium.centre_of(page, "path.corridors-node", 0)
    page.mouse.click(x, y)
    assert page.input_value("#to") != ""
    page.wait_for_function(
        "document.querySelector('#routes tbody tr') || !document.querySelector('#error').hidden"
    )
    visit.errors.clear()  # a click over 300 km from every place is refused with a 400


def test_hostile_names_from_a_with_file_stay_text(open_page, hostile_url):
    page, _ = open_page(hostile_url)
    page.fill("#from", "Hostileabad" + PAYLOAD)
    page.fill("#to", "Karachi")
    page.click("#submit")
    page.wait_for_selector("#routes tbody tr")
    itinerary = page.inner_text("#itinerary")
    assert f"Hostileabad{PAYLOAD} → " in itinerary
    assert f"Hostile Road{PAYLOAD}" in itinerary
    for i in range(page.locator("path.corridors-stop").count()):
        page.mouse.move(*chromium.centre_of(page, "path.corridors-stop", i))
        page.wait_for_timeout(30)
    tooltips = page.eval_on_selector_all(".leaflet-tooltip", "ts => ts.map(t => t.textContent)")
    assert any(PAYLOAD in t for t in tooltips)
    page.fill("#to", "")
    page.locator("#to").press_sequentially("Hostil", delay=20)
    page.wait_for_function(
        "[...document.querySelectorAll('#places option')].some(o => o.value.startsWith('Hostil'))"
    )
    assert page.eval_on_selector_all("#places option", "os => os.map(o => o.value)") == [
        "Hostileabad" + PAYLOAD
    ]
    assert page.locator("img:not(.leaflet-tile)").count() == 0
