"""Typed, frozen snapshots of a ThermoWorks account, parsed once at the boundary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

_UPPERCASE_WORDS = frozenset({"rfx", "node"})


def model_name(model: str) -> str:
    """The product name for the cloud's model key ("rfx meat" → "RFX Meat")."""
    return " ".join(
        word.upper() if word in _UPPERCASE_WORDS else word.title() for word in model.split()
    )


class BatteryState(StrEnum):
    """What the battery is doing; a charging device may report 0 %."""

    CHARGING = "charging"
    DISCHARGING = "discharging"
    FULL = "full"
    UNKNOWN = "unknown"


class FanState(StrEnum):
    """A Billows fan's mode (the cloud sends 0, 1, 2)."""

    PAUSED = "paused"
    BLOWING = "blowing"
    PULSING = "pulsing"


class Unit(StrEnum):
    """A channel's unit: degrees Fahrenheit or Celsius, or relative humidity in %."""

    FAHRENHEIT = "F"
    CELSIUS = "C"
    HUMIDITY = "H"


@dataclass(frozen=True, kw_only=True)
class Alarm:
    """One of a probe's cloud alarms (``alarmHigh`` or ``alarmLow``)."""

    enabled: bool
    alarming: bool
    value: float | None
    units: Unit | None
    muted: bool


@dataclass(frozen=True, kw_only=True)
class Fan:
    """A Billows fan attached to a Signals."""

    connected: bool
    set_temperature: float | None
    state: FanState | None
    channel: str | None


@dataclass(frozen=True, kw_only=True)
class Channel:
    """A probe channel.

    ``temperature`` is ``None`` whenever there is no trustworthy reading: the probe is unplugged,
    the channel disabled, the value null, or the reading (or its device) stale. ``raw_value`` keeps
    what the cloud sent, for diagnostics only.
    """

    number: str
    label: str | None
    temperature: float | None
    raw_value: float | None
    unit: Unit
    status: str | None
    enabled: bool
    connected: bool
    last_seen: datetime | None
    alarm_high: Alarm | None
    alarm_low: Alarm | None
    minimum: float | None
    maximum: float | None
    estimated_alarm_status: str | None

    @property
    def is_humidity(self) -> bool:
        """Tell whether this channel measures relative humidity."""
        return self.unit is Unit.HUMIDITY

    @property
    def name(self) -> str:
        """The user's label, or "Probe N"."""
        return self.label or f"Probe {self.number}"


@dataclass(frozen=True, kw_only=True)
class Device:
    """A thermometer (or an RFX meat probe, which the cloud treats as its own device)."""

    serial: str
    device_id: str | None
    model: str
    device_type: str | None
    label: str | None
    status: str | None
    firmware: str | None
    battery: int | None
    battery_state: BatteryState
    signal: int | None
    """Signal strength in dBm: the RFX gateway link for meat probes, else Wi-Fi."""
    display_units: Unit | None
    last_seen: datetime | None
    transmit_interval: int | None
    recording_interval: int | None
    gateway: str | None
    """For an RFX meat probe, the serial of its gateway (``gatewayId``), when the cloud says."""
    online: bool
    fan: Fan | None
    channels: Mapping[str, Channel] = field(default_factory=dict)

    @property
    def model_name(self) -> str:
        """The product name of the model ("RFX Meat")."""
        return model_name(self.model)

    @property
    def name(self) -> str:
        """The user's label, or the product name and serial."""
        return self.label or f"{self.model_name} {self.serial}"

    @property
    def charging(self) -> bool:
        """Tell whether the device is on its charger."""
        return self.battery_state in (BatteryState.CHARGING, BatteryState.FULL)


@dataclass(frozen=True, kw_only=True)
class Account:
    """The signed-in ThermoWorks user."""

    uid: str
    account_id: str
    email: str
    preferred_units: Unit | None
    time_zone: str | None


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """One poll of an account: every device and its channels."""

    account: Account
    devices: Mapping[str, Device]
    unreadable: frozenset[str] = frozenset()
    """Serials still on the account whose documents could not be read this poll."""
    cloud_time: datetime
    """The cloud's own clock at the time of the read (Firestore ``readTime``)."""
    requests: int
    """HTTP requests this poll cost (sign-in and token refresh included)."""
