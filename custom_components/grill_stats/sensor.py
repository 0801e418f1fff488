"""Sensors: probe temperatures and humidity, battery, signal, last seen, fan, alarm set points."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

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

from grillstats.thermoworks import Alarm, Channel, Device, FanState, Unit

from .const import TEMPERATURE_UNITS
from .cook_sensor import COOK_SENSORS, CookSensor
from .coordinator import GrillStatsConfigEntry
from .entity import (
    GrillStatsEntity,
    GrillStatsProbeEntity,
    async_add_dynamic_entities,
    described_entities,
    described_probe_entities,
)
from .probes import RFX_MEAT, core_temperature, with_core

PARALLEL_UPDATES = 0

type SensorValue = float | int | str | datetime | None


@dataclass(frozen=True, kw_only=True)
class DeviceSensorDescription(SensorEntityDescription):
    """A sensor of a whole thermometer."""

    value_fn: Callable[[Device], SensorValue]
    exists_fn: Callable[[Device], bool] = lambda _: True
    unit_fn: Callable[[Device], str | None] | None = None
    available_fn: Callable[[Device], bool] | None = None
    """When set: unavailable (not merely unknown) while this says there is no live value."""


@dataclass(frozen=True, kw_only=True)
class ProbeSensorDescription(SensorEntityDescription):
    """A sensor of one probe channel."""

    value_fn: Callable[[Channel], SensorValue]
    exists_fn: Callable[[Device, Channel], bool] = lambda _device, _channel: True
    unit_fn: Callable[[Channel], Unit | None] = lambda channel: channel.unit
    """The unit of the value: the probe's, or for a set point the alarm's own."""


def _alarm_unit(channel: Channel, alarm: Alarm | None) -> Unit:
    """An alarm keeps the unit it was set in, which need not be the probe's."""
    return (alarm.units if alarm is not None else None) or channel.unit


def _alarm_value(alarm: Alarm | None) -> float | None:
    return alarm.value if alarm is not None and alarm.enabled else None


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

PROBE_SENSORS: tuple[ProbeSensorDescription, ...] = (
    ProbeSensorDescription(
        key="temperature",
        translation_key="probe_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda channel: channel.temperature,
        exists_fn=lambda _, channel: not channel.is_humidity,
    ),
    ProbeSensorDescription(
        key="humidity",
        translation_key="probe_humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=1,
        value_fn=lambda channel: channel.temperature,
        exists_fn=lambda _, channel: channel.is_humidity,
    ),
    ProbeSensorDescription(
        key="alarm_high_setpoint",
        translation_key="alarm_high_setpoint",
        device_class=SensorDeviceClass.TEMPERATURE,
        entity_category=EntityCategory.DIAGNOSTIC,
        # The app's own alarms: our high threshold and its events do the same job.
        entity_registry_enabled_default=False,
        value_fn=lambda channel: _alarm_value(channel.alarm_high),
        exists_fn=lambda _, channel: not channel.is_humidity and channel.alarm_high is not None,
        unit_fn=lambda channel: _alarm_unit(channel, channel.alarm_high),
    ),
    ProbeSensorDescription(
        key="alarm_low_setpoint",
        translation_key="alarm_low_setpoint",
        device_class=SensorDeviceClass.TEMPERATURE,
        entity_category=EntityCategory.DIAGNOSTIC,
        # The app's own alarms: our low threshold and its events do the same job.
        entity_registry_enabled_default=False,
        value_fn=lambda channel: _alarm_value(channel.alarm_low),
        exists_fn=lambda _, channel: not channel.is_humidity and channel.alarm_low is not None,
        unit_fn=lambda channel: _alarm_unit(channel, channel.alarm_low),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrillStatsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for every thermometer and probe, now and as they appear."""
    async_add_dynamic_entities(
        entry,
        async_add_entities,
        *described_entities(DEVICE_SENSORS, DeviceSensor, PROBE_SENSORS, ProbeSensor),
    )
    async_add_dynamic_entities(
        entry,
        async_add_entities,
        *described_probe_entities(COOK_SENSORS, CookSensor, with_core),
    )


class DeviceSensor(GrillStatsEntity, SensorEntity):
    """A sensor of a whole thermometer."""

    entity_description: DeviceSensorDescription

    @property
    def available(self) -> bool:
        """Unavailable once its data is gone, or (``available_fn``) without a reading."""
        device = self.device
        if device is None or not super().available:
            return False
        description = self.entity_description
        return description.exists_fn(device) and (
            description.available_fn is None or description.available_fn(device)
        )

    @property
    def native_value(self) -> SensorValue:
        """The value, or None when unknown."""
        device = self.device
        return self.entity_description.value_fn(device) if device else None

    @property
    def native_unit_of_measurement(self) -> str | None:
        """The unit the cloud reports (Home Assistant converts for display)."""
        if (unit_fn := self.entity_description.unit_fn) is not None:
            device = self.device
            return unit_fn(device) if device else None
        return self.entity_description.native_unit_of_measurement

    def shown(self) -> object:
        """Availability, value and unit."""
        return (self.available, self.native_value, self.native_unit_of_measurement)


class ProbeSensor(GrillStatsProbeEntity, SensorEntity):
    """A sensor of one probe: unavailable, never stale, when there is no trustworthy reading."""

    entity_description: ProbeSensorDescription

    @property
    def available(self) -> bool:
        """Readings are unavailable while the probe is unplugged, null or stale."""
        device, channel = self.device, self.channel
        if device is None or channel is None or not super().available:
            return False
        if not self.entity_description.exists_fn(device, channel):
            return False  # e.g. a temperature sensor of a channel that now measures humidity
        if self.entity_description.key in ("temperature", "humidity"):
            return channel.temperature is not None
        return True

    @property
    def native_value(self) -> SensorValue:
        """The reading or set point."""
        channel = self.channel
        return self.entity_description.value_fn(channel) if channel else None

    @property
    def native_unit_of_measurement(self) -> str | None:
        """The unit the cloud reports (°F or °C; % for humidity): Home Assistant converts."""
        if self.entity_description.native_unit_of_measurement is not None:
            return self.entity_description.native_unit_of_measurement
        channel = self.channel
        unit = self.entity_description.unit_fn(channel) if channel else None
        return TEMPERATURE_UNITS.get(unit) if unit else None

    def shown(self) -> object:
        """Availability, value and unit."""
        return (self.available, self.native_value, self.native_unit_of_measurement)
