"""Binary sensors: online, charging, probe connected, cloud alarms going off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined]
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from grillstats.thermoworks import BatteryState, Channel, Device

from .coordinator import GrillStatsConfigEntry
from .entity import (
    GrillStatsEntity,
    GrillStatsProbeEntity,
    async_add_dynamic_entities,
    described_entities,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DeviceBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor of a whole thermometer."""

    value_fn: Callable[[Device], bool | None]
    exists_fn: Callable[[Device], bool] = lambda _: True


@dataclass(frozen=True, kw_only=True)
class ProbeBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor of one probe channel; only known while its thermometer is online."""

    value_fn: Callable[[Channel], bool | None]
    exists_fn: Callable[[Device, Channel], bool] = lambda _device, _channel: True


DEVICE_BINARY_SENSORS: tuple[DeviceBinarySensorDescription, ...] = (
    DeviceBinarySensorDescription(
        key="online",
        translation_key="online",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda device: device.online,
    ),
    DeviceBinarySensorDescription(
        key="battery_charging",
        device_class=BinarySensorDeviceClass.BATTERY_CHARGING,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda device: device.charging,
        exists_fn=lambda device: device.battery_state is not BatteryState.UNKNOWN,
    ),
)

PROBE_BINARY_SENSORS: tuple[ProbeBinarySensorDescription, ...] = (
    ProbeBinarySensorDescription(
        key="connected",
        translation_key="probe_connected",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda channel: channel.connected,
    ),
    ProbeBinarySensorDescription(
        key="cloud_alarm_high",
        translation_key="cloud_alarm_high",
        # The app's own alarm: our high threshold (and the cloud_alarm_high event, which
        # the alerts fire whatever this entity is) cover the same.
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda channel: channel.alarm_high.alarming if channel.alarm_high else None,
        exists_fn=lambda _, channel: channel.alarm_high is not None,
    ),
    ProbeBinarySensorDescription(
        key="cloud_alarm_low",
        translation_key="cloud_alarm_low",
        # The app's own alarm: our low threshold (and the cloud_alarm_low event, which
        # the alerts fire whatever this entity is) cover the same.
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda channel: channel.alarm_low.alarming if channel.alarm_low else None,
        exists_fn=lambda _, channel: channel.alarm_low is not None,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrillStatsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add binary sensors for every thermometer and probe, now and as they appear."""
    async_add_dynamic_entities(
        entry,
        async_add_entities,
        *described_entities(
            DEVICE_BINARY_SENSORS, DeviceBinarySensor, PROBE_BINARY_SENSORS, ProbeBinarySensor
        ),
    )


class DeviceBinarySensor(GrillStatsEntity, BinarySensorEntity):
    """A binary sensor of a whole thermometer."""

    entity_description: DeviceBinarySensorDescription

    @property
    def available(self) -> bool:
        """Unavailable once the thermometer stops reporting what this shows."""
        device = self.device
        return (
            super().available and device is not None and self.entity_description.exists_fn(device)
        )

    @property
    def is_on(self) -> bool | None:
        """The state, or None when unknown."""
        device = self.device
        return self.entity_description.value_fn(device) if device else None

    def shown(self) -> object:
        """Availability and state."""
        return (self.available, self.is_on)


class ProbeBinarySensor(GrillStatsProbeEntity, BinarySensorEntity):
    """A binary sensor of one probe; unavailable while its thermometer is offline."""

    entity_description: ProbeBinarySensorDescription

    @property
    def available(self) -> bool:
        """What an offline thermometer last said about its probes is not known now."""
        device = self.device
        channel = self.channel
        return (
            super().available
            and device is not None
            and device.online
            and channel is not None
            and self.entity_description.exists_fn(device, channel)
        )

    @property
    def is_on(self) -> bool | None:
        """The state, or None when unknown."""
        channel = self.channel
        return self.entity_description.value_fn(channel) if channel else None

    def shown(self) -> object:
        """Availability and state."""
        return (self.available, self.is_on)
