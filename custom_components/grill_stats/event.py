"""One event entity per probe: the same alerts as the ``grill_stats_alert`` bus event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from grillstats.thermoworks import Device

from .alerts import Alert
from .const import ALERT_TYPES, SIGNAL_ALERT
from .coordinator import GrillStatsConfigEntry, GrillStatsCoordinator
from .entity import GrillStatsEntity, GrillStatsProbeEntity, async_add_dynamic_entities

PARALLEL_UPDATES = 0

ALERT = EventEntityDescription(key="alert", translation_key="alert", event_types=list(ALERT_TYPES))


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrillStatsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an alert event entity for every probe, now and as probes appear."""

    def entities(coordinator: GrillStatsCoordinator, device: Device) -> Iterable[GrillStatsEntity]:
        for number in device.channels:
            yield ProbeAlertEvent(coordinator, device.serial, number, ALERT)

    async_add_dynamic_entities(entry, async_add_entities, entities)


class ProbeAlertEvent(GrillStatsProbeEntity, EventEntity):
    """Fires on this probe's alerts and on its thermometer's (offline, battery low)."""

    async def async_added_to_hass(self) -> None:
        """Listen for the entry's alerts; nothing fires for what happened before."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                SIGNAL_ALERT.format(entry_id=self.coordinator.config_entry.entry_id),
                self._handle_alert,
            )
        )

    @callback
    def _handle_alert(self, alert: Alert, data: dict[str, Any]) -> None:
        """Fire with the bus event's data (``type`` is also the ``event_type``)."""
        if alert.serial != self.serial or alert.probe not in (None, self.number):
            return
        self._trigger_event(alert.type, dict(data))
        self.async_write_ha_state()
