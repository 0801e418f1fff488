"""Binary sensors: every entity as a snapshot; online, charging, probes and cloud alarms."""

from __future__ import annotations

import dataclasses

import pytest
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import DOMAIN
from grillstats.thermoworks import BatteryState, Device

from .conftest import PollWith, SetupWith, SnapshotEntities
from .snapshots import load_devices, with_probe

SMOKER = "A4:CF:12:22:96:BA"
"""A Signals: probe 4 unplugged, probe 1's low alarm going off."""
GATEWAY = "84:F3:EB:C9:9F:4B"
"""An RFX gateway on its charger (battery full)."""


async def test_all_entities(snapshot_entities: SnapshotEntities) -> None:
    """Every binary sensor: its registry entry and its state."""
    await snapshot_entities(Platform.BINARY_SENSOR)


def _state(hass: HomeAssistant, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(Platform.BINARY_SENSOR, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    state = hass.states.get(entity_id)
    assert state is not None, unique_id
    return state.state


def _on_off(value: bool) -> str:
    return STATE_ON if value else STATE_OFF


def _assert_mirrors(
    hass: HomeAssistant,
    devices: dict[str, Device],
    never_plugged: frozenset[tuple[str, str]] = frozenset(),
) -> int:
    """Every binary sensor shows what the model says; returns how many were checked.

    A probe never plugged in has no entities at all (an empty socket is no probe).
    """
    registry = er.async_get(hass)
    checked = 0
    for serial, device in devices.items():
        assert _state(hass, f"{serial}_online") == _on_off(device.online)
        assert _state(hass, f"{serial}_battery_charging") == _on_off(device.charging)
        checked += 2
        for number, channel in device.channels.items():
            if (serial, number) in never_plugged:
                uid = f"{serial}_{number}_connected"
                assert registry.async_get_entity_id(Platform.BINARY_SENSOR, DOMAIN, uid) is None
                continue
            assert _state(hass, f"{serial}_{number}_connected") == _on_off(channel.connected)
            checked += 1
            for key, alarm in (
                ("cloud_alarm_high", channel.alarm_high),
                ("cloud_alarm_low", channel.alarm_low),
            ):
                assert alarm is not None
                assert _state(hass, f"{serial}_{number}_{key}") == _on_off(alarm.alarming)
                checked += 1
    return checked


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the cloud alarms
async def test_binary_sensors_mirror_the_model(
    hass: HomeAssistant, poll_with: PollWith, init_integration: MockConfigEntry
) -> None:
    devices = load_devices()
    # six thermometers, sixteen probes (a seventeenth socket, the Signals' 4, is empty)
    assert _assert_mirrors(hass, devices, frozenset({(SMOKER, "4")})) == 6 * 2 + 16 * 3
    # The recorded account has each state at least once.
    assert _state(hass, f"{GATEWAY}_battery_charging") == STATE_ON
    assert _state(hass, f"{SMOKER}_battery_charging") == STATE_OFF
    assert _state(hass, f"{SMOKER}_1_cloud_alarm_low") == STATE_ON
    assert _state(hass, f"{SMOKER}_1_cloud_alarm_high") == STATE_OFF

    # Flip every one of them, and they follow.
    smoker = devices[SMOKER]
    devices[SMOKER] = dataclasses.replace(smoker, battery_state=BatteryState.CHARGING)
    devices[GATEWAY] = dataclasses.replace(devices[GATEWAY], battery_state=BatteryState.DISCHARGING)
    one = smoker.channels["1"]
    assert one.alarm_high is not None
    assert one.alarm_low is not None
    with_probe(
        devices,
        SMOKER,
        "1",
        connected=False,
        alarm_high=dataclasses.replace(one.alarm_high, alarming=True),
        alarm_low=dataclasses.replace(one.alarm_low, alarming=False),
    )
    with_probe(devices, SMOKER, "4", connected=True)
    await poll_with(devices)
    _assert_mirrors(hass, devices)
    assert _state(hass, f"{SMOKER}_battery_charging") == STATE_ON
    assert _state(hass, f"{GATEWAY}_battery_charging") == STATE_OFF
    assert _state(hass, f"{SMOKER}_1_connected") == STATE_OFF
    assert _state(hass, f"{SMOKER}_4_connected") == STATE_ON
    assert _state(hass, f"{SMOKER}_1_cloud_alarm_high") == STATE_ON
    assert _state(hass, f"{SMOKER}_1_cloud_alarm_low") == STATE_OFF


async def test_no_charging_sensor_without_a_battery_state(
    hass: HomeAssistant, setup_with: SetupWith
) -> None:
    devices = load_devices()
    devices[SMOKER] = dataclasses.replace(devices[SMOKER], battery_state=BatteryState.UNKNOWN)
    await setup_with(devices)
    registry = er.async_get(hass)
    assert (
        registry.async_get_entity_id(Platform.BINARY_SENSOR, DOMAIN, f"{SMOKER}_battery_charging")
        is None
    )
    assert _state(hass, f"{GATEWAY}_battery_charging") == STATE_ON


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the cloud alarms
async def test_probe_sensors_are_unavailable_while_the_device_is_offline(
    hass: HomeAssistant, poll_with: PollWith, init_integration: MockConfigEntry
) -> None:
    probes = [
        f"{SMOKER}_{number}_{key}"
        for number in load_devices()[SMOKER].channels
        if number != "4"  # never plugged in: no entities
        for key in ("connected", "cloud_alarm_high", "cloud_alarm_low")
    ]
    assert STATE_UNAVAILABLE not in {_state(hass, probe) for probe in probes}

    devices = load_devices()
    devices[SMOKER] = dataclasses.replace(devices[SMOKER], online=False)
    await poll_with(devices)
    assert {_state(hass, probe) for probe in probes} == {STATE_UNAVAILABLE}
    # The thermometer itself still says it is offline, and what it knows of its battery.
    assert _state(hass, f"{SMOKER}_online") == STATE_OFF
    assert _state(hass, f"{SMOKER}_battery_charging") == STATE_OFF
    # Other thermometers are not affected.
    assert _state(hass, f"{GATEWAY}_1_connected") == STATE_ON

    await poll_with(load_devices())
    assert _state(hass, f"{SMOKER}_online") == STATE_ON
    _assert_mirrors(hass, load_devices(), frozenset({(SMOKER, "4")}))
