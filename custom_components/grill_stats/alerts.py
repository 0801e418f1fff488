"""Alerts in Home Assistant: the tracker's state kept in a Store, its alerts fired.

Each alert becomes one ``grill_stats_alert`` bus event and is handed to the probes' event
entities. The tracker's state is written 10 s after a poll changed it, so a restart never fires
a crossing twice. The cooks are larger (each stall detector keeps its last 12 hours of
readings), so they go to their own file 5 minutes after they first change, whatever else
happens meanwhile: at most every 5 minutes, never while nothing changes. Unload writes both at
once, and a stop flushes the pending write (Home Assistant's Store does so at its final
write): only a crash loses a few minutes of readings, far less than the hour without readings
that would start a new cook.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store

from grillstats.analytics import Alert, AlertTracker
from grillstats.thermoworks import Device

from .const import DOMAIN, EVENT_ALERT, SIGNAL_ALERT

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 10
COOK_SAVE_INTERVAL: Final = timedelta(minutes=5)
"""How long a change of the cook state waits for its write (throttled: a poll every minute
must not write hundreds of kilobytes every minute to an SD card)."""


class AlertManager:
    """Stores an entry's :class:`AlertTracker` and fires what it returns."""

    def __init__(self, hass: HomeAssistant, entry_id: str, tracker: AlertTracker) -> None:
        """Nothing is loaded until :meth:`async_load`."""
        self._hass = hass
        self._entry_id = entry_id
        self._tracker = tracker
        self._store = _store(hass, entry_id)
        self._cook_store = _store(hass, entry_id, "cooks")
        self._cook_pending = False
        self._written: dict[str, Any] | None = None
        self._closed = False

    async def async_load(self) -> None:
        """Read the stored state: which crossings have fired, and the cooks in progress."""
        self._tracker.restore(await self._store.async_load())
        self._tracker.cook.restore(await self._cook_store.async_load())

    async def async_save(self) -> None:
        """Write everything now (at unload, so a reload never re-fires and keeps the cooks).

        After this the manager is closed: a poll still in flight at unload changes nothing
        and schedules no write that could bring back a store the entry's removal deleted.
        """
        self._closed = True
        await self._store.async_save(self._tracker.state_dict())
        await self._cook_store.async_save(self._cook_state())

    @callback
    def process(
        self,
        devices: Mapping[str, Device],
        cloud_time: datetime,
        unreadable: frozenset[str] = frozenset(),
    ) -> list[Alert]:
        """Compare this poll with the last one (see AlertTracker.process); fire the alerts."""
        if self._closed:
            return []
        alerts = self._tracker.process(devices, cloud_time, unreadable)
        if self._tracker.steady:
            return alerts  # nothing stored changed: no state to build and compare
        if alerts:
            self._fire(alerts)
        # Written only when it changed: a steady cook costs no disk writes.
        state = self._tracker.state_dict()
        if state != self._written:
            self._written = state
            self._store.async_delay_save(lambda: state, SAVE_DELAY)
        if self._tracker.cook.changed and not self._cook_pending:  # a pending write takes it
            self._cook_pending = True
            delay = COOK_SAVE_INTERVAL.total_seconds()
            self._cook_store.async_delay_save(self._cook_state, delay)
        return alerts

    def _cook_state(self) -> dict[str, dict[str, object]]:
        """The cooks as they are now, for the write that takes them (none is pending then)."""
        self._cook_pending = self._tracker.cook.changed = False
        return self._tracker.cook.state_dict()

    def _fire(self, alerts: list[Alert]) -> None:
        registry = dr.async_get(self._hass)
        signal = SIGNAL_ALERT.format(entry_id=self._entry_id)
        for alert in alerts:
            device = registry.async_get_device_by_identifier((DOMAIN, alert.serial), self._entry_id)
            data = alert.event_data(device.id if device else None)
            self._hass.bus.async_fire(EVENT_ALERT, data)
            # The event entities get the very same data as the bus event.
            async_dispatcher_send(self._hass, signal, alert, data)


def _store(hass: HomeAssistant, entry_id: str, what: str = "alerts") -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.{what}")


async def async_remove_store(hass: HomeAssistant, entry_id: str) -> None:
    """Delete an entry's stored alert and cook state (the entry is being deleted)."""
    await _store(hass, entry_id).async_remove()
    await _store(hass, entry_id, "cooks").async_remove()
