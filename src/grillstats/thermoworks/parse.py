"""Firestore documents → typed models. Tolerant of odd fields, strict about shapes.

A wrong or missing field becomes ``None`` (or a safe default); a document that is not a
document raises :class:`ProtocolError`. Readings are only reported when they can be trusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Final

from .errors import ProtocolError
from .firestore import (
    Fields,
    document_fields,
    get_bool,
    get_int,
    get_map,
    get_number,
    get_str,
    get_timestamp,
)
from .models import Account, Alarm, BatteryState, Channel, Device, Fan, FanState, Unit

NO_PROBE: Final = "NO PROBE"
OFFLINE: Final = "OFFLINE"
MIN_STALE_AFTER: Final = timedelta(minutes=15)
"""A reading is never called stale sooner than this: it covers two missed 5-minute uploads."""
STALE_TRANSMIT_FACTOR: Final = 3
"""...nor sooner than three of the device's own transmit intervals (NODE sends every 2 h)."""

_FAN_STATES: Final = {0: FanState.PAUSED, 1: FanState.BLOWING, 2: FanState.PULSING}


def document_segments(document: object) -> list[str]:
    """Return a document name's path below ``.../documents/`` as segments."""
    if not isinstance(document, Mapping):
        raise ProtocolError(f"expected a Firestore document object, got {type(document).__name__}")
    name = document.get("name")
    if not isinstance(name, str) or "/documents/" not in name:
        raise ProtocolError("a Firestore document has no usable 'name'")
    return [part for part in name.split("/documents/", 1)[1].split("/") if part]


def stale_after(transmit_interval: int | None) -> timedelta:
    """How old a device's last upload may be before its readings are no longer trusted."""
    if transmit_interval is None or transmit_interval <= 0:
        return MIN_STALE_AFTER
    return max(MIN_STALE_AFTER, timedelta(seconds=STALE_TRANSMIT_FACTOR * transmit_interval))


def clean_number(value: float | None, digits: int = 2) -> float | None:
    """Strip float32 noise (``-5.1999998092651367`` → ``-5.2``)."""
    if value is None:
        return None
    return round(float(f"{value:.7g}"), digits)


def _unit(text: str | None) -> Unit | None:
    if text is None:
        return None
    try:
        return Unit(text.strip().upper())
    except ValueError:
        return None


def parse_account(uid: str, email: str, user_document: object) -> Account:
    """Parse ``users/{uid}``; the account id is the one field we cannot do without."""
    fields = document_fields(user_document)
    account_id = get_str(fields, "accountId")
    if not account_id:
        raise ProtocolError(
            "the ThermoWorks user profile has no account id; sign in to the ThermoWorks app "
            "once to finish setting up the account"
        )
    return Account(
        uid=uid,
        account_id=account_id,
        email=get_str(fields, "email") or email,
        preferred_units=_unit(get_str(fields, "preferredUnits")),
        time_zone=get_str(fields, "timeZone"),
    )


def _alarm(fields: Fields, name: str, channel_unit: Unit) -> Alarm | None:
    inner = get_map(fields, name)
    if inner is None:
        return None
    # Humidity channels carry alarm units of "F" in the cloud's data: trust the channel.
    unit = Unit.HUMIDITY if channel_unit is Unit.HUMIDITY else _unit(get_str(inner, "units"))
    return Alarm(
        enabled=bool(get_bool(inner, "enabled")),
        alarming=bool(get_bool(inner, "alarming")),
        value=clean_number(get_number(inner, "value")),
        units=unit or channel_unit,
        muted=bool(get_bool(inner, "muted")),
    )


def _extreme(fields: Fields, name: str) -> float | None:
    inner = get_map(fields, name)
    reading = get_map(inner, "reading") if inner is not None else None
    return clean_number(get_number(reading, "value")) if reading is not None else None


def _is_fresh(last_seen: datetime | None, cloud_time: datetime, limit: timedelta) -> bool:
    return last_seen is None or cloud_time - last_seen <= limit


def parse_channel(
    document: object,
    *,
    device_online: bool,
    default_unit: Unit,
    cloud_time: datetime,
    limit: timedelta,
) -> Channel:
    """Parse ``devices/{serial}/channels/{n}``; ``temperature`` only when it can be trusted."""
    segments = document_segments(document)
    fields = document_fields(document)
    channel_number = get_str(fields, "number") or segments[-1]
    unit = _unit(get_str(fields, "units")) or default_unit
    status = get_str(fields, "status")
    enabled = get_bool(fields, "enabled") is not False
    connected = enabled and (status or "").upper() != NO_PROBE
    raw_value = get_number(fields, "value")
    last_seen = get_timestamp(fields, "lastSeen")
    trusted = device_online and connected and _is_fresh(last_seen, cloud_time, limit)
    return Channel(
        number=channel_number,
        label=get_str(fields, "label"),
        temperature=clean_number(raw_value) if trusted else None,
        raw_value=raw_value,
        unit=unit,
        status=status,
        enabled=enabled,
        connected=connected,
        last_seen=last_seen,
        alarm_high=_alarm(fields, "alarmHigh", unit),
        alarm_low=_alarm(fields, "alarmLow", unit),
        minimum=_extreme(fields, "minimum"),
        maximum=_extreme(fields, "maximum"),
        estimated_alarm_status=get_str(fields, "estimatedAlarmStatus"),
    )


def _battery_state(text: str | None) -> BatteryState:
    try:
        return BatteryState((text or "").strip().lower())
    except ValueError:
        return BatteryState.UNKNOWN


def _fan(fields: Fields) -> Fan | None:
    inner = get_map(fields, "fan")
    if inner is None:
        return None
    state = get_int(inner, "state")
    channel = get_str(inner, "fan_channel")
    if channel is None and (channel_number := get_int(inner, "fan_channel")) is not None:
        channel = str(channel_number)
    return Fan(
        connected=bool(get_bool(inner, "connected")),
        set_temperature=clean_number(get_number(inner, "setTemp")),
        state=_FAN_STATES.get(state) if state is not None else None,
        channel=channel,
    )


def device_serial(document: object) -> str:
    """The serial of a ``devices/{serial}`` document (its id)."""
    segments = document_segments(document)
    if len(segments) != 2 or segments[0] != "devices":
        raise ProtocolError(f"not a device document: {'/'.join(segments)}")
    return segments[1]


def parse_device(
    document: object,
    channel_documents: Mapping[str, object],
    *,
    cloud_time: datetime,
) -> Device:
    """Parse ``devices/{serial}`` with its channel documents (keyed by channel number).

    A channel document that makes no sense is left out; the rest of the device still counts.
    """
    serial = device_serial(document)
    fields = document_fields(document)
    status = get_str(fields, "status")
    last_seen = get_timestamp(fields, "lastSeen")
    transmit = get_int(fields, "transmitIntervalInSeconds")
    limit = stale_after(transmit)
    online = (status or "").upper() != OFFLINE and _is_fresh(last_seen, cloud_time, limit)
    display_units = _unit(get_str(fields, "deviceDisplayUnits"))
    channels: dict[str, Channel] = {}
    ordered = sorted(channel_documents.items(), key=lambda item: _channel_order(item[0]))
    for channel_number, channel_document in ordered:
        try:
            channel = parse_channel(
                channel_document,
                device_online=online,
                default_unit=display_units or Unit.FAHRENHEIT,
                cloud_time=cloud_time,
                limit=limit,
            )
        except ProtocolError:
            continue
        channels[channel_number] = channel
    signal = get_int(fields, "gatewayRSSI")
    if signal is None:
        signal = get_int(fields, "wifi_stength")  # sic: the cloud's own spelling
    return Device(
        serial=serial,
        device_id=get_str(fields, "deviceId"),
        model=(get_str(fields, "device") or get_str(fields, "type") or "thermometer").strip(),
        device_type=get_str(fields, "type"),
        label=get_str(fields, "label"),
        status=status,
        firmware=get_str(fields, "firmware"),
        battery=_percent(get_int(fields, "battery")),
        battery_state=_battery_state(get_str(fields, "batteryState")),
        signal=signal,
        display_units=display_units,
        last_seen=last_seen,
        transmit_interval=transmit,
        recording_interval=get_int(fields, "recordingIntervalInSeconds"),
        gateway=get_str(fields, "gatewayId"),
        online=online,
        fan=_fan(fields),
        channels=channels,
    )


def stale_at(device: Device) -> datetime | None:
    """The cloud time after which something this device shows as fresh is stale.

    That is the oldest reading still trusted (or the device's last upload, after which it is
    offline), plus :func:`stale_after`; ``None`` when nothing shown can turn stale.
    """
    if not device.online:
        return None  # an offline device shows no readings
    limit = stale_after(device.transmit_interval)
    seen = [c.last_seen for c in device.channels.values() if c.temperature is not None]
    times = [when + limit for when in (device.last_seen, *seen) if when is not None]
    return min(times, default=None)


def as_of(device: Device, cloud_time: datetime) -> Device:
    """The device as a parse of the same documents at a later ``cloud_time`` would give it.

    Readings that have turned stale since are ``None``; a device whose last upload has, is
    offline. Lets a caller retire readings on time between polls; unchanged, the very
    same object is returned.
    """
    limit = stale_after(device.transmit_interval)
    online = device.online and _is_fresh(device.last_seen, cloud_time, limit)
    channels = {
        channel_number: replace(channel, temperature=None)
        if channel.temperature is not None
        and not (online and _is_fresh(channel.last_seen, cloud_time, limit))
        else channel
        for channel_number, channel in device.channels.items()
    }
    if online == device.online and all(
        channels[channel_number] is channel for channel_number, channel in device.channels.items()
    ):
        return device
    return replace(device, online=online, channels=channels)


def _percent(value: int | None) -> int | None:
    return None if value is None else max(0, min(100, value))


def _channel_order(channel_number: str) -> tuple[int, str]:
    """Channels in numeric order ("2" before "10"); a non-numeric id after all of them."""
    if channel_number.isdigit():
        return (int(channel_number), channel_number)
    return (1 << 30, channel_number)
