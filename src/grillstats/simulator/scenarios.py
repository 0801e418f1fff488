"""Scenarios: how the simulated cooks stand when the simulator starts.

``default`` (tests, benchmarks): every cook starts when its device is created, with a cold pit.

``demo``: a cook worth watching from the first second. At the scenario's start (the moment the
demo begins) the cooks are already under way, each pit at its set point: the brisket flat has
just gone into its stall while the point is still rising, the ribs are a few degrees short of
their target, a chicken and a turkey are climbing. The cooks are fixed (:data:`DEMO_COOKS`;
the seed moves only the fire's wander and the reading noise), so the story holds for any seed.
Every :data:`DEMO_PERIOD` after that a new cook starts from raw meat in the same hot pits, so
a demo left running keeps showing a live cook. The state at any moment is a pure function of
(seed, scenario start, sim time): a simulator built later for the same start shows the same.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from .catalog import alarm, build_device
from .cuts import MEATS
from .physics import CookModel, CookParams, PitParams, ProbeParams, StallParams

if TYPE_CHECKING:
    from .devices import SimDevice
    from .fleet import Fleet

type Scenario = Literal["default", "demo"]
SCENARIOS: tuple[Scenario, ...] = ("default", "demo")

DEMO_PERIOD = timedelta(hours=12)
"""A new cook starts this often (a brisket from raw takes about 10 h in the demo's pit)."""


@dataclass(frozen=True, kw_only=True)
class DemoMeat:
    """One cut of the demo: fixed, so the story does not depend on the seed."""

    mass_kg: float
    stall_onset_f: float | None = None
    stall_hours: float = 0.0
    on_hours: float = 0.0
    """When it goes on, in hours after the pit was lit (the first cook only)."""


@dataclass(frozen=True, kw_only=True)
class DemoCook:
    """One device's cook in the demo, by its label."""

    set_point_f: float
    lead_hours: float = 0.0
    """How long the first cook has been going when the demo begins."""
    meats: dict[str, DemoMeat]


DEMO_COOKS: dict[str, DemoCook] = {
    # Flat: its stall begins about 8 minutes before the demo does; the point stalls later.
    "Brisket Smoker": DemoCook(
        set_point_f=250.0,
        lead_hours=4.1,
        meats={
            "Brisket Flat": DemoMeat(mass_kg=6.0, stall_onset_f=158.0, stall_hours=3.0),
            "Brisket Point": DemoMeat(mass_kg=7.0, stall_onset_f=165.0, stall_hours=2.0),
        },
    ),
    "Smoke": DemoCook(set_point_f=275.0, lead_hours=1.0, meats={"Chicken": DemoMeat(mass_kg=1.8)}),
    "RFX Gateway": DemoCook(set_point_f=250.0, lead_hours=6.0, meats={}),
    # Past its stall, climbing to 203 °F.
    "Pork Butt": DemoCook(
        set_point_f=250.0,
        lead_hours=6.0,
        meats={"Pork Butt": DemoMeat(mass_kg=4.0, stall_onset_f=160.0, stall_hours=2.0)},
    ),
    # Ribs about 8 °F short of 198 °F; the chicken went on an hour ago.
    "Kamado": DemoCook(
        set_point_f=275.0,
        lead_hours=2.55,
        meats={
            "Ribs": DemoMeat(mass_kg=1.5, stall_onset_f=155.0, stall_hours=1.0),
            "Chicken": DemoMeat(mass_kg=1.6, on_hours=1.55),
            "Turkey": DemoMeat(mass_kg=6.0),
        },
    ),
}
"""The demo's cooks by device label (other labels, from ``devices`` > 6, start at the demo's
start with their seeded cuts, in a pit already at its set point)."""


def cycle_of(start: datetime, now: datetime) -> int:
    """Which cook the demo is on at ``now`` (0: the one under way when it began)."""
    if now <= start:
        return 0
    return math.floor((now - start) / DEMO_PERIOD)


def cycle_start(start: datetime, cycle: int) -> datetime:
    """When cook ``cycle`` begins to be watched (for cook 0, the demo's start)."""
    return start + cycle * DEMO_PERIOD


def demo_lead(label: str, cycle: int) -> timedelta:
    """How long a device's cook has been going when its cycle begins (only cook 0 has)."""
    cook = DEMO_COOKS.get(label)
    if cycle or cook is None:
        return timedelta(0)
    return timedelta(hours=cook.lead_hours)


def apply_demo(device: SimDevice, *, seed: int, index: int, cycle: int) -> None:
    """Give a freshly built device the demo's cook for ``cycle`` and alarms that fit it.

    Pits start at their set point (the meat goes on once the fire is up), so the cloud's pit
    alarms (set point ± 50 °F) stay quiet; a meat's high alarm is its target, which goes off
    when that meat is done.
    """
    if device.cook is None:
        return
    rng = random.Random(f"grillstats-simulator/{seed}/{index}/demo/{cycle}")
    spec = DEMO_COOKS.get(device.label)
    old = device.cook.params
    set_point = spec.set_point_f if spec else old.pit.set_point_f
    pit = PitParams(
        ambient_f=set_point,
        set_point_f=set_point,
        warmup_seconds=900.0,
        drift_f=rng.uniform(3.0, 5.0),
    )
    probes = tuple(
        _demo_probe(probe, spec.meats.get(probe.label) if spec else None, cycle, rng)
        for probe in old.probes
    )
    device.cook = CookModel(CookParams(pit=pit, probes=probes), rng)
    for channel in device.channels:
        # Forget what the seeded cook published at creation (its minimum and maximum too).
        channel.value = channel.minimum = channel.maximum = None
        channel.rate_per_min = 0.0
        if channel.source[0] == "pit":
            channel.alarm_high = alarm(channel.units, set_point + 50)
            channel.alarm_low = alarm(channel.units, set_point - 50)
    device.publish()


def _demo_probe(
    seeded: ProbeParams, meat: DemoMeat | None, cycle: int, rng: random.Random
) -> ProbeParams:
    if meat is None:
        return seeded
    strength = MEATS[seeded.label][1]
    stall = None
    if meat.stall_onset_f is not None and strength is not None:
        stall = StallParams(
            onset_f=meat.stall_onset_f,
            duration_seconds=meat.stall_hours * 3600,
            strength=strength,
        )
    return ProbeParams(
        label=seeded.label,
        mass_kg=meat.mass_kg,
        start_f=rng.uniform(38.0, 41.0),
        target_f=seeded.target_f,
        stall=stall,
        on_seconds=0.0 if cycle else meat.on_hours * 3600,
    )


class DemoScenario:
    """The demo at work on a fleet: the devices it adopts get its cook, and a new one each period.

    A device the demo has adopted is rebuilt (same serial, same recipe) whenever a period ends,
    so control changes to it end with its cook.
    """

    def __init__(self, fleet: Fleet, start: datetime, now: datetime) -> None:
        self.fleet = fleet
        self.start = start
        self.cycle = cycle_of(start, now)
        self._serials: list[str] = []

    def adopt(self, serial: str) -> None:
        """Give a device of the fleet the demo's current cook, and a new one every period."""
        self._serials.append(serial)
        self.fleet.replace(self._demo_device(serial, self.cycle))

    def catch_up(self, now: datetime) -> None:
        """Start the new cooks if a period has ended since the last call."""
        cycle = cycle_of(self.start, now)
        if cycle <= self.cycle:
            return
        self.cycle = cycle
        for serial in self._serials:
            if serial in self.fleet:  # not removed meanwhile
                self.fleet.replace(self._demo_device(serial, cycle))

    def _demo_device(self, serial: str, cycle: int) -> SimDevice:
        """A device as it stands when its cook for ``cycle`` began (stepped lazily from there)."""
        start = cycle_start(self.start, cycle)
        recipe = self.fleet.recipe(serial)
        device = build_device(recipe, seed=self.fleet.seed, created=start)
        device.created = device.sim_time = start - demo_lead(device.label, cycle)
        apply_demo(device, seed=self.fleet.seed, index=recipe.index, cycle=cycle)
        return device
