"""The Grill Stats coordinator: one cloud poll for every device of an account."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from grillstats.analytics import AlertTracker, EtaSettings, ProbeKey, StallPrior, Threshold
from grillstats.thermoworks import (
    AuthenticationError,
    CloudConnectionError,
    Device,
    ProtocolError,
    RateLimitedError,
    Snapshot,
    ThermoworksClient,
    as_of,
)

from .alerts import AlertManager
from .const import DOMAIN, FAST_SCAN_INTERVAL, LOGGER, MAX_RETRY_WAIT
from .demo import DemoCloud
from .options import GrillStatsOptions
from .registry import DeviceRegistrySync, PluggedProbes
from .staleness import StaleTimer

type GrillStatsData = dict[str, Device]
"""Every device of the account, by serial, as of the last poll."""
type GrillStatsConfigEntry = ConfigEntry[GrillStatsRuntimeData]

REQUEST_LOG_SECONDS = 3600


@dataclass(kw_only=True)
class GrillStatsRuntimeData:
    """What a loaded entry holds: its coordinator."""

    coordinator: GrillStatsCoordinator


@dataclass(frozen=True, kw_only=True)
class PollInfo:
    """Facts about the last successful poll, for diagnostics."""

    cloud_time: datetime
    requests: int
    unreadable: tuple[str, ...] = ()
    """Serials on the account whose documents could not be read."""


class GrillStatsCoordinator(DataUpdateCoordinator[GrillStatsData]):
    """Polls ThermoWorks Cloud and keeps the device registry in step with the account."""

    config_entry: GrillStatsConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        config_entry: GrillStatsConfigEntry,
        client: ThermoworksClient,
        demo: DemoCloud | None = None,
    ) -> None:
        """Poll at the entry's scan interval; skip listeners when nothing changed."""
        self.options = GrillStatsOptions.from_entry(config_entry)
        self.base_interval = timedelta(seconds=self.options.scan_interval)
        super().__init__(
            hass,
            LOGGER,
            config_entry=config_entry,
            name=DOMAIN,
            update_interval=self.base_interval,
            # Devices are frozen dataclasses: an unchanged poll compares equal and
            # wakes no entity, so it writes no state.
            always_update=False,
        )
        self.client = client
        self.demo = demo
        self.tracker = AlertTracker(EtaSettings(stall=StallPrior(expect=self.options.expect_stall)))
        self.alerts = AlertManager(hass, config_entry.entry_id, self.tracker)
        self.last_poll: PollInfo | None = None
        self.initial_targets: dict[ProbeKey, Threshold] = {}
        """Targets new meat probes start with when none is stored (the demo's cuts)."""
        self.unreadable: frozenset[str] = frozenset()
        """Thermometers on the account whose documents could not be read at the last poll:
        not in ``data`` (nothing to show), but not gone either (their entities stay)."""
        self.plugged = PluggedProbes(hass)
        self._devices = DeviceRegistrySync(hass, config_entry.entry_id)
        self._stale = StaleTimer(hass, self._retire_stale)
        self._request_log: deque[tuple[float, int]] = deque()

    @override
    async def _async_setup(self) -> None:
        """Load what the alerts stored; the demo replays the cook it has been running."""
        await self.alerts.async_load()
        self.config_entry.async_on_unload(self.alerts.async_save)
        if self.demo is not None:
            self.initial_targets = self.demo.targets()
            await self.demo.async_replay_history(self.hass, self.tracker, self.initial_targets)

    @override
    async def _async_update_data(self) -> GrillStatsData:
        """Poll the cloud, mapping the library's errors to Home Assistant's."""
        try:
            snapshot = await self.client.async_get_snapshot()
        except AuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="invalid_auth",
                translation_placeholders={"reason": err.reason or str(err)},
            ) from err
        except RateLimitedError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                retry_after=self._least_wait(err.retry_after),
            ) from err
        except (CloudConnectionError, ProtocolError) as err:
            key = "cannot_connect" if isinstance(err, CloudConnectionError) else "protocol_error"
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key=key,
                translation_placeholders={"error": str(err)},
            ) from err
        return self._apply(snapshot)

    def _least_wait(self, seconds: float | None) -> float | None:
        """The wait a 429 asks for, when longer than the poll interval.

        Retry-After is the least wait: a longer one delays the next poll, a shorter one must
        not bring it forward (Home Assistant would poll that much sooner), and none waits
        longer than :data:`MAX_RETRY_WAIT`.
        """
        interval = self.update_interval.total_seconds() if self.update_interval else 0
        if seconds is None or not seconds > interval:  # nan compares false: no delay
            return None
        return min(seconds, MAX_RETRY_WAIT.total_seconds())

    @callback
    def _apply(self, snapshot: Snapshot) -> GrillStatsData:
        """Take in a poll: its facts, the stale timer, the registries, the alerts, the pace."""
        devices = dict(snapshot.devices)
        self.unreadable = snapshot.unreadable
        self.last_poll = PollInfo(
            cloud_time=snapshot.cloud_time,
            requests=snapshot.requests,
            unreadable=tuple(sorted(snapshot.unreadable)),
        )
        self._log_requests(snapshot.requests)
        self._stale.set_clock(snapshot.cloud_time)
        self._stale.schedule(devices.values())
        self._devices.sync(devices, snapshot.unreadable)
        self.plugged.note(devices, snapshot.unreadable)
        self.alerts.process(devices, snapshot.cloud_time, snapshot.unreadable)
        # Poll every minute while something is about to happen, else at the chosen interval.
        fast = self.options.fast_polling and self.tracker.needs_attention(devices)
        self.update_interval = (
            min(self.base_interval, timedelta(seconds=FAST_SCAN_INTERVAL))
            if fast
            else self.base_interval
        )
        return devices

    @override
    async def async_shutdown(self) -> None:
        """Stop the staleness timer with the polls (a poll in flight sets no new one)."""
        self._stale.close()
        await super().async_shutdown()

    @property
    def stale_check_scheduled(self) -> bool:
        """Whether a staleness re-check is pending."""
        return self._stale.scheduled

    @callback
    def _retire_stale(self, cloud_now: datetime) -> None:
        """Retire the readings that turned stale since the poll, as the next poll would."""
        if not self.data:
            return
        aged = {serial: as_of(device, cloud_now) for serial, device in self.data.items()}
        if aged != self.data:
            LOGGER.debug("Readings turned stale since the last poll (cloud time %s)", cloud_now)
            # The alerts see what a poll now would: an Online going off fires
            # device_offline now, not an interval later (and the next poll, seeing the
            # same, fires nothing twice).
            self.alerts.process(aged, cloud_now, self.unreadable)
            # Not async_set_updated_data: that would move the next poll.
            self.data = aged
            self.async_update_listeners()
        self._stale.schedule(aged.values())

    def _log_requests(self, requests: int) -> None:
        now = time.monotonic()
        self._request_log.append((now, requests))
        while self._request_log and now - self._request_log[0][0] > REQUEST_LOG_SECONDS:
            self._request_log.popleft()

    @property
    def requests_last_hour(self) -> int:
        """Cloud requests of the polls in the last hour (for diagnostics)."""
        return sum(requests for _, requests in self._request_log)
