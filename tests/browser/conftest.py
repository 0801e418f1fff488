"""scripts/develop's Home Assistant on a free port and a fresh folder, and Chromium to drive it.

The Home Assistant is started exactly as a developer starts it (``scripts/develop``), and is
read the way its output promises: the URL, ``Username:`` and ``Password:`` lines. Chromium is
Debian's (``scripts/test`` installs it); Playwright only drives it (no browser download).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_socket
from playwright.sync_api import Browser as PlaywrightBrowser
from playwright.sync_api import Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 900.0
"""A first start compiles and installs the frontend's requirements: minutes, not seconds."""
SCREENSHOTS = Path(os.environ.get("GRILLSTATS_SCREENSHOTS", ROOT / ".run" / "screenshots"))


@dataclass(frozen=True)
class Develop:
    """What scripts/develop printed, and the process."""

    url: str
    base: str
    username: str
    password: str
    process: subprocess.Popen[str]
    config: Path


def free_port() -> int:
    """A free loopback port."""
    # Session fixtures are made before a test's socket_enabled: lift the test plugin's block
    # here (it still refuses anything but 127.0.0.1).
    pytest_socket.enable_socket()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def chromium_executable() -> str:
    """Debian's Chromium; a clear failure where it is missing (scripts/test installs it)."""
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    pytest.fail("Chromium is not installed: scripts/test installs Debian's chromium package")


@pytest.fixture(scope="session")
def develop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Develop]:
    """``scripts/develop --port P --config DIR`` until its three lines are printed."""
    config = tmp_path_factory.mktemp("develop")
    port = free_port()
    log = (config.parent / "develop.log").open("w", encoding="utf-8")
    process = subprocess.Popen(  # noqa: S603 - the project's own script
        [str(ROOT / "scripts" / "develop"), "--port", str(port), "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: dict[str, str] = {}
    deadline = time.monotonic() + START_TIMEOUT
    assert process.stdout is not None
    while "Password" not in lines and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        line = line.strip()
        if line.startswith("http://"):
            lines["URL"] = line
        key, _, value = line.partition(": ")
        if key in ("Username", "Password"):
            lines[key] = value
    if "Password" not in lines:
        process.kill()
        pytest.fail(f"scripts/develop printed {lines} and stopped; see {log.name}")
    try:
        yield Develop(
            url=lines["URL"],
            base=f"http://127.0.0.1:{port}",
            username=lines["Username"],
            password=lines["Password"],
            process=process,
            config=config,
        )
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=180)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        log.close()
    assert code == 0, f"scripts/develop exited with {code} on SIGTERM"


class Browser:
    """Playwright's sync API on a thread of its own, with one signed-in tab.

    Why a thread: the sync API keeps an event loop running on the thread that uses it, and the
    Home Assistant test plugin runs its own loop on the main thread around every test. Test
    code hands functions of the tab to :meth:`run`, which runs them there.
    """

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._driver: Playwright | None = None
        self._browser: PlaywrightBrowser | None = None
        self.page: Page | None = None
        self.failures = 0

    def run[T](self, step: Callable[[Page], T]) -> T:
        """Run ``step(page)`` on the browser's thread; its result, or its exception.

        A failing step leaves a screenshot of what the page showed (``failed-N.png``).
        """

        def guarded() -> T:
            page = self._page()
            try:
                return step(page)
            except BaseException:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                self.failures += 1
                page.screenshot(path=str(SCREENSHOTS / f"failed-{self.failures}.png"))
                raise

        return self._thread.submit(guarded).result()

    def _page(self) -> Page:
        assert self.page is not None
        return self.page

    def start(self, develop: Develop) -> None:
        """Chromium, then the printed URL through Home Assistant's login page."""
        self._thread.submit(self._start, develop).result()

    def _start(self, develop: Develop) -> None:
        self._driver = sync_playwright().start()
        self._browser = self._driver.chromium.launch(
            executable_path=chromium_executable(), args=["--no-sandbox"]
        )
        context = self._browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.goto(develop.url)
        tab.get_by_role("textbox", name="Username").fill(develop.username)
        tab.get_by_role("textbox", name="Password").fill(develop.password)
        tab.get_by_role("button", name="Log in").click()
        tab.wait_for_url(f"{develop.url}**")
        self.page = tab

    def stop(self) -> None:
        """Close Chromium and the driver, then the thread."""

        def close() -> None:
            if self._browser is not None:
                self._browser.close()
            if self._driver is not None:
                self._driver.stop()

        self._thread.submit(close).result()
        self._thread.shutdown()


@pytest.fixture(scope="session")
def browser(develop: Develop) -> Iterator[Browser]:
    """Headless Chromium, signed in on the URL scripts/develop printed."""
    chromium = Browser()
    try:
        chromium.start(develop)
        yield chromium
    finally:
        chromium.stop()


def ws(page: Page, message: dict[str, Any]) -> Any:
    """A WebSocket command on the frontend's own connection, as the signed-in user."""
    return page.evaluate(
        "(message) => document.querySelector('home-assistant').hass.connection"
        ".sendMessagePromise(message)",
        message,
    )


def rest(page: Page, base: str, method: str, path: str, body: object = None) -> Any:
    """Home Assistant's REST API with the frontend's access token."""
    token = page.evaluate(
        "() => document.querySelector('home-assistant').hass.auth.data.access_token"
    )
    return _http(method, f"{base}{path}", body, {"Authorization": f"Bearer {token}"})


def _http(method: str, url: str, body: object = None, headers: dict[str, str] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        text = response.read().decode()
    return json.loads(text) if text else None


def simulator_call(base_url: str, method: str, path: str, body: object = None) -> Any:
    """The demo simulator's control API (docs/simulator.md)."""
    return _http(method, f"{base_url}{path}", body)


@pytest.fixture(autouse=True)
def verify_cleanup() -> None:
    """The test plugin's check for threads and timers an in-process Home Assistant left.

    These tests run Home Assistant in its own process, and Playwright's thread and its
    executor live for the whole session by design: nothing here for the check to inspect.
    """
