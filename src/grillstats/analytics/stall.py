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
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from grillstats.thermoworks.models import Unit

from .thresholds import convert_delta

HOUR = 3600.0


@dataclass(frozen=True)
class Sample:
    """A reading of the meat probe and (if known) the pit at the same time."""

    timestamp: datetime
    temperature: float
    pit: float | None = None


@dataclass(frozen=True)
class HeatingFit:
    """Newton's law fitted in integral form: ``T_i - T_0 = c + k · ∫(pit - T) dt``."""

    k: float
    """Heating constant, 1/h."""
    k_se: float
    """Standard error of ``k`` (1/h); ``inf`` with fewer than three samples."""
    intercept: float
    residual_sd: float
    """Standard deviation of the residuals (degrees)."""
    fitted_last: float
    """The fitted temperature at the last sample (less noisy than the reading)."""
    leverage: float
    """``sqrt(Σ (x - x̄)²)`` of the integral regressor: ``SE(k) = noise / leverage``."""


def fit_heating(samples: Sequence[Sample]) -> HeatingFit | None:
    """Least-squares ``k`` from samples that all carry a pit reading (``None`` if impossible).

    The integral form is linear in ``k``, so no iteration is needed, and using each sample's
    own pit reading means a fire that wanders does not bias the fit.
    """
    points = [s for s in samples if s.pit is not None]
    if len(points) < 2:
        return None
    first = points[0]
    integral = 0.0
    xs = [0.0]
    ys = [0.0]
    for before, after in itertools.pairwise(points):
        hours = (after.timestamp - before.timestamp).total_seconds() / HOUR
        gap_before = _pit(before) - before.temperature
        gap_after = _pit(after) - after.temperature
        integral += 0.5 * (gap_before + gap_after) * hours
        xs.append(integral)
        ys.append(after.temperature - first.temperature)
    n = len(xs)
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx <= 0:
        return None
    k = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - k * mean_x
    residuals = [y - (intercept + k * x) for x, y in zip(xs, ys, strict=True)]
    if n > 2:
        residual_sd = math.sqrt(sum(r * r for r in residuals) / (n - 2))
        k_se = residual_sd / math.sqrt(sxx)
    else:
        residual_sd = 0.0
        k_se = math.inf
    return HeatingFit(
        k=k,
        k_se=k_se,
        intercept=intercept,
        residual_sd=residual_sd,
        fitted_last=first.temperature + intercept + k * xs[-1],
        leverage=math.sqrt(sxx),
    )


def _pit(sample: Sample) -> float:
    return sample.temperature if sample.pit is None else sample.pit


def slope_per_hour(samples: Sequence[Sample]) -> float | None:
    """Least-squares slope of temperature over time, degrees per hour."""
    if len(samples) < 2:
        return None
    origin = samples[0].timestamp
    xs = [(s.timestamp - origin).total_seconds() / HOUR for s in samples]
    ys = [s.temperature for s in samples]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx <= 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx


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
    """°F the meat must rise above its first reading before the cook counts as heating."""
    history_hours: float = 12.0


@dataclass(kw_only=True)
class StallDetector:
    """Feed it samples in time order; it emits ``stall_started`` / ``stall_ended``.

    Samples without a pit reading reuse the last pit seen; until any pit is known there is no
    stall detection (there is nothing to compare the meat's heating with).
    """

    target: float | None = None
    unit: Unit = Unit.FAHRENHEIT
    settings: StallSettings = field(default_factory=StallSettings)

    def __post_init__(self) -> None:
        self._samples: deque[Sample] = deque()
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

    @property
    def samples(self) -> tuple[Sample, ...]:
        """The samples kept (the last ``history_hours``), pit filled in where known."""
        return tuple(self._samples)

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
        floor = convert_delta(self.settings.noise_floor, Unit.FAHRENHEIT, self.unit)
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
        """The cook phase; ``done`` latches once the target is reached."""
        if self._done:
            return CookPhase.DONE
        if self._stalled:
            return CookPhase.STALL
        return CookPhase.HEATING if self._heating else CookPhase.IDLE

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
        if pit is not None and math.isfinite(pit):
            self._last_pit = pit
        sample = Sample(timestamp, temperature, self._last_pit)
        self._samples.append(sample)
        horizon = timestamp - timedelta(hours=self.settings.history_hours)
        while self._samples[0].timestamp < horizon:
            self._samples.popleft()
        if self._first is None:
            self._first = sample
        idle_rise = convert_delta(self.settings.idle_rise, Unit.FAHRENHEIT, self.unit)
        if temperature - self._first.temperature >= idle_rise:
            self._heating = True
        if self.target is not None and temperature >= self.target:
            self._done = True
            return self._end(sample)
        return self._evaluate(sample)

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
        min_rate = convert_delta(self.settings.min_expected_rate, Unit.FAHRENHEIT, self.unit)
        return reference * gap >= min_rate
