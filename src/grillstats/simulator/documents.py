"""Simulator state → Firestore documents, with the real cloud's quirks.

Quirks reproduced on purpose: integers as ``integerValue`` strings; readings as float32-noisy
``doubleValue`` (``251.39999389648438``), or ``integerValue`` when the 0.1-rounded reading is
whole (as the JavaScript SDK stores a whole number), or ``nullValue`` (unplugged probe, or an
RFX point that missed a report); ``wifi_stength`` misspelt; ``gatewayRSSI`` as a *string*;
humidity alarms with ``units: "F"``; unknown extra fields.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..thermoworks.firestore import encode_fields, format_timestamp
from ..thermoworks.providers import documents_path
from .auth import Account
from .devices import Alarm, SimChannel, SimDevice


def float32(value: float) -> float:
    """Round-trip a float through IEEE-754 single precision, as the devices store readings."""
    result: float = struct.unpack("<f", struct.pack("<f", value))[0]
    return result


def reading(value: float | None) -> float | int | None:
    """A reading as the cloud stores it: whole → int, else float32 of the 0.1-rounded value."""
    if value is None:
        return None
    rounded = round(value, 1)
    if rounded == int(rounded):
        return int(rounded)
    return float32(rounded)


def document(
    name: str, fields: dict[str, Any], created: datetime, updated: datetime
) -> dict[str, Any]:
    """A Firestore document object."""
    return {
        "name": name,
        "fields": encode_fields(fields),
        "createTime": format_timestamp(created),
        "updateTime": format_timestamp(max(created, updated)),
    }


def device_name(project_id: str, serial: str) -> str:
    """The full document name of a device."""
    return f"{documents_path(project_id)}/devices/{serial}"


def fan_state(device: SimDevice) -> dict[str, Any]:
    """The Billows fan map: blowing below the set point, pulsing near it, paused above."""
    set_temp = round(device.cook.params.pit.set_point_f) if device.cook else 225
    pit = device.channels[0].value
    state = 1
    if pit is not None and pit > set_temp + 5:
        state = 0
    elif pit is not None and pit >= set_temp - 5:
        state = 2
    return {"connected": True, "setTemp": set_temp, "state": state, "fan_channel": "1"}


def device_fields(device: SimDevice) -> dict[str, Any]:
    """The plain fields of a device document."""
    info = device.info
    seen = device.last_report or device.created
    fields: dict[str, Any] = {
        "serial": device.serial,
        "accountId": device.account_id,
        "device": device.family,
        "type": info.type,
        "label": device.label,
        "status": "NORMAL",
        "firmware": info.firmware,
        "battery": device.shown_battery,
        "batteryState": device.shown_battery_state,
        "deviceDisplayUnits": device.units,
        "lastSeen": seen,
        "lastTelemetrySaved": seen,
        "latestReading": seen,
        "transmitIntervalInSeconds": info.transmit_seconds,
        "recordingIntervalInSeconds": info.recording_seconds,
        "pendingLoad": False,  # unknown to clients: must be ignored
        "thirdPartyAccess": {"alexa": False},
    }
    if device.family != "rfx meat":
        fields["deviceId"] = device.serial
    if info.wifi:
        fields["wifi_stength"] = device.shown_rssi  # sic: the cloud's own spelling
    else:
        fields["gatewayRSSI"] = str(device.shown_rssi)  # sic: a string in the real data
        fields["gatewayId"] = device.gateway or ""
    if device.family.startswith("rfx"):
        fields["temperatureDeltaTrigger"] = 2
    if device.fan:
        fields["fan"] = fan_state(device)
    return fields


def _alarm(alarm: Alarm, alarming: bool, created: datetime) -> dict[str, Any]:
    return {
        "enabled": alarm.enabled,
        "alarming": alarming,
        "value": reading(alarm.value),
        "units": alarm.units,
        "muted": False,
        "lastNotified": created,
    }


def eta_text(channel: SimChannel) -> str:
    """The app's own estimate of when the high alarm fires."""
    value = channel.value
    if not channel.alarm_high.enabled or value is None or value >= channel.alarm_high.value:
        return ""
    if channel.rate_per_min <= 0.01:
        return "More than 24 Hours"
    minutes = (channel.alarm_high.value - value) / channel.rate_per_min
    return "More than 24 Hours" if minutes > 24 * 60 else f"{max(1, round(minutes))} minutes"


def channel_fields(device: SimDevice, channel: SimChannel) -> dict[str, Any]:
    """The plain fields of a channel document."""
    fields: dict[str, Any] = {
        "number": channel.number,
        "label": channel.label,
        "value": reading(channel.value),
        "units": channel.units,
        "status": channel.status,
        "enabled": channel.enabled,
        "lastSeen": channel.last_seen or device.created,
        "alarmHigh": _alarm(channel.alarm_high, channel.high_alarming, device.created),
        "alarmLow": _alarm(channel.alarm_low, channel.low_alarming, device.created),
        "estimatedAlarmStatus": eta_text(channel),
        "type": "humidity" if channel.units == "H" else "temperature",
        "rateOfChange": float32(round(channel.rate_per_min, 2)),
        "rateOfChangeUnit": "minute",
        "calibration": 0,
    }
    for key, extreme in (("minimum", channel.minimum), ("maximum", channel.maximum)):
        if extreme is not None:
            value, when = extreme
            fields[key] = {
                "reading": {"value": reading(value), "units": channel.units},
                "dateReading": when,
            }
    return fields


def device_document(project_id: str, device: SimDevice) -> dict[str, Any]:
    """The Firestore document of a device."""
    updated = device.last_report or device.created
    result = document(
        device_name(project_id, device.serial), device_fields(device), device.created, updated
    )
    if device.corrupt:
        result["fields"] = "unreadable"  # a document whose fields are not an object
    return result


def channel_document(project_id: str, device: SimDevice, channel: SimChannel) -> dict[str, Any]:
    """The Firestore document of a channel."""
    name = f"{device_name(project_id, device.serial)}/channels/{channel.number}"
    updated = channel.last_seen or device.created
    return document(name, channel_fields(device, channel), device.created, updated)


def user_document(
    project_id: str, account: Account, devices: Iterable[SimDevice], created: datetime
) -> dict[str, Any]:
    """The Firestore document ``users/{uid}``."""
    order = [{"deviceId": device.serial, "order": index} for index, device in enumerate(devices)]
    fields: dict[str, Any] = {
        "accountId": account.account_id,
        "email": account.email,
        "displayName": "",
        "preferredUnits": "F",
        "timeZone": "America/Chicago",
        "locale": "en-US",
        "deviceOrder": {account.account_id: order},
        "roles": {"owner": True},
        "lastLogin": created,
        "photoURL": None,
    }
    return document(f"{documents_path(project_id)}/users/{account.uid}", fields, created, created)
