"""Shared fixtures: the repository root, a live app server, and a headless Chromium page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from timeline.devserver import ThreadedServer

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]


@pytest.fixture(autouse=True, scope="session")
def _cache_of_its_own(tmp_path_factory):
    """The tests' Parquet store and server state are theirs, never the user's (and start empty)."""
    if "TIMELINE_CACHE_DIR" not in os.environ:
        os.environ["TIMELINE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    # Likewise the servers' state: not the user's $XDG_RUNTIME_DIR/timeline.
    if "TIMELINE_STATE_DIR" not in os.environ:
        os.environ["TIMELINE_STATE_DIR"] = str(tmp_path_factory.mktemp("state"))
    # The tests export figures from many threads of one process: no shared Chromium (timeline.renders).
    import timeline.renders

    timeline.renders.KEEP_BROWSER = False
    yield


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        reason = "Chromium not found (install Debian's chromium: apt-get install chromium)"
        if os.environ.get("TIMELINE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "; TIMELINE_REQUIRE_BROWSER=1 forbids skipping")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


class LiveServer(ThreadedServer):
    """The app for one events file, served in a thread."""

    def __init__(self, path: Path, **options):
        from timeline.app import create_app

        self.path = path
        self.app = create_app(str(path), **options)
        super().__init__(self.app.server)


@pytest.fixture
def serve_events():
    """Start servers on given events files; all are stopped after the test."""
    servers: list[LiveServer] = []

    def start(path, **options) -> LiveServer:
        server = LiveServer(Path(path), **options)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class BrowserPage:
    """A page that records console errors and every request that leaves the app's server."""

    def __init__(self, page, base_url_holder):
        self.page = page
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self._base = base_url_holder
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on("request", self._request)

    def _request(self, request):
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not url.startswith("http://127.0.0.1:"):
            self.foreign_requests.append(url)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    wrapped = BrowserPage(context.new_page(), None)
    wrapped.page.set_default_timeout(15_000)
    yield wrapped
    context.close()
