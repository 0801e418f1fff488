"""What a stall detector remembers about the cook: samples, fits, phase; and its JSON form.

Why store it: the reference ``k``, the reading noise and the stall so far are learnt over hours
of the rise; stored, they survive a restart mid-cook instead of the cook starting afresh.

A probe outlives its cook: the same channel measures tonight's chicken and tomorrow's brisket.
What was learnt about one cook must not leak into the next, so the detector starts afresh at a
*cook boundary* (:meth:`StallState.is_new_cook`): no reading for a long gap (probe unplugged,
thermometer off), or a reading far below the recent level (the probe was pulled or moved to
cold meat).
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from grillstats.thermoworks.models import Unit

from . import codec
from .fit import HeatingFit, Sample, fit_heating

FIT_MEMORY = 48
"""Window fits kept for the reference ``k`` and the noise: the latest 48 (4 h of 5-minute polls)."""


class CookPhase(StrEnum):
    """Where a cook is: not heating yet, heating, stalled, or at its target."""

    IDLE = "idle"
    HEATING = "heating"
    STALL = "stall"
    DONE = "done"


def _fits() -> deque[float]:
    return deque(maxlen=FIT_MEMORY)


@dataclass(kw_only=True)
class StallState:
    """One cook as the detector knows it; a new cook starts from a fresh one."""

    samples: deque[Sample] = field(default_factory=deque)
    """The last ``history_hours`` of samples, in time order, pit filled in where known."""
    reference: deque[float] = field(default_factory=_fits)
    """``k`` of the unstalled windows of the rise."""
    noise: deque[float] = field(default_factory=_fits)
    """Residual spread of the fits of the unstalled rise (probe units)."""
    first: Sample | None = None
    """The sample the rise counts from (the coldest while idle)."""
    last_pit: float | None = None
    stalled: bool = False
    stall_started_at: datetime | None = None
    stall_ended_at: datetime | None = None
    streak: int = 0
    """Consecutive samples that met the start (or, in a stall, the end) test."""
    done: bool = False
    heating: bool = False
    recent_k: float | None = None

    def to_json(self, unit: Unit) -> dict[str, object]:
        """The state as plain JSON, tagged with the probe's unit."""
        return {
            "unit": unit.value,
            "samples": [codec.encode_sample(s) for s in self.samples],
            "first": None if self.first is None else codec.encode_sample(self.first),
            "reference": list(self.reference),
            "noise": list(self.noise),
            "last_pit": self.last_pit,
            "stalled": self.stalled,
            "stall_started_at": codec.epoch(self.stall_started_at),
            "stall_ended_at": codec.epoch(self.stall_ended_at),
            "streak": self.streak,
            "done": self.done,
            "heating": self.heating,
            "recent_k": self.recent_k,
        }

    @classmethod
    def from_json(
        cls, data: Mapping[str, object], *, unit: Unit, history_hours: float
    ) -> StallState:
        """Read :meth:`to_json` output back, dropping samples older than ``history_hours``.

        Raises ``KeyError``, ``TypeError`` or ``ValueError`` for anything it cannot trust,
        another unit included: readings in °C are no history for a probe now in °F.
        """
        if data["unit"] != unit.value:
            raise ValueError("the probe's unit changed")
        samples = [codec.decode_sample(value) for value in codec.items(data["samples"])]
        times = [sample.timestamp for sample in samples]
        if times != sorted(set(times)):
            raise ValueError("samples out of order")
        if samples:
            horizon = samples[-1].timestamp - timedelta(hours=history_hours)
            samples = [sample for sample in samples if sample.timestamp >= horizon]
        state = cls(samples=deque(samples))
        state.first = codec.optional(data["first"], codec.decode_sample)
        state.reference.extend(codec.number(v) for v in codec.items(data["reference"]))
        state.noise.extend(codec.number(v) for v in codec.items(data["noise"]))
        state.last_pit = codec.optional(data["last_pit"], codec.number)
        state.stalled = codec.flag(data["stalled"])
        state.stall_started_at = codec.optional(data["stall_started_at"], codec.moment)
        state.stall_ended_at = codec.optional(data["stall_ended_at"], codec.moment)
        state.streak = int(codec.number(data["streak"]))
        state.done = codec.flag(data["done"])
        state.heating = codec.flag(data["heating"])
        state.recent_k = codec.optional(data["recent_k"], codec.number)
        return state

    def add(self, sample: Sample, *, keep: timedelta) -> None:
        """Append the newest sample; drop those more than ``keep`` older."""
        self.samples.append(sample)
        horizon = sample.timestamp - keep
        while self.samples[0].timestamp < horizon:
            self.samples.popleft()

    def window(self, minutes: float) -> list[Sample]:
        """The samples of the last ``minutes`` (up to the newest)."""
        if not self.samples:
            return []
        start = self.samples[-1].timestamp - timedelta(minutes=minutes)
        return [s for s in self.samples if s.timestamp >= start]

    def fit(self, minutes: float) -> HeatingFit | None:
        """The heating fit over the last ``minutes``, if the window is well enough covered."""
        window = [s for s in self.window(minutes) if s.pit is not None]
        if len(window) < 3:
            return None
        span = (window[-1].timestamp - window[0].timestamp).total_seconds()
        if span < 0.6 * minutes * 60:
            return None
        return fit_heating(window)

    def is_new_cook(
        self,
        timestamp: datetime,
        temperature: float,
        *,
        gap: timedelta,
        drop: float,
        drop_minutes: float,
    ) -> bool:
        """Whether a reading belongs to another cook than the samples kept.

        It does after no reading for longer than ``gap``, or ``drop`` (probe units) below the
        median of the last ``drop_minutes``: meat in a pit never cools that fast.
        """
        if not self.samples:
            return False
        if timestamp - self.samples[-1].timestamp > gap:
            return True
        recent = [s.temperature for s in self.window(drop_minutes)]
        return temperature < statistics.median(recent) - drop

    @property
    def phase(self) -> CookPhase:
        """Done, else stalled, else heating or idle."""
        if self.done:
            return CookPhase.DONE
        if self.stalled:
            return CookPhase.STALL
        return CookPhase.HEATING if self.heating else CookPhase.IDLE

    def track_phase(
        self, sample: Sample, *, target: float | None, idle_rise: float, rearm_band: float
    ) -> None:
        """Idle → heating once the meat rises; done at the target, re-armed below it.

        ``idle_rise`` and ``rearm_band`` are differences in the probe's unit: how far the meat
        must rise above its coldest reading to count as heating, and how far below the target
        it must fall before ``done`` is over.
        """
        first = self.first
        if first is None or (not self.heating and sample.temperature < first.temperature):
            first = self.first = sample  # idle: the rise counts from the coldest reading
        if sample.temperature - first.temperature >= idle_rise:
            self.heating = True
        if target is None:
            self.done = False
        elif sample.temperature >= target:
            self.done = True
        elif self.done and sample.temperature < target - rearm_band:
            # Off the heat (resting) or fallen back: idle until it heats again.
            self.done = False
            self.heating = False
            self.first = sample
