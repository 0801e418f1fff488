"""Binary sensors: online, charging, probe connected, cloud alarms going off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined]
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from grillstats.analytics import CORE
from grillstats.thermoworks import BatteryState, Channel, Device

from .coordinator import GrillStatsConfigEntry
from .entity import (
    GrillStatsDeviceDescription,
    GrillStatsDeviceEntity,
    GrillStatsProbeDescription,
    GrillStatsProbeEntity,
    async_add_grill_stats_entities,
)
from .probe_sensor import app_alarm

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DeviceBinarySensorDescription(BinarySensorEntityDescription, GrillStatsDeviceDescription):
    """A binary sensor of a whole thermometer."""

    value_fn: Callable[[Device], bool | None]


@dataclass(frozen=True, kw_only=True)
class ProbeBinarySensorDescription(BinarySensorEntityDescription, GrillStatsProbeDescription):
    """A binary sensor of one probe channel; only known while its thermometer is online.

    What an offline thermometer last said about its probes is not known now.
    """

    value_fn: Callable[[Channel], bool | None]
    available_fn: Callable[[Device, Channel], bool] = lambda device, _channel: device.online


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


def _cloud_alarm(which: str) -> ProbeBinarySensorDescription:
    """The app's own high or low alarm going off, disabled at first.

    Our threshold, and the cloud_alarm_ event the alerts fire whatever this entity is, cover
    the same.
    """
    return ProbeBinarySensorDescription(
        key=f"cloud_alarm_{which}",
        translation_key=f"cloud_alarm_{which}",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda channel: (
            current.alarming if (current := app_alarm(channel, which)) else None
        ),
        exists_fn=lambda _, channel: (
            channel.number != CORE and app_alarm(channel, which) is not None
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
    *(_cloud_alarm(which) for which in ("high", "low")),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrillStatsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add binary sensors for every thermometer and probe, now and as they appear."""
    async_add_grill_stats_entities(
        entry,
        async_add_entities,
        devices={DeviceBinarySensor: DEVICE_BINARY_SENSORS},
        probes={ProbeBinarySensor: PROBE_BINARY_SENSORS},
    )


class DeviceBinarySensor(GrillStatsDeviceEntity, BinarySensorEntity):
    """A binary sensor of a whole thermometer."""

    entity_description: DeviceBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """The state, or None when unknown."""
        return self.entity_description.value_fn(device) if (device := self.device) else None


class ProbeBinarySensor(GrillStatsProbeEntity, BinarySensorEntity):
    """A binary sensor of one probe; unavailable while its thermometer is offline."""

    entity_description: ProbeBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """The state, or None when unknown."""
        return self.entity_description.value_fn(channel) if (channel := self.channel) else None
