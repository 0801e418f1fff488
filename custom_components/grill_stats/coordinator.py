"""The Grill Stats coordinator: one cloud poll for every device of an account."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from grillstats.thermoworks import (
    AuthenticationError,
    CloudConnectionError,
    Device,
    ProtocolError,
    RateLimitedError,
    ThermoworksClient,
)

from .alerts import AlertManager
from .const import (
    CONF_FAST_POLLING,
    CONF_SCAN_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    FAST_SCAN_INTERVAL,
    LOGGER,
    MANUFACTURER,
)

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


class GrillStatsCoordinator(DataUpdateCoordinator[GrillStatsData]):
    """Polls ThermoWorks Cloud and keeps the device registry in step with the account."""

    config_entry: GrillStatsConfigEntry

    def __init__(
        self, hass: HomeAssistant, config_entry: GrillStatsConfigEntry, client: ThermoworksClient
    ) -> None:
        """Poll at the entry's scan interval; skip listeners when nothing changed."""
        seconds = config_entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL)
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
        self.alerts = AlertManager(hass, config_entry.entry_id)
        self.last_poll: PollInfo | None = None
        # None until the first sync, so devices left from before a restart are cleaned up
        # even when the account now has none.
        self._registered: dict[str, tuple[str, str, str | None, str | None]] | None = None

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
        self.last_poll = PollInfo(cloud_time=snapshot.cloud_time, requests=snapshot.requests)
        self._log_requests(snapshot.requests)
        devices = dict(snapshot.devices)
        self._sync_device_registry(devices, snapshot.unreadable)
        self.alerts.process(devices, snapshot.cloud_time)
        # Poll every minute while something is about to happen, else at the chosen interval.
        fast = self.fast_polling and self.alerts.needs_attention(devices)
        self.update_interval = (
            min(self.base_interval, timedelta(seconds=FAST_SCAN_INTERVAL))
            if fast
            else self.base_interval
        )
        return devices

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
                model=model_name(device.model),
                model_id=device.model,
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


def model_name(model: str) -> str:
    """The product name for the cloud's model key ("rfx meat" → "RFX Meat")."""
    words = model.split()
    return " ".join(word.upper() if word in {"rfx", "node"} else word.title() for word in words)
