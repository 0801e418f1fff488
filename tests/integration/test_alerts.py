"""Alerts end to end: the simulator's cook drives bus events and event entities."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.storage import Store
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import DOMAIN
from custom_components.grill_stats.coordinator import GrillStatsCoordinator
from grillstats.analytics import Role, role
from grillstats.simulator import CloudSimulator
from grillstats.thermoworks import Unit

from .conftest import Signals, entry_like, refresh, setup_entry

_OURS = ("high", "low", "cleared")
"""Our thresholds' alerts, not the app's own (cloud_alarm_*)."""


def _entity(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id, unique_id
    return entity_id


def _pits_at(cloud: CloudSimulator, entry: MockConfigEntry, value_f: float) -> None:
    """Hold every pit channel at ``value_f`` (in °C for a °C pit)."""
    coordinator: GrillStatsCoordinator = entry.runtime_data.coordinator
    for serial, device in coordinator.data.items():
        for number, channel in device.channels.items():
            if role(device, channel) is Role.PIT:
                celsius = channel.unit is Unit.CELSIUS
                value = (value_f - 32) / 1.8 if celsius else value_f
                cloud.set_channel(serial, number, value=value)


@pytest.fixture
async def brisket(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> Signals:
    """The °F Signals, set up and polled once (the baseline).

    Home Assistant in °F here, so a number set to 200 means 200 °F (it converts otherwise).
    Every pit is brought up to a smoker's temperature first, inside its 200-300 °F defaults
    (93-150 °C): a cold pit is below its low, and that alert is not what these tests are about.
    """
    hass.config.units = US_CUSTOMARY_SYSTEM
    await setup_entry(hass, cloud_entry)
    _pits_at(cloud, cloud_entry, 250.0)
    await refresh(cloud_entry)
    return Signals.find(hass, cloud, cloud_entry)


async def test_target_reached_fires_once_with_the_contract_data(
    hass: HomeAssistant, brisket: Signals, alerts: list[dict[str, Any]]
) -> None:
    target = _entity(hass, "number", f"{brisket.serial}_2_target")
    await hass.services.async_call(
        "number", "set_value", {"entity_id": target, "value": 200}, blocking=True
    )
    await brisket.read("2", value=190.0)
    assert alerts == []
    await brisket.read("2", value=201.5)  # below the app's own alarm (203 °F)
    await brisket.read("2", value=202.0)
    assert alerts == [
        {
            "type": "target_reached",
            "device_id": brisket.device_id,
            "serial": brisket.serial,
            "probe": "2",
            "probe_name": brisket.simulated()["channels"][1]["label"],
            "temperature": 201.5,
            "threshold": 200.0,
            "unit": "F",
        }
    ]
    state = hass.states.get(_entity(hass, "event", f"{brisket.serial}_2_alert"))
    assert state is not None
    assert state.attributes["event_type"] == "target_reached"
    # the event entity carries the bus event's data, device_id, serial and probe included
    assert {key: state.attributes[key] for key in alerts[0]} == alerts[0]


async def test_high_fires_once_per_crossing_and_clears_beyond_the_band(
    hass: HomeAssistant, brisket: Signals, alerts: list[dict[str, Any]]
) -> None:
    # a pit's default high: 300 °F, band 2 °F (over the app's own alarm, which is apart)
    for value in (301.0, 299.5, 301.0, 297.0, 302.0):
        await brisket.read("1", value=value)
    assert [(a["type"], a["temperature"]) for a in alerts if a["type"] in _OURS] == [
        ("high", 301.0),
        ("cleared", 297.0),
        ("high", 302.0),
    ]


async def test_a_reload_never_fires_the_same_crossing_again(
    hass: HomeAssistant, brisket: Signals, alerts: list[dict[str, Any]]
) -> None:
    await brisket.read("1", value=310.0)
    assert [a["type"] for a in alerts if a["type"] in _OURS] == ["high"]
    assert await hass.config_entries.async_reload(brisket.entry.entry_id)
    await hass.async_block_till_done()
    await brisket.refresh()
    assert [a["type"] for a in alerts if a["type"] in _OURS] == ["high"]


async def test_probe_and_cloud_alarm_transitions(
    hass: HomeAssistant, brisket: Signals, alerts: list[dict[str, Any]]
) -> None:
    await brisket.read("3", unplugged=True)
    await brisket.read("3", unplugged=False)
    assert [(a["type"], a["probe"]) for a in alerts] == [
        ("probe_disconnected", "3"),
        ("probe_connected", "3"),
    ]
    alerts.clear()
    device = brisket.simulated()
    assert device["channels"][2]["number"] == "3"
    await brisket.read("3", value=400.0)  # far above the app's own high alarm
    assert "cloud_alarm_high" in [a["type"] for a in alerts]


async def test_fast_polling_only_while_heading_for_a_threshold(
    hass: HomeAssistant, cloud: CloudSimulator, brisket: Signals
) -> None:
    coordinator: GrillStatsCoordinator = brisket.entry.runtime_data.coordinator
    for serial, device in coordinator.data.items():  # every probe far from its thresholds
        for channel in device.channels.values():
            if role(device, channel) in (Role.MEAT, Role.POINT) and channel.temperature:
                cloud.set_channel(serial, channel.number, value=150.0)

    async def interval_after(value: float) -> timedelta | None:
        """The pit at ``value`` five minutes on: the poll interval the coordinator picks."""
        cloud.set_channel(brisket.serial, "1", value=value)
        await brisket.poll()
        return coordinator.update_interval

    fast, slow = timedelta(seconds=60), timedelta(seconds=300)
    # The pit held 5 °F under its 300 °F high: near it, but going nowhere (once the jump from
    # 250 °F has left the 30-minute trend).
    for _ in range(7):
        await interval_after(295.0)
    assert [await interval_after(295.0) for _ in range(8)] == [slow] * 8
    assert [await interval_after(value) for value in (276.0, 278.0, 280.0, 282.0)] == [slow] * 4
    # Climbing to it: fast from the poll where it is 10 °F away and would get there soon.
    climbing = [await interval_after(value) for value in (286.0, 288.0, 291.0, 294.0)]
    assert climbing == [slow, slow] + [fast] * 2
    # Over it: the high has fired; sitting above it is no reason to poll fast.
    assert [await interval_after(value) for value in (301.0, 302.0, 302.0, 302.0)][-1] == slow
    # The brisket resting at its target: reached, nothing more to catch.
    target = _entity(hass, "number", f"{brisket.serial}_2_target")
    await hass.services.async_call(
        "number", "set_value", {"entity_id": target, "value": 150}, blocking=True
    )
    assert await interval_after(302.0) == slow


async def test_default_thresholds_come_from_the_options(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    entry = entry_like(
        cloud_entry,
        options={"scan_interval": 300, "fast_polling": False, "default_high": 275.0},
    )
    await setup_entry(hass, entry)
    serial = next(d["serial"] for d in cloud.state()["devices"] if d["device"] == "smoke")
    high = hass.states.get(_entity(hass, "number", f"{serial}_1_high"))
    low = hass.states.get(_entity(hass, "number", f"{serial}_1_low"))
    assert high is not None
    assert low is not None
    assert float(high.state) == 275.0
    assert low.state == "unknown"
    assert entry.runtime_data.coordinator.options.fast_polling is False


@pytest.mark.parametrize(
    ("options", "version", "high", "low"),
    [
        ({}, 2, 250.0, 32.0),  # never saved: the built-in defaults
        ({"default_high": None}, 2, None, 32.0),  # switched off, nothing else saved
        ({"default_low": 20.0, "default_high": 300.0}, 2, 300.0, 20.0),
        # saved by 1.1's form, which left an empty default out: migrated to off
        ({"scan_interval": 300, "default_high": 275.0}, 1, 275.0, None),
    ],
)
async def test_default_thresholds_are_explicit(
    hass: HomeAssistant,
    cloud: CloudSimulator,
    cloud_entry: MockConfigEntry,
    options: dict[str, Any],
    version: int,
    high: float | None,
    low: float | None,
) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    entry = entry_like(cloud_entry, options=options, version=1, minor_version=version)
    await setup_entry(hass, entry)
    assert entry.minor_version == 2
    serial = next(d["serial"] for d in cloud.state()["devices"] if d["device"] == "smoke")
    shown = [
        hass.states.get(_entity(hass, "number", f"{serial}_1_{key}")) for key in ("high", "low")
    ]
    assert [None if s is None or s.state == "unknown" else float(s.state) for s in shown] == [
        high,
        low,
    ]


async def test_thresholds_survive_a_reload(hass: HomeAssistant, brisket: Signals) -> None:
    target = _entity(hass, "number", f"{brisket.serial}_2_target")
    await hass.services.async_call(
        "number", "set_value", {"entity_id": target, "value": 198.5}, blocking=True
    )
    assert await hass.config_entries.async_reload(brisket.entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get(target)
    assert state is not None
    assert float(state.state) == 198.5


async def test_a_threshold_can_be_switched_off_again(
    hass: HomeAssistant, brisket: Signals, alerts: list[dict[str, Any]]
) -> None:
    high = _entity(hass, "number", f"{brisket.serial}_1_high")
    await hass.services.async_call(DOMAIN, "clear_threshold", {"entity_id": high}, blocking=True)
    state = hass.states.get(high)
    assert state is not None
    assert state.state == "unknown"
    await brisket.read("1", value=310.0)  # over the 300 °F it had
    assert [a for a in alerts if a["probe"] == "1" and a["type"] in _OURS] == []
    assert await hass.config_entries.async_reload(brisket.entry.entry_id)  # stays off
    await hass.async_block_till_done()
    state = hass.states.get(high)
    assert state is not None
    assert state.state == "unknown"
    await hass.services.async_call(
        "number", "set_value", {"entity_id": high, "value": 305}, blocking=True
    )
    await brisket.refresh()
    assert [a["type"] for a in alerts if a["probe"] == "1" and a["type"] in _OURS] == ["high"]


async def test_the_alert_state_is_written_only_when_it_changed(
    hass: HomeAssistant, cloud: CloudSimulator, brisket: Signals
) -> None:
    """Held readings and unchanged thresholds: polls cost no disk writes."""
    for number in ("1", "2"):
        cloud.set_channel(brisket.serial, number, value=120.0)
    for other in cloud.state()["devices"]:
        if other["serial"] != brisket.serial:
            cloud.remove_device(other["serial"])
    await brisket.refresh()
    saves: list[str] = []
    original = Store.async_delay_save

    def counting(store: Store[Any], data_func: Any, delay: float = 0) -> None:
        if store.key.endswith(".alerts"):
            saves.append(store.key)
        original(store, data_func, delay)

    with patch.object(Store, "async_delay_save", counting):
        for _ in range(3):
            await brisket.refresh()
        assert saves == []
        high = _entity(hass, "number", f"{brisket.serial}_1_high")
        await hass.services.async_call(
            "number", "set_value", {"entity_id": high, "value": 260}, blocking=True
        )
        await brisket.refresh()
        assert len(saves) == 1


@pytest.mark.parametrize(
    ("version", "minor_version", "state"),
    [(1, 3, ConfigEntryState.LOADED), (2, 1, ConfigEntryState.MIGRATION_ERROR)],
)
async def test_an_entry_from_a_newer_release_is_never_rewritten(
    hass: HomeAssistant,
    cloud: CloudSimulator,
    cloud_entry: MockConfigEntry,
    version: int,
    minor_version: int,
    state: ConfigEntryState,
) -> None:
    """A newer minor version still loads as it is; a newer major one is left alone."""
    options = {"scan_interval": 300, "default_high": 275.0}
    entry = entry_like(cloud_entry, options=options, version=version, minor_version=minor_version)
    await setup_entry(hass, entry)
    assert entry.state is state
    assert (entry.version, entry.minor_version, dict(entry.options)) == (
        version,
        minor_version,
        options,
    )


async def test_a_threshold_set_under_a_steady_reading_fires_at_the_next_poll(
    hass: HomeAssistant, brisket: Signals, alerts: list[dict[str, Any]]
) -> None:
    """Unchanged readings skip the alert work, but not when a threshold has just moved."""
    await brisket.read("2", value=180.0)
    await brisket.refresh()
    coordinator: GrillStatsCoordinator = brisket.entry.runtime_data.coordinator
    data = coordinator.data
    high = _entity(hass, "number", f"{brisket.serial}_2_high")
    await hass.services.async_call(
        "number", "set_value", {"entity_id": high, "value": 170}, blocking=True
    )
    await brisket.refresh()
    assert coordinator.data == data  # the cloud had nothing new
    assert [(a["type"], a["probe"]) for a in alerts if a["type"] in _OURS] == [("high", "2")]
