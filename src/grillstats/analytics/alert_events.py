"""The :class:`Alert` record, and what each source of alerts turns into one.

Threshold crossings, stalls, probe and device health, and the cloud's own alarms all become
the same record, in the probe's own unit; the Home Assistant integration fires it as its
``grill_stats_alert`` bus event and the services send it to their subscribers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..thermoworks import Alarm, Channel, Device, Unit
from .cook import StallChange
from .health import HealthEvent
from .roles import CORE
from .thresholds import Threshold, ThresholdEvent, convert


@dataclass(frozen=True, kw_only=True)
class Alert:
    """One alert, in the probe's own unit; ``probe`` is None for a device-wide alert."""

    type: str
    serial: str
    probe: str | None
    probe_name: str | None
    temperature: float | None
    threshold: float | None
    unit: str | None

    def event_data(self, device_id: str | None) -> dict[str, Any]:
        """The ``grill_stats_alert`` event's data: the record and the device it is about."""
        return {
            "type": self.type,
            "device_id": device_id,
            "serial": self.serial,
            "probe": self.probe,
            "probe_name": self.probe_name,
            "temperature": self.temperature,
            "threshold": self.threshold,
            "unit": self.unit,
        }


def probe_name(device: Device | None, channel_number: str, name: str) -> str:
    """An RFX Meat's core goes by the probe's own name ("Pork Butt reached 203 °F")."""
    return device.name if channel_number == CORE and device is not None else name


def crossing_alert(
    device: Device, channel_number: str, channel: Channel, crossing: ThresholdEvent
) -> Alert:
    """A threshold crossed (or cleared) on one probe."""
    return Alert(
        type=crossing.type.value,
        serial=device.serial,
        probe=channel_number,
        probe_name=probe_name(device, channel_number, channel.name),
        temperature=crossing.temperature,
        threshold=crossing.threshold,
        unit=crossing.unit.value,
    )


def stall_alert(device: Device | None, change: StallChange) -> Alert:
    """A stall began or ended."""
    return Alert(
        type=change.type,
        serial=change.serial,
        probe=change.probe,
        probe_name=probe_name(device, change.probe, change.probe_name),
        temperature=change.temperature,
        threshold=None,
        unit=change.unit,
    )


def health_alert(serial: str, event: HealthEvent) -> Alert:
    """A probe or the thermometer changed health (offline, unplugged, battery low)."""
    return Alert(
        type=event.type.value,
        serial=serial,
        probe=event.probe,
        probe_name=event.probe_name,
        temperature=event.value,
        threshold=event.threshold,
        unit="%" if event.value is not None else None,
    )


def cloud_alarms(device: Device, before: Device | None) -> Iterator[Alert]:
    """The cloud's own alarms, as they start going off (kept apart from our high/low)."""
    if before is None:
        return
    for number, channel in device.channels.items():
        then = before.channels.get(number)
        if then is None:
            continue
        for word, alarm, was in (
            ("high", channel.alarm_high, then.alarm_high),
            ("low", channel.alarm_low, then.alarm_low),
        ):
            if alarm is not None and alarm.alarming and not (was is not None and was.alarming):
                yield Alert(
                    type=f"cloud_alarm_{word}",
                    serial=device.serial,
                    probe=number,
                    probe_name=channel.name,
                    temperature=channel.temperature,
                    threshold=_in_probe_unit(alarm, channel.unit),
                    unit=channel.unit.value,
                )


def _in_probe_unit(alarm: Alarm, unit: Unit) -> float | None:
    """The alarm's set point in the probe's unit (the app may set it in the other one)."""
    if alarm.value is None or alarm.units is None or unit is Unit.HUMIDITY:
        return alarm.value
    return round(convert(alarm.value, alarm.units, unit), 1)


def above_low(low: Threshold | None, channel: Channel) -> bool:
    """Whether a pit is above its low by more than the band (where the engine re-arms it).

    Until then a pit's low stays silent: lighting a smoker at 70 °F must not fire "pit low"
    against a 200 °F default; a fire dying later does.
    """
    if low is None or channel.temperature is None:
        return False
    return convert(channel.temperature, channel.unit, low.unit) > low.value + low.band
