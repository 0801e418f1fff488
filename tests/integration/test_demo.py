"""The demo: a cook under way from the first poll, resumed (not restarted) by a reload."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import (
    CONF_DEMO_START,
    CONF_SCAN_INTERVAL,
)
from custom_components.grill_stats.coordinator import GrillStatsCoordinator
from grillstats.analytics import Threshold, ThresholdKind
from grillstats.simulator import CloudSimulator
from grillstats.thermoworks import Unit

from .conftest import demo_entry, refresh, setup_entry

START = datetime(2026, 6, 6, 16, 0, tzinfo=UTC)
FLAT = "sensor.brisket_smoker_brisket_flat"


@pytest.fixture
async def demo(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, socket_enabled: None
) -> MockConfigEntry:
    """The demo entry, set up at START (°F, so the states read as the simulator's)."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    freezer.move_to(START)
    entry = demo_entry()
    await setup_entry(hass, entry)
    return entry


def _coordinator(entry: MockConfigEntry) -> GrillStatsCoordinator:
    coordinator: GrillStatsCoordinator = entry.runtime_data.coordinator
    return coordinator


async def _watch(freezer: FrozenDateTimeFactory, entry: MockConfigEntry, minutes: float) -> None:
    """Poll every 30 s (the demo's interval) while the wall clock moves on."""
    for _ in range(round(minutes * 2)):
        freezer.tick(timedelta(seconds=30))
        await refresh(entry)


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def _serials(entry: MockConfigEntry) -> dict[str, str]:
    return {device.name: serial for serial, device in _coordinator(entry).data.items()}


async def test_the_demo_starts_mid_cook_with_targets_set(
    hass: HomeAssistant, demo: MockConfigEntry, alerts: list[dict[str, Any]]
) -> None:
    assert demo.data[CONF_DEMO_START] == START.isoformat()
    coordinator = _coordinator(demo)
    assert coordinator.update_interval == timedelta(seconds=30)
    serials = _serials(demo)
    assert coordinator.tracker.threshold(
        (serials["Brisket Smoker"], "2"), ThresholdKind.TARGET
    ) == (Threshold(value=203.0))
    assert coordinator.tracker.threshold(
        (serials["Kamado"], "2"), ThresholdKind.TARGET
    ) == Threshold(value=92.2, unit=Unit.CELSIUS)
    assert _state(hass, "number.kamado_ribs_target") == "198.0"  # 92.2 °C shown in °F
    # The history before the demo began was replayed: phases from the first poll, no idle.
    assert _state(hass, f"{FLAT}_cook_phase") == "heating"
    assert _state(hass, "sensor.kamado_ribs_cook_phase") == "heating"
    # No cloud alarm is going off at the start.
    channels = [c for device in coordinator.data.values() for c in device.channels.values()]
    assert not any(a.alarming for c in channels for a in (c.alarm_high, c.alarm_low) if a)
    assert not alerts


async def test_the_options_form_suggests_the_demos_30_s(
    hass: HomeAssistant, demo: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(demo.entry_id)
    schema = result["data_schema"]
    assert schema is not None
    suggested = {str(key): key.description["suggested_value"] for key in schema.schema}
    assert suggested[CONF_SCAN_INTERVAL] == 30


async def test_the_stall_and_the_ribs_come_within_minutes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    demo: MockConfigEntry,
    alerts: list[dict[str, Any]],
) -> None:
    # Time to target shows once the numbers have handed their targets over (the next poll).
    await _watch(freezer, demo, 0.5)
    ribs_done = datetime.fromisoformat(_state(hass, "sensor.kamado_ribs_time_to_target"))
    assert START < ribs_done < START + timedelta(minutes=25)
    assert _state(hass, f"{FLAT}_time_to_target") not in ("unknown", "unavailable")
    await _watch(freezer, demo, 19.5)
    fired = [(alert["type"], alert["probe_name"]) for alert in alerts]
    assert ("stall_started", "Brisket Flat") in fired
    assert ("target_reached", "Ribs") in fired
    assert _state(hass, f"{FLAT}_cook_phase") == "stall"


async def test_a_reload_resumes_the_same_cook(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, demo: MockConfigEntry
) -> None:
    await _watch(freezer, demo, 15)
    before = float(_state(hass, FLAT))
    assert _state(hass, f"{FLAT}_cook_phase") == "stall"
    # An options change reloads the entry, as any reload does.
    hass.config_entries.async_update_entry(demo, options={CONF_SCAN_INTERVAL: 60})
    assert await hass.config_entries.async_reload(demo.entry_id)
    await hass.async_block_till_done()
    assert demo.data[CONF_DEMO_START] == START.isoformat()
    assert _coordinator(demo).update_interval == timedelta(seconds=60)
    await _watch(freezer, demo, 1)
    after = float(_state(hass, FLAT))
    assert abs(after - before) < 2  # the same brisket, not a raw one
    assert _state(hass, f"{FLAT}_cook_phase") == "stall"
    # What the new simulator serves is what one built now for the same start serves.
    simulator: CloudSimulator = demo.runtime_data.coordinator.demo.simulator
    fresh = CloudSimulator(
        devices=6,
        seed=2026,
        speed=0,
        start_time=simulator.now(),
        scenario="demo",
        scenario_start=START,
    )
    assert simulator.snapshot() == fresh.snapshot()
