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

The detector starts afresh at a *cook boundary* (see :mod:`~grillstats.analytics.stall_state`):
no reading for ``gap_minutes``, or a reading ``reset_drop`` below the recent level.
"""

from __future__ import annotations

import contextlib
import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from grillstats.thermoworks.models import Unit
from grillstats.units import convert_delta, plausible

from .fit import HeatingFit, Sample, slope_per_hour
from .stall_state import CookPhase, StallState
from .thresholds import DEFAULT_HYSTERESIS


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
        self._state = StallState()

    def reset(self) -> None:
        """Forget the cook (a new one starts with the next sample); the target stays."""
        self._state = StallState()

    def state_dict(self) -> dict[str, object]:
        """What the detector knows about the cook, as plain JSON (so a restart keeps it)."""
        return self._state.to_json(self.unit)

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
            # What cannot be read back leaves the detector as it is: fresh.
            with contextlib.suppress(KeyError, TypeError, ValueError):
                detector._state = StallState.from_json(
                    data, unit=unit, history_hours=detector.settings.history_hours
                )
        return detector

    @property
    def target(self) -> float | None:
        """The target (probe units), or ``None``."""
        return self._target

    @target.setter
    def target(self, target: float | None) -> None:
        """A new target: ``done`` holds only if the latest reading has reached it."""
        self._target = target
        state = self._state
        if state.done and (
            target is None or not state.samples or state.samples[-1].temperature < target
        ):
            state.done = False

    @property
    def samples(self) -> tuple[Sample, ...]:
        """The samples kept (the last ``history_hours``), pit filled in where known."""
        return tuple(self._state.samples)

    @property
    def last_seen(self) -> datetime | None:
        """The time of the newest sample (a reading at or before it is ignored)."""
        samples = self._state.samples
        return samples[-1].timestamp if samples else None

    @property
    def stalled(self) -> bool:
        """Whether the probe is in a stall now."""
        return self._state.stalled

    @property
    def stall_started_at(self) -> datetime | None:
        """When the current (or last) stall was detected to start."""
        return self._state.stall_started_at

    @property
    def stall_ended_at(self) -> datetime | None:
        """When the last stall ended (``None`` while stalled or before any)."""
        return self._state.stall_ended_at

    @property
    def reference_k(self) -> float | None:
        """The heating constant (1/h) the meat showed before any stall, once known."""
        if len(self._state.reference) < self.settings.min_reference_windows:
            return None
        return statistics.median(self._state.reference)

    @property
    def noise(self) -> float:
        """The reading noise (probe units) estimated from the fits of the unstalled rise."""
        floor = self._degrees(self.settings.noise_floor)
        if not self._state.noise:
            return floor
        return max(statistics.median(self._state.noise), floor)

    @property
    def recent_k(self) -> float | None:
        """The heating constant (1/h) over the last window."""
        return self._state.recent_k

    @property
    def rate_per_hour(self) -> float | None:
        """Rate of change over the last ``rate_window_minutes``, probe units per hour."""
        return slope_per_hour(self._state.window(self.settings.rate_window_minutes))

    @property
    def phase(self) -> CookPhase:
        """The cook phase: ``done`` from the target until the meat falls back below it."""
        return self._state.phase

    def _degrees(self, fahrenheit: float) -> float:
        """A °F setting as a difference in the probe's unit."""
        return convert_delta(fahrenheit, Unit.FAHRENHEIT, self.unit)

    def update(
        self, timestamp: datetime, temperature: float | None, pit: float | None = None
    ) -> list[StallEvent]:
        """Add one sample; return the stall events it causes."""
        if not plausible(temperature, self.unit):
            return []  # a fault (or a reading from another scale), not a temperature
        if self._state.samples and timestamp <= self._state.samples[-1].timestamp:
            return []  # duplicate or out-of-order poll: ignore
        settings = self.settings
        if self._state.is_new_cook(
            timestamp,
            temperature,
            gap=timedelta(minutes=settings.gap_minutes),
            drop=self._degrees(settings.reset_drop),
            drop_minutes=settings.drop_window_minutes,
        ):
            # No stall_ended: the stall did not end, the cook did (the phase shows it).
            self.reset()
        state = self._state
        if pit is not None and plausible(pit, self.unit):
            state.last_pit = pit
        sample = Sample(timestamp, temperature, state.last_pit)
        state.add(sample, keep=timedelta(hours=settings.history_hours))
        state.track_phase(
            sample,
            target=self._target,
            idle_rise=self._degrees(settings.idle_rise),
            rearm_band=DEFAULT_HYSTERESIS[self.unit],
        )
        if state.done:
            return self._end(sample)
        return self._evaluate(sample)

    def _end(self, sample: Sample) -> list[StallEvent]:
        state = self._state
        state.streak = 0
        if not state.stalled:
            return []
        state.stalled = False
        state.stall_ended_at = sample.timestamp
        return [_event(StallEventType.STALL_ENDED, sample)]

    def _start(self, sample: Sample) -> list[StallEvent]:
        state = self._state
        state.streak = 0
        state.stalled = True
        state.stall_started_at = sample.timestamp
        state.stall_ended_at = None
        return [_event(StallEventType.STALL_STARTED, sample)]

    def _collapsed(self, reference: float) -> bool:
        """Whether a start window's ``k`` fell significantly below ``start_ratio`` of it."""
        settings = self.settings
        for minutes in settings.start_windows:
            fit = self._state.fit(minutes)
            if (
                fit is not None
                and fit.k < settings.start_ratio * reference
                and (reference - fit.k) * fit.leverage >= settings.significance * self.noise
            ):
                return True
        return False

    def _evaluate(self, sample: Sample) -> list[StallEvent]:
        state, settings = self._state, self.settings
        fit = self._state.fit(settings.window_minutes)
        state.recent_k = None if fit is None else fit.k
        reference = self.reference_k
        if fit is None or sample.pit is None:
            return []
        if not state.stalled:
            if reference is not None and self._collapsed(reference) and self._plausible(sample):
                state.streak += 1
                return self._start(sample) if state.streak >= settings.confirm else []
            state.streak = 0
            if (
                state.heating
                and fit.k > 0
                and (reference is None or fit.k >= settings.start_ratio * reference)
            ):
                self._learn(fit)
            return []
        if reference is not None and fit.k >= settings.end_ratio * reference:
            state.streak += 1
            if state.streak >= settings.confirm:
                return self._end(sample)
        else:
            state.streak = 0
        return []

    def _learn(self, fit: HeatingFit) -> None:
        """Take an unstalled window's ``k`` into the reference, its residuals into the noise."""
        self._state.reference.append(fit.k)
        long_fit = self._state.fit(self.settings.rate_window_minutes)
        if long_fit is not None and math.isfinite(long_fit.k_se):
            self._state.noise.append(long_fit.residual_sd)

    def _plausible(self, sample: Sample) -> bool:
        """Meat well below a hot pit, well into its rise, with heating that is measurable."""
        first = self._state.first
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


def _event(kind: StallEventType, sample: Sample) -> StallEvent:
    return StallEvent(type=kind, timestamp=sample.timestamp, temperature=sample.temperature)


__all__ = ["CookPhase", "StallDetector", "StallEvent", "StallEventType", "StallSettings"]
