"""Time to target on cooks that stall: the expected-stall prior and the stall in progress."""

from __future__ import annotations

import math
import statistics
from datetime import timedelta

import pytest

from grillstats.analytics import (
    EtaSettings,
    LostTime,
    Sample,
    StallContext,
    StallExpectation,
    StallPrior,
    estimate_time_to_target,
    stall_time,
)
from grillstats.simulator.physics import PitParams
from grillstats.thermoworks import Unit

from .test_cook import PLAIN_PROBES, STALL_PROBES, START, cook

F, C = Unit.FAHRENHEIT, Unit.CELSIUS
PRIOR = StallPrior()


def _errors_and_coverage() -> tuple[dict[float, list[float]], list[bool]]:
    errors: dict[float, list[float]] = {0.5: [], 0.75: []}
    covered: list[bool] = []
    for probe in STALL_PROBES:
        for seed in (1, 2):
            run = cook(probe, seed, PitParams(set_point_f=225.0 + 25 * seed, drift_f=6.0))
            assert run.done_at is not None
            done = START + timedelta(seconds=run.done_at)
            assert set(run.estimates) == {0.5, 0.75}
            for fraction, (at, estimate) in run.estimates.items():
                remaining = run.done_at - at
                errors[fraction].append(abs((estimate.eta - done).total_seconds()) / remaining)
                covered.append(estimate.earliest <= done <= estimate.latest)
    return errors, covered


def test_stall_cooks_from_half_the_rise_on() -> None:
    """Before the stall shows, the prior expects it; once it shows, what is left of it."""
    errors, covered = _errors_and_coverage()
    assert statistics.median(errors[0.5]) <= 0.15
    assert statistics.median(errors[0.75]) <= 0.25
    assert all(covered)  # the true finish inside [earliest, latest] every time


def test_a_high_target_cook_without_stall_pays_for_the_prior() -> None:
    probe = PLAIN_PROBES[1]  # 5 kg to 203 °F, no stall
    run = cook(probe, 1)
    plain = cook(probe, 1, eta=EtaSettings(stall=StallPrior(expect=StallExpectation.NEVER)))
    assert run.done_at is not None
    done = START + timedelta(seconds=run.done_at)
    for fraction, (_, estimate) in run.estimates.items():
        assert estimate.eta > done  # it expected a stall that never came
        assert done <= estimate.latest
        assert estimate.earliest == plain.estimates[fraction][1].earliest  # = no stall


def _samples(temperature: float, hours: float = 1.0, k: float = 0.3) -> list[Sample]:
    """Newton heating ending at ``temperature`` (pit 250 °F), every 5 minutes."""
    start = 250.0 - (250.0 - temperature) * math.exp(k * hours)
    count = round(hours * 12) + 1
    return [
        Sample(
            START + timedelta(minutes=5 * i),
            250.0 - (250.0 - start) * math.exp(-k * i / 12),
            250.0,
        )
        for i in range(count)
    ]


def _lost(
    samples: list[Sample],
    target: float,
    *,
    prior: StallPrior = PRIOR,
    stall: StallContext | None = None,
    unit: Unit = F,
) -> LostTime:
    return stall_time(
        samples, target, now=samples[-1].timestamp, k=0.3, stall=stall, prior=prior, unit=unit
    )


def test_the_prior_is_strength_times_the_mean_stall() -> None:
    assert _lost(_samples(120.0), 203.0) == LostTime(expected=2.25, least=0.0, most=3.6)


@pytest.mark.parametrize(
    ("temperature", "target", "expect", "expected"),
    [
        (120.0, 203.0, StallExpectation.AUTO, True),
        (120.0, 185.0, StallExpectation.AUTO, True),
        (120.0, 184.0, StallExpectation.AUTO, False),  # chicken, pork loin: no stall
        (176.0, 203.0, StallExpectation.AUTO, False),  # past the stall zone without one
        (120.0, 165.0, StallExpectation.ALWAYS, True),
        (176.0, 203.0, StallExpectation.ALWAYS, False),
        (120.0, 203.0, StallExpectation.NEVER, False),
    ],
)
def test_when_a_stall_is_expected(
    temperature: float, target: float, expect: StallExpectation, expected: bool
) -> None:
    lost = _lost(_samples(temperature), target, prior=StallPrior(expect=expect))
    assert (lost.expected > 0) is expected


def test_the_prior_converts_for_a_celsius_probe() -> None:
    celsius = [Sample(s.timestamp, (s.temperature - 32) * 5 / 9, 121.0) for s in _samples(120.0)]
    assert _lost(celsius, 95.0, unit=C).expected == pytest.approx(2.25)  # 203 °F
    assert _lost(celsius, 84.0, unit=C).expected == 0.0  # 183 °F: below 185 °F


def _plateau(hours: float, level: float = 160.0, rise_per_hour: float = 0.0) -> list[Sample]:
    start = START + timedelta(hours=5)
    return [
        Sample(start + timedelta(minutes=5 * i), level + rise_per_hour * i / 12, 250.0)
        for i in range(round(hours * 12) + 1)
    ]


def test_in_a_stall_the_remainder_shrinks_and_is_scaled_by_the_plateau() -> None:
    flat = _plateau(1.0)
    stall = StallContext(started_at=flat[0].timestamp, reference_k=0.3)
    # Detected an hour ago, so about 1.25 h since the onset: expected left (1.25 + 4)/2 - 1.25
    lost = _lost(flat, 203.0, stall=stall)
    assert lost.expected == pytest.approx((1.25 + 4.0) / 2 - 1.25)
    assert lost.least == 0.0
    assert lost.most == pytest.approx(4.0 - 1.25)
    # A plateau that still climbs at half the expected heating cancels only half of it.
    expected_rate = 0.3 * (250.0 - 160.0)
    half = _plateau(1.0, rise_per_hour=expected_rate / 2)
    assert _lost(half, 203.0, stall=stall).expected == pytest.approx(0.5 * lost.expected, rel=0.1)
    # Recovering now (the recent k back at 80 % of the reference): most of it is over.
    ending = StallContext(started_at=flat[0].timestamp, reference_k=0.3, recent_k=0.24)
    assert _lost(flat, 203.0, stall=ending).expected == pytest.approx(0.2 * lost.expected)


def test_a_stall_longer_than_any_should_end_any_moment() -> None:
    flat = _plateau(5.0)
    stall = StallContext(started_at=flat[0].timestamp, reference_k=0.3)
    assert _lost(flat, 203.0, stall=stall) == LostTime(expected=0.25, least=0.0, most=0.5)


def test_after_a_stall_nothing_more_is_lost_or_expected() -> None:
    flat = _plateau(1.0)
    over = StallContext(started_at=flat[0].timestamp, ended_at=flat[-1].timestamp)
    assert _lost(flat, 203.0, stall=over) == LostTime()


def test_an_estimate_in_a_stall_includes_the_remainder() -> None:
    rising = _samples(158.0, hours=3.0)
    flat = [
        Sample(rising[-1].timestamp + timedelta(minutes=5 * (i + 1)), 158.0 + 0.1 * i, 250.0)
        for i in range(12)
    ]
    samples = rising + flat
    stall = StallContext(started_at=flat[0].timestamp, reference_k=0.3)
    estimate = estimate_time_to_target(samples, 203.0, stall=stall)
    assert estimate is not None
    heating = math.log((250 - flat[-1].temperature) / (250 - 203)) / 0.3
    hours = (estimate.eta - samples[-1].timestamp).total_seconds() / 3600
    assert hours > heating + 1.0  # an hour into a stall, more than an hour of it is left
    assert estimate.earliest < estimate.eta < estimate.latest
