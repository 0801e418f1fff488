"""A cook dashboard (a Lovelace config) for the Grill Stats devices of loaded entries.

Built from the device and entity registries alone (see :mod:`.dashboard_entities`): a
disabled entity, or one that never existed for a probe (cook sensors on a pit), is left out.
Core cards only, so any Home Assistant shows it
without frontend add-ons. The live cook comes first (meat probes: those with cook sensors),
then the pits against their meat, then the alerts, then a health view per thermometer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from homeassistant.core import HomeAssistant

from .dashboard_entities import READING_KEYS, Probe, Thermometer, registered_thermometers

type Card = dict[str, Any]

DEFAULT_TITLE: Final = "Grill Stats"
VIEW_PATHS: Final = ("cook", "health")
"""The views' paths: how a dashboard Grill Stats wrote is told from the user's own."""
HISTORY_HOURS: Final = 6
ALERT_HOURS: Final = 12


def build_dashboard(
    hass: HomeAssistant, entry_ids: Iterable[str], title: str = DEFAULT_TITLE
) -> dict[str, Any]:
    """The dashboard config for the entries' thermometers, as the registries have them now."""
    thermometers = registered_thermometers(hass, entry_ids)
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


def _meat_section(thermometer: Thermometer, probe: Probe) -> Card:
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


def _readings(probes: Iterable[Probe]) -> list[str]:
    return [
        entity_id
        for probe in probes
        for key in READING_KEYS
        if (entity_id := probe.entities.get(key))
    ]


def _linked_meat(thermometer: Thermometer) -> list[str]:
    """What a linked device (an RFX Meat probe) adds to its gateway's graph: its meat (core)."""
    probes = thermometer.sorted_probes()
    return _readings([probe for probe in probes if probe.is_meat] or probes)


def _pit_section(thermometer: Thermometer) -> Card | None:
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


def _cook_sections(thermometers: list[Thermometer]) -> list[Card]:
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


def _health_sections(thermometers: list[Thermometer]) -> list[Card]:
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
