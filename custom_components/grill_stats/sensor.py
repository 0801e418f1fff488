"""Sensors: battery, signal, last seen, an RFX core, the fan; probe and cook sensors too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from grillstats.analytics.roles import RFX_MEAT, core_temperature
from grillstats.thermoworks import Device, FanState, Unit

from .const import TEMPERATURE_UNITS
from .cook_sensor import COOK_SENSORS, CookSensor
from .coordinator import GrillStatsConfigEntry
from .entity import (
    GrillStatsDeviceDescription,
    GrillStatsDeviceEntity,
    async_add_grill_stats_entities,
)
from .probe_sensor import PROBE_SENSORS, ProbeSensor, SensorValue

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DeviceSensorDescription(SensorEntityDescription, GrillStatsDeviceDescription):
    """A sensor of a whole thermometer."""

    value_fn: Callable[[Device], SensorValue]
    unit_fn: Callable[[Device], str | None] | None = None


def _first_unit(device: Device) -> str | None:
    for channel in device.channels.values():
        if channel.unit in TEMPERATURE_UNITS:
            return TEMPERATURE_UNITS[channel.unit]
    return None


def _fan_reports(device: Device) -> bool:
    """The cloud keeps an unplugged fan's last mode: only a plugged-in, online fan is live."""
    return device.fan is not None and device.fan.connected and device.online


def _fan_unit(device: Device) -> str | None:
    return TEMPERATURE_UNITS.get(device.display_units or Unit.FAHRENHEIT)


DEVICE_SENSORS: tuple[DeviceSensorDescription, ...] = (
    DeviceSensorDescription(
        key="battery",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda device: device.battery,
        exists_fn=lambda device: device.battery is not None,
    ),
    DeviceSensorDescription(
        key="signal_strength",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda device: device.signal,
        exists_fn=lambda device: device.signal is not None,
    ),
    DeviceSensorDescription(
        key="last_seen",
        translation_key="last_seen",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda device: device.last_seen,
    ),
    DeviceSensorDescription(
        key="core_temperature",
        translation_key="core_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=core_temperature,
        exists_fn=lambda device: device.model == RFX_MEAT,
        available_fn=lambda device: core_temperature(device) is not None,
        unit_fn=_first_unit,
    ),
    DeviceSensorDescription(
        key="fan_state",
        translation_key="fan_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in FanState],
        value_fn=lambda device: device.fan.state.value if device.fan and device.fan.state else None,
        exists_fn=lambda device: device.fan is not None,
        available_fn=_fan_reports,
    ),
    DeviceSensorDescription(
        key="fan_set_temperature",
        translation_key="fan_set_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        value_fn=lambda device: device.fan.set_temperature if device.fan else None,
        exists_fn=lambda device: device.fan is not None,
        available_fn=_fan_reports,
        unit_fn=_fan_unit,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrillStatsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for every thermometer and probe, now and as they appear."""
    async_add_grill_stats_entities(
        entry,
        async_add_entities,
        devices={DeviceSensor: DEVICE_SENSORS},
        probes={ProbeSensor: PROBE_SENSORS, CookSensor: COOK_SENSORS},
    )


class DeviceSensor(GrillStatsDeviceEntity, SensorEntity):
    """A sensor of a whole thermometer."""

    entity_description: DeviceSensorDescription

    @property
    @override
    def native_value(self) -> SensorValue:
        """The value, or None when unknown."""
        return self.entity_description.value_fn(device) if (device := self.device) else None

    @property
    @override
    def native_unit_of_measurement(self) -> str | None:
        """The unit the cloud reports (Home Assistant converts for display)."""
        if (unit_fn := self.entity_description.unit_fn) is not None:
            device = self.device
            return unit_fn(device) if device else None
        return self.entity_description.native_unit_of_measurement
