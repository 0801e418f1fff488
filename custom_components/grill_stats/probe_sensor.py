"""Sensors of one probe channel: its temperature or humidity, and the app's alarm set points."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory

from grillstats.analytics import CORE
from grillstats.thermoworks import Alarm, Channel, Device, Unit

from .const import TEMPERATURE_UNITS
from .entity import GrillStatsProbeDescription, GrillStatsProbeEntity

type SensorValue = float | int | str | datetime | None


@dataclass(frozen=True, kw_only=True)
class ProbeSensorDescription(SensorEntityDescription, GrillStatsProbeDescription):
    """A sensor of one probe channel."""

    value_fn: Callable[[Channel], SensorValue]
    unit_fn: Callable[[Channel], Unit | None] = lambda channel: channel.unit
    """The unit of the value: the probe's, or for a set point the alarm's own."""


def _has_reading(_device: Device, channel: Channel) -> bool:
    """A reading is unavailable while the probe is unplugged, null or stale."""
    return channel.temperature is not None


def _alarm_unit(channel: Channel, alarm: Alarm | None) -> Unit:
    """An alarm keeps the unit it was set in, which need not be the probe's."""
    return (alarm.units if alarm is not None else None) or channel.unit


def _alarm_value(alarm: Alarm | None) -> float | None:
    return alarm.value if alarm is not None and alarm.enabled else None


def app_alarm(channel: Channel, which: str) -> Alarm | None:
    """The channel's high or low alarm as set in the ThermoWorks app."""
    return channel.alarm_high if which == "high" else channel.alarm_low


def _setpoint(which: str) -> ProbeSensorDescription:
    """The app's own high or low alarm set point, disabled at first.

    Our threshold and its events do the same job.
    """
    return ProbeSensorDescription(
        key=f"alarm_{which}_setpoint",
        translation_key=f"alarm_{which}_setpoint",
        device_class=SensorDeviceClass.TEMPERATURE,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda channel: _alarm_value(app_alarm(channel, which)),
        exists_fn=lambda _, channel: (
            channel.number != CORE
            and not channel.is_humidity
            and app_alarm(channel, which) is not None
        ),
        unit_fn=lambda channel: _alarm_unit(channel, app_alarm(channel, which)),
    )


PROBE_SENSORS: tuple[ProbeSensorDescription, ...] = (
    ProbeSensorDescription(
        key="temperature",
        translation_key="probe_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda channel: channel.temperature,
        exists_fn=lambda _, channel: channel.number != CORE and not channel.is_humidity,
        available_fn=_has_reading,
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
        available_fn=_has_reading,
    ),
    *(_setpoint(which) for which in ("high", "low")),
)


class ProbeSensor(GrillStatsProbeEntity, SensorEntity):
    """A sensor of one probe: unavailable, never stale, when there is no trustworthy reading."""

    entity_description: ProbeSensorDescription

    @property
    @override
    def native_value(self) -> SensorValue:
        """The reading or set point."""
        return self.entity_description.value_fn(channel) if (channel := self.channel) else None

    @property
    @override
    def native_unit_of_measurement(self) -> str | None:
        """The unit the cloud reports (°F or °C; % for humidity): Home Assistant converts."""
        if self.entity_description.native_unit_of_measurement is not None:
            return self.entity_description.native_unit_of_measurement
        channel = self.channel
        unit = self.entity_description.unit_fn(channel) if channel else None
        return TEMPERATURE_UNITS.get(unit) if unit else None
