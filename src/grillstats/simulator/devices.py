"""Simulated thermometers: families, their channels, and how a reading reaches the "cloud".

A device runs its own seeded cook (see :mod:`.physics`). Every ``STEP_SECONDS`` of sim time the
model advances; every ``report_seconds`` (per family) an online device *publishes*: its
channels' reported values, ``lastSeen`` and min/max move on. An offline device keeps cooking
but publishes nothing, so its documents freeze, as in the real cloud.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from .physics import CookModel, EnvironmentModel, f_to_c

STEP_SECONDS = 15.0
"""The fixed sim-time step of every model."""

type Family = Literal["signals", "smoke", "rfx gateway", "rfx meat", "node"]
FAMILIES: tuple[Family, ...] = ("signals", "smoke", "rfx gateway", "rfx meat", "node")

RFX_POINTS = (0.0, 0.12, 0.3, 0.6)
"""Where an RFX meat probe's four sensors sit: fraction of the way from core to pit."""
RFX_NULL_CHANCE = 0.03
"""Chance that an RFX meat probe's outermost point reports ``null`` in a report."""


@dataclass(frozen=True)
class FamilyInfo:
    """Fixed facts of a device family."""

    type: str
    firmware: str
    wifi: bool
    report_seconds: float
    transmit_seconds: int
    recording_seconds: int
    drain_per_hour: float
    """Battery percent lost per hour while not charging."""


FAMILY_INFO: dict[Family, FamilyInfo] = {
    "signals": FamilyInfo("signals", "1.1.29-46", True, 30, 30, 30, 3.0),
    "smoke": FamilyInfo("smoke", "2.4.0-12", True, 30, 30, 30, 1.0),
    "rfx gateway": FamilyInfo("rfx", "1.0.14-3", True, 30, 60, 60, 0.5),
    "rfx meat": FamilyInfo("rfx", "1.0.9-7", False, 30, 60, 60, 1.5),
    "node": FamilyInfo("datalogger", "1.3.2-21", True, 600, 7200, 600, 0.1),
}


@dataclass(kw_only=True)
class Alarm:
    """A channel's cloud alarm (in the channel's own unit)."""

    enabled: bool
    value: float
    units: str


@dataclass(kw_only=True)
class SimChannel:
    """One channel of a device and what the cloud currently shows for it."""

    number: str
    label: str
    units: str
    source: tuple[str, int]
    """``("pit", 0)``, ``("probe", i)``, ``("point", i)``, ``("room", 0)``, ``("humidity", 0)``."""
    enabled: bool = True
    unplugged: bool = False
    override: float | None = None
    alarm_high: Alarm
    alarm_low: Alarm
    value: float | None = None
    """The published reading, in the channel's unit, rounded to 0.1."""
    last_seen: datetime | None = None
    minimum: tuple[float, datetime] | None = None
    maximum: tuple[float, datetime] | None = None
    rate_per_min: float = 0.0

    def publish(self, value: float | None, when: datetime, dt: float) -> None:
        """Record a reading as the cloud's current value."""
        if self.unplugged:
            value = None
        elif self.override is not None:
            value = self.override
        if value is not None:
            value = round(value, 1)
            if self.value is not None and dt > 0:
                slope = (value - self.value) / (dt / 60.0)
                self.rate_per_min = 0.8 * self.rate_per_min + 0.2 * slope
            if self.minimum is None or value < self.minimum[0]:
                self.minimum = (value, when)
            if self.maximum is None or value > self.maximum[0]:
                self.maximum = (value, when)
        self.value = value
        self.last_seen = when

    def hold(self, value: float) -> None:
        """Read ``value`` from now on, the probe plugged in, until :meth:`release`."""
        self.override = value
        self.unplugged = False
        self.enabled = True

    def set_unplugged(self, unplugged: bool) -> None:
        """Unplug the probe or plug it back in (which enables the channel; a held value stays)."""
        self.unplugged = unplugged
        self.enabled = self.enabled or not unplugged

    def release(self) -> None:
        """Hand the channel back to the model, its probe plugged in."""
        self.override = None
        self.unplugged = False
        self.enabled = True

    @property
    def high_alarming(self) -> bool:
        """The high alarm is on and the value is above it."""
        return (
            self.alarm_high.enabled
            and self.value is not None
            and self.value > self.alarm_high.value
        )

    @property
    def low_alarming(self) -> bool:
        """The low alarm is on and the value is below it."""
        return (
            self.alarm_low.enabled and self.value is not None and self.value < self.alarm_low.value
        )

    @property
    def status(self) -> str:
        """``NO PROBE``, ``HIGH``, ``LOW`` or ``NORMAL``."""
        if self.unplugged:
            return "NO PROBE"
        if self.high_alarming:
            return "HIGH"
        if self.low_alarming:
            return "LOW"
        return "NORMAL"


@dataclass(kw_only=True)
class SimDevice:
    """A thermometer, its cook and its published state."""

    serial: str
    family: Family
    label: str
    account_id: str
    created: datetime
    units: str = "F"
    gateway: str | None = None
    fan: bool = False
    online: bool = True
    battery: float = 100.0
    charging: bool = False
    corrupt: bool = False
    """Serve this device's document with unreadable fields (a malformed-document test)."""
    rssi: float = -60.0
    rssi_base: float = -60.0
    channels: list[SimChannel] = field(default_factory=list)
    cook: CookModel | None = None
    room: EnvironmentModel | None = None
    rng: random.Random
    sim_time: datetime
    """Up to when the models have been stepped (a multiple of ``STEP_SECONDS`` from creation)."""
    last_report: datetime | None = None
    since_report: float = 0.0
    shown_battery: int = 100
    shown_battery_state: str = "discharging"
    shown_rssi: int = -60

    @property
    def info(self) -> FamilyInfo:
        """The family's fixed facts."""
        return FAMILY_INFO[self.family]

    @property
    def battery_state(self) -> str:
        """``charging``, ``full`` or ``discharging``."""
        if self.charging:
            return "full" if self.battery >= 100 else "charging"
        return "discharging"

    def channel(self, channel_number: str) -> SimChannel | None:
        """A channel by its number ("1"), or ``None``."""
        return next((ch for ch in self.channels if ch.number == channel_number), None)

    def model_value(self, channel: SimChannel, *, noisy: bool = True) -> float | None:
        """A model reading for a channel in the channel's unit (``noisy``: with jitter)."""
        kind, index = channel.source
        if self.room is not None:
            if kind == "humidity":
                return self.room.humidity
            value_f = self.room.temp_f
        elif self.cook is None:  # pragma: no cover - every family has a model
            return None
        elif kind == "pit":
            value_f = self.cook.pit_f if noisy else self.cook.pit_true_f
        else:
            probe = 0 if kind == "point" else index
            value_f = self.cook.probe_f(probe) if noisy else self.cook.probe_true_f(probe)
            if kind == "point":
                value_f += (self.cook.pit_true_f - value_f) * RFX_POINTS[index]
                last = index == len(RFX_POINTS) - 1
                if noisy and last and self.rng.random() < RFX_NULL_CHANCE:
                    return None
        return f_to_c(value_f) if channel.units == "C" else value_f

    def step(self, dt: float) -> None:
        """Advance the models by one step; publish if a report is due and the device is online."""
        if self.cook is not None:
            self.cook.step(dt)
        if self.room is not None:
            self.room.step(dt)
        hours = dt / 3600.0
        if self.charging:
            self.battery = min(100.0, self.battery + 25.0 * hours)
        else:
            self.battery = max(0.0, self.battery - self.info.drain_per_hour * hours)
        self.rssi = self.rssi_base + self.rng.uniform(-4.0, 4.0)
        self.sim_time = self.sim_time + timedelta(seconds=dt)
        self.since_report += dt
        if self.online and self.since_report >= self.info.report_seconds:
            self.publish(self.since_report)

    def publish(self, dt: float = 0.0) -> None:
        """Make the current model readings the cloud's values."""
        for channel in self.channels:
            channel.publish(self.model_value(channel), self.sim_time, dt)
        self.last_report = self.sim_time
        self.since_report = 0.0
        self.publish_status()

    def publish_status(self) -> None:
        """Make the current battery and signal strength the cloud's values."""
        self.shown_battery = round(self.battery)
        self.shown_battery_state = self.battery_state
        self.shown_rssi = round(self.rssi)

    def refresh_channel(self, channel: SimChannel) -> None:
        """Re-publish one channel after a control change (only while online; no randomness)."""
        if self.online:
            channel.publish(self.model_value(channel, noisy=False), self.sim_time, 0.0)
