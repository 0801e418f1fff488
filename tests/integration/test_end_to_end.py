"""The whole integration against the simulator over loopback HTTP: no patched client."""

from __future__ import annotations

import pytest
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_PASSWORD, STATE_UNAVAILABLE, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_conversion import TemperatureConverter
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import DOMAIN
from custom_components.grill_stats.coordinator import GrillStatsCoordinator
from grillstats.simulator import CloudSimulator
from tests.thermoworks.conftest import FAST_RETRY

from .conftest import refresh, setup_entry

UNITS = {"F": UnitOfTemperature.FAHRENHEIT, "C": UnitOfTemperature.CELSIUS}


async def test_setup_creates_devices_and_entities(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, cloud_entry)
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), cloud_entry.entry_id)
    state = cloud.state()
    assert len(devices) == len(state["devices"])
    entities = er.async_entries_for_config_entry(er.async_get(hass), cloud_entry.entry_id)
    assert entities
    for device in state["devices"]:
        for channel in device["channels"]:
            if channel["units"] == "H":
                continue
            entity_id = er.async_get(hass).async_get_entity_id(
                "sensor", DOMAIN, f"{device['serial']}_{channel['number']}_temperature"
            )
            if channel["unplugged"]:  # an empty socket since setup: no probe, no entities
                assert entity_id is None, (device["serial"], channel["number"])
                continue
            assert entity_id, (device["serial"], channel["number"])
            sensor = hass.states.get(entity_id)
            assert sensor is not None
            if channel["unplugged"] or channel["value"] is None:
                assert sensor.state == STATE_UNAVAILABLE
            else:
                expected = TemperatureConverter.convert(
                    channel["value"],
                    UNITS[channel["units"]],
                    sensor.attributes["unit_of_measurement"],
                )
                assert float(sensor.state) == pytest.approx(expected, abs=0.06)


def _coordinator(entry: MockConfigEntry) -> GrillStatsCoordinator:
    coordinator: GrillStatsCoordinator = entry.runtime_data.coordinator
    return coordinator


def _probe_entity(hass: HomeAssistant, serial: str, number: str, key: str = "temperature") -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor" if key == "temperature" else "binary_sensor", DOMAIN, f"{serial}_{number}_{key}"
    )
    assert entity_id
    return entity_id


async def test_unplugged_probe_goes_unavailable_and_comes_back(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, cloud_entry)
    signals = next(d for d in cloud.state()["devices"] if d["device"] == "signals")
    serial = signals["serial"]
    temperature = _probe_entity(hass, serial, "1")
    connected = _probe_entity(hass, serial, "1", "connected")
    assert hass.states.get(temperature).state != STATE_UNAVAILABLE  # type: ignore[union-attr]

    cloud.set_channel(serial, "1", unplugged=True)
    await refresh(cloud_entry)
    assert hass.states.get(temperature).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
    assert hass.states.get(connected).state == "off"  # type: ignore[union-attr]

    cloud.set_channel(serial, "1", value=225.0)
    await refresh(cloud_entry)
    assert hass.states.get(connected).state == "on"  # type: ignore[union-attr]
    state = hass.states.get(temperature)
    assert state is not None
    assert float(state.state) == pytest.approx(
        TemperatureConverter.convert(
            225.0, UnitOfTemperature.FAHRENHEIT, state.attributes["unit_of_measurement"]
        ),
        abs=0.06,
    )


async def test_cloud_outage_makes_entities_unavailable_then_recovers(
    hass: HomeAssistant,
    cloud: CloudSimulator,
    cloud_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_entry(hass, cloud_entry)
    serial = cloud.state()["devices"][0]["serial"]
    battery = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{serial}_battery")
    assert battery
    cloud.add_fault(503, count=9, path_prefix="/v1/projects")  # three polls of three attempts
    coordinator = _coordinator(cloud_entry)
    coordinator.client._transport._retry = FAST_RETRY
    for _ in range(3):
        await refresh(cloud_entry)
        assert hass.states.get(battery).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
    await refresh(cloud_entry)
    assert hass.states.get(battery).state != STATE_UNAVAILABLE  # type: ignore[union-attr]
    assert caplog.text.count("Error fetching grill_stats data") == 1
    assert caplog.text.count("Fetching grill_stats data recovered") == 1


async def test_password_changed_in_the_cloud_starts_reauth(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, cloud_entry)
    cloud.set_password(cloud.email, "a-new-password")
    cloud.expire_tokens()
    await refresh(cloud_entry)
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_PASSWORD: "a-new-password"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert cloud_entry.data[CONF_PASSWORD] == "a-new-password"
    assert cloud_entry.state is ConfigEntryState.LOADED


async def test_device_removed_from_the_account_leaves_home_assistant(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, cloud_entry)
    registry = dr.async_get(hass)
    smoke = next(d for d in cloud.state()["devices"] if d["device"] == "smoke")["serial"]
    assert registry.async_get_device_by_identifier((DOMAIN, smoke), cloud_entry.entry_id)
    cloud.remove_device(smoke)
    await refresh(cloud_entry)
    assert registry.async_get_device_by_identifier((DOMAIN, smoke), cloud_entry.entry_id) is None
    assert not [
        entry
        for entry in er.async_entries_for_config_entry(er.async_get(hass), cloud_entry.entry_id)
        if entry.unique_id.startswith(smoke)
    ]


async def test_new_probe_appears_without_reload(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, cloud_entry)
    smoke = next(d for d in cloud.state()["devices"] if d["device"] == "smoke")
    serial, count = smoke["serial"], len(smoke["channels"])
    cloud.add_channel(serial)
    await refresh(cloud_entry)
    await hass.async_block_till_done()
    new = _probe_entity(hass, serial, str(count + 1))
    assert hass.states.get(new) is not None


async def test_rfx_meat_probe_hangs_off_its_gateway(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, cloud_entry)
    registry = dr.async_get(hass)
    meat = next(d for d in cloud.state()["devices"] if d["device"] == "rfx meat")
    gateway = registry.async_get_device_by_identifier(
        (DOMAIN, meat["gateway"]), cloud_entry.entry_id
    )
    probe = registry.async_get_device_by_identifier((DOMAIN, meat["serial"]), cloud_entry.entry_id)
    assert gateway is not None
    assert probe is not None
    assert probe.via_device_id == gateway.id
    assert probe.manufacturer == "ThermoWorks"
    assert probe.model == "RFX Meat"
    assert probe.serial_number == meat["serial"]


async def test_an_unreadable_thermometer_keeps_its_device_and_comes_back(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> None:
    """A malformed document costs that thermometer its readings, never its device."""
    await setup_entry(hass, cloud_entry)
    devices = cloud.state()["devices"]
    signals = next(d for d in devices if d["device"] == "signals")
    other = next(d for d in devices if d["device"] == "smoke")
    temperature = _probe_entity(hass, signals["serial"], "1")
    neighbour = _probe_entity(hass, other["serial"], "1")
    registry = dr.async_get(hass)
    device = registry.async_get_device_by_identifier(
        (DOMAIN, signals["serial"]), cloud_entry.entry_id
    )
    assert device is not None

    cloud.set_device(signals["serial"], corrupt=True)
    await refresh(cloud_entry)
    assert registry.async_get(device.id) is not None
    assert hass.states.get(temperature).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
    assert hass.states.get(neighbour).state != STATE_UNAVAILABLE  # type: ignore[union-attr]

    cloud.set_device(signals["serial"], corrupt=False)
    await refresh(cloud_entry)
    assert hass.states.get(temperature).state != STATE_UNAVAILABLE  # type: ignore[union-attr]
