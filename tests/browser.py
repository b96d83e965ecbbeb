"""Headless Chromium for map tests and screenshots, with no request leaving the machine.

Debian's ``chromium`` is driven by playwright with ``executable_path`` (``playwright
install`` is never run). Requests for folium's CDN assets are answered from local copies:
Leaflet from the ``xstatic-leaflet`` package, folium's other default assets (jQuery,
Bootstrap, Font Awesome, awesome-markers, which these maps do not use) with empty files.
Tile requests get a one-pixel PNG; every other request is aborted and logged.

Run as a script to take a screenshot for the README::

    python tests/browser.py map.html map.png --width 1200 --height 800
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright, Route

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A 1x1 PNG in a pale land colour, served for every tile.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN48eQGAAVcAqUe2cvmAAAAAElFTkSuQmCC"
)
_TILE_URL = re.compile(r"^https?://[^/]+/(?:[^?]*/)?\d+/\d+/\d+(?:@2x)?\.(?:png|jpg|jpeg)(?:\?.*)?$")
_CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def unavailable() -> str | None:
    """Return why the browser cannot run here, or None if it can."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install playwright)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    return None


def launch(playwright: Playwright) -> Browser:
    """Launch Debian's headless Chromium."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)


@dataclass
class PageLog:
    """What a page did: requests by outcome, errors and dialogs."""

    served: list[str] = field(default_factory=list)
    stubbed: list[str] = field(default_factory=list)
    tiles: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def remote(self) -> list[str]:
        """Every request that was not for a local file."""
        return self.served + self.stubbed + self.tiles + self.blocked


def cdn_files() -> dict[str, Path]:
    """Map each folium CDN URL prefix that can be served locally to a local folder."""
    from xstatic.pkg import leaflet

    return {f"https://cdn.jsdelivr.net/npm/leaflet@{leaflet.VERSION}/dist/": Path(leaflet.BASE_DIR)}


def stub_urls() -> set[str]:
    """Return folium's default asset URLs other than Leaflet: answered with empty files."""
    import folium

    return {
        url
        for name, url in [*folium.Map.default_js, *folium.Map.default_css]
        if not name.startswith("leaflet")
    }


def new_page(
    browser: Browser, *, width: int = 1200, height: int = 800, offline: bool = False
) -> tuple[Page, PageLog]:
    """Open a page whose requests never leave the machine, and log what it does.

    Parameters
    ----------
    browser
        A browser from `launch`.
    width, height
        The viewport, in CSS pixels.
    offline
        Abort every request that is not for a ``file:`` URL (to test self-contained
        pages); otherwise serve CDN assets and tiles locally.

    Returns
    -------
    page, log
        The page and the log it fills. Dialogs are dismissed and logged.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    log = PageLog()
    files, stubs = cdn_files(), stub_urls()
    page.route("**/*", lambda route: _answer(route, log, files, stubs, offline=offline))
    page.on("pageerror", lambda error: log.errors.append(f"pageerror: {error}"))
    page.on("console", lambda message: _console(message, log))
    page.on("dialog", lambda dialog: (log.dialogs.append(dialog.message), dialog.dismiss()))
    return page, log


def open_map(page: Page, html_path: str | Path) -> None:
    """Load a saved map and wait until Leaflet has drawn it."""
    page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
    page.wait_for_function("document.querySelector('.leaflet-map-pane') !== null")


def centre_of(page: Page, selector: str, index: int = 0) -> tuple[float, float]:
    """Return viewport coordinates on an SVG path: mid-length for a line, centre for a circle.

    Parameters
    ----------
    page
        The page.
    selector
        A CSS selector for SVG paths.
    index
        Which of the matching paths.

    Returns
    -------
    x, y
        Client coordinates, for ``page.mouse``.
    """
    point = page.eval_on_selector_all(
        selector,
        """(paths, index) => {
            const path = paths[index];
            const circle = path.matches('.corridors-node, .corridors-stop');
            let p;
            if (circle) {
                const box = path.getBBox();
                p = new DOMPoint(box.x + box.width / 2, box.y + box.height / 2);
            } else {
                const q = path.getPointAtLength(path.getTotalLength() / 2);
                p = new DOMPoint(q.x, q.y);
            }
            const screen = p.matrixTransform(path.getScreenCTM());
            return [screen.x, screen.y];
        }""",
        index,
    )
    return point[0], point[1]


def screenshot(
    html_path: str | Path,
    png_path: str | Path,
    *,
    width: int = 1200,
    height: int = 800,
    browser: Browser | None = None,
) -> Path:
    """Take a PNG screenshot of a saved map in headless Chromium, with no network.

    Parameters
    ----------
    html_path
        The saved map page.
    png_path
        Where to write the PNG.
    width, height
        The viewport, in CSS pixels.
    browser
        A browser from `launch` to reuse; by default one is launched and closed.

    Returns
    -------
    pathlib.Path
        `png_path`.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = launch(playwright)
            try:
                return screenshot(html_path, png_path, width=width, height=height, browser=own)
            finally:
                own.close()
    page, _ = new_page(browser, width=width, height=height)
    try:
        open_map(page, html_path)
        page.wait_for_timeout(300)  # let tiles and fitBounds settle
        page.screenshot(path=str(png_path))
    finally:
        page.context.close()
    return Path(png_path)


def _answer(route: Route, log: PageLog, files: dict[str, Path], stubs: set[str], *, offline: bool) -> None:
    url = route.request.url
    if url.startswith(("file:", "data:", "about:")):
        route.continue_()
        return
    if offline:
        log.blocked.append(url)
        route.abort()
        return
    for prefix, folder in files.items():
        local = folder / url[len(prefix) :].split("?")[0] if url.startswith(prefix) else None
        if local is not None and local.is_file():
            log.served.append(url)
            route.fulfill(
                path=str(local), content_type=_CONTENT_TYPES.get(local.suffix, "application/octet-stream")
            )
            return
    if url in stubs:
        log.stubbed.append(url)
        route.fulfill(status=200, body="", content_type=_CONTENT_TYPES.get(Path(url).suffix, "text/plain"))
    elif _TILE_URL.match(url):
        log.tiles.append(url)
        route.fulfill(status=200, body=TILE_PNG, content_type="image/png")
    else:
        log.blocked.append(url)
        route.abort()


def _console(message: Any, log: PageLog) -> None:
    # an aborted request also shows as a console error; those are in log.blocked
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        log.errors.append(f"console: {message.text}")


def main() -> None:
    """Screenshot a saved map from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    screenshot(args.html, args.png, width=args.width, height=args.height)


if __name__ == "__main__":
    main()
