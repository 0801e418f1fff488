"""The heating time a stall costs: expected before one is seen, what is left during one.

Why a prior: until evaporation takes over, a brisket that will stall heats exactly like one
that will not, so before the onset nothing in the readings announces the stall, and an
estimate that ignores it is hours early on every cook that stalls. So while no stall has been
seen, on a cook that usually stalls, the expected loss is added (:class:`StallPrior`):

* ``auto`` (the default): the target is at or above ``min_target_f`` (185 °F: briskets, pork
  shoulders, ribs; not chicken or steak), and the meat is still below ``zone_top_f`` (175 °F:
  past it without a stall, none is coming);
* ``always``: whatever the target, while the meat is below ``zone_top_f``;
* ``never``: no prior (a stall is only accounted for once it is seen).

A stall that cancels a share ``s`` of the heating for ``D`` hours delays the finish by
``s · D`` hours. Stall lengths are taken as uniform over ``min_minutes``..``max_minutes``
(the usual 1-4 h). Before one is seen: expected ``strength · mean length``, least nothing (a
cook that does not stall), most ``strength · max_minutes``. During one, its onset is dated
back by the detector's usual lag, the expected remainder shrinks as it goes on, ``s`` is
measured on the plateau (``1 - k_plateau / k_ref``) and drops as the recent ``k`` recovers
(the stall is breaking); past ``max_minutes`` it should end any moment (15 min, 0-30 min).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from grillstats.thermoworks.models import Unit
from grillstats.units import convert

from .fit import HOUR, Sample, fit_heating


class StallExpectation(StrEnum):
    """When to expect a stall that has not been seen yet."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@dataclass(frozen=True, kw_only=True)
class StallPrior:
    """What a stall usually looks like (see the module docstring)."""

    expect: StallExpectation = StallExpectation.AUTO
    strength: float = 0.9
    """Share of the heating a typical stall cancels (until the plateau shows its own)."""
    min_minutes: float = 60.0
    max_minutes: float = 240.0
    zone_top_f: float = 175.0
    min_target_f: float = 185.0
    detection_lag_minutes: float = 15.0
    """How long after its onset the detector usually calls a stall (5-minute sampling)."""
    min_strength: float = 0.3


@dataclass(frozen=True, kw_only=True)
class StallContext:
    """What the stall detector knows, for an estimate during or after a stall."""

    started_at: datetime
    ended_at: datetime | None = None
    reference_k: float | None = None
    """The heating constant (1/h) from before the stall."""
    recent_k: float | None = None
    """The heating constant (1/h) over the detector's last window."""


@dataclass(frozen=True, kw_only=True)
class LostTime:
    """Hours of heating a stall is expected to cost: most likely, at least, at most."""

    expected: float = 0.0
    least: float = 0.0
    most: float = 0.0


def stall_time(
    points: Sequence[Sample],
    target: float,
    *,
    now: datetime,
    k: float,
    stall: StallContext | None,
    prior: StallPrior,
    unit: Unit,
) -> LostTime:
    """The heating time still to be lost to a stall (``k``: the heating constant in use)."""
    if stall is not None:
        return _remaining(points, now=now, k=k, stall=stall, prior=prior)
    if not _stall_to_come(points[-1].temperature, target, prior, unit):
        return LostTime()
    low, high = prior.min_minutes / 60.0, prior.max_minutes / 60.0
    return LostTime(
        expected=prior.strength * (low + high) / 2.0, least=0.0, most=prior.strength * high
    )


def _stall_to_come(temperature: float, target: float, prior: StallPrior, unit: Unit) -> bool:
    """Whether a stall not seen yet is still to come."""
    if prior.expect is StallExpectation.NEVER:
        return False
    if temperature >= convert(prior.zone_top_f, Unit.FAHRENHEIT, unit):
        return False
    return prior.expect is StallExpectation.ALWAYS or target >= convert(
        prior.min_target_f, Unit.FAHRENHEIT, unit
    )


def _remaining(
    points: Sequence[Sample], *, now: datetime, k: float, stall: StallContext, prior: StallPrior
) -> LostTime:
    if stall.ended_at is not None:
        return LostTime()
    onset_lag = prior.detection_lag_minutes * 60.0
    elapsed = ((now - stall.started_at).total_seconds() + onset_lag) / HOUR
    low, high = prior.min_minutes / 60.0, prior.max_minutes / 60.0
    if elapsed >= high:  # longer than any stall we expect: it should break any moment
        expected, least, most = 0.25, 0.0, 0.5
    else:
        expected = (max(low, elapsed) + high) / 2.0 - elapsed
        least, most = max(low - elapsed, 0.0), high - elapsed
    share = _strength(points, stall, k, prior)
    return LostTime(expected=share * expected, least=share * least, most=share * most)


def _strength(points: Sequence[Sample], stall: StallContext, k: float, prior: StallPrior) -> float:
    """How much of the heating the stall cancels: measured on the plateau, less if ending."""
    reference = stall.reference_k if stall.reference_k is not None else k
    if reference <= 0:
        return prior.strength
    strength = prior.strength
    plateau = [s for s in points if s.timestamp >= stall.started_at]
    fit = fit_heating(plateau) if len(plateau) >= 3 else None
    if fit is not None:
        strength = min(max(1.0 - fit.k / reference, prior.min_strength), 1.0)
    if stall.recent_k is not None:
        strength = min(strength, max(1.0 - stall.recent_k / reference, 0.0))
    return strength
