"""Snapshots as plain data and as a readable table (the ``grill-stats status`` output)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .thermoworks.models import Alarm, Channel, Device, Snapshot, Unit

_UNIT_TEXT = {Unit.FAHRENHEIT: "°F", Unit.CELSIUS: "°C", Unit.HUMIDITY: "%RH"}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _alarm(alarm: Alarm | None) -> dict[str, Any] | None:
    if alarm is None:
        return None
    return {"enabled": alarm.enabled, "value": alarm.value, "alarming": alarm.alarming}


def probe_data(channel: Channel) -> dict[str, Any]:
    """One probe as JSON-ready data."""
    return {
        "number": channel.number,
        "name": channel.name,
        "temperature": channel.temperature,
        "unit": channel.unit.value,
        "connected": channel.connected,
        "status": channel.status,
        "last_seen": _iso(channel.last_seen),
        "alarm_high": _alarm(channel.alarm_high),
        "alarm_low": _alarm(channel.alarm_low),
    }


def device_data(device: Device) -> dict[str, Any]:
    """One device as JSON-ready data."""
    return {
        "serial": device.serial,
        "name": device.name,
        "model": device.model,
        "firmware": device.firmware,
        "battery": device.battery,
        "battery_state": device.battery_state.value,
        "charging": device.charging,
        "signal": device.signal,
        "last_seen": _iso(device.last_seen),
        "online": device.online,
        "gateway": device.gateway,
        "probes": [probe_data(channel) for channel in device.channels.values()],
    }


def snapshot_data(snapshot: Snapshot) -> dict[str, Any]:
    """A poll as JSON-ready data (no e-mail, no password, no tokens)."""
    return {
        "cloud_time": _iso(snapshot.cloud_time),
        "requests": snapshot.requests,
        "devices": [device_data(device) for device in snapshot.devices.values()],
        "unreadable": sorted(snapshot.unreadable),
    }


def _reading(channel: Channel) -> str:
    if channel.temperature is None:
        return "—" if channel.connected else "no probe"
    return f"{channel.temperature:g} {_UNIT_TEXT[channel.unit]}"


def _alarms(channel: Channel) -> str:
    parts = []
    for word, alarm in (("high", channel.alarm_high), ("low", channel.alarm_low)):
        if alarm is not None and alarm.enabled and alarm.value is not None:
            # An alarm flag is as old as the reading behind it: none without a fresh reading.
            flag = " ALARM" if alarm.alarming and channel.temperature is not None else ""
            parts.append(f"{word} {alarm.value:g}{flag}")
    return ", ".join(parts)


def format_table(snapshot: Snapshot) -> str:
    """A poll as a readable table, one block per device."""
    lines: list[str] = [
        f"{serial}  could not be read this poll (the cloud sent a document that makes no sense)"
        for serial in sorted(snapshot.unreadable)
    ]
    if not snapshot.devices and not lines:
        return "No devices on this account."
    for device in snapshot.devices.values():
        battery = "—" if device.battery is None else f"{device.battery}%"
        if device.charging:
            battery += " (charging)"
        signal = "—" if device.signal is None else f"{device.signal} dBm"
        seen = device.last_seen.strftime("%Y-%m-%d %H:%M:%S UTC") if device.last_seen else "never"
        state = "online" if device.online else "OFFLINE"
        lines.append(f"{device.name}  [{device.model}, {device.serial}]  {state}")
        lines.append(f"  battery {battery}   signal {signal}   last seen {seen}")
        if device.channels:
            width = max(len(channel.name) for channel in device.channels.values())
            for channel in device.channels.values():
                row = f"  {channel.number:>2}  {channel.name:<{width}}  {_reading(channel):>12}"
                if alarms := _alarms(channel):
                    row += f"   alarms: {alarms}"
                lines.append(row.rstrip())
        lines.append("")
    lines.append(f"{len(snapshot.devices)} device(s), {snapshot.requests} request(s)")
    return "\n".join(lines)
