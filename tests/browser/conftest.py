"""Headless Chromium (Debian's /usr/bin/chromium) driving the live site through Playwright's sync API."""

import os
import shutil
from pathlib import Path

import pytest

from spis.registry import actions, demo

CHROMIUM = os.environ.get("SPIS_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set SPIS_TEST_CHROMIUM)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make in between
    # are still synchronous, so Django's async-safety guard must be told so.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, full_page: bool = False) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def registry(transactional_db):
    """The demo registry (300 synthetic people) plus one person stored only in Belarusian spelling."""
    demo.build(persons=300, seed=5)
    person = actions.create_person("test", "Ціханоўскі Андрэй Паўлавіч", region="Gomel Region")
    actions.record_event("test", person, "detained", "2020-05-29")
    actions.record_event("test", person, "recognized", "2020-06-01")
    return {"person": person}
