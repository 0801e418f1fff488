"""Thermometers and probes that join or leave the account between polls, without a reload."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any
from unittest.mock import AsyncMock

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import DOMAIN
from grillstats.thermoworks import BatteryState, Device, Unit

from .conftest import PollWith, SetupWith, setup_entry, tick
from .snapshots import load_devices, load_snapshot, with_probe

SMOKER = "A4:CF:12:22:96:BA"
NODE = "FC:E8:C0:3C:AE:98"
GATEWAY = "84:F3:EB:C9:9F:4B"
MEAT = "M100083898"


def _without(serial: str) -> dict[str, Device]:
    devices = load_devices()
    del devices[serial]
    return devices


def _device(hass: HomeAssistant, serial: str) -> dr.DeviceEntry | None:
    """The thermometer's device, whichever entry holds it."""
    found = [
        device for device in dr.async_get(hass).devices if (DOMAIN, serial) in device.identifiers
    ]
    assert len(found) <= 1
    return found[0] if found else None


def _assert_meat_probe_linked_to_its_gateway(
    hass: HomeAssistant,
) -> tuple[dr.DeviceEntry, dr.DeviceEntry]:
    """The gateway's and the meat probe's devices, once checked to be linked."""
    gateway = _device(hass, GATEWAY)
    meat = _device(hass, MEAT)
    assert gateway is not None
    assert meat is not None
    assert meat.via_device_id == gateway.id
    return gateway, meat


def _unique_ids(hass: HomeAssistant, entry: MockConfigEntry, serial: str) -> set[str]:
    return {
        item.unique_id
        for item in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if item.unique_id.startswith(f"{serial}_")
    }


def _shown(hass: HomeAssistant, domain: str, unique_id: str) -> str | None:
    """The state of an entity by unique id, or None when it has no registry entry or state."""
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    state = hass.states.get(entity_id) if entity_id else None
    return state.state if state else None


async def test_new_device_appears_without_reload(
    hass: HomeAssistant, poll_with: PollWith, setup_with: SetupWith, mock_client: AsyncMock
) -> None:
    entry = await setup_with(_without(NODE))
    assert _device(hass, NODE) is None
    assert _unique_ids(hass, entry, NODE) == set()
    assert _device(hass, SMOKER) is not None

    await poll_with(load_devices())
    node = _device(hass, NODE)
    assert node is not None
    assert node.name == "Curing Chamber"
    assert node.model == "NODE"
    assert node.config_entry_id == entry.entry_id
    assert _shown(hass, Platform.SENSOR, f"{NODE}_2_humidity") == "71.3"
    assert _shown(hass, Platform.BINARY_SENSOR, f"{NODE}_online") == "on"
    entities = er.async_entries_for_device(
        er.async_get(hass), node.id, include_disabled_entities=True
    )
    assert {entity.unique_id for entity in entities} == _unique_ids(hass, entry, NODE)
    assert len(entities) > 5
    assert mock_client.async_get_snapshot.await_count == 2


async def test_new_channel_adds_probe_entities(
    hass: HomeAssistant, poll_with: PollWith, setup_with: SetupWith
) -> None:
    devices = load_devices()
    smoker = devices[SMOKER]
    devices[SMOKER] = dataclasses.replace(
        smoker, channels={n: c for n, c in smoker.channels.items() if n != "3"}
    )
    entry = await setup_with(devices)
    before = _unique_ids(hass, entry, SMOKER)
    assert f"{SMOKER}_2_temperature" in before
    assert not {uid for uid in before if uid.startswith(f"{SMOKER}_3_")}

    await poll_with(load_devices())
    added = _unique_ids(hass, entry, SMOKER) - before
    assert {
        f"{SMOKER}_3_temperature",
        f"{SMOKER}_3_connected",
        f"{SMOKER}_3_alarm_high_setpoint",
        f"{SMOKER}_3_cloud_alarm_high",
    } <= added
    assert all(uid.startswith(f"{SMOKER}_3_") for uid in added)
    assert _shown(hass, Platform.SENSOR, f"{SMOKER}_3_temperature") not in (
        None,
        STATE_UNAVAILABLE,
    )
    assert _shown(hass, Platform.BINARY_SENSOR, f"{SMOKER}_3_connected") == "on"


async def test_device_that_leaves_is_removed_and_can_come_back(
    hass: HomeAssistant, poll_with: PollWith, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    node = _device(hass, NODE)
    assert node is not None
    unique_ids = _unique_ids(hass, entry, NODE)
    assert f"{NODE}_2_humidity" in unique_ids
    entity_ids = [
        item.entity_id
        for item in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if item.unique_id in unique_ids
    ]

    await poll_with(_without(NODE))
    assert _device(hass, NODE) is None
    assert _unique_ids(hass, entry, NODE) == set()
    assert (
        er.async_entries_for_device(er.async_get(hass), node.id, include_disabled_entities=True)
        == []
    )
    for entity_id in entity_ids:
        assert hass.states.get(entity_id) is None, entity_id
    # Other thermometers stay.
    assert _device(hass, SMOKER) is not None
    assert _shown(hass, Platform.SENSOR, f"{SMOKER}_1_temperature") not in (
        None,
        STATE_UNAVAILABLE,
    )

    await poll_with(load_devices())
    back = _device(hass, NODE)
    assert back is not None
    assert _unique_ids(hass, entry, NODE) == unique_ids
    assert _shown(hass, Platform.SENSOR, f"{NODE}_2_humidity") == "71.3"
    assert _shown(hass, Platform.BINARY_SENSOR, f"{NODE}_online") == "on"


async def test_rfx_meat_probe_is_reached_via_its_gateway(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    gateway, meat = _assert_meat_probe_linked_to_its_gateway(hass)
    assert gateway.via_device_id is None
    assert meat.model == "RFX Meat"
    assert gateway.model == "RFX Gateway"
    assert meat.serial_number == MEAT


async def test_rfx_meat_probe_joining_later_is_linked_to_its_gateway(
    hass: HomeAssistant, poll_with: PollWith, setup_with: SetupWith
) -> None:
    await setup_with(_without(MEAT))
    assert _device(hass, MEAT) is None
    await poll_with(load_devices())
    _assert_meat_probe_linked_to_its_gateway(hass)
    assert _shown(hass, Platform.SENSOR, f"{MEAT}_core_temperature") not in (
        None,
        STATE_UNAVAILABLE,
    )


async def test_rfx_meat_probe_is_relinked_when_its_gateway_returns(
    hass: HomeAssistant, poll_with: PollWith, init_integration: MockConfigEntry
) -> None:
    """The gateway leaves the account (its probe stays) and comes back as a new device."""
    await poll_with(_without(GATEWAY))
    assert _device(hass, GATEWAY) is None
    meat = _device(hass, MEAT)
    assert meat is not None
    assert meat.via_device_id is None  # the registry unlinks the children of a removed device

    await poll_with(load_devices())
    _assert_meat_probe_linked_to_its_gateway(hass)


async def test_rfx_meat_probe_seen_before_its_gateway_is_linked_once_it_appears(
    hass: HomeAssistant, poll_with: PollWith, setup_with: SetupWith
) -> None:
    await setup_with(_without(GATEWAY))
    meat = _device(hass, MEAT)
    assert meat is not None
    assert meat.via_device_id is None

    await poll_with(load_devices())
    _assert_meat_probe_linked_to_its_gateway(hass)


async def test_thermometers_left_from_before_a_restart_go_when_the_account_is_empty(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    """The first poll compares against nothing, so it cleans up even with no devices."""
    mock_config_entry.add_to_hass(hass)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=mock_config_entry.entry_id, identifiers={(DOMAIN, SMOKER)}
    )
    mock_client.async_get_snapshot.return_value = load_snapshot({})
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert _device(hass, SMOKER) is None


def _charging_unknown(devices: dict[str, Device]) -> None:
    devices[SMOKER] = dataclasses.replace(devices[SMOKER], battery_state=BatteryState.UNKNOWN)


def _no_alarm_high(devices: dict[str, Device]) -> None:
    with_probe(devices, SMOKER, "1", alarm_high=None)


@pytest.mark.parametrize(
    ("hide", "domain", "unique_id"),
    [
        (
            lambda d: d.update({SMOKER: dataclasses.replace(d[SMOKER], battery=None)}),
            Platform.SENSOR,
            f"{SMOKER}_battery",
        ),
        (
            lambda d: d.update({SMOKER: dataclasses.replace(d[SMOKER], signal=None)}),
            Platform.SENSOR,
            f"{SMOKER}_signal_strength",
        ),
        (_charging_unknown, Platform.BINARY_SENSOR, f"{SMOKER}_battery_charging"),
        (_no_alarm_high, Platform.BINARY_SENSOR, f"{SMOKER}_1_cloud_alarm_high"),
        (_no_alarm_high, Platform.SENSOR, f"{SMOKER}_1_alarm_high_setpoint"),
    ],
    ids=["battery", "signal", "charging", "cloud_alarm", "alarm_set_point"],
)
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entity_appears_once_its_data_does(
    hass: HomeAssistant,
    poll_with: PollWith,
    setup_with: SetupWith,
    hide: Callable[[dict[str, Device]], None],
    domain: str,
    unique_id: str,
) -> None:
    """A field missing at the first poll only delays its entity: no reload needed."""
    devices = load_devices()
    hide(devices)
    entry = await setup_with(devices)
    assert unique_id not in _unique_ids(hass, entry, SMOKER)

    await poll_with(load_devices())
    assert unique_id in _unique_ids(hass, entry, SMOKER)
    assert _shown(hass, domain, unique_id) not in (None, STATE_UNAVAILABLE)

    # Gone again: the entity stays, unavailable rather than showing what no longer exists.
    await poll_with(devices)
    assert _shown(hass, domain, unique_id) == STATE_UNAVAILABLE


COOK_KEYS = ("time_to_target", "cook_phase", "rate_of_change")
THRESHOLD_KEYS = ("target", "high", "low")


def _cook_and_thresholds(hass: HomeAssistant, number: str) -> dict[str, str | None]:
    shown = {key: _shown(hass, Platform.SENSOR, f"{SMOKER}_{number}_{key}") for key in COOK_KEYS}
    shown |= {
        key: _shown(hass, Platform.NUMBER, f"{SMOKER}_{number}_{key}") for key in THRESHOLD_KEYS
    }
    return shown


async def test_entities_of_a_channel_that_no_longer_fits_are_unavailable(
    hass: HomeAssistant, poll_with: PollWith, mock_config_entry: MockConfigEntry
) -> None:
    """A meat probe switched to humidity, or relabelled as a pit: never "unknown" or degrees."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    await setup_entry(hass, mock_config_entry)
    for number in ("2", "3"):  # the brisket flat and point: meat probes with readings
        shown = _cook_and_thresholds(hass, number)
        assert shown["cook_phase"] not in (None, "unknown", STATE_UNAVAILABLE), number
        assert shown["high"] == "250.0"

    devices = load_devices()
    with_probe(devices, SMOKER, "2", unit=Unit.HUMIDITY, temperature=48.0)
    with_probe(devices, SMOKER, "3", label="Pit 2")
    await poll_with(devices)
    # Humidity: no cook and no temperature threshold fits.
    assert set(_cook_and_thresholds(hass, "2").values()) == {STATE_UNAVAILABLE}
    # A pit: no cook sensors, but a pit keeps its thresholds ("the pit fell below 225 °F").
    pit = _cook_and_thresholds(hass, "3")
    assert {pit[key] for key in COOK_KEYS} == {STATE_UNAVAILABLE}
    assert pit["high"] == "250.0"
    tracker = mock_config_entry.runtime_data.coordinator.tracker.cook
    assert tracker.insight((SMOKER, "2")) is None
    assert tracker.insight((SMOKER, "3")) is None

    # Back as they were: the same entities take up again.
    await poll_with(load_devices())
    for number in ("2", "3"):
        shown = _cook_and_thresholds(hass, number)
        assert STATE_UNAVAILABLE not in shown.values(), number
        assert shown["high"] == "250.0"


async def test_channel_that_becomes_a_humidity_channel_gets_its_sensor(
    hass: HomeAssistant, poll_with: PollWith, mock_config_entry: MockConfigEntry
) -> None:
    """A NODE channel reconfigured from °F to humidity, and back: each has its sensor."""
    entry = mock_config_entry
    hass.config.units = US_CUSTOMARY_SYSTEM  # °F readings show as sent
    await setup_entry(hass, entry)
    assert f"{NODE}_1_humidity" not in _unique_ids(hass, entry, NODE)
    assert _shown(hass, Platform.SENSOR, f"{NODE}_1_temperature") == "54.3"

    devices = load_devices()
    with_probe(devices, NODE, "1", unit=Unit.HUMIDITY, temperature=48.0)
    await poll_with(devices)
    assert _shown(hass, Platform.SENSOR, f"{NODE}_1_humidity") == "48.0"
    # The temperature sensor would show a humidity as degrees: unavailable instead.
    assert _shown(hass, Platform.SENSOR, f"{NODE}_1_temperature") == STATE_UNAVAILABLE

    # The humidity channel becomes a temperature channel: its sensor and high / low appear
    # (no target: nothing is cooked in a logger's chamber).
    devices = load_devices()
    with_probe(devices, NODE, "2", unit=Unit.FAHRENHEIT, temperature=61.0)
    await poll_with(devices)
    added = _unique_ids(hass, entry, NODE)
    assert {f"{NODE}_2_temperature", f"{NODE}_2_high", f"{NODE}_2_low"} <= added
    assert f"{NODE}_2_target" not in added
    assert _shown(hass, Platform.SENSOR, f"{NODE}_2_temperature") == "61.0"
    assert _shown(hass, Platform.SENSOR, f"{NODE}_2_humidity") == STATE_UNAVAILABLE
    assert _shown(hass, Platform.SENSOR, f"{NODE}_1_temperature") == "54.3"


async def test_a_thermometer_unreadable_for_a_poll_loses_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    poll_with: PollWith,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    alerts: list[dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Its entities wait unavailable, its cook is kept, and nothing fires, then or after."""
    await setup_entry(hass, mock_config_entry)
    cook = mock_config_entry.runtime_data.coordinator.tracker.cook
    meat = (SMOKER, "2")
    phase = cook.phase(meat)
    assert phase is not None
    alerts.clear()
    before = _unique_ids(hass, mock_config_entry, SMOKER)

    mock_client.async_get_snapshot.return_value = dataclasses.replace(
        load_snapshot(_without(SMOKER)), unreadable=frozenset({SMOKER})
    )
    await tick(hass, freezer)
    assert _device(hass, SMOKER) is not None
    assert _shown(hass, Platform.SENSOR, f"{SMOKER}_battery") == STATE_UNAVAILABLE
    assert cook.phase(meat) == phase

    caplog.clear()
    await poll_with(load_devices())
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert _shown(hass, Platform.SENSOR, f"{SMOKER}_battery") not in (None, STATE_UNAVAILABLE)
    assert _unique_ids(hass, mock_config_entry, SMOKER) == before
    assert cook.phase(meat) == phase
    assert alerts == []
