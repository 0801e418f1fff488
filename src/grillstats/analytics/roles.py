"""What each probe channel is for a cook: meat, pit, ambient, an RFX point, or humidity.

One rule for the entities and the alerts alike. Only meat gets cook sensors and a target. A
NODE (or ThermaData) logs a curing chamber or a fridge: its channels are ambient, there is no
cook. An RFX Meat probe is one piece of meat with four sensing points: the meat is its *core*
(the lowest valid point, as the ThermoWorks app shows it), tracked under the channel number
:data:`CORE`; its points are only readings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from ..thermoworks import Channel, Device

type ProbeKey = tuple[str, str]
"""A probe: its thermometer's serial and its channel number (or :data:`CORE`)."""

CORE: Final = "core"
"""The channel number an RFX Meat probe's core goes by (``{serial}_core_target``)."""
CORE_LABEL: Final = "Core"
RFX_MEAT: Final = "rfx meat"
LOGGER_MODELS: Final = frozenset({"node", "thermadata"})
LOGGER_TYPE: Final = "datalogger"
PIT_WORDS: Final = ("pit", "ambient", "grill", "smoker", "cooker", "chamber")


class Role(StrEnum):
    """What a channel measures, for what it gets."""

    MEAT = "meat"
    PIT = "pit"
    AMBIENT = "ambient"
    POINT = "point"
    HUMIDITY = "humidity"


def is_pit(channel: Channel) -> bool:
    """Whether a channel's label says it measures the pit."""
    label = (channel.label or "").lower()
    return any(word in label for word in PIT_WORDS)


def is_meat_probe(channel: Channel) -> bool:
    """Whether a channel is a meat probe: the cook is tracked (and shown) for these alone.

    Not a humidity channel, not a pit; a channel that changes to either stops being one.
    """
    return not channel.is_humidity and not is_pit(channel)


def is_logger(device: Device) -> bool:
    """A curing-chamber or fridge logger (NODE, ThermaData): nothing on it is cooked."""
    return device.device_type == LOGGER_TYPE or device.model in LOGGER_MODELS


def role(device: Device, channel: Channel) -> Role:
    """The channel's role; labels decide pits, the model loggers and RFX points."""
    if channel.is_humidity:
        return Role.HUMIDITY
    if channel.number == CORE:
        return Role.MEAT
    if is_logger(device):
        return Role.AMBIENT
    if device.model == RFX_MEAT:
        return Role.POINT
    return Role.PIT if is_pit(channel) else Role.MEAT


def core_temperature(device: Device) -> float | None:
    """An RFX Meat probe's core: the lowest valid of its points."""
    readings = [c.temperature for c in device.channels.values() if c.temperature is not None]
    return min(readings) if readings else None


def core_channel(device: Device) -> Channel | None:
    """An RFX Meat probe's core as a channel of its own (``None`` for other devices)."""
    if device.model != RFX_MEAT or not device.channels:
        return None
    points = list(device.channels.values())
    seen = [point.last_seen for point in points if point.last_seen is not None]
    return Channel(
        number=CORE,
        label=CORE_LABEL,
        temperature=core_temperature(device),
        raw_value=None,
        unit=points[0].unit,
        status=None,
        enabled=any(point.enabled for point in points),
        connected=any(point.connected for point in points),
        last_seen=max(seen, default=None),
        alarm_high=None,
        alarm_low=None,
        minimum=None,
        maximum=None,
        estimated_alarm_status=None,
    )


def find_channel(device: Device, channel: str) -> Channel | None:
    """A channel by its number, the core included."""
    return core_channel(device) if channel == CORE else device.channels.get(channel)


def with_core(device: Device) -> Mapping[str, Channel]:
    """The device's channels, and its core if it has one."""
    core = core_channel(device)
    return device.channels if core is None else {**device.channels, CORE: core}


def cook_view(device: Device) -> Device:
    """The device as the cook tracker sees it: only its meat channels.

    A logger has none; an RFX Meat probe has its core alone (its points are not four cooks).
    """
    if is_logger(device):
        return dataclasses.replace(device, channels={})
    if (core := core_channel(device)) is not None:
        return dataclasses.replace(device, channels={CORE: core})
    return device


def without_readings(device: Device) -> Device:
    """The device as last seen, but with no reading: what is known of it, nothing shown."""
    channels = {
        key: dataclasses.replace(channel, temperature=None)
        for key, channel in device.channels.items()
    }
    return dataclasses.replace(device, channels=channels)
