"""One event entity per probe: the same alerts as the ``grill_stats_alert`` bus event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from grillstats.analytics import Alert

from .const import ALERT_TYPES, SIGNAL_ALERT
from .coordinator import GrillStatsConfigEntry
from .entity import (
    GrillStatsProbeDescription,
    GrillStatsProbeEntity,
    async_add_grill_stats_entities,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class AlertEventDescription(EventEntityDescription, GrillStatsProbeDescription):
    """A probe's alert events: every channel but an RFX Meat's core has one."""


ALERT = AlertEventDescription(key="alert", translation_key="alert", event_types=list(ALERT_TYPES))


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrillStatsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an alert event entity for every probe, now and as probes appear."""
    async_add_grill_stats_entities(entry, async_add_entities, probes={ProbeAlertEvent: (ALERT,)})


class ProbeAlertEvent(GrillStatsProbeEntity, EventEntity):
    """Fires on this probe's alerts and on its thermometer's (offline, battery low)."""

    entity_description: AlertEventDescription

    @override
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
        if alert.serial != self.serial or alert.probe not in (None, self.channel_number):
            return
        self._trigger_event(alert.type, dict(data))
        self.async_write_ha_state()
