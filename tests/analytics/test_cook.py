"""Stall detection, rate, phase and time to target on simulated cooks (5-minute samples)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from grillstats.analytics import (
    CookPhase,
    Estimate,
    EtaSettings,
    Sample,
    StallContext,
    StallDetector,
    StallEventType,
    StallExpectation,
    StallPrior,
    StallSettings,
    estimate_for,
    estimate_time_to_target,
    fit_heating,
    slope_per_hour,
)
from grillstats.simulator.physics import CookModel, CookParams, PitParams, ProbeParams, StallParams
from grillstats.thermoworks import Unit

START = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
FIVE_MINUTES = 300.0


@dataclass
class Run:
    detector: StallDetector
    model: CookModel
    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)
    estimates: dict[float, tuple[float, Estimate]] = field(default_factory=dict)
    done_at: float | None = None
    phases: set[CookPhase] = field(default_factory=set)


def cook(
    probe: ProbeParams,
    seed: int,
    pit: PitParams | None = None,
    hours: float = 24,
    eta: EtaSettings | None = None,
) -> Run:
    model = CookModel(CookParams(pit=pit or PitParams(), probes=(probe,)), random.Random(seed))
    run = Run(StallDetector(target=probe.target_f), model)
    rise = probe.target_f - probe.start_f
    while model.elapsed < hours * 3600:
        for _ in range(20):
            model.step(15.0)
            if run.done_at is None and model.probe_true_f(0) >= probe.target_f:
                run.done_at = model.elapsed
        now = START + timedelta(seconds=model.elapsed)
        meat = round(model.probe_f(0), 1)
        for event in run.detector.update(now, meat, round(model.pit_f, 1)):
            bucket = run.starts if event.type is StallEventType.STALL_STARTED else run.ends
            bucket.append(model.elapsed)
        run.phases.add(run.detector.phase)
        for fraction in (0.5, 0.75):
            if fraction not in run.estimates and meat >= probe.start_f + fraction * rise:
                estimate = estimate_for(run.detector, eta)
                if estimate is not None:
                    run.estimates[fraction] = (model.elapsed, estimate)
        if run.done_at is not None and model.elapsed > run.done_at + 1800:
            break
    return run


STALL_PROBES = [
    ProbeParams(mass_kg=6.0, stall=StallParams(onset_f=160.0, duration_seconds=3 * 3600)),
    ProbeParams(
        mass_kg=3.0,
        noise_f=0.4,
        stall=StallParams(onset_f=152.0, duration_seconds=1.5 * 3600, strength=0.82),
    ),
    ProbeParams(
        mass_kg=8.0, stall=StallParams(onset_f=166.0, duration_seconds=4 * 3600, strength=0.9)
    ),
]
PLAIN_PROBES = [
    ProbeParams(mass_kg=1.6, target_f=165.0),
    ProbeParams(mass_kg=5.0, noise_f=0.45),
    ProbeParams(mass_kg=8.0, target_f=195.0, noise_f=0.3),
]


@pytest.mark.parametrize("probe", STALL_PROBES)
@pytest.mark.parametrize("seed", [1, 2])
def test_stall_detected_within_20_minutes(probe: ProbeParams, seed: int) -> None:
    run = cook(probe, seed, PitParams(set_point_f=225.0 + 25 * seed, drift_f=6.0))
    window = run.model.stall_window(0)
    assert window is not None
    assert len(run.starts) == 1
    delay = run.starts[0] - window.start_seconds
    assert 0 <= delay <= 20 * 60
    assert run.ends, "the stall ends"
    assert window.start_seconds < run.ends[0] <= window.end_seconds + 3600
    assert {CookPhase.HEATING, CookPhase.STALL, CookPhase.DONE} <= run.phases


@pytest.mark.parametrize("probe", PLAIN_PROBES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_false_stall(probe: ProbeParams, seed: int) -> None:
    pit = PitParams(set_point_f=(225.0, 250.0, 275.0)[seed - 1], drift_f=7.0, noise_f=2.0)
    run = cook(probe, seed, pit)
    assert run.starts == []
    assert CookPhase.STALL not in run.phases


NO_PRIOR = EtaSettings(stall=StallPrior(expect=StallExpectation.NEVER))


@pytest.mark.parametrize("probe", PLAIN_PROBES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_eta_accurate_without_stall(probe: ProbeParams, seed: int) -> None:
    """Without a stall prior (never expected) the Newton fit alone is within 20 %."""
    run = cook(probe, seed, eta=NO_PRIOR)
    assert run.done_at is not None
    assert set(run.estimates) == {0.5, 0.75}  # an estimate at both points, not silence
    for at, estimate in run.estimates.values():
        predicted = (estimate.eta - START).total_seconds()
        remaining = run.done_at - at
        assert abs(predicted - run.done_at) <= 0.2 * remaining
        assert estimate.earliest <= estimate.eta <= estimate.latest


def test_eta_during_stall_adds_remaining_stall() -> None:
    run = cook(STALL_PROBES[0], 1, hours=7)  # mid-stall: onset ≈ 4.5 h, lasts 3 h
    detector = run.detector
    assert detector.stalled
    estimate = estimate_for(detector)
    assert estimate is not None
    now = detector.samples[-1].timestamp
    # at least the heating from the plateau to 203 °F (≈ 1.3 h at k ≈ 0.23/h) is still ahead
    assert estimate.eta - now > timedelta(hours=1.5)
    assert estimate.earliest < estimate.eta < estimate.latest
    started = detector.stall_started_at
    assert started is not None
    late = estimate_time_to_target(
        detector.samples,
        203.0,
        stall=StallContext(started_at=started - timedelta(hours=5), reference_k=0.2),
    )
    assert late is not None
    assert late.eta - now < estimate.eta - now


def line(minutes: int, temps: list[float], pit: float | None = 250.0) -> list[Sample]:
    return [Sample(START + timedelta(minutes=minutes * i), t, pit) for i, t in enumerate(temps)]


def newton(hours: float, k: float = 0.3, pit: float = 250.0, start: float = 40.0) -> float:
    return pit - (pit - start) * math.exp(-k * hours)


def test_eta_none_cases() -> None:
    samples = line(5, [newton(i / 12) for i in range(12)])
    assert estimate_time_to_target(samples, None) is None
    assert estimate_time_to_target(samples[:2], 203) is None
    assert estimate_time_to_target(samples[:4], 203) is None  # 15 minutes
    assert estimate_time_to_target(samples, 50) is None  # reached
    assert estimate_time_to_target(samples, 260) is None  # above the pit
    flat = line(5, [100.0] * 12)
    assert estimate_time_to_target(flat, 203) is None  # k = 0
    assert estimate_time_to_target(line(5, [100.0] * 12, None), 203) is None


def test_eta_exact_on_clean_newton() -> None:
    samples = line(5, [newton(i / 12) for i in range(13)])
    estimate = estimate_time_to_target(samples, 203.0, settings=NO_PRIOR)
    assert estimate is not None
    truth = math.log((250 - 40) / (250 - 203)) / 0.3
    assert (estimate.eta - START).total_seconds() / 3600 == pytest.approx(truth, rel=0.01)
    assert estimate.earliest < estimate.eta < estimate.latest
    # By default a 203 °F target expects a stall: 0.9 x the mean 2.5 h stall on top, the
    # earliest time is the no-stall one, the latest adds 0.9 x the longest (4 h).
    expecting = estimate_time_to_target(samples, 203.0)
    assert expecting is not None
    assert (expecting.eta - estimate.eta).total_seconds() / 3600 == pytest.approx(2.25, abs=0.01)
    assert expecting.earliest == estimate.earliest
    assert (expecting.latest - estimate.latest).total_seconds() / 3600 == pytest.approx(3.6)
    capped = estimate_time_to_target(samples, 249.99, settings=EtaSettings(max_hours=2.0))
    assert capped is not None
    assert capped.eta == capped.latest == samples[-1].timestamp + timedelta(hours=2)


def test_eta_after_stall_uses_reference_until_enough_data() -> None:
    samples = line(5, [newton(i / 12) for i in range(24)])
    ended = samples[-2].timestamp
    context = StallContext(started_at=START, ended_at=ended, reference_k=0.3)
    estimate = estimate_time_to_target(samples, 203.0, stall=context)
    assert estimate is not None
    truth = math.log((250 - 40) / (250 - 203)) / 0.3
    assert (estimate.eta - START).total_seconds() / 3600 == pytest.approx(truth, rel=0.01)
    no_reference = StallContext(started_at=START, ended_at=ended)
    assert estimate_time_to_target(samples, 203.0, stall=no_reference) is None


def test_eta_in_long_stall_without_reference() -> None:
    rising = [newton(i / 12) for i in range(24)]
    samples = line(5, rising + [rising[-1]] * 60)
    started = samples[24].timestamp
    context = StallContext(started_at=started)
    estimate = estimate_time_to_target(samples, 203.0, stall=context)
    assert estimate is not None
    now = samples[-1].timestamp
    # stalled for 5 h, longer than any expected stall: it should break any moment, so only
    # the heating from the plateau (k = 0.3/h from before the stall, ≈ 3.1 h) and 15 min remain
    heating = math.log((250 - rising[-1]) / (250 - 203)) / 0.3
    assert (estimate.eta - now).total_seconds() / 3600 == pytest.approx(heating + 0.25, rel=0.02)


def test_fit_and_slope_helpers() -> None:
    assert fit_heating(line(5, [40.0])) is None
    same_time = [Sample(START, 40.0, 250.0), Sample(START, 41.0, 250.0)]
    assert fit_heating(same_time) is None
    two = fit_heating(line(5, [40.0, 45.0]))
    assert two is not None
    assert math.isinf(two.k_se)
    assert slope_per_hour(line(5, [40.0])) is None
    assert slope_per_hour(same_time) is None
    assert slope_per_hour(line(30, [40.0, 45.0, 50.0])) == pytest.approx(10.0)


def phase(detector: StallDetector) -> CookPhase:
    return detector.phase


def test_detector_bookkeeping() -> None:
    detector = StallDetector(target=100.0, unit=Unit.CELSIUS, settings=StallSettings())
    assert phase(detector) is CookPhase.IDLE
    assert slope_per_hour(detector.samples) is None
    assert detector.noise == pytest.approx(0.05 * 5 / 9)
    assert detector.update(START, None, 120.0) == []
    assert detector.update(START, float("nan"), 120.0) == []
    assert detector.update(START, 5.0, None) == []
    assert detector.update(START, 6.0, 120.0) == []  # same time: ignored
    assert len(detector.samples) == 1
    assert detector.samples[0].pit is None
    detector.update(START + timedelta(minutes=5), 5.5, 120.0)
    detector.update(START + timedelta(minutes=10), 6.0, None)  # the last pit is reused
    assert detector.samples[-1].pit == 120.0
    assert phase(detector) is CookPhase.IDLE
    detector.update(START + timedelta(minutes=15), 9.0, 120.0)
    assert phase(detector) is CookPhase.HEATING
    detector.update(START + timedelta(minutes=20), 10.0, 120.0)
    rate = detector.rate_per_hour
    assert rate is not None
    assert rate > 0
    assert detector.recent_k is not None
    assert detector.reference_k is None
    assert detector.stall_started_at is None
    assert detector.stall_ended_at is None
    assert not detector.stalled
    assert detector.update(START + timedelta(minutes=25), 101.0, 120.0) == []
    assert phase(detector) is CookPhase.DONE
    detector.update(START + timedelta(minutes=30), 99.5, 120.0)
    assert phase(detector) is CookPhase.DONE  # inside the 1 °C band
    detector.update(START + timedelta(minutes=35), 98.5, 120.0)
    assert phase(detector) is CookPhase.IDLE  # fallen back below target - band


def test_no_stall_detection_without_pit() -> None:
    model = CookModel(CookParams(probes=(STALL_PROBES[0],)), random.Random(1))
    detector = StallDetector(target=203.0)
    for _ in range(4 * 12):
        model.run(FIVE_MINUTES)
        now = START + timedelta(seconds=model.elapsed)
        assert detector.update(now, model.probe_f(0)) == []
    assert phase(detector) is CookPhase.HEATING
    assert estimate_for(detector) is None


def test_history_is_bounded() -> None:
    detector = StallDetector(settings=StallSettings(history_hours=1.0))
    for i in range(30):
        detector.update(START + timedelta(minutes=5 * i), 40.0 + i, 250.0)
    assert len(detector.samples) == 13
