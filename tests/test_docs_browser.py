"""/docs in a real headless browser (Debian's chromium through Playwright): Swagger UI renders the
operations, and no request leaves loopback — the docs work with no internet."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from apifactory import live_server
from app.migrate import upgrade

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
REQUIRED = os.environ.get("PEACETRACK_REQUIRE_POSTGRES") == "1"  # CI: the browser test must run


def _chromium() -> str:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if REQUIRED:
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (CI installs it)")
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")


def _loopback(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in ("127.0.0.1", "localhost", "::1")


def test_docs_render_offline(tmp_path):
    executable = _chromium()
    playwright = pytest.importorskip("playwright.sync_api") if not REQUIRED else __import__(
        "playwright.sync_api", fromlist=["sync_playwright"])
    url = f"sqlite:///{tmp_path / 'docs.db'}"
    upgrade(url)
    requests: list[str] = []
    with live_server(url) as base, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            response = page.goto(f"{base}/docs", wait_until="load")
            assert response is not None and response.status == 200
            block = page.locator(".opblock-summary-path", has_text="/zones").first
            block.wait_for(state="visible", timeout=30_000)
            assert page.locator(".opblock").count() >= 50  # every operation is there
            assert page.locator(".info .title").inner_text().startswith("Peacetrack")
            # open one operation: its parameters and responses render from the schema
            page.locator(".opblock-get .opblock-summary-path", has_text="/zones").first.click()
            page.locator(".parameters-container").first.wait_for(state="visible", timeout=10_000)
            page.screenshot(path=str(tmp_path / "docs.png"), full_page=False)
            assert errors == [], errors
        finally:
            browser.close()
    assert (tmp_path / "docs.png").stat().st_size > 0
    assert any(u.endswith("/openapi.json") for u in requests), requests
    outside = [u for u in requests if not _loopback(u)]
    assert outside == [], f"the docs reached outside loopback: {outside}"
