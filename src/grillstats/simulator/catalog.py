"""Building seeded devices: serials, labels, channels, alarms and cooks per family.

Every device gets its own ``random.Random`` derived from the simulator's seed and the device's
creation index, so the same seed gives the same serials, labels and cooks, and adding or
removing one device never changes another's cook.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from .cuts import MEATS, meat_probe, pit_params
from .devices import FAMILY_INFO, Alarm, Family, SimChannel, SimDevice
from .physics import CookModel, CookParams, EnvironmentModel, ProbeParams, f_to_c

DEFAULT_ROTATION: tuple[tuple[Family, str], ...] = (
    ("signals", "F"),
    ("smoke", "F"),
    ("rfx gateway", "F"),
    ("rfx meat", "F"),
    ("node", "F"),
    ("signals", "C"),
)
"""``devices=N`` takes the first N of this rotation, repeated: every family appears for N ≥ 5."""

MAC_PREFIXES = ("FC:E8:C0", "24:0A:C4", "A4:CF:12", "30:AE:A4", "84:F3:EB")

SIGNALS_SETUPS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("Brisket Smoker", ("Brisket Flat", "Brisket Point", None)),
    ("Kamado", ("Ribs", "Chicken", "Turkey")),
    ("Offset", ("Pork Butt", "Ribs", None)),
)
LABELS: dict[Family, tuple[str, ...]] = {
    "smoke": ("Smoke", "Kettle", "Pellet Grill"),
    "rfx gateway": ("RFX Gateway", "Patio Gateway"),
    "rfx meat": ("Pork Butt", "Brisket Flat", "Chicken", "Ribs"),
    "node": ("Curing Chamber", "Garage", "Beer Fridge"),
}


@dataclass(frozen=True, kw_only=True)
class DeviceRecipe:
    """What a device is built from: with the simulator's seed it fixes the whole device."""

    family: Family
    index: int
    """The creation index, which with the seed seeds the device's random numbers."""
    variant: int
    """How many devices of the family were built before: picks the label and the setup."""
    account_id: str
    units: str = "F"
    gateway: str | None = None
    fan: bool = False


def mac_serial(rng: random.Random) -> str:
    """A MAC-style serial for a Wi-Fi device (``FC:E8:C0:F3:7F:F0``)."""
    tail = ":".join(f"{rng.randrange(256):02X}" for _ in range(3))
    return f"{rng.choice(MAC_PREFIXES)}:{tail}"


def m_serial(rng: random.Random) -> str:
    """An M-series serial for an RFX meat probe (``M100081210``)."""
    return f"M1000{rng.randrange(10000, 100000)}"


def alarm(units: str, value_f: float | None, alarm_units: str | None = None) -> Alarm:
    """A cloud alarm set at ``value_f`` °F (in the channel's unit); ``None``: disabled."""
    shown = alarm_units or units
    if value_f is None:
        return Alarm(enabled=False, value=0.0 if shown == "C" else 32.0, units=shown)
    value = f_to_c(value_f) if units == "C" else value_f
    return Alarm(enabled=True, value=float(round(value)), units=shown)


def _channel(
    channel_number: int,
    label: str,
    units: str,
    source: tuple[str, int],
    alarms_f: tuple[float | None, float | None],
    *,
    enabled: bool = True,
) -> SimChannel:
    high_f, low_f = alarms_f
    return SimChannel(
        number=str(channel_number),
        label=label,
        units=units,
        source=source,
        enabled=enabled,
        unplugged=not enabled,
        alarm_high=alarm(units, high_f),
        alarm_low=alarm(units, low_f),
    )


def build_device(recipe: DeviceRecipe, *, seed: int, created: datetime) -> SimDevice:
    """Build a recipe's device as created at ``created``, seeded by ``(seed, recipe.index)``."""
    family, variant, units = recipe.family, recipe.variant, recipe.units
    rng = random.Random(f"grillstats-simulator/{seed}/{recipe.index}")
    cook_rng = random.Random(rng.getrandbits(64))
    serial = m_serial(rng) if family == "rfx meat" else mac_serial(rng)
    channels: list[SimChannel] = []
    cook: CookModel | None = None
    room: EnvironmentModel | None = None
    pit = pit_params(rng)
    pit_high, pit_low = pit.set_point_f + 50, pit.set_point_f - 50
    if family == "signals":
        label, meats = SIGNALS_SETUPS[variant % len(SIGNALS_SETUPS)]
        channels.append(_channel(1, "Pit", units, ("pit", 0), (pit_high, pit_low)))
        probes: list[ProbeParams] = []
        for channel_number, meat in enumerate(meats, start=2):
            if meat is None:
                name = f"Probe {channel_number}"
                no_alarms = (None, None)
                off = _channel(channel_number, name, units, ("probe", 0), no_alarms, enabled=False)
                channels.append(off)
                continue
            probes.append(meat_probe(meat, rng))
            source = ("probe", len(probes) - 1)
            channels.append(_channel(channel_number, meat, units, source, (MEATS[meat][2], None)))
        cook = CookModel(CookParams(pit=pit, probes=tuple(probes)), cook_rng)
    elif family == "smoke":
        label = LABELS[family][variant % len(LABELS[family])]
        probe = meat_probe("Chicken", rng)
        channels += [
            _channel(1, "Chicken", units, ("probe", 0), (probe.target_f, None)),
            _channel(2, "Pit", units, ("pit", 0), (pit_high, pit_low)),
        ]
        cook = CookModel(CookParams(pit=pit, probes=(probe,)), cook_rng)
    elif family == "rfx gateway":
        label = LABELS[family][variant % len(LABELS[family])]
        channels.append(_channel(1, "Ambient", units, ("pit", 0), (pit_high, pit_low)))
        cook = CookModel(CookParams(pit=pit), cook_rng)
    elif family == "rfx meat":
        label = LABELS[family][variant % len(LABELS[family])]
        probe = meat_probe(label, rng)
        names = ("Tip", "Inner", "Middle", "Outer")
        for channel_number, name in enumerate(names, start=1):
            high = probe.target_f if channel_number == 1 else None
            source = ("point", channel_number - 1)
            channels.append(_channel(channel_number, name, units, source, (high, None)))
        cook = CookModel(CookParams(pit=pit, probes=(probe,)), cook_rng)
    else:
        label = LABELS["node"][variant % len(LABELS["node"])]
        room = EnvironmentModel(cook_rng)
        channels += [
            _channel(1, "Temperature", units, ("room", 0), (70.0, 40.0)),
            _channel(2, "Humidity", "H", ("humidity", 0), (None, None)),
        ]
        channels[1].alarm_high = Alarm(enabled=False, value=85.0, units="F")  # the real quirk
        channels[1].alarm_low = Alarm(enabled=False, value=40.0, units="F")
    wifi = FAMILY_INFO[family].wifi
    rssi = rng.uniform(-72.0, -45.0) if wifi else rng.uniform(-75.0, -50.0)
    device = SimDevice(
        serial=serial,
        family=family,
        label=label,
        account_id=recipe.account_id,
        created=created,
        units=units,
        gateway=recipe.gateway,
        fan=recipe.fan,
        battery=100.0 if family == "rfx gateway" else float(rng.randint(55, 100)),
        charging=family == "rfx gateway",
        rssi=rssi,
        rssi_base=rssi,
        channels=channels,
        cook=cook,
        room=room,
        rng=rng,
        sim_time=created,
    )
    device.publish()
    return device


def extra_channel(device: SimDevice, meat: str | None = None) -> SimChannel:
    """A newly plugged-in probe: a seeded cut in the device's pit (NODE: another room sensor)."""
    channel_number = len(device.channels) + 1
    if device.cook is None:
        label = f"Sensor {channel_number}"
        return _channel(channel_number, label, device.units, ("room", 0), (None, None))
    name = meat or device.rng.choice(sorted(MEATS))
    if name not in MEATS:
        raise ValueError(f"unknown meat {name!r}; use one of {', '.join(sorted(MEATS))}")
    probe = meat_probe(name, device.rng)
    index = device.cook.add_probe(probe)
    return _channel(channel_number, name, device.units, ("probe", index), (probe.target_f, None))
