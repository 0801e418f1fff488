"""Stall detection, rate of change and cook phase for one meat probe.

Why a *normalised* rate: by Newton's law of heating, ``dT/dt = k · (pit - T)``, a piece of meat
always slows down as it approaches the pit, so a falling slope alone is no sign of a stall (and
a temperature band would be folklore). The heating constant ``k`` however stays put until
evaporation starts to cancel the heating: that is the stall. So the detector fits ``k`` over a
short recent window (against the measured pit, which also absorbs a wandering fire), compares
it with the ``k`` the meat showed earlier in the rise, and calls a stall when it collapses.

Rule (defaults in :class:`StallSettings`):

* *start*: on ``confirm`` consecutive samples, the recent ``k`` (last ``window_minutes``) is
  below ``start_ratio`` * the reference ``k`` (median of the earlier, unstalled windows), the
  meat has risen at least ``min_rise_fraction`` of its starting gap to the pit, and the heating
  the reference predicts right now is at least ``min_expected_rate`` °F/h (so the meat is well
  below a hot pit and a collapse is measurable above the noise);
* *end*: the recent ``k`` is back above ``end_ratio`` * the reference on ``confirm``
  consecutive samples (or the target is reached).

A probe outlives its cook: the same channel measures tonight's chicken and tomorrow's brisket.
What was learnt about one cook must not leak into the next, so the detector starts afresh at a
*cook boundary*: no reading for ``gap_minutes`` (probe unplugged, thermometer off), or a
reading ``reset_drop`` below the recent level (the probe was pulled or moved to cold meat).
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from grillstats.thermoworks.models import Unit

from . import codec
from .fit import HeatingFit, Sample, fit_heating, slope_per_hour
from .thresholds import DEFAULT_HYSTERESIS, convert_delta


class CookPhase(StrEnum):
    """Where a cook is: not heating yet, heating, stalled, or at its target."""

    IDLE = "idle"
    HEATING = "heating"
    STALL = "stall"
    DONE = "done"


class StallEventType(StrEnum):
    """The stall alert types."""

    STALL_STARTED = "stall_started"
    STALL_ENDED = "stall_ended"


@dataclass(frozen=True, kw_only=True)
class StallEvent:
    """A stall began or ended at ``timestamp``, at ``temperature`` (the probe's unit)."""

    type: StallEventType
    timestamp: datetime
    temperature: float


@dataclass(frozen=True, kw_only=True)
class StallSettings:
    """Tunables of the stall rule (see the module docstring)."""

    window_minutes: float = 20.0
    """Window of :attr:`StallDetector.recent_k`, the reference ``k`` and the end test."""
    start_windows: tuple[float, ...] = (15.0, 20.0)
    """Windows (minutes) tried for the start: the shortest reacts fastest to a sharp stall."""
    rate_window_minutes: float = 30.0
    """Window of :attr:`StallDetector.rate_per_hour`."""
    start_ratio: float = 0.65
    end_ratio: float = 0.7
    confirm: int = 1
    min_rise_fraction: float = 0.25
    min_expected_rate: float = 6.0
    """°F/h (converted for a °C probe)."""
    min_reference_windows: int = 3
    significance: float = 4.0
    """The collapse must also exceed this many standard errors of the recent ``k`` (from the
    reading noise seen earlier in the cook), so noisy probes near the end never fake a stall."""
    noise_floor: float = 0.05
    """°F: the least reading noise assumed (readings come rounded to 0.1)."""
    idle_rise: float = 3.0
    """°F the meat must rise above its lowest reading before the cook counts as heating."""
    history_hours: float = 12.0
    gap_minutes: float = 60.0
    """No reading for longer than this starts a new cook (a Wi-Fi drop of minutes does not)."""
    reset_drop: float = 40.0
    """°F below the median of the last ``drop_window_minutes`` that starts a new cook: meat in
    a pit never cools that fast, a probe pulled out or moved to cold meat does."""
    drop_window_minutes: float = 15.0


class StallDetector:
    """Feed it samples in time order; it emits ``stall_started`` / ``stall_ended``.

    Samples without a pit reading reuse the last pit seen; until any pit is known there is no
    stall detection (there is nothing to compare the meat's heating with).
    """

    def __init__(
        self,
        *,
        target: float | None = None,
        unit: Unit = Unit.FAHRENHEIT,
        settings: StallSettings | None = None,
    ) -> None:
        """A detector for one probe; ``target`` is in ``unit``, the probe's unit."""
        self.unit = unit
        self.settings = settings or StallSettings()
        self._target = target
        self._samples: deque[Sample] = deque()
        self.reset()

    def reset(self) -> None:
        """Forget the cook (a new one starts with the next sample); the target stays."""
        self._samples.clear()
        self._reference: deque[float] = deque(maxlen=48)
        self._noise: deque[float] = deque(maxlen=48)
        self._first: Sample | None = None
        self._last_pit: float | None = None
        self._stalled = False
        self._stall_started_at: datetime | None = None
        self._stall_ended_at: datetime | None = None
        self._streak = 0
        self._done = False
        self._heating = False
        self._recent_k: float | None = None

    def state_dict(self) -> dict[str, object]:
        """What the detector knows about the cook, as plain JSON (so a restart keeps it)."""
        return {
            "unit": self.unit.value,
            "samples": [codec.encode_sample(s) for s in self._samples],
            "first": None if self._first is None else codec.encode_sample(self._first),
            "reference": list(self._reference),
            "noise": list(self._noise),
            "last_pit": self._last_pit,
            "stalled": self._stalled,
            "stall_started_at": codec.epoch(self._stall_started_at),
            "stall_ended_at": codec.epoch(self._stall_ended_at),
            "streak": self._streak,
            "done": self._done,
            "heating": self._heating,
            "recent_k": self._recent_k,
        }

    @classmethod
    def from_state(
        cls,
        data: Mapping[str, object] | None,
        *,
        target: float | None = None,
        unit: Unit = Unit.FAHRENHEIT,
        settings: StallSettings | None = None,
    ) -> StallDetector:
        """Rebuild from :meth:`state_dict` output; a bad state or another unit starts afresh."""
        detector = cls(target=target, unit=unit, settings=settings)
        if data:
            try:
                detector._restore(data)
            except (KeyError, TypeError, ValueError):
                detector.reset()
        return detector

    def _restore(self, data: Mapping[str, object]) -> None:
        if data["unit"] != self.unit.value:
            raise ValueError("the probe's unit changed")
        samples = [codec.decode_sample(value) for value in codec.items(data["samples"])]
        times = [sample.timestamp for sample in samples]
        if times != sorted(set(times)):
            raise ValueError("samples out of order")
        if samples:
            horizon = samples[-1].timestamp - timedelta(hours=self.settings.history_hours)
            samples = [sample for sample in samples if sample.timestamp >= horizon]
        self._samples.extend(samples)
        self._first = codec.optional(data["first"], codec.decode_sample)
        self._reference.extend(codec.number(v) for v in codec.items(data["reference"]))
        self._noise.extend(codec.number(v) for v in codec.items(data["noise"]))
        self._last_pit = codec.optional(data["last_pit"], codec.number)
        self._stalled = codec.flag(data["stalled"])
        self._stall_started_at = codec.optional(data["stall_started_at"], codec.moment)
        self._stall_ended_at = codec.optional(data["stall_ended_at"], codec.moment)
        self._streak = int(codec.number(data["streak"]))
        self._done = codec.flag(data["done"])
        self._heating = codec.flag(data["heating"])
        self._recent_k = codec.optional(data["recent_k"], codec.number)

    @property
    def target(self) -> float | None:
        """The target (probe units), or ``None``."""
        return self._target

    @target.setter
    def target(self, target: float | None) -> None:
        """A new target: ``done`` holds only if the latest reading has reached it."""
        self._target = target
        if self._done and (target is None or not self._samples or self._below(target)):
            self._done = False

    def _below(self, target: float) -> bool:
        return self._samples[-1].temperature < target

    @property
    def samples(self) -> tuple[Sample, ...]:
        """The samples kept (the last ``history_hours``), pit filled in where known."""
        return tuple(self._samples)

    @property
    def last_seen(self) -> datetime | None:
        """The time of the newest sample (a reading at or before it is ignored)."""
        return self._samples[-1].timestamp if self._samples else None

    @property
    def stalled(self) -> bool:
        """Whether the probe is in a stall now."""
        return self._stalled

    @property
    def stall_started_at(self) -> datetime | None:
        """When the current (or last) stall was detected to start."""
        return self._stall_started_at

    @property
    def stall_ended_at(self) -> datetime | None:
        """When the last stall ended (``None`` while stalled or before any)."""
        return self._stall_ended_at

    @property
    def reference_k(self) -> float | None:
        """The heating constant (1/h) the meat showed before any stall, once known."""
        if len(self._reference) < self.settings.min_reference_windows:
            return None
        return statistics.median(self._reference)

    @property
    def noise(self) -> float:
        """The reading noise (probe units) estimated from the fits of the unstalled rise."""
        floor = self._degrees(self.settings.noise_floor)
        if not self._noise:
            return floor
        return max(statistics.median(self._noise), floor)

    @property
    def recent_k(self) -> float | None:
        """The heating constant (1/h) over the last window."""
        return self._recent_k

    @property
    def rate_per_hour(self) -> float | None:
        """Rate of change over the last ``rate_window_minutes``, probe units per hour."""
        return slope_per_hour(self._window(self.settings.rate_window_minutes))

    @property
    def phase(self) -> CookPhase:
        """The cook phase: ``done`` from the target until the meat falls back below it."""
        if self._done:
            return CookPhase.DONE
        if self._stalled:
            return CookPhase.STALL
        return CookPhase.HEATING if self._heating else CookPhase.IDLE

    def _degrees(self, fahrenheit: float) -> float:
        """A °F setting as a difference in the probe's unit."""
        return convert_delta(fahrenheit, Unit.FAHRENHEIT, self.unit)

    def _window(self, minutes: float) -> list[Sample]:
        if not self._samples:
            return []
        start = self._samples[-1].timestamp - timedelta(minutes=minutes)
        return [s for s in self._samples if s.timestamp >= start]

    def update(
        self, timestamp: datetime, temperature: float | None, pit: float | None = None
    ) -> list[StallEvent]:
        """Add one sample; return the stall events it causes."""
        if temperature is None or not math.isfinite(temperature):
            return []
        if self._samples and timestamp <= self._samples[-1].timestamp:
            return []  # duplicate or out-of-order poll: ignore
        if self._new_cook(timestamp, temperature):
            # No stall_ended: the stall did not end, the cook did (the phase shows it).
            self.reset()
        if pit is not None and math.isfinite(pit):
            self._last_pit = pit
        sample = Sample(timestamp, temperature, self._last_pit)
        self._samples.append(sample)
        horizon = timestamp - timedelta(hours=self.settings.history_hours)
        while self._samples[0].timestamp < horizon:
            self._samples.popleft()
        self._track_phase(sample)
        if self._done:
            return self._end(sample)
        return self._evaluate(sample)

    def _new_cook(self, timestamp: datetime, temperature: float) -> bool:
        """Whether this reading belongs to another cook than the samples kept."""
        if not self._samples:
            return False
        settings = self.settings
        if timestamp - self._samples[-1].timestamp > timedelta(minutes=settings.gap_minutes):
            return True
        recent = [s.temperature for s in self._window(settings.drop_window_minutes)]
        return temperature < statistics.median(recent) - self._degrees(settings.reset_drop)

    def _track_phase(self, sample: Sample) -> None:
        """Idle → heating once the meat rises; done at the target, re-armed below it."""
        first = self._first
        if first is None or (not self._heating and sample.temperature < first.temperature):
            first = self._first = sample  # idle: the rise counts from the coldest reading
        if sample.temperature - first.temperature >= self._degrees(self.settings.idle_rise):
            self._heating = True
        target = self._target
        if target is None:
            self._done = False
        elif sample.temperature >= target:
            self._done = True
        elif self._done and sample.temperature < target - DEFAULT_HYSTERESIS[self.unit]:
            # Off the heat (resting) or fallen back: idle until it heats again.
            self._done = False
            self._heating = False
            self._first = sample

    def _end(self, sample: Sample) -> list[StallEvent]:
        self._streak = 0
        if not self._stalled:
            return []
        self._stalled = False
        self._stall_ended_at = sample.timestamp
        return [
            StallEvent(
                type=StallEventType.STALL_ENDED,
                timestamp=sample.timestamp,
                temperature=sample.temperature,
            )
        ]

    def _fit(self, minutes: float) -> HeatingFit | None:
        """The heating fit over the last ``minutes``, if the window is well enough covered."""
        window = [s for s in self._window(minutes) if s.pit is not None]
        if len(window) < 3:
            return None
        span = (window[-1].timestamp - window[0].timestamp).total_seconds()
        if span < 0.6 * minutes * 60:
            return None
        return fit_heating(window)

    def _collapsed(self, reference: float) -> bool:
        """Whether a start window's ``k`` fell significantly below ``start_ratio`` of it."""
        settings = self.settings
        for minutes in settings.start_windows:
            fit = self._fit(minutes)
            if (
                fit is not None
                and fit.k < settings.start_ratio * reference
                and (reference - fit.k) * fit.leverage >= settings.significance * self.noise
            ):
                return True
        return False

    def _evaluate(self, sample: Sample) -> list[StallEvent]:
        settings = self.settings
        fit = self._fit(settings.window_minutes)
        self._recent_k = None if fit is None else fit.k
        reference = self.reference_k
        if fit is None or sample.pit is None:
            return []
        if not self._stalled:
            if reference is not None and self._collapsed(reference) and self._plausible(sample):
                self._streak += 1
                if self._streak >= settings.confirm:
                    self._streak = 0
                    self._stalled = True
                    self._stall_started_at = sample.timestamp
                    self._stall_ended_at = None
                    return [
                        StallEvent(
                            type=StallEventType.STALL_STARTED,
                            timestamp=sample.timestamp,
                            temperature=sample.temperature,
                        )
                    ]
                return []
            self._streak = 0
            if (
                self._heating
                and fit.k > 0
                and (reference is None or fit.k >= settings.start_ratio * reference)
            ):
                self._reference.append(fit.k)
                long_fit = self._fit(settings.rate_window_minutes)
                if long_fit is not None and math.isfinite(long_fit.k_se):
                    self._noise.append(long_fit.residual_sd)
            return []
        if reference is not None and fit.k >= settings.end_ratio * reference:
            self._streak += 1
            if self._streak >= settings.confirm:
                return self._end(sample)
        else:
            self._streak = 0
        return []

    def _plausible(self, sample: Sample) -> bool:
        """Meat well below a hot pit, well into its rise, with heating that is measurable."""
        first = self._first
        reference = self.reference_k
        if first is None or sample.pit is None or reference is None:
            return False
        start_gap = sample.pit - first.temperature
        gap = sample.pit - sample.temperature
        if start_gap <= 0 or gap <= 0:
            return False
        risen = sample.temperature - first.temperature
        if risen < self.settings.min_rise_fraction * start_gap:
            return False
        return reference * gap >= self._degrees(self.settings.min_expected_rate)
