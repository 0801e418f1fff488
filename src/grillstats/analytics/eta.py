"""Time to target: when a probe will reach its target, with a range.

Why Newton's law: meat in a pit heats as ``T(t) = Tpit - (Tpit - T0) · e^(-k t)``, so a
straight-line extrapolation of the recent slope is always too early (the meat keeps slowing
down). We fit ``k`` over a recent window (:func:`~grillstats.analytics.fit.fit_heating`: the
integral form, linear least squares, against each sample's own pit reading), take the mean pit
over the last ``pit_window_minutes`` as the pit the meat will see from now on, and solve for
the crossing: ``t = ln((Tpit - T) / (Tpit - target)) / k``.

The stall is added on top as *lost heating time* (:mod:`grillstats.analytics.stall_time`):
before one is seen, an expected stall if the cook is likely to have one (an explicit prior,
because before its onset a stall leaves no trace in the readings); during one, what remains of
it, scaled by how flat the plateau is.

The range combines ``k ± z·k_spread`` with the pit's spread over ``range_pit_minutes`` (a
fire wanders on the scale of an hour) and the stall: ``earliest`` assumes no (further) stall,
``latest`` the longest one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from grillstats.thermoworks.models import Unit

from .fit import HeatingFit, Sample, fit_heating
from .stall import StallDetector
from .stall_time import StallContext, StallPrior, stall_time


@dataclass(frozen=True, kw_only=True)
class Estimate:
    """When the target will be reached, and the range it will most likely fall in."""

    eta: datetime
    earliest: datetime
    latest: datetime


@dataclass(frozen=True, kw_only=True)
class EtaSettings:
    """Tunables of the estimate."""

    window_minutes: float = 90.0
    """The fit window: long enough to average noise, short enough to follow the cook."""
    pit_window_minutes: float = 15.0
    """The pit the meat will see: the recent level (a longer mean lags a pit still warming)."""
    min_samples: int = 3
    min_span_minutes: float = 20.0
    range_pit_minutes: float = 60.0
    """The pit's spread for the range: over an hour, the time scale a fire wanders on."""
    k_spread: float = 0.05
    """Relative uncertainty of ``k`` for the range: the fits of a real cook wander by about
    this much, far more than their standard error says."""
    z: float = 1.645
    """Width of the range in spreads (1.645 ≈ a 90 % two-sided range)."""
    stall: StallPrior = field(default_factory=StallPrior)
    """What a stall usually costs, and when to expect one not seen yet."""
    max_hours: float = 48.0
    """Never predict further than this (a pit barely above the target)."""


def _hours_to(pit: float, temperature: float, target: float, k: float) -> float | None:
    if k <= 0 or pit <= target:
        return None
    if temperature >= target:
        return 0.0
    return math.log((pit - temperature) / (pit - target)) / k


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def estimate_time_to_target(
    samples: Sequence[Sample],
    target: float | None,
    *,
    stall: StallContext | None = None,
    settings: EtaSettings | None = None,
    unit: Unit = Unit.FAHRENHEIT,
) -> Estimate | None:
    """Predict when the probe reaches ``target`` (samples in time order, pit filled in).

    ``unit`` is the probe's (the stall prior's temperatures are in °F and get converted).
    ``None`` when there is no target, it is already reached, the pit is not above it, or there
    is too little data (fewer than ``min_samples`` or less than ``min_span_minutes``).
    """
    settings = settings or EtaSettings()
    points = [s for s in samples if s.pit is not None]
    if target is None or len(points) < settings.min_samples:
        return None
    last = points[-1]
    now = last.timestamp
    if (now - points[0].timestamp) < timedelta(minutes=settings.min_span_minutes):
        return None
    if samples[-1].temperature >= target:
        return None
    pit, _ = _mean_sd(_pits(points, now, settings.pit_window_minutes))
    if target >= pit:
        return None
    heating = _heating(points, now, stall, settings)
    if heating is None:
        return None
    k, temperature = heating
    temperature = min(temperature, target)
    middle = _hours_to(pit, temperature, target, k)
    if middle is None:
        return None
    lost = stall_time(points, target, now=now, k=k, stall=stall, prior=settings.stall, unit=unit)
    _, pit_sd = _mean_sd(_pits(points, now, settings.range_pit_minutes))
    spread = settings.z * settings.k_spread
    fast = _hours_to(pit + settings.z * pit_sd, temperature, target, k * (1 + spread))
    slow = _hours_to(pit - settings.z * pit_sd, temperature, target, k * (1 - spread))
    cap = settings.max_hours
    expected = min(middle + lost.expected, cap)
    earliest = min((middle if fast is None else fast) + lost.least, expected)
    latest = cap if slow is None else min(max(slow + lost.most, expected), cap)
    return Estimate(
        eta=now + timedelta(hours=expected),
        earliest=now + timedelta(hours=earliest),
        latest=now + timedelta(hours=latest),
    )


def _pits(points: Sequence[Sample], now: datetime, minutes: float) -> list[float]:
    start = now - timedelta(minutes=minutes)
    return [s.pit for s in points if s.pit is not None and s.timestamp >= start]


def _heating(
    points: Sequence[Sample],
    now: datetime,
    stall: StallContext | None,
    settings: EtaSettings,
) -> tuple[float, float] | None:
    """``k`` for the heating to come and the temperature it starts from.

    During a stall the recent ``k`` says nothing about the heating after it: the fit stops at
    the stall's start (or the reference ``k`` from before it is used). After a stall only the
    samples since count. The fitted current temperature is less noisy than the last reading.
    """
    stalled = stall is not None and stall.ended_at is None
    fit_from = now - timedelta(minutes=settings.window_minutes)
    fit_until = now
    if stall is not None and stall.ended_at is not None:
        fit_from = max(fit_from, stall.ended_at)
    if stall is not None and stalled:
        fit_until = stall.started_at
        fit_from = fit_until - timedelta(minutes=settings.window_minutes)
    window = [s for s in points if fit_from <= s.timestamp <= fit_until]
    fit = _usable_fit(window, settings)
    last = points[-1].temperature
    if stall is not None and stall.reference_k is not None and (stalled or fit is None):
        return stall.reference_k, last
    if fit is None:
        return None
    return fit.k, (last if stalled else fit.fitted_last)


def _usable_fit(window: Sequence[Sample], settings: EtaSettings) -> HeatingFit | None:
    if len(window) < settings.min_samples:
        return None
    span = window[-1].timestamp - window[0].timestamp
    if span < timedelta(minutes=settings.min_span_minutes):
        return None
    fit = fit_heating(window)
    if fit is None or fit.k <= 0:
        return None
    return fit


def estimate_for(detector: StallDetector, settings: EtaSettings | None = None) -> Estimate | None:
    """The estimate for a probe followed by a :class:`StallDetector` (its target and stalls)."""
    started = detector.stall_started_at
    stall = None
    if started is not None:
        stall = StallContext(
            started_at=started,
            ended_at=detector.stall_ended_at,
            reference_k=detector.reference_k,
            recent_k=detector.recent_k,
        )
    return estimate_time_to_target(
        detector.samples, detector.target, stall=stall, settings=settings, unit=detector.unit
    )
