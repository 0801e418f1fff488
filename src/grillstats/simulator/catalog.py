"""Building seeded devices: serials, labels, channels, alarms and cooks per family.

Every device gets its own ``random.Random`` derived from the simulator's seed and the device's
creation index, so the same seed gives the same serials, labels and cooks, and adding or
removing one device never changes another's cook.
"""

from __future__ import annotations

import random
from datetime import datetime

from .devices import FAMILY_INFO, Alarm, Family, SimChannel, SimDevice
from .physics import (
    CookModel,
    CookParams,
    EnvironmentModel,
    PitParams,
    ProbeParams,
    StallParams,
    f_to_c,
)

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

MEATS: dict[str, tuple[float, float | None, float]] = {
    # label: (mass kg, stall strength or None for no stall, target °F)
    "Brisket Flat": (6.0, 0.96, 203.0),
    "Brisket Point": (5.0, 0.93, 203.0),
    "Pork Butt": (4.0, 0.95, 203.0),
    "Ribs": (1.5, 0.8, 198.0),
    "Chicken": (1.6, None, 165.0),
    "Turkey": (6.0, None, 165.0),
}

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


def mac_serial(rng: random.Random) -> str:
    """A MAC-style serial for a Wi-Fi device (``FC:E8:C0:F3:7F:F0``)."""
    tail = ":".join(f"{rng.randrange(256):02X}" for _ in range(3))
    return f"{rng.choice(MAC_PREFIXES)}:{tail}"


def m_serial(rng: random.Random) -> str:
    """An M-series serial for an RFX meat probe (``M100081210``)."""
    return f"M1000{rng.randrange(10000, 100000)}"


def meat_probe(name: str, rng: random.Random) -> ProbeParams:
    """Seeded parameters for a named cut: mass, start temperature, stall onset and length."""
    mass, strength, target = MEATS[name]
    stall = None
    if strength is not None:
        hours = rng.uniform(1.0, 4.0) if mass >= 2 else rng.uniform(1.0, 1.5)
        stall = StallParams(
            onset_f=rng.uniform(150.0, 166.0), duration_seconds=hours * 3600, strength=strength
        )
    return ProbeParams(
        label=name,
        mass_kg=mass * rng.uniform(0.85, 1.15),
        start_f=rng.uniform(37.0, 42.0),
        target_f=target,
        stall=stall,
    )


def pit_params(rng: random.Random) -> PitParams:
    """A seeded pit: set point 225-275 °F, warm-up time constant 12-30 min."""
    return PitParams(
        ambient_f=rng.uniform(55.0, 78.0),
        set_point_f=float(rng.choice((225, 235, 250, 250, 265, 275))),
        warmup_seconds=rng.uniform(720.0, 1800.0),
        drift_f=rng.uniform(3.0, 7.0),
    )


def alarm(units: str, value_f: float | None, alarm_units: str | None = None) -> Alarm:
    """A cloud alarm set at ``value_f`` °F (in the channel's unit); ``None``: disabled."""
    shown = alarm_units or units
    if value_f is None:
        return Alarm(enabled=False, value=0.0 if shown == "C" else 32.0, units=shown)
    value = f_to_c(value_f) if units == "C" else value_f
    return Alarm(enabled=True, value=float(round(value)), units=shown)


def _channel(
    number: int,
    label: str,
    units: str,
    source: tuple[str, int],
    alarms_f: tuple[float | None, float | None],
    *,
    enabled: bool = True,
) -> SimChannel:
    high_f, low_f = alarms_f
    return SimChannel(
        number=str(number),
        label=label,
        units=units,
        source=source,
        enabled=enabled,
        unplugged=not enabled,
        alarm_high=alarm(units, high_f),
        alarm_low=alarm(units, low_f),
    )


def build_device(
    family: Family,
    *,
    index: int,
    seed: int,
    variant: int,
    account_id: str,
    created: datetime,
    units: str = "F",
    gateway: str | None = None,
    fan: bool = False,
) -> SimDevice:
    """Build the ``variant``-th device of a family, seeded by ``(seed, index)``."""
    rng = random.Random(f"grillstats-simulator/{seed}/{index}")
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
        for number, meat in enumerate(meats, start=2):
            if meat is None:
                channels.append(
                    _channel(
                        number, f"Probe {number}", units, ("probe", 0), (None, None), enabled=False
                    )
                )
                continue
            probes.append(meat_probe(meat, rng))
            channels.append(
                _channel(number, meat, units, ("probe", len(probes) - 1), (MEATS[meat][2], None))
            )
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
        for number, name in enumerate(names, start=1):
            high = probe.target_f if number == 1 else None
            channels.append(_channel(number, name, units, ("point", number - 1), (high, None)))
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
        account_id=account_id,
        created=created,
        units=units,
        gateway=gateway,
        fan=fan,
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
    number = len(device.channels) + 1
    if device.cook is None:
        return _channel(number, f"Sensor {number}", device.units, ("room", 0), (None, None))
    name = meat or device.rng.choice(sorted(MEATS))
    if name not in MEATS:
        raise ValueError(f"unknown meat {name!r}; use one of {', '.join(sorted(MEATS))}")
    probe = meat_probe(name, device.rng)
    index = device.cook.add_probe(probe)
    return _channel(number, name, device.units, ("probe", index), (probe.target_f, None))
