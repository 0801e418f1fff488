"""Base entities: one per thermometer, or one per probe channel of a thermometer."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Protocol, override

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from grillstats.thermoworks import Channel, Device

from .const import DOMAIN
from .coordinator import GrillStatsConfigEntry, GrillStatsCoordinator
from .probes import CORE
from .probes import channel as probe_channel


class GrillStatsEntity(CoordinatorEntity[GrillStatsCoordinator]):
    """An entity of one thermometer; writes its state only when what it shows changed."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: GrillStatsCoordinator, serial: str, description: EntityDescription
    ) -> None:
        """Attach to the thermometer's device, which the coordinator has registered."""
        super().__init__(coordinator)
        self.entity_description = description
        self.serial = serial
        self._attr_unique_id = f"{serial}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, serial)})
        self._shown: object = None

    @property
    def device(self) -> Device | None:
        """This thermometer as of the last poll, or None once it left the account."""
        return self.coordinator.data.get(self.serial) if self.coordinator.data else None

    @property
    def available(self) -> bool:
        """Available while the cloud answers and the thermometer is on the account."""
        return super().available and self.device is not None

    def shown(self) -> object:
        """What the entity shows; a write happens only when this changes."""
        return self.available

    def refresh_name(self) -> bool:
        """Take up a name changed in the app; True when it did change."""
        return False

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only if what the entity shows (or its name) changed."""
        shown = self.shown()
        renamed = self.refresh_name()
        if renamed or shown != self._shown:
            self._shown = shown
            self.async_write_ha_state()

    async def async_added_to_hass(self) -> None:
        """Remember what was first written, so the next poll compares against it."""
        await super().async_added_to_hass()
        self._shown = self.shown()


class GrillStatsProbeEntity(GrillStatsEntity):
    """An entity of one probe channel, named after the probe."""

    def __init__(
        self,
        coordinator: GrillStatsCoordinator,
        serial: str,
        number: str,
        description: EntityDescription,
    ) -> None:
        """Unique id: ``{serial}_{channel}_{key}``."""
        super().__init__(coordinator, serial, description)
        self.number = number
        self._attr_unique_id = f"{serial}_{number}_{description.key}"
        channel = self.channel
        self._attr_translation_placeholders = {
            "probe": channel.name if channel else f"Probe {number}"
        }

    @property
    def channel(self) -> Channel | None:
        """This probe channel (or an RFX Meat probe's core) as of the last poll."""
        device = self.device
        return probe_channel(device, self.number) if device else None

    @override
    def refresh_name(self) -> bool:
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

    @property
    @override
    def available(self) -> bool:
        """Available while the channel exists."""
        return super().available and self.channel is not None


type EntityFactory = Callable[[GrillStatsCoordinator, Device], Iterable[GrillStatsEntity]]
type ShapeFn = Callable[[Device], Hashable]
"""What decides which entities a factory makes for a device: equal shapes, same entities."""


def device_shape(device: Device) -> Hashable:
    """The shape for factories that do not say: model, fan, channels with unit and label.

    Those factories decide on a channel's unit (humidity or temperature) and its label
    (a pit has no cook sensors), so a change of either is looked at again.
    """
    return (
        device.model,
        device.fan is not None,
        tuple((number, channel.unit, channel.label) for number, channel in device.channels.items()),
    )


class DeviceDescription(Protocol):
    """An entity description of a whole thermometer."""

    @property
    def exists_fn(self) -> Callable[[Device], bool]:
        """Whether this thermometer has the entity."""


class ProbeDescription(Protocol):
    """An entity description of one probe channel."""

    @property
    def exists_fn(self) -> Callable[[Device, Channel], bool]:
        """Whether this channel of this thermometer has the entity (see probes.role)."""


def described_entities[DD: DeviceDescription, PD: ProbeDescription](
    device_descriptions: Iterable[DD],
    device_entity: Callable[[GrillStatsCoordinator, str, DD], GrillStatsEntity],
    probe_descriptions: Iterable[PD],
    probe_entity: Callable[[GrillStatsCoordinator, str, str, PD], GrillStatsEntity],
) -> tuple[EntityFactory, ShapeFn]:
    """A factory making a platform's entities from its descriptions, and its shape.

    The shape is every description's ``exists_fn`` answer (and each channel's unit), so an
    entity whose data was missing when its device was first seen appears once it is there.
    """
    device_descriptions = tuple(device_descriptions)
    probe_factory, probe_shape = described_probe_entities(probe_descriptions, probe_entity)

    def factory(coordinator: GrillStatsCoordinator, device: Device) -> Iterator[GrillStatsEntity]:
        for description in device_descriptions:
            if description.exists_fn(device):
                yield device_entity(coordinator, device.serial, description)
        yield from probe_factory(coordinator, device)

    def shape(device: Device) -> Hashable:
        return (
            tuple(description.exists_fn(device) for description in device_descriptions),
            probe_shape(device),
        )

    return factory, shape


def described_probe_entities[PD: ProbeDescription](
    descriptions: Iterable[PD],
    entity: Callable[[GrillStatsCoordinator, str, str, PD], GrillStatsEntity],
    channels_fn: Callable[[Device], Mapping[str, Channel]] = lambda device: device.channels,
) -> tuple[EntityFactory, ShapeFn]:
    """:func:`described_entities` for probe entities alone (cook sensors, thresholds).

    ``channels_fn`` picks the channels looked at (``probes.with_core``: an RFX Meat's core too).
    """
    descriptions = tuple(descriptions)

    def factory(coordinator: GrillStatsCoordinator, device: Device) -> Iterator[GrillStatsEntity]:
        for number, channel in channels_fn(device).items():
            for description in descriptions:
                if description.exists_fn(device, channel):
                    yield entity(coordinator, device.serial, number, description)

    def shape(device: Device) -> Hashable:
        return tuple(
            (number, channel.unit, tuple(d.exists_fn(device, channel) for d in descriptions))
            for number, channel in channels_fn(device).items()
        )

    return factory, shape


def async_add_dynamic_entities(
    entry: GrillStatsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: EntityFactory,
    shape: ShapeFn = device_shape,
) -> None:
    """Add the entities of every device now, and those of new devices and probes later.

    Entity objects are only built for a device whose shape changed, so a steady poll costs
    a comparison per device, not hundreds of new objects. Entities are never taken away
    here: one whose data went missing is unavailable (see ``exists_fn`` in the platforms).
    A probe gets its entities once it has been plugged in (``coordinator.plugged``): an empty
    socket is no probe, and plugging one in later adds them.
    """
    coordinator = entry.runtime_data.coordinator
    shapes: dict[str, Hashable] = {}
    known: dict[str, set[str]] = {}

    def wanted(entity: GrillStatsEntity) -> bool:
        if not isinstance(entity, GrillStatsProbeEntity):
            return True
        if entity.number == CORE:  # an RFX Meat's core: once any of its points was plugged
            return bool(coordinator.plugged_numbers(entity.serial))
        return entity.number in coordinator.plugged_numbers(entity.serial)

    @callback
    def add_new() -> None:
        devices = coordinator.data or {}
        # Left the account (it may come back); one unreadable this poll has not left.
        for serial in shapes.keys() - devices.keys() - coordinator.unreadable:
            del shapes[serial]
            known.pop(serial, None)
        new: list[GrillStatsEntity] = []
        for serial, device in devices.items():
            current = (shape(device), coordinator.plugged_numbers(serial))
            if shapes.get(serial) == current:
                continue
            shapes[serial] = current
            seen = known.setdefault(serial, set())
            for entity in factory(coordinator, device):
                if entity.unique_id and entity.unique_id not in seen and wanted(entity):
                    seen.add(entity.unique_id)
                    new.append(entity)
        if new:
            async_add_entities(new)

    add_new()
    entry.async_on_unload(coordinator.async_add_listener(add_new))
