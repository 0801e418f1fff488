"""What the cook dashboard shows, read from the registries: thermometers, probes, entities.

Entities are found by their unique id (``{serial}_{key}`` for a thermometer,
``{serial}_{channel}_{key}`` for a probe), so whatever the user renamed them to, they are
found; a disabled entity, or one that never existed for a probe (cook sensors on a pit), is
not in the registry's enabled entries and so not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from grillstats.analytics import CORE

from .const import DOMAIN

MEAT_KEYS: Final = ("cook_phase", "time_to_target")
"""A probe with either is a meat probe (the cook sensors exist for those alone)."""
READING_KEYS: Final = ("temperature", "humidity")


@dataclass
class Probe:
    """One channel's enabled entities, by their description key."""

    channel: str
    name: str
    entities: dict[str, str] = field(default_factory=dict)

    @property
    def is_meat(self) -> bool:
        """Whether it has cook sensors."""
        return any(key in self.entities for key in MEAT_KEYS)


@dataclass
class Thermometer:
    """One device's enabled entities, its probes, and RFX meat probes linked to it."""

    device: dr.DeviceEntry
    serial: str
    entities: dict[str, str] = field(default_factory=dict)
    probes: dict[str, Probe] = field(default_factory=dict)
    linked: list[Thermometer] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The name the user sees: theirs, else the cloud's, else the serial."""
        return self.device.name_by_user or self.device.name or self.serial

    def sorted_probes(self) -> list[Probe]:
        """By channel number (1, 2, … 10), the core last."""
        return sorted(
            self.probes.values(), key=lambda p: (not p.channel.isdigit(), len(p.channel), p.channel)
        )


def registered_thermometers(hass: HomeAssistant, entry_ids: Iterable[str]) -> list[Thermometer]:
    """Every Grill Stats device of the entries, by name, with its enabled entities."""
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    found: dict[str, Thermometer] = {}
    for entry_id in entry_ids:
        for device in dr.async_entries_for_config_entry(devices, entry_id):
            serial = next((ident for domain, ident in device.identifiers if domain == DOMAIN), None)
            if serial is None:
                continue
            thermometer = found[device.id] = Thermometer(device=device, serial=serial)
            for entity in er.async_entries_for_device(entities, device.id):
                if entity.platform == DOMAIN and entity.config_entry_id == entry_id:
                    _add_entity(thermometer, entity)
    for thermometer in found.values():
        parent = found.get(thermometer.device.via_device_id or "")
        if parent is not None:
            parent.linked.append(thermometer)
    return sorted(found.values(), key=lambda t: (t.name.casefold(), t.serial))


def _add_entity(thermometer: Thermometer, entity: er.RegistryEntry) -> None:
    """File an entity under its thermometer or probe by its unique id's key."""
    rest = entity.unique_id.removeprefix(f"{thermometer.serial}_")
    if rest == entity.unique_id:
        return  # not one of this thermometer's
    channel, _, key = rest.partition("_")
    if not (channel.isdigit() or channel == CORE) or not key:
        thermometer.entities[rest] = entity.entity_id
        return
    probe = thermometer.probes.get(channel)
    if probe is None:
        name = f"Probe {channel}" if channel.isdigit() else channel.capitalize()
        probe = thermometer.probes[channel] = Probe(channel=channel, name=name)
    probe.entities[key] = entity.entity_id
    if key in READING_KEYS and channel.isdigit():  # named after the probe alone: "Brisket Flat"
        probe.name = entity.name or entity.original_name or probe.name
