"""The whole integration against the simulator over loopback HTTP: no patched client."""

from __future__ import annotations

import pytest
from homeassistant.const import STATE_UNAVAILABLE, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_conversion import TemperatureConverter
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import DOMAIN
from grillstats.simulator import CloudSimulator

from .conftest import setup_entry

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
