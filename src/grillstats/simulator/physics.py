"""The cook model: a pit that heats to a set point, meat that follows it and stalls.

Everything here is pure: a :class:`CookModel` is driven by ``step(dt)`` and a seeded
``random.Random``, so the same parameters, seed and steps always give the same cook. Benchmarks
build cooks with varied :class:`CookParams` and read the true stall windows as ground truth.

Model (temperatures in °F, time in seconds):

* Pit: ``target = set_point + drift``; the pit approaches ``target`` exponentially with time
  constant ``warmup_seconds``. ``drift`` is an Ornstein-Uhlenbeck process (std ``drift_f``,
  correlation time ``drift_seconds``): the slow wander of a real fire. ``noise_f`` is per-reading
  jitter on top.
* Meat: Newton's law of heating, ``dT/dt = k · (pit - T)``. ``k`` comes from the mass
  (``K_REFERENCE · mass_kg^(-2/3)``: bigger cuts heat slower) unless given.
* Stall: when the meat first reaches ``onset_f``, evaporative cooling cancels ``strength`` of
  the heating for ``duration_seconds`` (ramped in and out over ``ramp_seconds``), so the
  temperature plateaus; afterwards it climbs to the target and beyond if left in.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Literal

from ..thermoworks.models import Unit
from ..units import convert

K_REFERENCE = 1.9e-4
"""Heating rate constant (1/s) of a 1 kg cut; scaled by ``mass^(-2/3)``."""

type Phase = Literal["heating", "stall", "done"]


@dataclass(frozen=True, kw_only=True)
class PitParams:
    """How the pit (smoker, grill) behaves."""

    ambient_f: float = 70.0
    set_point_f: float = 250.0
    warmup_seconds: float = 1200.0
    """Time constant of the heat-up (≈ 63 % of the way after this long)."""
    drift_f: float = 5.0
    """Standard deviation of the slow wander around the set point."""
    drift_seconds: float = 2700.0
    noise_f: float = 1.2
    """Per-reading jitter."""


@dataclass(frozen=True, kw_only=True)
class StallParams:
    """An evaporative-cooling stall."""

    onset_f: float = 160.0
    duration_seconds: float = 2.5 * 3600
    strength: float = 0.95
    """Fraction of the heating cancelled at the plateau (1 = perfectly flat)."""
    ramp_seconds: float = 900.0


@dataclass(frozen=True, kw_only=True)
class ProbeParams:
    """One piece of meat with a probe in it."""

    label: str = "Meat"
    mass_kg: float = 4.0
    k: float | None = None
    """Heating rate constant (1/s); ``None`` derives it from ``mass_kg``."""
    start_f: float = 40.0
    target_f: float = 203.0
    stall: StallParams | None = None
    noise_f: float = 0.15
    on_seconds: float = 0.0
    """When the meat goes on, in seconds into the cook; until then it holds ``start_f``."""

    @property
    def rate(self) -> float:
        """The effective heating rate constant (1/s)."""
        if self.k is not None:
            return self.k
        return K_REFERENCE * float(max(self.mass_kg, 0.05) ** (-2.0 / 3.0))


@dataclass(frozen=True, kw_only=True)
class CookParams:
    """A whole cook: one pit and any number of probes in it."""

    pit: PitParams = field(default_factory=PitParams)
    probes: tuple[ProbeParams, ...] = ()


@dataclass(frozen=True)
class StallWindow:
    """When a probe's stall really happened, in seconds since the cook started."""

    start_seconds: float
    end_seconds: float
    start_f: float


class _Probe:
    def __init__(self, params: ProbeParams) -> None:
        self.params = params
        self.temp_f = params.start_f
        self.stall_start: float | None = None
        self.stall_temp: float = 0.0

    def stall_factor(self, elapsed: float) -> float:
        """Fraction of the heating that still works (1 outside a stall)."""
        stall = self.params.stall
        if stall is None or self.stall_start is None:
            return 1.0
        into = elapsed - self.stall_start
        if into >= stall.duration_seconds:
            return 1.0
        ramp = max(min(stall.ramp_seconds, stall.duration_seconds / 2), 1.0)
        envelope = min(1.0, into / ramp, (stall.duration_seconds - into) / ramp)
        return 1.0 - stall.strength * max(envelope, 0.0)

    def step(self, elapsed: float, dt: float, pit_f: float) -> None:
        if elapsed < self.params.on_seconds:
            return  # still waiting beside the pit
        stall = self.params.stall
        if stall is not None and self.stall_start is None and self.temp_f >= stall.onset_f:
            self.stall_start = elapsed
            self.stall_temp = self.temp_f
        rate = self.params.rate * self.stall_factor(elapsed)
        self.temp_f = pit_f - (pit_f - self.temp_f) * math.exp(-rate * dt)

    def phase(self, elapsed: float) -> Phase:
        stall = self.params.stall
        start = self.stall_start
        if start is not None and stall is not None and elapsed < start + stall.duration_seconds:
            return "stall"
        if self.temp_f >= self.params.target_f:
            return "done"
        return "heating"


class CookModel:
    """Run a cook forward in sim time without any HTTP.

    >>> model = CookModel(CookParams(probes=(ProbeParams(),)), random.Random(0))
    >>> model.run(3600)
    >>> 40 < model.probe_f(0) < model.pit_f
    True
    """

    def __init__(self, params: CookParams, rng: random.Random) -> None:
        self.params = params
        self._rng = rng
        self.elapsed = 0.0
        self._pit_true = params.pit.ambient_f
        self._drift = 0.0
        self._probes = [_Probe(probe) for probe in params.probes]

    def add_probe(self, params: ProbeParams) -> int:
        """Put another piece of meat in the pit now; return its probe index."""
        self._probes.append(_Probe(params))
        return len(self._probes) - 1

    @property
    def pit_true_f(self) -> float:
        """The pit's temperature without reading noise."""
        return self._pit_true

    @property
    def pit_f(self) -> float:
        """A reading of the pit temperature (with jitter)."""
        return self._pit_true + self._rng.gauss(0.0, self.params.pit.noise_f)

    def probe_true_f(self, index: int) -> float:
        """A probe's true temperature."""
        return self._probes[index].temp_f

    def probe_f(self, index: int) -> float:
        """A reading of a probe (with jitter)."""
        probe = self._probes[index]
        return probe.temp_f + self._rng.gauss(0.0, probe.params.noise_f)

    def phase(self, index: int) -> Phase:
        """Where a probe is: heating, in its stall, or at/over its target."""
        return self._probes[index].phase(self.elapsed)

    def stall_window(self, index: int) -> StallWindow | None:
        """The true stall of a probe once it has begun (``None`` before, or without a stall)."""
        probe = self._probes[index]
        stall = probe.params.stall
        if stall is None or probe.stall_start is None:
            return None
        return StallWindow(
            probe.stall_start, probe.stall_start + stall.duration_seconds, probe.stall_temp
        )

    def step(self, dt: float) -> None:
        """Advance the cook by ``dt`` seconds."""
        pit = self.params.pit
        decay = math.exp(-dt / max(pit.drift_seconds, 1.0))
        self._drift = self._drift * decay + pit.drift_f * math.sqrt(
            1.0 - decay * decay
        ) * self._rng.gauss(0.0, 1.0)
        target = pit.set_point_f + self._drift
        self._pit_true = target - (target - self._pit_true) * math.exp(
            -dt / max(pit.warmup_seconds, 1.0)
        )
        for probe in self._probes:
            probe.step(self.elapsed, dt, self._pit_true)
        self.elapsed += dt

    def run(self, seconds: float, dt: float = 15.0) -> None:
        """Advance by ``seconds`` in steps of ``dt``."""
        steps = max(0, round(seconds / dt))
        for _ in range(steps):
            self.step(dt)


class EnvironmentModel:
    """A room or chamber for NODE: temperature and relative humidity wandering around means."""

    def __init__(self, rng: random.Random, *, mean_f: float = 55.0, mean_rh: float = 72.0) -> None:
        self._rng = rng
        self.mean_f = mean_f
        self.mean_rh = mean_rh
        self.temp_f = mean_f + rng.uniform(-2.0, 2.0)
        self.humidity = mean_rh + rng.uniform(-3.0, 3.0)

    def step(self, dt: float) -> None:
        """Advance by ``dt`` seconds (mean-reverting random walks)."""
        pull = 1.0 - math.exp(-dt / 3600.0)
        scale = math.sqrt(dt / 60.0)
        self.temp_f += (self.mean_f - self.temp_f) * pull + self._rng.gauss(0.0, 0.05) * scale
        self.humidity += (self.mean_rh - self.humidity) * pull + self._rng.gauss(0.0, 0.15) * scale
        self.humidity = min(max(self.humidity, 0.0), 100.0)


def f_to_c(value: float) -> float:
    """Fahrenheit to Celsius."""
    return convert(value, Unit.FAHRENHEIT, Unit.CELSIUS)


def c_to_f(value: float) -> float:
    """Celsius to Fahrenheit."""
    return convert(value, Unit.CELSIUS, Unit.FAHRENHEIT)
