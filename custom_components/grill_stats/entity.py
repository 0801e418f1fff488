"""Base entities (a whole thermometer, or one probe channel) and how they are added."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, override

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.number import NumberEntity
from homeassistant.components.sensor import SensorEntity
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from grillstats.analytics import CORE
from grillstats.analytics.roles import find_channel, with_core
from grillstats.thermoworks import Channel, Device

from .const import DOMAIN
from .coordinator import GrillStatsConfigEntry, GrillStatsCoordinator

type EntityKey = tuple[str, str | None, str]
"""An entity by serial, channel (``None``: the whole thermometer) and description key."""


@dataclass(frozen=True, kw_only=True)
class GrillStatsDeviceDescription(EntityDescription):
    """An entity of a whole thermometer."""

    exists_fn: Callable[[Device], bool] = lambda _: True
    """Whether the thermometer has it: made once true, unavailable while false."""
    available_fn: Callable[[Device], bool] = lambda _: True
    """Whether it has a live value now (unavailable, not merely unknown, while false)."""


@dataclass(frozen=True, kw_only=True)
class GrillStatsProbeDescription(EntityDescription):
    """An entity of one probe channel (or an RFX Meat probe's core)."""

    exists_fn: Callable[[Device, Channel], bool] = lambda _device, channel: channel.number != CORE
    """Whether the channel has it (see grillstats.analytics.roles): made once true."""
    available_fn: Callable[[Device, Channel], bool] = lambda _device, _channel: True
    """Whether it has a live value now."""


class GrillStatsEntity(CoordinatorEntity[GrillStatsCoordinator]):
    """An entity of one thermometer; writes its state only when what it shows changed."""

    _attr_has_entity_name = True
    _follows_cloud: ClassVar[bool] = True
    """Unavailable while the cloud does not answer (not so a threshold one can set)."""

    def __init__(self, coordinator: GrillStatsCoordinator, serial: str, unique_id: str) -> None:
        """Attach to the thermometer's device, which the coordinator has registered."""
        super().__init__(coordinator)
        self.serial = serial
        self._attr_unique_id = unique_id
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, serial)})
        self._shown: object = None

    @property
    def device(self) -> Device | None:
        """This thermometer as of the last poll, or None once it left the account."""
        return self.coordinator.data.get(self.serial) if self.coordinator.data else None

    def _present(self) -> bool:
        """Whether what this entity shows is there in the last poll."""
        return self.device is not None

    @property
    @override
    def available(self) -> bool:
        """Available while the cloud answers and what the entity shows is there."""
        return (not self._follows_cloud or super().available) and self._present()

    def _fingerprint(self) -> object:
        """What the entity shows (a write happens only when this changes).

        Taken from the native values Home Assistant formats its state from: formatting them
        (unit conversion, rounding) for every entity of a poll costs more than the writes
        it saves. A change of the display unit in the registry writes the state by itself.
        """
        if not self.available:
            return None
        shown: object
        if isinstance(self, BinarySensorEntity):
            shown = self.is_on
        elif isinstance(self, SensorEntity | NumberEntity):
            shown = (self.native_value, self.native_unit_of_measurement)
        else:
            shown = self.state
        return (shown, self.extra_state_attributes)

    def _refresh_name(self) -> bool:
        """Take up a name changed in the app; True when it did change."""
        return False

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Write the state only if what the entity shows (or its name) changed."""
        shown = self._fingerprint()
        renamed = self._refresh_name()
        if renamed or shown != self._shown:
            self._shown = shown
            self.async_write_ha_state()

    @override
    async def async_added_to_hass(self) -> None:
        """Remember what was first written, so the next poll compares against it."""
        await super().async_added_to_hass()
        self._shown = self._fingerprint()


class GrillStatsDeviceEntity(GrillStatsEntity):
    """An entity of a whole thermometer; unique id ``{serial}_{key}``."""

    entity_description: GrillStatsDeviceDescription

    def __init__(
        self,
        coordinator: GrillStatsCoordinator,
        serial: str,
        description: GrillStatsDeviceDescription,
    ) -> None:
        """Describe the entity by ``description``."""
        super().__init__(coordinator, serial, f"{serial}_{description.key}")
        self.entity_description = description

    @override
    def _present(self) -> bool:
        device = self.device
        description = self.entity_description
        return (
            device is not None
            and description.exists_fn(device)
            and description.available_fn(device)
        )


class GrillStatsProbeEntity(GrillStatsEntity):
    """An entity of one probe channel, named after the probe; ``{serial}_{channel}_{key}``."""

    entity_description: GrillStatsProbeDescription

    def __init__(
        self,
        coordinator: GrillStatsCoordinator,
        serial: str,
        channel: str,
        description: GrillStatsProbeDescription,
    ) -> None:
        """Name the entity after the probe's label as the cloud has it now."""
        super().__init__(coordinator, serial, f"{serial}_{channel}_{description.key}")
        self.entity_description = description
        self.channel_number = channel
        current = self.channel
        self._attr_translation_placeholders = {
            "probe": current.name if current else f"Probe {channel}"
        }

    @property
    def channel(self) -> Channel | None:
        """This probe channel (or an RFX Meat probe's core) as of the last poll."""
        device = self.device
        return find_channel(device, self.channel_number) if device else None

    @property
    def probe_key(self) -> tuple[str, str]:
        """The probe for the alert tracker: serial and channel."""
        return (self.serial, self.channel_number)

    @override
    def _present(self) -> bool:
        device, channel = self.device, self.channel
        if device is None or channel is None:
            return False
        description = self.entity_description
        return description.exists_fn(device, channel) and description.available_fn(device, channel)

    @override
    def _refresh_name(self) -> bool:
        """Follow the probe's label: renaming it in the ThermoWorks app renames it here."""
        channel = self.channel
        if channel is None or channel.name == self._attr_translation_placeholders["probe"]:
            return False
        self._attr_translation_placeholders = {"probe": channel.name}
        # Home Assistant caches the name it builds from the placeholders (a cached
        # property), and setting them does not clear that cache: drop it, so the new
        # name reaches the state's friendly_name and the registry's original_name.
        self.__dict__.pop("name", None)
        return True


def async_add_grill_stats_entities(
    entry: GrillStatsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    *,
    devices: Mapping[type[GrillStatsDeviceEntity], Sequence[GrillStatsDeviceDescription]]
    | None = None,
    probes: Mapping[type[GrillStatsProbeEntity], Sequence[GrillStatsProbeDescription]]
    | None = None,
) -> None:
    """Add a platform's entities for every device now, and for new devices and probes later.

    Each entity class is made for each of its descriptions whose ``exists_fn`` says so, once
    per ``(serial, channel, key)``. Entities are never taken away here: one whose data went
    missing is unavailable. A probe gets its entities once it has been plugged in: an empty
    socket is no probe, and plugging one in later adds them.
    """
    coordinator = entry.runtime_data.coordinator
    known: set[EntityKey] = set()

    def new_entities(serial: str, device: Device) -> list[GrillStatsEntity]:
        new: list[GrillStatsEntity] = []
        for device_class, device_descriptions in (devices or {}).items():
            for description in device_descriptions:
                key: EntityKey = (serial, None, description.key)
                if key not in known and description.exists_fn(device):
                    known.add(key)
                    new.append(device_class(coordinator, serial, description))
        plugged = coordinator.plugged.channels(serial)
        for channel_number, channel in with_core(device).items():
            # An RFX Meat's core: once any of its points was plugged.
            if not (plugged if channel_number == CORE else channel_number in plugged):
                continue
            for probe_class, probe_descriptions in (probes or {}).items():
                for probe_description in probe_descriptions:
                    key = (serial, channel_number, probe_description.key)
                    if key not in known and probe_description.exists_fn(device, channel):
                        known.add(key)
                        new.append(
                            probe_class(coordinator, serial, channel_number, probe_description)
                        )
        return new

    @callback
    def add_new() -> None:
        data = coordinator.data or {}
        # Left the account (it may come back); one unreadable this poll has not left.
        gone = {key for key in known if key[0] not in data and key[0] not in coordinator.unreadable}
        known.difference_update(gone)
        new = [entity for serial, device in data.items() for entity in new_entities(serial, device)]
        if new:
            async_add_entities(new)

    add_new()
    entry.async_on_unload(coordinator.async_add_listener(add_new))
