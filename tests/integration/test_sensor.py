"""Sensors: every entity as a snapshot, units, humidity, the RFX core, fans, set points, polls."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import timedelta
from unittest.mock import AsyncMock

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import DATA_COMPONENT, SensorDeviceClass, SensorEntity
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    EVENT_STATE_CHANGED,
    PERCENTAGE,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_system import METRIC_SYSTEM, US_CUSTOMARY_SYSTEM, UnitSystem
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import DOMAIN
from grillstats.thermoworks import (
    CloudConnectionError,
    Device,
    ProtocolError,
    RateLimitedError,
    Unit,
)

from .conftest import PollWith, SnapshotEntities, setup_entry, state_writes, tick
from .snapshots import CLOUD_TIME, load_devices, load_snapshot, with_probe

SMOKER = "A4:CF:12:22:96:BA"
"""A Signals with a Billows fan, in °F; probe 4 unplugged, probe 2's low alarm disabled."""
KAMADO = "FC:E8:C0:15:EE:2D"
"""A Signals whose probes report in °C."""
NODE = "FC:E8:C0:3C:AE:98"
"""A NODE: channel 1 temperature, channel 2 humidity."""
MEAT = "M100083898"
"""An RFX meat probe with four points along one probe."""


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: AsyncMock
) -> MockConfigEntry:
    """The integration set up in a US-customary Home Assistant, so °F readings show as sent."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    await setup_entry(hass, mock_config_entry)
    return mock_config_entry


def _entity_id(hass: HomeAssistant, unique_id: str, domain: str = Platform.SENSOR) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


def _entity(hass: HomeAssistant, unique_id: str) -> SensorEntity:
    """The sensor itself: its native unit and value, before Home Assistant converts them."""
    entity = hass.data[DATA_COMPONENT].get_entity(_entity_id(hass, unique_id))
    assert entity is not None, unique_id
    return entity


def _state(hass: HomeAssistant, unique_id: str, domain: str = Platform.SENSOR) -> State:
    state = hass.states.get(_entity_id(hass, unique_id, domain))
    assert state is not None, unique_id
    return state


async def test_all_entities(snapshot_entities: SnapshotEntities) -> None:
    """Every sensor: its registry entry and its state."""
    await snapshot_entities(Platform.SENSOR)


async def test_signal_strength_is_disabled_by_default(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, init_integration: MockConfigEntry
) -> None:
    entry = entity_registry.async_get(_entity_id(hass, f"{SMOKER}_signal_strength"))
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(entry.entity_id) is None


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the set points
@pytest.mark.parametrize(
    ("units", "shown_unit", "shown_value"),
    [
        (METRIC_SYSTEM, UnitOfTemperature.CELSIUS, 90.8),
        (US_CUSTOMARY_SYSTEM, UnitOfTemperature.FAHRENHEIT, 90.8 * 9 / 5 + 32),
    ],
)
async def test_celsius_probe_keeps_its_native_unit(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    units: UnitSystem,
    shown_unit: str,
    shown_value: float,
) -> None:
    hass.config.units = units
    await setup_entry(hass, mock_config_entry)
    entity = _entity(hass, f"{KAMADO}_1_temperature")
    assert entity.native_unit_of_measurement == UnitOfTemperature.CELSIUS
    assert entity.native_value == 90.8
    state = _state(hass, f"{KAMADO}_1_temperature")
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == shown_unit
    assert float(state.state) == pytest.approx(shown_value, abs=0.05)
    # A °F probe of the same account keeps °F the same way.
    fahrenheit = _entity(hass, f"{SMOKER}_1_temperature")
    assert fahrenheit.native_unit_of_measurement == UnitOfTemperature.FAHRENHEIT
    # Its set points are in the probe's unit too.
    set_point = _entity(hass, f"{KAMADO}_1_alarm_high_setpoint")
    assert set_point.native_unit_of_measurement == UnitOfTemperature.CELSIUS
    assert set_point.native_value == 149.0


async def test_humidity_channel(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    state = _state(hass, f"{NODE}_2_humidity")
    assert state.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.HUMIDITY
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == PERCENTAGE
    assert float(state.state) == pytest.approx(71.3)
    registry = er.async_get(hass)
    # A humidity channel is no temperature and has no temperature set points ...
    for key in ("temperature", "alarm_high_setpoint", "alarm_low_setpoint"):
        assert registry.async_get_entity_id(Platform.SENSOR, DOMAIN, f"{NODE}_2_{key}") is None
    # ... while the NODE's temperature channel has no humidity sensor.
    assert registry.async_get_entity_id(Platform.SENSOR, DOMAIN, f"{NODE}_1_humidity") is None
    temperature = _state(hass, f"{NODE}_1_temperature")
    assert temperature.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.TEMPERATURE


async def test_rfx_core_is_the_lowest_valid_point(
    hass: HomeAssistant, poll_with: PollWith, init_integration: MockConfigEntry
) -> None:
    core = f"{MEAT}_core_temperature"
    assert float(_state(hass, core).state) == pytest.approx(57.5)  # the tip
    assert _state(hass, core).attributes[ATTR_UNIT_OF_MEASUREMENT] == UnitOfTemperature.FAHRENHEIT

    devices = load_devices()
    with_probe(devices, MEAT, "1", temperature=None)  # the tip lost its reading
    with_probe(devices, MEAT, "3", temperature=70.1)
    await poll_with(devices)
    assert float(_state(hass, core).state) == pytest.approx(70.1)

    # No other device has a core sensor.
    registry = er.async_get(hass)
    for serial in load_devices().keys() - {MEAT}:
        assert (
            registry.async_get_entity_id(Platform.SENSOR, DOMAIN, f"{serial}_core_temperature")
            is None
        )


async def test_rfx_core_is_unavailable_without_valid_points_until_they_return(
    hass: HomeAssistant, poll_with: PollWith, init_integration: MockConfigEntry
) -> None:
    """No stale core stays shown, and it comes back with the readings."""
    devices = load_devices()
    for number in devices[MEAT].channels:
        with_probe(devices, MEAT, number, temperature=None)
    await poll_with(devices)
    assert _state(hass, f"{MEAT}_core_temperature").state == STATE_UNAVAILABLE
    await poll_with(load_devices())
    assert float(_state(hass, f"{MEAT}_core_temperature").state) == pytest.approx(57.5)


async def test_rfx_core_is_unavailable_without_channels(
    hass: HomeAssistant, poll_with: PollWith, init_integration: MockConfigEntry
) -> None:
    """A meat probe whose point documents are missing has neither a core nor its unit."""
    devices = load_devices()
    devices[MEAT] = dataclasses.replace(devices[MEAT], channels={})
    await poll_with(devices)
    entity = _entity(hass, f"{MEAT}_core_temperature")
    assert entity.native_unit_of_measurement is None
    assert _state(hass, f"{MEAT}_core_temperature").state == STATE_UNAVAILABLE
    assert _state(hass, f"{MEAT}_1_temperature").state == STATE_UNAVAILABLE
    # The probe itself is still there: its battery is shown.
    assert _state(hass, f"{MEAT}_battery").state != STATE_UNAVAILABLE


def _unplugged(devices: dict[str, Device]) -> dict[str, Device]:
    with_probe(devices, SMOKER, "2", temperature=None, connected=False)
    return devices


def _null_value(devices: dict[str, Device]) -> dict[str, Device]:
    with_probe(devices, SMOKER, "2", temperature=None)
    return devices


def _stale(_: dict[str, Device]) -> dict[str, Device]:
    """The same documents, read two hours later: the library calls every reading stale."""
    return load_devices(CLOUD_TIME + timedelta(hours=2))


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the set points
@pytest.mark.parametrize("derive", [_unplugged, _null_value, _stale], ids=lambda f: f.__name__)
async def test_probe_without_a_trustworthy_reading_is_unavailable_until_it_returns(
    hass: HomeAssistant,
    poll_with: PollWith,
    init_integration: MockConfigEntry,
    derive: Callable[[dict[str, Device]], dict[str, Device]],
) -> None:
    probe = f"{SMOKER}_2_temperature"
    assert float(_state(hass, probe).state) == pytest.approx(47.6)
    devices = derive(load_devices())
    assert devices[SMOKER].channels["2"].temperature is None
    await poll_with(devices)
    assert _state(hass, probe).state == STATE_UNAVAILABLE
    # Its set points are still known: they are the cloud's, not the probe's.
    assert float(_state(hass, f"{SMOKER}_2_alarm_high_setpoint").state) == 203.0
    # Another probe of the same thermometer keeps its reading unless it is stale too.
    other = _state(hass, f"{SMOKER}_1_temperature").state
    if devices[SMOKER].channels["1"].temperature is None:
        assert other == STATE_UNAVAILABLE
    else:
        assert float(other) == pytest.approx(167.8)
    await poll_with(load_devices())
    assert float(_state(hass, probe).state) == pytest.approx(47.6)


async def test_probe_never_plugged_in_has_no_entities_until_it_is(
    hass: HomeAssistant,
    poll_with: PollWith,
    entity_registry: er.EntityRegistry,
    init_integration: MockConfigEntry,
) -> None:
    """An empty socket is no probe; plugging one in adds its entities without a reload."""

    def probe_4() -> set[str]:
        entries = er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
        return {e.unique_id for e in entries if e.unique_id.startswith(f"{SMOKER}_4_")}

    assert probe_4() == set()
    devices = load_devices()
    with_probe(devices, SMOKER, "4", connected=True, enabled=True, temperature=41.0)
    await poll_with(devices)
    keys = ("temperature", "connected", "target", "cook_phase", "alert")
    assert {f"{SMOKER}_4_{key}" for key in keys} <= probe_4()
    assert float(_state(hass, f"{SMOKER}_4_temperature").state) == pytest.approx(41.0)
    # Unplugged again, it keeps its entities, unavailable (also after a reload).
    await poll_with(load_devices())
    assert _state(hass, f"{SMOKER}_4_temperature").state == STATE_UNAVAILABLE
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert _state(hass, f"{SMOKER}_4_temperature").state == STATE_UNAVAILABLE


async def test_humidity_without_reading_is_unavailable(
    hass: HomeAssistant, poll_with: PollWith, init_integration: MockConfigEntry
) -> None:
    devices = load_devices()
    with_probe(devices, NODE, "2", temperature=None)
    await poll_with(devices)
    assert _state(hass, f"{NODE}_2_humidity").state == STATE_UNAVAILABLE


async def test_fan_sensors_only_on_the_device_with_a_fan(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    init_integration: MockConfigEntry,
) -> None:
    fan_entities = {
        entry.unique_id
        for entry in er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
        if "_fan_" in entry.unique_id
    }
    assert fan_entities == {f"{SMOKER}_fan_state", f"{SMOKER}_fan_set_temperature"}
    fan_state = _state(hass, f"{SMOKER}_fan_state")
    assert fan_state.state == "blowing"
    assert fan_state.attributes["options"] == ["paused", "blowing", "pulsing"]
    set_temperature = _state(hass, f"{SMOKER}_fan_set_temperature")
    assert float(set_temperature.state) == pytest.approx(235.0)
    assert set_temperature.attributes[ATTR_UNIT_OF_MEASUREMENT] == UnitOfTemperature.FAHRENHEIT


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the set points
async def test_alarm_set_points_are_unknown_while_disabled(
    hass: HomeAssistant, poll_with: PollWith, init_integration: MockConfigEntry
) -> None:
    high = f"{SMOKER}_2_alarm_high_setpoint"
    low = f"{SMOKER}_2_alarm_low_setpoint"
    assert _state(hass, low).state == STATE_UNKNOWN  # disabled, though the cloud says 32
    assert _state(hass, high).state != STATE_UNKNOWN

    devices = load_devices()
    channel = devices[SMOKER].channels["2"]
    assert channel.alarm_low is not None
    assert channel.alarm_high is not None
    with_probe(
        devices,
        SMOKER,
        "2",
        alarm_low=dataclasses.replace(channel.alarm_low, enabled=True, value=40.0),
        alarm_high=dataclasses.replace(channel.alarm_high, enabled=False),
    )
    await poll_with(devices)
    assert float(_state(hass, low).state) == pytest.approx(40.0)
    assert _state(hass, high).state == STATE_UNKNOWN


def _entry_states(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """The states of the entry's polled entities (numbers and events are set locally)."""
    registry = er.async_get(hass)
    states = {}
    for item in er.async_entries_for_config_entry(registry, entry.entry_id):
        if item.disabled_by is None and item.domain in (Platform.SENSOR, Platform.BINARY_SENSOR):
            state = hass.states.get(item.entity_id)
            assert state is not None
            states[item.entity_id] = state.state
    return states


@pytest.mark.parametrize(
    "error",
    [CloudConnectionError("down"), ProtocolError("garbled"), RateLimitedError("slow down")],
    ids=["connection", "protocol", "rate_limited"],
)
async def test_cloud_failure_makes_everything_unavailable_until_it_recovers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    init_integration: MockConfigEntry,
    mock_client: AsyncMock,
    error: Exception,
) -> None:
    caplog.set_level(logging.INFO)
    before = _entry_states(hass, init_integration)
    assert len(before) > 40
    assert STATE_UNAVAILABLE not in before.values()  # the empty socket 4 has no entities
    assert set(before.values()) != {STATE_UNAVAILABLE}

    mock_client.async_get_snapshot.side_effect = error
    for _ in range(3):
        await tick(hass, freezer)
        assert set(_entry_states(hass, init_integration).values()) == {STATE_UNAVAILABLE}
    assert mock_client.async_get_snapshot.await_count == 4
    assert caplog.text.count("Error fetching grill_stats data") == 1
    assert "Fetching grill_stats data recovered" not in caplog.text

    mock_client.async_get_snapshot.side_effect = None
    mock_client.async_get_snapshot.return_value = load_snapshot()
    await tick(hass, freezer)
    assert _entry_states(hass, init_integration) == before
    assert caplog.text.count("Fetching grill_stats data recovered") == 1
    assert caplog.text.count("Error fetching grill_stats data") == 1


async def test_equal_poll_writes_nothing_and_a_change_writes_one_state(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    poll_with: PollWith,
    init_integration: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    written = state_writes(hass)
    previous = mock_client.async_get_snapshot.return_value
    mock_client.async_get_snapshot.return_value = load_snapshot()  # equal, parsed anew
    assert mock_client.async_get_snapshot.return_value is not previous
    await tick(hass, freezer)
    assert mock_client.async_get_snapshot.await_count == 2
    assert written == []

    devices = load_devices()
    with_probe(devices, SMOKER, "1", temperature=240.5)
    await poll_with(devices)
    assert mock_client.async_get_snapshot.await_count == 3
    assert written == [(str(EVENT_STATE_CHANGED), _entity_id(hass, f"{SMOKER}_1_temperature"))]

    # The tip of the meat probe is its core: both change, nothing else.
    written.clear()
    with_probe(devices, MEAT, "1", temperature=55.0)
    await poll_with(devices)
    assert sorted(written) == sorted(
        (str(EVENT_STATE_CHANGED), _entity_id(hass, unique_id))
        for unique_id in (f"{MEAT}_1_temperature", f"{MEAT}_core_temperature")
    )


async def test_probe_renamed_in_the_app_is_renamed_here(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    poll_with: PollWith,
    init_integration: MockConfigEntry,
) -> None:
    """The name follows the channel label; the entity id, being the user's, stays."""
    temperature = _entity_id(hass, f"{SMOKER}_2_temperature")
    connected = _entity_id(hass, f"{SMOKER}_2_connected", Platform.BINARY_SENSOR)
    assert _state(hass, f"{SMOKER}_2_temperature").name == "Brisket Smoker Brisket Flat"
    written = state_writes(hass)

    devices = load_devices()
    with_probe(devices, SMOKER, "2", label="Packer Brisket")
    await poll_with(devices)
    assert _state(hass, f"{SMOKER}_2_temperature").name == "Brisket Smoker Packer Brisket"
    state = _state(hass, f"{SMOKER}_2_connected", Platform.BINARY_SENSOR)
    assert state.name == "Brisket Smoker Packer Brisket connected"
    registry_entry = entity_registry.async_get(temperature)
    assert registry_entry is not None
    assert registry_entry.original_name == "Packer Brisket"
    assert _entity_id(hass, f"{SMOKER}_2_temperature") == temperature
    assert _entity_id(hass, f"{SMOKER}_2_connected", Platform.BINARY_SENSOR) == connected
    # Every entity of that probe changes once, nothing else does. (Each also reports its
    # state once more: Home Assistant rewrites it when its registry entry's name changes.)
    probe_entities = {
        item.entity_id
        for item in er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
        if item.unique_id.startswith(f"{SMOKER}_2_") and item.disabled_by is None
    }
    assert len(probe_entities) > 5
    changed = [entity_id for event, entity_id in written if event == EVENT_STATE_CHANGED]
    assert sorted(changed) == sorted(probe_entities)

    # A label removed in the app falls back to the channel's number.
    with_probe(devices, SMOKER, "2", label=None)
    await poll_with(devices)
    assert _state(hass, f"{SMOKER}_2_temperature").name == "Brisket Smoker Probe 2"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the set points
async def test_alarm_set_point_is_in_the_alarms_own_unit(
    hass: HomeAssistant, poll_with: PollWith, init_integration: MockConfigEntry
) -> None:
    """The app stores an alarm with its own unit, which need not be the probe's."""
    devices = load_devices()
    channel = devices[SMOKER].channels["2"]
    assert channel.unit is Unit.FAHRENHEIT
    assert channel.alarm_high is not None
    with_probe(
        devices,
        SMOKER,
        "2",
        alarm_high=dataclasses.replace(channel.alarm_high, value=95.0, units=Unit.CELSIUS),
    )
    await poll_with(devices)
    entity = _entity(hass, f"{SMOKER}_2_alarm_high_setpoint")
    assert entity.native_unit_of_measurement == UnitOfTemperature.CELSIUS
    assert entity.native_value == 95.0
    state = _state(hass, f"{SMOKER}_2_alarm_high_setpoint")
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == UnitOfTemperature.FAHRENHEIT
    assert float(state.state) == pytest.approx(203.0)  # 95 °C, shown in this °F system
    # The probe's own reading stays in °F.
    probe = _entity(hass, f"{SMOKER}_2_temperature")
    assert probe.native_unit_of_measurement == UnitOfTemperature.FAHRENHEIT


def _fan_unplugged(device: Device) -> Device:
    """The cloud keeps the last mode and set point of a fan that was unplugged."""
    assert device.fan is not None
    return dataclasses.replace(device, fan=dataclasses.replace(device.fan, connected=False))


def _offline(device: Device) -> Device:
    return dataclasses.replace(device, online=False)


@pytest.mark.parametrize("change", [_fan_unplugged, _offline], ids=lambda f: f.__name__)
async def test_fan_sensors_are_unavailable_while_the_fan_cannot_report(
    hass: HomeAssistant,
    poll_with: PollWith,
    init_integration: MockConfigEntry,
    change: Callable[[Device], Device],
) -> None:
    fan_sensors = (f"{SMOKER}_fan_state", f"{SMOKER}_fan_set_temperature")
    assert {_state(hass, unique_id).state for unique_id in fan_sensors} == {"blowing", "235.0"}

    devices = load_devices()
    devices[SMOKER] = change(devices[SMOKER])
    await poll_with(devices)
    assert {_state(hass, unique_id).state for unique_id in fan_sensors} == {STATE_UNAVAILABLE}
    assert _state(hass, f"{SMOKER}_battery").state != STATE_UNAVAILABLE

    await poll_with(load_devices())
    assert {_state(hass, unique_id).state for unique_id in fan_sensors} == {"blowing", "235.0"}
