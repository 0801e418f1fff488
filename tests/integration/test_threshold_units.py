"""A threshold keeps its own unit when the probe switches between °F and °C."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any
from unittest.mock import AsyncMock

import pytest
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.grill_stats.const import DOMAIN
from grillstats.analytics import Threshold, ThresholdKind
from grillstats.thermoworks import Unit

from .conftest import PollWith, setup_entry, state_writes
from .snapshots import CLOUD_TIME, load_devices, with_probe

SMOKER = "A4:CF:12:22:96:BA"
"""A Signals in °F: probe 1 the pit, probe 2 the brisket flat."""


@pytest.fixture(autouse=True)
def fahrenheit(hass: HomeAssistant) -> None:
    """Home Assistant in °F, so numbers in °F show as set."""
    hass.config.units = US_CUSTOMARY_SYSTEM


def _read(number: str, value: float, unit: Unit, minutes: int) -> dict[str, Any]:
    devices = load_devices()
    with_probe(
        devices,
        SMOKER,
        number,
        temperature=value,
        unit=unit,
        last_seen=CLOUD_TIME + timedelta(minutes=minutes),
    )
    return devices


async def test_a_fahrenheit_limit_stays_fahrenheit_on_a_celsius_probe(
    hass: HomeAssistant,
    poll_with: PollWith,
    alerts: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    await poll_with(_read("2", 125.0, Unit.CELSIUS, 5))
    # 125 °C is above the 250 °F (121.1 °C) default high of a meat probe, not below a
    # "250 °C" one.
    (alert,) = (a for a in alerts if a["probe"] == "2")
    assert alert["type"] == "high"
    assert alert["unit"] == "C"
    assert alert["temperature"] == 125.0
    assert round(alert["threshold"], 1) == 121.1


async def test_switching_unit_never_fires_a_crossing_again(
    hass: HomeAssistant,
    poll_with: PollWith,
    alerts: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    await poll_with(_read("2", 20.0, Unit.FAHRENHEIT, 5))
    assert [(a["type"], a["probe"]) for a in alerts] == [("low", "2")]  # default low 32 °F
    await poll_with(_read("2", -5.0, Unit.CELSIUS, 10))
    assert [(a["type"], a["probe"]) for a in alerts] == [("low", "2")]  # -5 °C: still low
    await poll_with(_read("2", 2.0, Unit.CELSIUS, 15))
    assert [a["type"] for a in alerts] == ["low", "cleared"]  # above 0 °C + 1.1 °C band


async def test_the_cook_target_keeps_its_unit(
    hass: HomeAssistant,
    poll_with: PollWith,
    alerts: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    registry = er.async_get(hass)
    target = registry.async_get_entity_id("number", DOMAIN, f"{SMOKER}_2_target")
    phase = registry.async_get_entity_id("sensor", DOMAIN, f"{SMOKER}_2_cook_phase")
    assert target
    assert phase
    await hass.services.async_call(
        "number", "set_value", {"entity_id": target, "value": 203}, blocking=True
    )
    await poll_with(_read("2", 96.0, Unit.CELSIUS, 5))
    state = hass.states.get(phase)
    assert state is not None
    assert state.state == "done"  # 96 °C is past 203 °F (95 °C)
    (alert,) = (a for a in alerts if a["probe"] == "2")
    assert alert["type"] == "target_reached"
    assert round(alert["threshold"], 1) == 95.0


KAMADO = "FC:E8:C0:15:EE:2D"
"""A Signals whose probes report in °C."""


def _registered(hass: HomeAssistant, entry: MockConfigEntry, serial: str, key: str) -> str:
    """Register a number before setup, so a restore cache can be keyed by its entity id."""
    entry.add_to_hass(hass)
    return (
        er.async_get(hass)
        .async_get_or_create("number", DOMAIN, f"{serial}_{key}", config_entry=entry)
        .entity_id
    )


def _restore(
    hass: HomeAssistant, entry: MockConfigEntry, *numbers: tuple[str, str, str, float | None, str]
) -> list[str]:
    """Register numbers and cache their last states, as a restart finds them.

    Each number is (serial, key, state, value, unit); returns their entity ids.
    """
    entity_ids = [_registered(hass, entry, serial, key) for serial, key, *_ in numbers]
    mock_restore_cache_with_extra_data(
        hass,
        [
            (State(entity_id, state), _stored(value, unit))
            for entity_id, (_, _, state, value, unit) in zip(entity_ids, numbers, strict=True)
        ],
    )
    return entity_ids


async def test_numbers_restored_after_a_restart(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    target, high, converted, other = _restore(
        hass,
        mock_config_entry,
        (SMOKER, "2_target", "198.5", 198.5, "°F"),
        # switched off before the restart: stays off, not back at the 250 °F default
        (SMOKER, "2_high", "unknown", None, "°F"),
        # set while this probe reported in °F; it now reports in °C
        (KAMADO, "2_high", "230", 230.0, "°F"),
        (KAMADO, "3_high", "7", 7.0, "%"),  # not a temperature: the default
    )
    await setup_entry(hass, mock_config_entry)
    assert _value(hass, target) == "198.5"
    assert _value(hass, high) == "unknown"
    assert float(_value(hass, converted)) == pytest.approx(230.0, abs=0.1)  # shown in °F
    assert float(_value(hass, other)) == pytest.approx(250.0, abs=0.1)
    tracker = mock_config_entry.runtime_data.coordinator.tracker
    threshold = tracker.threshold((KAMADO, "2"), ThresholdKind.HIGH)
    assert threshold == Threshold(value=110.0, unit=Unit.CELSIUS)
    assert tracker.threshold((SMOKER, "2"), ThresholdKind.HIGH) is None
    assert tracker.threshold((SMOKER, "2"), ThresholdKind.TARGET) == Threshold(value=198.5)


async def test_restored_numbers_write_their_state_once(
    hass: HomeAssistant, poll_with: PollWith, mock_config_entry: MockConfigEntry
) -> None:
    """Restored at start-up and written with it: a poll that changes nothing writes nothing."""
    target, high, low = _restore(
        hass,
        mock_config_entry,
        (SMOKER, "2_target", "198.5", 198.5, "°F"),
        (SMOKER, "2_high", "unknown", None, "°F"),
        (SMOKER, "2_low", "40", 40.0, "°F"),
    )
    writes = state_writes(hass)
    await setup_entry(hass, mock_config_entry)
    assert (_value(hass, target), _value(hass, high), _value(hass, low)) == (
        "198.5",
        "unknown",
        "40.0",
    )
    for minutes in (5, 10):  # new readings: every entity looks at what it shows
        await poll_with(_read("2", 150.0 + minutes, Unit.FAHRENHEIT, minutes))
    written = Counter(entity_id for _, entity_id in writes if entity_id.startswith("number."))
    assert written
    assert set(written.values()) == {1}  # every number once, when it was added


def _stored(value: float | None, unit: str) -> dict[str, Any]:
    """What RestoreNumber keeps as a number's extra data."""
    return {
        "native_value": value,
        "native_unit_of_measurement": unit,
        "native_min_value": -40.0,
        "native_max_value": 700.0,
        "native_step": 0.5,
    }


def _value(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state
