"""What a client or a test sees of the simulated devices without HTTP.

The plain-JSON device state of ``/_sim/state``, each meat channel's intended target, and the
devices as a polling client would parse them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..thermoworks.parse import parse_device
from .documents import channel_document, device_document
from .physics import f_to_c

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..thermoworks.models import Device
    from .devices import SimChannel, SimDevice


def iso(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 with a ``Z`` (``None`` stays ``None``)."""
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def channel_state(channel: SimChannel) -> dict[str, Any]:
    """A channel in plain JSON (``/_sim/state``)."""
    return {
        "number": channel.number,
        "label": channel.label,
        "value": channel.value,
        "units": channel.units,
        "unplugged": channel.unplugged,
        "auto": channel.override is None,
        "enabled": channel.enabled,
        "status": channel.status,
        "alarm_high": channel.alarm_high.value if channel.alarm_high.enabled else None,
        "alarm_low": channel.alarm_low.value if channel.alarm_low.enabled else None,
    }


def cook_state(device: SimDevice) -> dict[str, Any] | None:
    """A device's cook in plain JSON, with each probe's true temperature and stall window."""
    cook = device.cook
    if cook is None:
        return None
    probes: list[dict[str, Any]] = []
    for index, params in enumerate(cook.params.probes):
        window = cook.stall_window(index)
        start = device.created + timedelta(seconds=window.start_seconds) if window else None
        end = device.created + timedelta(seconds=window.end_seconds) if window else None
        probes.append(
            {
                "label": params.label,
                "true_f": round(cook.probe_true_f(index), 2),
                "target_f": params.target_f,
                "phase": cook.phase(index),
                "has_stall": params.stall is not None,
                "stall_start": iso(start),
                "stall_end": iso(end),
            }
        )
    return {
        "set_point_f": cook.params.pit.set_point_f,
        "pit_f": round(cook.pit_true_f, 2),
        "elapsed_seconds": cook.elapsed,
        "probes": probes,
    }


def device_state(device: SimDevice, email: str | None) -> dict[str, Any]:
    """A device in plain JSON (``/_sim/state``), ``email`` being its account's."""
    return {
        "serial": device.serial,
        "device": device.family,
        "label": device.label,
        "account": email,
        "online": device.online,
        "battery": round(device.battery),
        "charging": device.charging,
        "battery_state": device.battery_state,
        "corrupt": device.corrupt,
        "units": device.units,
        "gateway": device.gateway,
        "fan": device.fan,
        "last_seen": iso(device.last_report),
        "cook": cook_state(device),
        "channels": [channel_state(channel) for channel in device.channels],
    }


def meat_targets(devices: Iterable[SimDevice]) -> dict[tuple[str, str], tuple[float, str]]:
    """Each meat channel's intended target, ``(serial, channel number) → (value, unit)``.

    In the channel's unit (``"F"``/``"C"``), rounded to 0.1; an RFX meat probe's under its
    tip (the core).
    """
    targets: dict[tuple[str, str], tuple[float, str]] = {}
    for device in devices:
        if device.cook is None:
            continue
        for channel in device.channels:
            kind, index = channel.source
            if kind == "probe" or (kind == "point" and index == 0):
                probe = 0 if kind == "point" else index
                value = device.cook.params.probes[probe].target_f
                value = f_to_c(value) if channel.units == "C" else value
                targets[(device.serial, channel.number)] = (round(value, 1), channel.units)
    return targets


def parsed_devices(
    project_id: str, devices: Iterable[SimDevice], now: datetime
) -> dict[str, Device]:
    """Devices as a client polling at ``now`` would parse their documents."""
    return {
        device.serial: parse_device(
            device_document(project_id, device),
            {
                channel.number: channel_document(project_id, device, channel)
                for channel in device.channels
            },
            cloud_time=now,
        )
        for device in devices
    }
