"""The Grill Stats coordinator: one cloud poll for every device of an account."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from grillstats.analytics import StallExpectation, Threshold
from grillstats.thermoworks import (
    AuthenticationError,
    CloudConnectionError,
    Device,
    ProtocolError,
    RateLimitedError,
    ThermoworksClient,
    as_of,
    stale_at,
)

from .alerts import AlertManager
from .const import (
    CONF_EXPECT_STALL,
    CONF_FAST_POLLING,
    CONF_PROVIDER,
    CONF_SCAN_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DEMO_SCAN_INTERVAL,
    DOMAIN,
    EXPECT_STALL_OPTIONS,
    FAST_SCAN_INTERVAL,
    LOGGER,
    MANUFACTURER,
    PROVIDER_DEMO,
)
from .cook import ProbeKey

if TYPE_CHECKING:
    from grillstats.simulator import CloudSimulator

type GrillStatsData = dict[str, Device]
"""Every device of the account, by serial, as of the last poll."""
type GrillStatsConfigEntry = ConfigEntry[GrillStatsRuntimeData]


@dataclass(kw_only=True)
class GrillStatsRuntimeData:
    """What a loaded entry holds: its coordinator, and the demo's simulator if any."""

    coordinator: GrillStatsCoordinator
    simulator: CloudSimulator | None = None


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
        self, hass: HomeAssistant, config_entry: GrillStatsConfigEntry, client: ThermoworksClient
    ) -> None:
        """Poll at the entry's scan interval; skip listeners when nothing changed."""
        seconds = config_entry.options.get(CONF_SCAN_INTERVAL, default_scan_interval(config_entry))
        self.base_interval = timedelta(seconds=seconds)
        self.fast_polling = bool(config_entry.options.get(CONF_FAST_POLLING, True))
        self._request_log: deque[tuple[float, int]] = deque()
        super().__init__(
            hass,
            LOGGER,
            config_entry=config_entry,
            name=DOMAIN,
            update_interval=timedelta(seconds=seconds),
            # Devices are frozen dataclasses: an unchanged poll compares equal and
            # wakes no entity, so it writes no state.
            always_update=False,
        )
        self.client = client
        self.alerts = AlertManager(hass, config_entry.entry_id, expect_stall(config_entry.options))
        self.last_poll: PollInfo | None = None
        self.initial_targets: dict[ProbeKey, Threshold] = {}
        """Targets new meat probes start with when none is stored (the demo's cuts)."""
        self.unreadable: frozenset[str] = frozenset()
        """Thermometers on the account whose documents could not be read at the last poll:
        not in ``data`` (nothing to show), but not gone either (their entities stay)."""
        # None until the first sync, so devices left from before a restart are cleaned up
        # even when the account now has none.
        self._registered: dict[str, tuple[str, str, str | None, str | None]] | None = None
        # The last poll's cloud time and our clock then: maps cloud times to local ones.
        self._clock: tuple[datetime, datetime] | None = None
        self._unsub_stale: CALLBACK_TYPE | None = None
        self._closed = False
        self._plugged: dict[str, frozenset[str]] | None = None

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
            # Retry-After is the least wait: a longer one delays the next poll, a shorter
            # one must not bring it forward (Home Assistant would poll that much sooner).
            interval = self.update_interval.total_seconds() if self.update_interval else 0
            wait = err.retry_after if err.retry_after and err.retry_after > interval else None
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                retry_after=wait,
            ) from err
        except CloudConnectionError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"error": str(err)},
            ) from err
        except ProtocolError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="protocol_error",
                translation_placeholders={"error": str(err)},
            ) from err
        self.last_poll = PollInfo(
            cloud_time=snapshot.cloud_time,
            requests=snapshot.requests,
            unreadable=tuple(sorted(snapshot.unreadable)),
        )
        self._log_requests(snapshot.requests)
        self._clock = (snapshot.cloud_time, dt_util.utcnow())
        devices = dict(snapshot.devices)
        self.unreadable = snapshot.unreadable
        self._schedule_stale_check(devices)
        self._sync_device_registry(devices, snapshot.unreadable)
        self._note_plugged(devices, snapshot.unreadable)
        self.alerts.process(devices, snapshot.cloud_time, snapshot.unreadable)
        # Poll every minute while something is about to happen, else at the chosen interval.
        fast = self.fast_polling and self.alerts.needs_attention(devices)
        self.update_interval = (
            min(self.base_interval, timedelta(seconds=FAST_SCAN_INTERVAL))
            if fast
            else self.base_interval
        )
        return devices

    @override
    async def async_shutdown(self) -> None:
        """Stop the staleness timer with the polls (a poll in flight sets no new one)."""
        self._closed = True
        self._cancel_stale_check()
        await super().async_shutdown()

    @property
    def stale_check_scheduled(self) -> bool:
        """Whether a staleness re-check is pending."""
        return self._unsub_stale is not None

    def _cancel_stale_check(self) -> None:
        if self._unsub_stale is not None:
            self._unsub_stale()
            self._unsub_stale = None

    @callback
    def _schedule_stale_check(self, devices: GrillStatsData) -> None:
        """Wake up when the first reading shown turns stale, whatever the poll interval.

        A reading is trusted for ``stale_after`` its transmit interval (15 minutes or more);
        polling every hour would otherwise show it up to 45 minutes too long. One timer for
        the whole account, set again at every poll and at every re-check.
        """
        self._cancel_stale_check()
        due = min(filter(None, map(stale_at, devices.values())), default=None)
        if due is None or self._clock is None or self._closed:
            return
        cloud_time, local_time = self._clock
        # A second past the limit: a reading exactly at it still counts as fresh.
        when = local_time + (due - cloud_time) + timedelta(seconds=1)
        when = max(when, dt_util.utcnow() + timedelta(seconds=1))
        self._unsub_stale = async_track_point_in_utc_time(self.hass, self._stale_check, when)

    @callback
    def _stale_check(self, now: datetime) -> None:
        """Retire the readings that turned stale since the poll, as the next poll would."""
        self._unsub_stale = None
        if not self.data or self._clock is None:
            return
        cloud_time, local_time = self._clock
        cloud_now = cloud_time + (now - local_time)
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
        self._schedule_stale_check(aged)

    def plugged_numbers(self, serial: str) -> frozenset[str]:
        """The channels of a thermometer that have ever had a probe plugged in."""
        return (self._plugged or {}).get(serial, frozenset())

    @callback
    def _note_plugged(self, devices: GrillStatsData, unreadable: frozenset[str]) -> None:
        """Remember every channel seen with a probe in; an empty socket gets no entities.

        What was plugged before a restart is known from the registry: a probe that has
        entities keeps them (unavailable while unplugged), it does not lose them.
        """
        known = devices.keys() | unreadable
        plugged = {s: n for s, n in (self._plugged or {}).items() if s in known}
        registry = er.async_get(self.hass) if self._plugged is None else None
        for serial, device in devices.items():
            numbers = plugged.get(serial, frozenset())
            new = {
                number
                for number, channel in device.channels.items()
                if number not in numbers
                and (
                    channel.connected
                    or (registry is not None and _registered(registry, serial, number))
                )
            }
            if new or serial not in plugged:
                plugged[serial] = numbers | new
        self._plugged = plugged

    def _log_requests(self, requests: int) -> None:
        now = time.monotonic()
        self._request_log.append((now, requests))
        while self._request_log and now - self._request_log[0][0] > 3600:
            self._request_log.popleft()

    @property
    def requests_last_hour(self) -> int:
        """Cloud requests of the polls in the last hour (for diagnostics)."""
        return sum(requests for _, requests in self._request_log)

    @callback
    def _sync_device_registry(self, devices: GrillStatsData, unreadable: frozenset[str]) -> None:
        """Register new or changed thermometers (gateways first), remove those that left.

        A thermometer whose documents could not be read this poll is still on the account:
        it keeps its device (its entities are unavailable), it is not removed.
        """
        facts = {
            serial: (device.name, device.model, device.firmware, device.gateway)
            for serial, device in devices.items()
        }
        registered = self._registered or {}
        if facts == self._registered and not unreadable:
            return  # the common case: nothing to do on a steady poll
        registry = dr.async_get(self.hass)
        entry_id = self.config_entry.entry_id
        ordered = sorted(devices.values(), key=lambda device: device.gateway is not None)
        written: set[str] = set()
        for device in ordered:
            # A meat probe is written again when its gateway was: that sets its link
            # to a gateway that has just appeared, or come back after leaving.
            unchanged = registered.get(device.serial) == facts[device.serial]
            if unchanged and device.gateway not in written:
                continue
            written.add(device.serial)
            via = None
            if device.gateway and (
                parent := registry.async_get_device_by_identifier(
                    (DOMAIN, device.gateway), entry_id
                )
            ):
                via = parent.id
            registry.async_get_or_create(
                config_entry_id=entry_id,
                identifiers={(DOMAIN, device.serial)},
                manufacturer=MANUFACTURER,
                # The product name alone: the cloud's family key ("signals") is no model
                # id, and Home Assistant would show "Signals (signals)".
                model=device.model_name,
                model_id=None,
                name=device.name,
                serial_number=device.serial,
                sw_version=device.firmware,
                via_device_id=via,
            )
        for entry in dr.async_entries_for_config_entry(registry, entry_id):
            serials = {value for domain, value in entry.identifiers if domain == DOMAIN}
            if serials and not serials & (devices.keys() | unreadable):
                LOGGER.info("Removing %s: it is no longer on the ThermoWorks account", entry.name)
                registry.async_remove_device(entry.id)
        self._registered = facts


def _registered(registry: er.EntityRegistry, serial: str, number: str) -> bool:
    """Whether a probe already has entities (its connectivity sensor or its alert event)."""
    return any(
        registry.async_get_entity_id(platform, DOMAIN, f"{serial}_{number}_{key}") is not None
        for platform, key in ((Platform.BINARY_SENSOR, "connected"), (Platform.EVENT, "alert"))
    )


def default_scan_interval(entry: ConfigEntry) -> int:
    """The poll interval until the options set one: the demo's uploads come every 30 s."""
    demo = entry.data.get(CONF_PROVIDER) == PROVIDER_DEMO
    return DEMO_SCAN_INTERVAL if demo else DEFAULT_SCAN_INTERVAL


def expect_stall(options: Mapping[str, Any]) -> StallExpectation:
    """The "Expect a stall" option (auto, by the target, unless set)."""
    value = options.get(CONF_EXPECT_STALL)
    return StallExpectation(value) if value in EXPECT_STALL_OPTIONS else StallExpectation.AUTO
