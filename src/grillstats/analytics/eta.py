"""Time to target: when a probe will reach its target, with a range.

Why Newton's law: meat in a pit heats as ``T(t) = Tpit - (Tpit - T0) · e^(-k t)``, so a
straight-line extrapolation of the recent slope is always too early (the meat keeps slowing
down). We fit ``k`` over a recent window (:func:`~grillstats.analytics.stall.fit_heating`: the
integral form, linear least squares, against each sample's own pit reading), take the mean pit
over the last ``pit_window_minutes`` as the pit the meat will see from now on, and solve for
the crossing: ``t = ln((Tpit - T) / (Tpit - target)) / k``.

The range comes from ``k ± z·SE(k)`` combined with the pit's recent spread (a cooler pit and a
slower ``k`` give the latest time). During a stall the recent ``k`` says nothing about the
heating to come, so the reference ``k`` from before the stall is used and the expected remaining
stall is added: stall lengths are taken as uniform between ``stall_min_minutes`` and
``stall_max_minutes`` (the usual 1-4 h), so the expected remainder shrinks as the stall goes
on, and the range spans "ends now" to "lasts the longest".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .fit import HOUR, HeatingFit, Sample, fit_heating
from .stall import StallDetector


@dataclass(frozen=True, kw_only=True)
class Estimate:
    """When the target will be reached, and the range it will most likely fall in."""

    eta: datetime
    earliest: datetime
    latest: datetime


@dataclass(frozen=True, kw_only=True)
class StallContext:
    """What the stall detector knows, for an estimate during or after a stall."""

    started_at: datetime
    ended_at: datetime | None = None
    reference_k: float | None = None
    """The heating constant (1/h) from before the stall."""


@dataclass(frozen=True, kw_only=True)
class EtaSettings:
    """Tunables of the estimate."""

    window_minutes: float = 90.0
    """The fit window: long enough to average noise, short enough to follow the cook."""
    pit_window_minutes: float = 15.0
    """The pit the meat will see: the recent level (a longer mean lags a pit still warming)."""
    min_samples: int = 3
    min_span_minutes: float = 20.0
    z: float = 1.645
    """Width of the range in standard errors of ``k`` (1.645 ≈ a 90 % two-sided range)."""
    stall_min_minutes: float = 60.0
    stall_max_minutes: float = 240.0
    max_hours: float = 48.0
    """Never predict further than this (a pit barely above the target)."""


def _hours_to(pit: float, temperature: float, target: float, k: float) -> float | None:
    if k <= 0 or pit <= target:
        return None
    if temperature >= target:
        return 0.0
    return math.log((pit - temperature) / (pit - target)) / k


def estimate_time_to_target(
    samples: Sequence[Sample],
    target: float | None,
    *,
    stall: StallContext | None = None,
    settings: EtaSettings | None = None,
) -> Estimate | None:
    """Predict when the probe reaches ``target`` (samples in time order, pit filled in).

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
    recent = now - timedelta(minutes=settings.pit_window_minutes)
    pits = [s.pit for s in points if s.pit is not None and s.timestamp >= recent]
    pit = sum(pits) / len(pits)
    pit_sd = math.sqrt(sum((p - pit) ** 2 for p in pits) / len(pits))
    if target >= pit:
        return None

    stalled = stall is not None and stall.ended_at is None
    fit_from = now - timedelta(minutes=settings.window_minutes)
    if stall is not None and stall.ended_at is not None:
        fit_from = max(fit_from, stall.ended_at)
    if stall is not None and stalled:
        fit_until = stall.started_at
        fit_from = fit_until - timedelta(minutes=settings.window_minutes)
    else:
        fit_until = now
    window = [s for s in points if fit_from <= s.timestamp <= fit_until]
    fit = _usable_fit(window, settings)
    temperature = last.temperature
    if stall is not None and stall.reference_k is not None and (stalled or fit is None):
        k, k_se = stall.reference_k, (fit.k_se if fit is not None and stalled else 0.0)
        k_se = min(k_se, 0.5 * k) if math.isfinite(k_se) else 0.0
    elif fit is None:
        return None
    else:
        k, k_se = fit.k, fit.k_se
        if not stalled:
            temperature = fit.fitted_last
    extra, extra_low, extra_high = 0.0, 0.0, 0.0
    if stalled and stall is not None:
        elapsed = (now - stall.started_at).total_seconds() / HOUR
        low, high = settings.stall_min_minutes / 60.0, settings.stall_max_minutes / 60.0
        if elapsed < high:
            extra = (max(low, elapsed) + high) / 2.0 - elapsed
            extra_low = max(low - elapsed, 0.0)
            extra_high = high - elapsed
        else:  # longer than any stall we expect: it should break any moment
            extra, extra_low, extra_high = 0.25, 0.0, 0.5
    temperature = min(temperature, target)
    middle = _hours_to(pit, temperature, target, k)
    if middle is None:
        return None
    fast = _hours_to(pit + pit_sd, temperature, target, k + settings.z * k_se)
    slow = _hours_to(pit - pit_sd, temperature, target, k - settings.z * k_se)
    cap = settings.max_hours
    middle = min(middle + extra, cap)
    earliest = min((fast if fast is not None else middle) + extra_low, middle)
    latest = cap if slow is None else min(max(slow + extra_high, middle), cap)
    return Estimate(
        eta=now + timedelta(hours=middle),
        earliest=now + timedelta(hours=earliest),
        latest=now + timedelta(hours=latest),
    )


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
        )
    return estimate_time_to_target(
        detector.samples, detector.target, stall=stall, settings=settings
    )
