"""Device health alerts through Home Assistant: battery, offline/online, the cloud's alarms."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import (
    DOMAIN,
)
from grillstats.thermoworks import Alarm, BatteryState, Device, Unit

from .conftest import PollWith, SetupWith, device_id, setup_entry, tick
from .snapshots import CLOUD_TIME, load_devices, load_snapshot, with_probe

SMOKER = "A4:CF:12:22:96:BA"
"""A Signals in °F at 83 % on battery; probe 1 the pit."""


def _with_device(devices: dict[str, Device], serial: str, **changes: Any) -> dict[str, Device]:
    devices[serial] = dataclasses.replace(devices[serial], **changes)
    return devices


async def test_a_battery_already_low_at_start_alerts_once(
    hass: HomeAssistant, poll_with: PollWith, setup_with: SetupWith, alerts: list[dict[str, Any]]
) -> None:
    low = _with_device(load_devices(), SMOKER, battery=10)
    entry = await setup_with(low)
    assert alerts == [
        {
            "type": "battery_low",
            "device_id": device_id(hass, entry, SMOKER),
            "serial": SMOKER,
            "probe": None,
            "probe_name": None,
            "temperature": 10.0,
            "threshold": 15.0,
            "unit": "%",
        }
    ]
    await poll_with(_with_device(load_devices(), SMOKER, battery=9))
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await poll_with(_with_device(load_devices(), SMOKER, battery=9))
    assert [a["type"] for a in alerts] == ["battery_low"]  # once, across polls and a reload


async def test_a_charging_battery_never_alerts(
    hass: HomeAssistant, poll_with: PollWith, setup_with: SetupWith, alerts: list[dict[str, Any]]
) -> None:
    charging = _with_device(load_devices(), SMOKER, battery=5, battery_state=BatteryState.CHARGING)
    await setup_with(charging)
    await poll_with(charging)
    assert alerts == []


async def test_device_offline_then_online(
    hass: HomeAssistant,
    poll_with: PollWith,
    mock_config_entry: MockConfigEntry,
    alerts: list[dict[str, Any]],
) -> None:
    await setup_entry(hass, mock_config_entry)
    offline = _with_device(load_devices(), SMOKER, online=False)
    await poll_with(offline)
    await poll_with(offline)
    await poll_with(load_devices())
    smoker = device_id(hass, mock_config_entry, SMOKER)
    assert [(a["type"], a["serial"], a["device_id"], a["probe"]) for a in alerts] == [
        ("device_offline", SMOKER, smoker, None),
        ("device_online", SMOKER, smoker, None),
    ]


async def test_cloud_alarm_low_as_it_starts_going_off(
    hass: HomeAssistant, poll_with: PollWith, setup_with: SetupWith, alerts: list[dict[str, Any]]
) -> None:
    quiet = Alarm(enabled=True, alarming=False, value=185.0, units=Unit.FAHRENHEIT, muted=False)
    devices = load_devices()
    with_probe(devices, SMOKER, "1", alarm_low=quiet)
    await setup_with(devices)
    assert alerts == []
    ringing = load_devices()  # the recording: probe 1 at 167.8 °F, its 185 °F low alarm on
    await poll_with(ringing)
    await poll_with(ringing)
    assert [
        (a["type"], a["probe"], a["temperature"], a["threshold"], a["unit"]) for a in alerts
    ] == [("cloud_alarm_low", "1", 167.8, 185.0, "F")]


async def test_a_cloud_alarm_set_in_celsius_reports_its_threshold_in_the_probes_unit(
    hass: HomeAssistant, poll_with: PollWith, setup_with: SetupWith, alerts: list[dict[str, Any]]
) -> None:
    """A °F probe whose app alarm was set at 85 °C: the event says 185 °F, as the contract asks."""
    quiet = Alarm(enabled=True, alarming=False, value=85.0, units=Unit.CELSIUS, muted=False)
    ringing = dataclasses.replace(quiet, alarming=True)
    devices = load_devices()
    with_probe(devices, SMOKER, "1", alarm_low=quiet)
    await setup_with(devices)
    devices = load_devices()
    with_probe(devices, SMOKER, "1", alarm_low=ringing)
    await poll_with(devices)
    assert [(a["type"], a["threshold"], a["unit"]) for a in alerts] == [
        ("cloud_alarm_low", 185.0, "F")
    ]


async def test_device_offline_fires_when_online_goes_off_not_an_interval_later(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_client: AsyncMock,
    hourly_entry: MockConfigEntry,
    alerts: list[dict[str, Any]],
) -> None:
    """Polling hourly, a thermometer that stops uploading is offline after 15 minutes."""
    await setup_entry(hass, hourly_entry)
    alerts.clear()
    online = er.async_get(hass).async_get_entity_id("binary_sensor", DOMAIN, f"{SMOKER}_online")
    assert online is not None
    await tick(hass, freezer, 15 * 60 + 5)
    assert hass.states.get(online).state == "off"  # type: ignore[union-attr]
    offline = [(a["type"], a["serial"]) for a in alerts if a["serial"] == SMOKER]
    assert offline == [("device_offline", SMOKER)]
    # The hourly poll finds the same documents, an hour on: nothing fires twice.
    later = CLOUD_TIME + timedelta(hours=1)
    mock_client.async_get_snapshot.return_value = dataclasses.replace(
        load_snapshot(load_devices(later)), cloud_time=later
    )
    await tick(hass, freezer, 45 * 60)
    assert mock_client.async_get_snapshot.await_count == 2
    assert [(a["type"], a["serial"]) for a in alerts if a["serial"] == SMOKER] == offline
