"""Probe and device health: what changed between two snapshots of a device.

Why transitions and not states: automations want one event when a probe is unplugged or a
device drops off, not one per poll. :func:`transitions` compares two snapshots; the only memory
it needs beyond them is whether the low-battery alert is armed, which :class:`HealthTracker`
keeps (and can persist) for you.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from grillstats.thermoworks.models import Device
from grillstats.thermoworks.parse import stale_after


def offline_after(transmit_interval: float | None) -> timedelta:
    """How long after its last upload a device is called offline.

    ``max(15 min, 3 * transmit interval)``: a device may miss two uploads, and a NODE uploads
    only every 2 h (so it gets 6 h). This is the bound the parser applies for
    :attr:`Device.online`. The poll interval does not enter: each poll judges ``last_seen``
    against the cloud's own clock at that poll, so a slow poller sees a device go offline one
    poll later, never a fresh device as offline.
    """
    return stale_after(None if transmit_interval is None else round(transmit_interval))


class HealthEventType(StrEnum):
    """The health alert types (``type`` of a ``grill_stats_alert`` event)."""

    PROBE_DISCONNECTED = "probe_disconnected"
    PROBE_CONNECTED = "probe_connected"
    DEVICE_OFFLINE = "device_offline"
    DEVICE_ONLINE = "device_online"
    BATTERY_LOW = "battery_low"


@dataclass(frozen=True, kw_only=True)
class HealthEvent:
    """One transition; ``probe`` is the channel number for probe events, else ``None``."""

    type: HealthEventType
    serial: str
    probe: str | None = None
    probe_name: str | None = None
    value: float | None = None
    """The battery level (%) for ``battery_low``."""
    threshold: float | None = None
    """The low-battery threshold (%) for ``battery_low``."""


@dataclass(frozen=True, kw_only=True)
class HealthSettings:
    """Tunables for :func:`transitions`."""

    battery_low: int = 15
    """Alert when the battery falls to or below this level (%)."""
    battery_rearm_margin: int = 5
    """Re-arm the alert only once the battery is above ``battery_low`` + this."""


@dataclass(frozen=True, kw_only=True)
class Transitions:
    """What :func:`transitions` found, and whether the low-battery alert is still armed."""

    events: tuple[HealthEvent, ...]
    battery_armed: bool


def is_online(device: Device | None) -> bool:
    """Whether a device counts as online (present and within :func:`offline_after`)."""
    return device is not None and device.online


def transitions(
    previous: Device | None,
    current: Device | None,
    settings: HealthSettings | None = None,
    *,
    battery_armed: bool = True,
) -> Transitions:
    """Compare two snapshots of one device.

    * ``device_offline`` / ``device_online`` when the device's online state flips (a device that
      disappears from the account counts as offline; the first snapshot only sets a baseline).
    * ``probe_disconnected`` / ``probe_connected`` when a channel's ``connected`` flips (a new
      channel that is connected counts as connected; a vanished connected one as disconnected).
      Probe changes are only reported while the device is online: an offline device's documents
      are frozen, and what changed shows up when it is back.
    * ``battery_low`` when the battery is at or below the threshold, not charging and the alert
      is armed; it is re-armed once the battery is above threshold + margin. A device first
      seen already low therefore alerts once (persist ``battery_armed`` so a restart does not).
    """
    settings = settings or HealthSettings()
    events: list[HealthEvent] = []
    device = current or previous
    if device is None:
        return Transitions(events=(), battery_armed=battery_armed)
    serial = device.serial
    was_online = is_online(previous)
    online = is_online(current)
    if previous is not None and was_online != online:
        kind = HealthEventType.DEVICE_ONLINE if online else HealthEventType.DEVICE_OFFLINE
        events.append(HealthEvent(type=kind, serial=serial))
    if previous is not None and current is not None and online:
        events.extend(_probe_changes(previous, current))
    if current is not None and current.battery is not None:
        level = current.battery
        if level > settings.battery_low + settings.battery_rearm_margin:
            battery_armed = True
        elif battery_armed and level <= settings.battery_low and not current.charging:
            battery_armed = False
            events.append(
                HealthEvent(
                    type=HealthEventType.BATTERY_LOW,
                    serial=serial,
                    value=float(level),
                    threshold=float(settings.battery_low),
                )
            )
    return Transitions(events=tuple(events), battery_armed=battery_armed)


def _probe_changes(previous: Device, current: Device) -> list[HealthEvent]:
    events: list[HealthEvent] = []
    channel_numbers = list(current.channels)
    channel_numbers += [n for n in previous.channels if n not in current.channels]
    for channel_number in channel_numbers:
        before = previous.channels.get(channel_number)
        after = current.channels.get(channel_number)
        was = before is not None and before.connected
        now = after is not None and after.connected
        if was == now:
            continue
        channel = after or before
        assert channel is not None  # noqa: S101 - one of them is connected
        events.append(
            HealthEvent(
                type=HealthEventType.PROBE_CONNECTED if now else HealthEventType.PROBE_DISCONNECTED,
                serial=current.serial,
                probe=channel_number,
                probe_name=channel.name,
            )
        )
    return events


@dataclass(kw_only=True)
class HealthTracker:
    """Remembers the last snapshot of each device and the low-battery arming, per serial."""

    settings: HealthSettings = field(default_factory=HealthSettings)
    _previous: dict[str, Device | None] = field(default_factory=dict)
    _armed: dict[str, bool] = field(default_factory=dict)

    def update(self, serial: str, device: Device | None) -> list[HealthEvent]:
        """Feed the device's newest snapshot (``None``: gone) and return its transitions."""
        result = transitions(
            self._previous.get(serial),
            device,
            self.settings,
            battery_armed=self._armed.get(serial, True),
        )
        self._previous[serial] = device
        self._armed[serial] = result.battery_armed
        return list(result.events)

    def state_dict(self) -> dict[str, dict[str, bool]]:
        """The persistent part (battery arming per serial) as a plain dict."""
        return {serial: {"battery_armed": armed} for serial, armed in self._armed.items()}

    @classmethod
    def from_state(
        cls, data: Mapping[str, object] | None, settings: HealthSettings | None = None
    ) -> HealthTracker:
        """Rebuild from :meth:`state_dict` output (bad entries are ignored)."""
        tracker = cls(settings=settings or HealthSettings())
        for serial, entry in (data or {}).items():
            if isinstance(entry, Mapping):
                armed = entry.get("battery_armed")
                if isinstance(armed, bool):
                    tracker._armed[serial] = armed
        return tracker
