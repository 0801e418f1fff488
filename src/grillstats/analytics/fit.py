"""Newton's-law fits and plain slopes, shared by the stall detector, the estimate and the trend.

Meat in a pit heats as ``dT/dt = k · (pit - T)``. Written in integral form,
``T_i - T_0 = c + k · ∫(pit - T) dt``, the law is linear in ``k``: one least-squares pass, no
iteration, and each sample's own pit reading enters the integral, so a fire that wanders does
not bias the fit.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

HOUR = 3600.0


@dataclass(frozen=True)
class Sample:
    """A probe's reading and (if known) the pit's reading at the same time."""

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
