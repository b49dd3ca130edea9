"""Browser tests: the app started by the test (`streamlit run`) on the committed sample data, driven by
Playwright in Debian's Chromium. Screenshots land in artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import CHROMIUM_ARGS, SHOTS, App, build_db
from playwright.sync_api import Page, sync_playwright


def pytest_collection_modifyitems(items):
    """Every test in this folder is a browser test: `-m "not browser"` runs the rest of the suite quickly."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("app") / "app.duckdb"
    build_db(path)
    return path


@pytest.fixture(scope="session")
def app(sample_db):
    a = App(sample_db)
    yield a
    a.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request) -> Page:
    ctx = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True, locale="zh-CN")
    pg = ctx.new_page()
    yield pg
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        pg.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    finally:
        ctx.close()
