"""A cook dashboard (a Lovelace config) for the Grill Stats devices of loaded entries.

Built from the device and entity registries alone: entities are found by their unique id
(``{serial}_{key}`` for a thermometer, ``{serial}_{channel}_{key}`` for a probe), so whatever
the user renamed them to, they are found; a disabled entity, or one that never existed for a
probe (cook sensors on a pit), is left out. Core cards only, so any Home Assistant shows it
without frontend add-ons. The live cook comes first (meat probes: those with cook sensors),
then the pits against their meat, then the alerts, then a health view per thermometer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from .const import DOMAIN

type Card = dict[str, Any]

DEFAULT_TITLE: Final = "Grill Stats"
VIEW_PATHS: Final = ("cook", "health")
"""The views' paths: how a dashboard Grill Stats wrote is told from the user's own."""
HISTORY_HOURS: Final = 6
ALERT_HOURS: Final = 12
MEAT_KEYS: Final = ("cook_phase", "time_to_target")
"""A probe with either is a meat probe (the cook sensors exist for those alone)."""
READING_KEYS: Final = ("temperature", "humidity")
CORE: Final = "core"
"""An RFX Meat probe's core, a channel of its own: ``{serial}_core_target``, ``…_temperature``."""


@dataclass
class _Probe:
    """One channel's enabled entities, by their description key."""

    number: str
    name: str
    entities: dict[str, str] = field(default_factory=dict)

    @property
    def is_meat(self) -> bool:
        return any(key in self.entities for key in MEAT_KEYS)


@dataclass
class _Thermometer:
    """One device's enabled entities, its probes, and RFX meat probes linked to it."""

    device: dr.DeviceEntry
    serial: str
    entities: dict[str, str] = field(default_factory=dict)
    probes: dict[str, _Probe] = field(default_factory=dict)
    linked: list[_Thermometer] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.device.name_by_user or self.device.name or self.serial

    def sorted_probes(self) -> list[_Probe]:
        """By channel number (1, 2, … 10), the core last."""
        return sorted(
            self.probes.values(), key=lambda p: (not p.number.isdigit(), len(p.number), p.number)
        )


def build_dashboard(
    hass: HomeAssistant, entry_ids: Iterable[str], title: str = DEFAULT_TITLE
) -> dict[str, Any]:
    """The dashboard config for the entries' thermometers, as the registries have them now."""
    thermometers = _thermometers(hass, entry_ids)
    return {
        "title": title,
        "views": [
            {
                "title": "Cook",
                "path": VIEW_PATHS[0],
                "icon": "mdi:grill",
                "type": "sections",
                "max_columns": 4,
                "sections": _cook_sections(thermometers),
            },
            {
                "title": "Health",
                "path": VIEW_PATHS[1],
                "icon": "mdi:heart-pulse",
                "type": "sections",
                "max_columns": 4,
                "sections": _health_sections(thermometers),
            },
        ],
    }


def _thermometers(hass: HomeAssistant, entry_ids: Iterable[str]) -> list[_Thermometer]:
    """Every Grill Stats device of the entries, by name, with its enabled entities."""
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    found: dict[str, _Thermometer] = {}
    for entry_id in entry_ids:
        for device in dr.async_entries_for_config_entry(devices, entry_id):
            serial = next((ident for domain, ident in device.identifiers if domain == DOMAIN), None)
            if serial is None:
                continue
            thermometer = found[device.id] = _Thermometer(device=device, serial=serial)
            for entity in er.async_entries_for_device(entities, device.id):
                if entity.platform == DOMAIN and entity.config_entry_id == entry_id:
                    _add_entity(thermometer, entity)
    for thermometer in found.values():
        parent = found.get(thermometer.device.via_device_id or "")
        if parent is not None:
            parent.linked.append(thermometer)
    return sorted(found.values(), key=lambda t: (t.name.casefold(), t.serial))


def _add_entity(thermometer: _Thermometer, entity: er.RegistryEntry) -> None:
    """File an entity under its thermometer or probe by its unique id's key."""
    rest = entity.unique_id.removeprefix(f"{thermometer.serial}_")
    if rest == entity.unique_id:
        return  # not one of this thermometer's
    number, _, key = rest.partition("_")
    if not (number.isdigit() or number == CORE) or not key:
        thermometer.entities[rest] = entity.entity_id
        return
    probe = thermometer.probes.get(number)
    if probe is None:
        name = f"Probe {number}" if number.isdigit() else number.capitalize()
        probe = thermometer.probes[number] = _Probe(number=number, name=name)
    probe.entities[key] = entity.entity_id
    if key in READING_KEYS and number.isdigit():  # named after the probe alone: "Brisket Flat"
        probe.name = entity.name or entity.original_name or probe.name


def _tile(entity_id: str | None, name: str) -> list[Card]:
    return [{"type": "tile", "entity": entity_id, "name": name}] if entity_id else []


def _row(entity_id: str | None, name: str) -> list[Card]:
    return [{"entity": entity_id, "name": name}] if entity_id else []


def _entities_card(rows: list[Card], title: str | None = None) -> list[Card]:
    if not rows:
        return []
    card: Card = {"type": "entities", "state_color": True, "entities": rows}
    return [{**card, "title": title} if title else card]


def _section(heading: str, cards: list[Card], icon: str | None = None) -> Card:
    title: Card = {"type": "heading", "heading": heading, "heading_style": "title"}
    return {"type": "grid", "cards": [{**title, "icon": icon} if icon else title, *cards]}


def _meat_section(thermometer: _Thermometer, probe: _Probe) -> Card:
    """Temperature, cook phase (the stall), time to target with its range, the target."""
    entities = probe.entities
    eta = entities.get("time_to_target")
    rows = [
        *_row(entities.get("target"), "Target"),
        *(
            {"type": "attribute", "entity": eta, "attribute": bound, "name": name, "format": "time"}
            for bound, name in (("earliest", "Earliest"), ("latest", "Latest"))
            if eta
        ),
        *_row(entities.get("rate_of_change"), "Rate of change"),
    ]
    cards = [
        *_tile(entities.get("temperature"), "Temperature"),
        *_tile(entities.get("cook_phase"), "Cook phase"),
        *_tile(eta, "Time to target"),
        *_entities_card(rows),
    ]
    return _section(f"{thermometer.name} · {probe.name}", cards, "mdi:food-steak")


def _readings(probes: Iterable[_Probe]) -> list[str]:
    return [
        entity_id
        for probe in probes
        for key in READING_KEYS
        if (entity_id := probe.entities.get(key))
    ]


def _linked_meat(thermometer: _Thermometer) -> list[str]:
    """What a linked device (an RFX Meat probe) adds to its gateway's graph: its meat (core)."""
    probes = thermometer.sorted_probes()
    return _readings([probe for probe in probes if probe.is_meat] or probes)


def _pit_section(thermometer: _Thermometer) -> Card | None:
    """The pit (and other non-meat channels), its thresholds and fan, against the meat."""
    others = [probe for probe in thermometer.sorted_probes() if not probe.is_meat]
    tiles = [
        tile
        for probe in others
        for key in READING_KEYS
        for tile in _tile(probe.entities.get(key), probe.name)
    ]
    rows = [
        row
        for probe in others
        for key, what in (("high", "high threshold"), ("low", "low threshold"))
        for row in _row(probe.entities.get(key), f"{probe.name} {what}")
    ]
    rows += _row(thermometer.entities.get("fan_state"), "Fan")
    rows += _row(thermometer.entities.get("fan_set_temperature"), "Fan set temperature")
    # Pits first, so the graph's first line is what the meat heats against.
    meat = [probe for probe in thermometer.sorted_probes() if probe.is_meat]
    graphed = _readings([*others, *meat])
    graphed += [entity_id for linked in thermometer.linked for entity_id in _linked_meat(linked)]
    if not graphed:
        return None
    history: Card = {
        "type": "history-graph",
        "title": f"Last {HISTORY_HOURS} hours",
        "hours_to_show": HISTORY_HOURS,
        "entities": graphed,
    }
    return _section(thermometer.name, [*tiles, *_entities_card(rows), history], "mdi:grill")


def _cook_sections(thermometers: list[_Thermometer]) -> list[Card]:
    meat = [
        _meat_section(thermometer, probe)
        for thermometer in thermometers
        for probe in thermometer.sorted_probes()
        if probe.is_meat
    ]
    linked = {id(linked) for thermometer in thermometers for linked in thermometer.linked}
    pits = [
        section
        for thermometer in thermometers
        if id(thermometer) not in linked and (section := _pit_section(thermometer))
    ]
    alerts = [
        entity_id
        for thermometer in thermometers
        for probe in thermometer.sorted_probes()
        if (entity_id := probe.entities.get("alert"))
    ]
    logbook: list[Card] = (
        [{"type": "logbook", "hours_to_show": ALERT_HOURS, "target": {"entity_id": alerts}}]
        if alerts
        else []
    )
    return [*meat, *pits, *([_section("Alerts", logbook, "mdi:bell-ring")] if logbook else [])]


def _health_sections(thermometers: list[_Thermometer]) -> list[Card]:
    """Battery, charging, signal, online and last upload of every thermometer."""
    cards: list[Card] = []
    for thermometer in thermometers:
        entities = thermometer.entities
        rows = [
            *_row(entities.get("battery"), "Battery"),
            *_row(entities.get("battery_charging"), "Charging"),
            *_row(entities.get("signal_strength"), "Signal"),
            *_row(entities.get("online"), "Online"),
            *_row(entities.get("last_seen"), "Last seen"),
        ]
        if rows:
            cards.append(
                {"type": "glance", "title": thermometer.name, "state_color": True, "entities": rows}
            )
    return [_section("Thermometers", cards, "mdi:thermometer")] if cards else []
