"""One timer per entry for the moment the first reading shown turns stale."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from grillstats.thermoworks import Device, stale_at


class StaleTimer:
    """Wakes its owner, with the cloud's time then, when a reading shown turns stale.

    A reading is trusted for ``stale_after`` its transmit interval (15 minutes or more);
    polling every hour would otherwise show it up to 45 minutes too long.
    """

    def __init__(self, hass: HomeAssistant, on_stale: Callable[[datetime], None]) -> None:
        """``on_stale`` gets the cloud time at the wake-up."""
        self._hass = hass
        self._on_stale = on_stale
        self._unsub: CALLBACK_TYPE | None = None
        self._clock: tuple[datetime, datetime] | None = None
        """The last poll's cloud time and our clock then: maps cloud times to local ones."""
        self._closed = False

    @property
    def scheduled(self) -> bool:
        """Whether a wake-up is pending."""
        return self._unsub is not None

    def set_clock(self, cloud_time: datetime) -> None:
        """A poll answered: its cloud time is now."""
        self._clock = (cloud_time, dt_util.utcnow())

    @callback
    def schedule(self, devices: Iterable[Device]) -> None:
        """Wake up when the first of these devices' readings turns stale (set again each time)."""
        self.cancel()
        due = min(filter(None, map(stale_at, devices)), default=None)
        if due is None or self._clock is None or self._closed:
            return
        cloud_time, local_time = self._clock
        # A second past the limit: a reading exactly at it still counts as fresh.
        when = local_time + (due - cloud_time) + timedelta(seconds=1)
        when = max(when, dt_util.utcnow() + timedelta(seconds=1))
        self._unsub = async_track_point_in_utc_time(self._hass, self._fire, when)

    def cancel(self) -> None:
        """No wake-up until the next :meth:`schedule`."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    def close(self) -> None:
        """Stop for good (the entry unloads): a poll in flight schedules nothing."""
        self._closed = True
        self.cancel()

    @callback
    def _fire(self, now: datetime) -> None:
        self._unsub = None
        if self._clock is not None:
            cloud_time, local_time = self._clock
            self._on_stale(cloud_time + (now - local_time))
