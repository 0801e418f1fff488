"""A new user's first minutes, in headless Chromium against scripts/develop's Home Assistant.

In order, on one signed-in tab: the printed URL opens on the live demo cook (no "Loading…",
no notification, no Repairs item, the simulator's temperatures on the page), the page follows
a probe changed through the simulator's control API, an unplugged probe trips the page checks
(so they can fail), Add integration → Grill Stats works as a user reads it (a wrong password
shows the translated error, a right one makes the entry) and a threshold number changes on the
device page. Screenshots go to .run/screenshots (README's come from there).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import ROOT, SCREENSHOTS, Browser, Develop, free_port, rest, simulator_call, ws
from .page_checks import DEEP_TEXT_JS, LAUNCH_SCREEN_JS, missing, problems

pytestmark = [pytest.mark.timeout(1200), pytest.mark.usefixtures("socket_enabled")]

STRINGS = json.loads(
    (ROOT / "custom_components" / "grill_stats" / "translations" / "en.json").read_text("utf-8")
)
BADGES_JS = """() => {
  const main = document.querySelector('home-assistant').shadowRoot
    .querySelector('home-assistant-main').shadowRoot;
  const sidebar = main.querySelector('ha-sidebar').shadowRoot;
  return [...sidebar.querySelectorAll('[class*="badge"]')]
    .map((badge) => badge.textContent.trim()).filter((text) => text !== '');
}"""
"""The sidebar's count badges (notifications, Settings' repairs and updates)."""


def texts(page: Page) -> list[str]:
    """Every text on the page, normalised spaces (the frontend uses no-break ones)."""
    raw: list[str] = page.evaluate(DEEP_TEXT_JS)
    return [re.sub(r"[\u00a0\u202f]", " ", text) for text in raw]


def shot(page: Page, name: str) -> None:
    """A screenshot for a person to look at (and the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def demo_entry(page: Page, develop: Develop) -> dict[str, Any]:
    """The demo's config entry, as the integrations page lists it."""
    entries = rest(page, develop.base, "GET", "/api/config/config_entries/entry?domain=grill_stats")
    return next(entry for entry in entries if entry["title"] == "Grill Stats demo")


def demo_simulator(page: Page, develop: Develop) -> str:
    """The demo simulator's base URL, from the entry's diagnostics."""
    entry_id = demo_entry(page, develop)["entry_id"]
    diagnostics = rest(page, develop.base, "GET", f"/api/diagnostics/config_entry/{entry_id}")
    return str(diagnostics["data"]["demo_simulator"]["base_url"])


def entity_ids(page: Page) -> dict[str, str]:
    """Grill Stats' entity ids by unique id."""
    entries = ws(page, {"type": "config/entity_registry/list"})
    return {e["unique_id"]: e["entity_id"] for e in entries if e["platform"] == "grill_stats"}


def state(page: Page, entity_id: str) -> str | None:
    """An entity's state as the frontend holds it."""
    result: str | None = page.evaluate(
        "(id) => document.querySelector('home-assistant').hass.states[id]?.state", entity_id
    )
    return result


def poll_now(page: Page, entity_id: str) -> None:
    """Ask for a poll now (the demo polls every 30 s anyway)."""
    ws(
        page,
        {
            "type": "call_service",
            "domain": "homeassistant",
            "service": "update_entity",
            "target": {"entity_id": entity_id},
        },
    )


def brisket_flat(page: Page, develop: Develop) -> tuple[str, str, str]:
    """The demo's brisket flat probe: its simulator serial, channel and entity id."""
    sim = demo_simulator(page, develop)
    devices = simulator_call(sim, "GET", "/_sim/state")["devices"]
    for device in devices:
        for channel in device["channels"]:
            if channel["label"] == "Brisket Flat" and channel["units"] == "F":
                unique_id = f"{device['serial']}_{channel['number']}_temperature"
                return device["serial"], channel["number"], entity_ids(page)[unique_id]
    raise AssertionError(f"no Brisket Flat probe in the demo: {devices}")


def test_the_printed_url_opens_on_the_live_cook(browser: Browser, develop: Develop) -> None:
    browser.run(lambda page: _opens_on_the_live_cook(page, develop))


def _opens_on_the_live_cook(page: Page, develop: Develop) -> None:
    expect(page.get_by_text("Cook phase").first).to_be_visible()
    page.wait_for_timeout(2000)  # the last cards settle
    assert not page.evaluate(LAUNCH_SCREEN_JS), "still on the Loading… screen"
    assert page.url.startswith(f"{develop.base}/grill-stats")
    on_page = texts(page)
    assert problems(on_page) == []
    assert page.evaluate(BADGES_JS) == [], "a notification or Repairs badge in the sidebar"
    assert ws(page, {"type": "persistent_notification/get"}) == []
    assert ws(page, {"type": "repairs/list_issues"})["issues"] == []

    # Every live °F probe of the simulator: Home Assistant has its reading, the page shows it.
    sim = demo_simulator(page, develop)
    ids = entity_ids(page)
    on_dashboard = (ROOT / "dashboards" / "grill_stats.yaml").read_text("utf-8")
    expected = []
    for device in simulator_call(sim, "GET", "/_sim/state")["devices"]:
        for channel in device["channels"]:
            unique_id = f"{device['serial']}_{channel['number']}_temperature"
            if channel["unplugged"] or channel["units"] != "F" or unique_id not in ids:
                continue
            if f"entity: {ids[unique_id]}\n" not in on_dashboard:
                continue  # an RFX meat probe's points: the dashboard shows their core
            shown = state(page, ids[unique_id])
            assert shown not in (None, "unavailable", "unknown"), (unique_id, shown)
            assert abs(float(shown) - channel["value"]) <= 5.0, (unique_id, shown, channel)
            expected.append(f"{float(shown):.1f} °F")
    assert len(expected) >= 6
    assert missing(on_page, expected) == []
    shot(page, "dashboard")


def test_the_page_follows_a_probe_changed_in_the_simulator(
    browser: Browser, develop: Develop
) -> None:
    browser.run(lambda page: _follows_the_simulator(page, develop))


def _follows_the_simulator(page: Page, develop: Develop) -> None:
    sim = demo_simulator(page, develop)
    serial, channel, entity_id = brisket_flat(page, develop)
    simulator_call(sim, "POST", f"/_sim/devices/{serial}/channels/{channel}", {"value": 187.3})
    poll_now(page, entity_id)
    expect(page.get_by_text("187.3 °F").first).to_be_visible(timeout=60_000)
    assert problems(texts(page)) == []
    simulator_call(sim, "POST", f"/_sim/devices/{serial}/channels/{channel}", {"auto": True})


def test_the_page_checks_catch_an_unplugged_probe(browser: Browser, develop: Develop) -> None:
    """The checks above can fail: an unplugged probe's 'Unavailable' is caught."""
    browser.run(lambda page: _catches_an_unplugged_probe(page, develop))


def _catches_an_unplugged_probe(page: Page, develop: Develop) -> None:
    sim = demo_simulator(page, develop)
    serial, channel, entity_id = brisket_flat(page, develop)
    path = f"/_sim/devices/{serial}/channels/{channel}"
    simulator_call(sim, "POST", path, {"unplugged": True})
    poll_now(page, entity_id)
    expect(page.get_by_text("Unavailable").first).to_be_visible(timeout=60_000)
    assert "a value shows 'Unavailable'" in problems(texts(page))
    simulator_call(sim, "POST", path, {"unplugged": False})
    poll_now(page, entity_id)
    expect(page.get_by_text("Unavailable")).to_have_count(0, timeout=60_000)


@pytest.fixture(scope="module")
def account_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second simulated cloud (one Signals) that the user adds as a custom endpoint."""
    port = free_port()
    log = Path(tmp_path_factory.mktemp("cloud")) / "simulate.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(  # noqa: S603 - the project's own command line
            [
                str(Path(sys.executable).with_name("grill-stats")),
                "simulate",
                "--port",
                str(port),
                "--devices",
                "1",
                "--seed",
                "11",
                "--email",
                "cook@example.com",
                "--password",
                "right-password",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                simulator_call(base, "GET", "/_sim/state")
                break
            except OSError:
                process.poll()
                assert process.returncode is None, log.read_text("utf-8")
                time.sleep(0.1)
        yield base
        process.terminate()
        process.wait(timeout=30)


def test_add_integration_as_a_user_reads_it(
    browser: Browser, develop: Develop, account_cloud: str
) -> None:
    browser.run(lambda page: _add_integration(page, develop, account_cloud))


def _add_integration(page: Page, develop: Develop, account_cloud: str) -> None:
    config = STRINGS["config"]
    page.goto(f"{develop.base}/config/integrations/dashboard")
    page.get_by_role("button", name="Add integration").click()
    page.get_by_placeholder("Search for a brand name").fill("Grill Stats")
    page.get_by_text("Grill Stats", exact=True).last.click()

    user = config["step"]["user"]
    expect(page.get_by_text(user["title"])).to_be_visible()
    expect(page.get_by_text(user["data"]["provider"], exact=True).first).to_be_visible()
    custom_label = STRINGS["selector"]["provider"]["options"]["custom"]
    page.get_by_text(custom_label, exact=True).click()
    page.get_by_role("button", name=re.compile("^(Next|Submit)$")).click()

    custom = config["step"]["custom"]
    expect(page.get_by_text(custom["title"])).to_be_visible()
    page.get_by_role("textbox", name=custom["data"]["endpoint"]).fill(account_cloud)
    page.get_by_role("textbox", name=custom["data"]["email"]).fill("cook@example.com")
    page.get_by_role("textbox", name=custom["data"]["password"]).fill("wrong-password")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text(config["error"]["invalid_auth"])).to_be_visible()
    assert problems(texts(page)) == []
    shot(page, "flow_wrong_password")

    page.get_by_role("textbox", name=custom["data"]["password"]).fill("right-password")
    page.get_by_role("button", name="Submit").click()
    # Home Assistant's own success step: name the new device, pick an area, finish.
    expect(page.get_by_text("Name and assign")).to_be_visible()
    page.get_by_role("button", name=re.compile("^(Skip and finish|Finish)$")).click()
    entries = rest(page, develop.base, "GET", "/api/config/config_entries/entry?domain=grill_stats")
    assert any(
        entry["title"] == "cook@example.com" and entry["state"] == "loaded" for entry in entries
    ), entries


def test_change_a_threshold_on_the_device_page(browser: Browser, develop: Develop) -> None:
    browser.run(lambda page: _change_a_threshold(page, develop))


def _change_a_threshold(page: Page, develop: Develop) -> None:
    entries = rest(page, develop.base, "GET", "/api/config/config_entries/entry?domain=grill_stats")
    entry_id = next(e["entry_id"] for e in entries if e["title"] == "cook@example.com")
    devices = ws(page, {"type": "config/device_registry/list"})
    device = next(d for d in devices if entry_id in d["config_entries"])
    page.goto(f"{develop.base}/config/devices/device/{device['id']}")
    expect(page.get_by_text(device["name"]).first).to_be_visible()
    page.wait_for_timeout(2000)
    assert problems(texts(page), allowed=()) == []
    shot(page, "device")

    serial = device["serial_number"]
    number_id = next(
        entity_id
        for unique_id, entity_id in sorted(entity_ids(page).items())
        if unique_id.startswith(f"{serial}_")
        and unique_id.endswith("_high")
        and entity_id.startswith("number.")
    )
    before = state(page, number_id)
    friendly: str = page.evaluate(
        "(id) => document.querySelector('home-assistant').hass.states[id].attributes.friendly_name",
        number_id,
    )
    row_name = friendly.removeprefix(device["name"]).strip()  # the page drops the device's name
    row = page.locator("hui-number-entity-row").filter(has_text=row_name)
    expect(row).to_have_count(1)
    field = row.first.get_by_role("spinbutton")
    field.fill("321")
    field.press("Enter")
    for _ in range(60):
        if state(page, number_id) == "321.0":
            break
        page.wait_for_timeout(500)
    assert (number_id, before, state(page, number_id)) == (number_id, before, "321.0")
    assert before != "321.0"
