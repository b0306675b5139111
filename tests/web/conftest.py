"""Fixtures for the browser tests: the app on 127.0.0.1 and Debian's headless Chromium.

The app serves the session-built graph from a uvicorn thread; every page opens in a fresh browser
context whose requests are watched, so a request that leaves 127.0.0.1 fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fixtures.live_server import serving

from kg.build import BuildReport

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
# flags from the brief: no sandbox (containers), and no traffic of Chromium's own
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1"}


@dataclass
class LiveServer:
    url: str
    app: object


@pytest.fixture(scope="session")
def live_server(built_graph: BuildReport, build_dir: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The whole app (every registered router) on a free port of 127.0.0.1."""
    from api.app import create_app
    from api.config import Settings

    # "hashing" is the recommender's model-free encoder: the tests check the pages, not the model
    settings = Settings(store_path=Path(built_graph.store_path), build_dir=build_dir, data_dir=REPO / "data",
                        embedding_model="hashing", state_dir=tmp_path_factory.mktemp("state"))
    app = create_app(settings)
    with serving(app) as url:
        yield LiveServer(url=url, app=app)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is missing: `make browser` installs it (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra: make install")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """Every URL the page asked for, and those that would have left 127.0.0.1 (they are aborted)."""

    requested: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


def _open_context(browser: object, traffic: Traffic, **options: object) -> object:
    context = browser.new_context(accept_downloads=True, locale="nl-BE", **options)

    def guard(route: object) -> None:
        url = route.request.url
        traffic.requested.append(url)
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and urlsplit(url).hostname not in LOCAL_HOSTS:
            traffic.outside.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    context.route("**/*", guard)
    return context


@pytest.fixture
def page(browser: object, live_server: LiveServer, traffic: Traffic) -> Iterator[object]:
    """A desktop-sized page; after the test, no request may have left 127.0.0.1."""
    context = _open_context(browser, traffic, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(45_000)  # generous: the machine may be busy with other test runs
    page.on("response", lambda r: traffic.failed_responses.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("console", lambda m: traffic.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: traffic.console_errors.append(str(e)))
    yield page
    context.close()
    assert traffic.outside == [], f"requests left 127.0.0.1: {traffic.outside}"
    assert traffic.failed_responses == [], f"server errors: {traffic.failed_responses}"


@pytest.fixture
def phone_page(browser: object, live_server: LiveServer, traffic: Traffic) -> Iterator[object]:
    """A phone-sized page (375 px wide, touch)."""
    context = _open_context(browser, traffic, viewport={"width": 375, "height": 740}, is_mobile=True,
                            has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(45_000)  # generous: the machine may be busy with other test runs
    yield page
    context.close()
    assert traffic.outside == [], f"requests left 127.0.0.1: {traffic.outside}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
