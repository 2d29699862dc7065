"""Browser tests: Playwright drives the machine's Chromium against the live test server.

One browser for the browser tests (closed after them); each test gets a fresh context (cookies,
viewport) at desktop (1280 px) or phone (390 px) width. `Journey.check` checks every page a
journey shows: no horizontal scrolling, no serious or critical axe-core finding, and a
screenshot saved under $BROWSER_SCREENSHOTS (default test-artifacts/screenshots/).
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", "test-artifacts/screenshots"))
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium`",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in the test's thread while the browser is open;
    # the fixtures' ORM calls there are still plain synchronous ones, so Django's guard against
    # async contexts stands aside until the browser closes.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def axe() -> Axe:
    return Axe()  # axe-core's script ships inside the package: nothing is fetched


@pytest.fixture(params=list(VIEWPORTS))
def screen(request) -> str:
    return request.param


@pytest.fixture
def page(browser, screen, live_server, transactional_db) -> Page:
    context = browser.new_context(
        viewport=VIEWPORTS[screen], base_url=live_server.url, locale="en-GB", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


class Journey:
    """Checks and photographs each page of one journey at one width."""

    def __init__(self, page: Page, axe: Axe, name: str, screen: str):
        self.page, self.axe, self.name, self.screen = page, axe, name, screen
        self.step = 0

    def check(self, title: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=SCREENSHOTS / f"{self.name}-{self.screen}-{self.step:02d}-{title}.png",
            full_page=True,
        )
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth, location.pathname]"
        )
        assert widths[0] <= widths[1], f"{widths[2]} scrolls sideways: {widths[0]} > {widths[1]} px"
        findings = [
            f"{violation['id']} ({violation['impact']}): "
            + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            for violation in self.axe.run(page).response["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        assert findings == [], f"{widths[2]}: {findings}"


@pytest.fixture
def journey(page, axe, screen):
    def start(name: str) -> Journey:
        return Journey(page, axe, name, screen)

    return start
