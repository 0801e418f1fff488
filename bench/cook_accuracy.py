"""Accuracy of the stall detector and the time-to-target estimate on simulated cooks.

Run: ``.venv/bin/python bench/cook_accuracy.py`` (``--cooks N``, ``--seed S`` to vary,
``--expect-stall auto|always|never`` for the estimate's stall prior).
Each cook comes from :mod:`grillstats.simulator.physics` with varied physics (meat mass, pit set
point and warm-up, a pit that wanders, reading noise, stall onset, strength and length); half
the cooks stall, half do not. The analytics see only what a poller would: the probe and pit
readings (rounded to 0.1 °F) every 5 minutes. Prints a Markdown table: ETA error and range
coverage (the share of cooks whose true finish lies within [earliest, latest]) at 25/50/75 % of
the rise, for all cooks, those with and without a stall, and the no-stall cooks with a target
of 185 °F or more (the ones the default stall prior expects to stall: they pay for it).
"""

from __future__ import annotations

import argparse
import random
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from grillstats.analytics import (
    Estimate,
    EtaSettings,
    StallDetector,
    StallEventType,
    StallExpectation,
    StallPrior,
    StallSettings,
    estimate_for,
)
from grillstats.simulator.physics import CookModel, CookParams, PitParams, ProbeParams, StallParams

SAMPLE_SECONDS = 300.0
STEP_SECONDS = 15.0
FRACTIONS = (0.25, 0.5, 0.75)
START = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
HIGH_TARGET_F = 185.0
"""The default stall prior's bound (``StallPrior.min_target_f``)."""


@dataclass
class CookResult:
    stalls: bool
    target_f: float
    errors: dict[float, float] = field(default_factory=dict)
    """Absolute ETA error as % of the true remaining time, per fraction of the rise."""
    covered: dict[float, bool] = field(default_factory=dict)
    """Whether the true finish lies within [earliest, latest], per fraction of the rise."""
    widths: dict[float, float] = field(default_factory=dict)
    """latest - earliest as % of the true remaining time, per fraction of the rise."""
    delay_minutes: float | None = None
    early_stall: bool = False
    false_stalls: int = 0
    missed: bool = False


def make_cook(rng: random.Random, stall: bool) -> CookParams:
    pit = PitParams(
        ambient_f=rng.uniform(50.0, 80.0),
        set_point_f=rng.choice((225.0, 235.0, 250.0, 265.0, 275.0)),
        warmup_seconds=rng.uniform(600.0, 1800.0),
        drift_f=rng.uniform(2.0, 8.0),
        drift_seconds=rng.uniform(1800.0, 3600.0),
        noise_f=rng.uniform(0.5, 2.5),
    )
    if stall:
        mass = rng.uniform(2.5, 9.0)
        probe = ProbeParams(
            mass_kg=mass,
            start_f=rng.uniform(35.0, 45.0),
            target_f=rng.choice((195.0, 203.0, 205.0)),
            noise_f=rng.uniform(0.1, 0.5),
            stall=StallParams(
                onset_f=rng.uniform(148.0, 168.0),
                duration_seconds=rng.uniform(1.0, 4.0) * 3600.0,
                strength=rng.uniform(0.8, 0.97),
                ramp_seconds=900.0,
            ),
        )
    else:
        mass = rng.uniform(0.8, 9.0)
        probe = ProbeParams(
            mass_kg=mass,
            start_f=rng.uniform(35.0, 45.0),
            target_f=rng.choice((145.0, 165.0, 175.0, 195.0, 203.0)),
            noise_f=rng.uniform(0.1, 0.5),
        )
    return CookParams(pit=pit, probes=(probe,))


def run_cook(
    params: CookParams,
    seed: int,
    settings: StallSettings | None = None,
    eta: EtaSettings | None = None,
) -> CookResult:
    model = CookModel(params, random.Random(seed))
    probe = params.probes[0]
    detector = StallDetector(target=probe.target_f, settings=settings or StallSettings())
    result = CookResult(stalls=probe.stall is not None, target_f=probe.target_f)
    start_f = probe.start_f
    marks = {f: start_f + f * (probe.target_f - start_f) for f in FRACTIONS}
    pending: dict[float, tuple[float, Estimate]] = {}
    true_done: float | None = None
    detected_at: float | None = None
    steps_per_sample = round(SAMPLE_SECONDS / STEP_SECONDS)
    step = 0
    while model.elapsed < 36 * 3600 and (true_done is None or model.elapsed < true_done + 1800):
        model.step(STEP_SECONDS)
        step += 1
        if true_done is None and model.probe_true_f(0) >= probe.target_f:
            true_done = model.elapsed
        if step % steps_per_sample:
            continue
        now = START + timedelta(seconds=model.elapsed)
        meat = round(model.probe_f(0), 1)
        pit = round(model.pit_f, 1)
        for event in detector.update(now, meat, pit):
            if event.type is StallEventType.STALL_STARTED:
                window = model.stall_window(0)
                if window is None:
                    if probe.stall is None:
                        result.false_stalls += 1
                    else:
                        result.early_stall = True
                elif detected_at is None and model.elapsed <= window.end_seconds:
                    detected_at = model.elapsed
                    result.delay_minutes = (model.elapsed - window.start_seconds) / 60.0
                else:
                    result.false_stalls += 1
        for fraction, mark in marks.items():
            if fraction in pending or fraction in result.errors or true_done is not None:
                continue
            if meat >= mark:
                estimate = estimate_for(detector, eta)
                if estimate is not None:
                    pending[fraction] = (model.elapsed, estimate)
    if probe.stall is not None and detected_at is None:
        result.missed = True
    if true_done is not None:
        done = START + timedelta(seconds=true_done)
        for fraction, (at, estimate) in pending.items():
            remaining = true_done - at
            error = abs((estimate.eta - done).total_seconds())
            result.errors[fraction] = error / remaining * 100.0
            result.covered[fraction] = estimate.earliest <= done <= estimate.latest
            width = (estimate.latest - estimate.earliest).total_seconds()
            result.widths[fraction] = width / remaining * 100.0
    return result


def fmt(values: list[float], digits: int = 1) -> str:
    return f"{statistics.median(values):.{digits}f}" if values else "n/a"


def share(values: list[bool]) -> str:
    return f"{100.0 * sum(values) / len(values):.0f} %" if values else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cooks", type=int, default=24)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--expect-stall",
        choices=[e.value for e in StallExpectation],
        default=StallExpectation.AUTO.value,
    )
    args = parser.parse_args()
    eta = EtaSettings(stall=StallPrior(expect=StallExpectation(args.expect_stall)))
    rng = random.Random(args.seed)
    results = []
    for index in range(args.cooks):
        params = make_cook(rng, stall=index % 2 == 0)
        results.append(run_cook(params, seed=args.seed * 1000 + index, eta=eta))
    stall_cooks = [r for r in results if r.stalls]
    plain_cooks = [r for r in results if not r.stalls]
    plain_high = [r for r in plain_cooks if r.target_f >= HIGH_TARGET_F]
    groups = (results, stall_cooks, plain_cooks, plain_high)

    print(
        f"Cooks: {len(results)} ({len(stall_cooks)} with a stall), 5-minute sampling, "
        f"expect stall: {args.expect_stall}\n"
    )
    print(
        "| metric | all cooks | stall cooks | no-stall cooks "
        f"| no-stall, target ≥ {HIGH_TARGET_F:.0f} °F |"
    )
    print("|---|---|---|---|---|")
    for fraction in FRACTIONS:
        cells = []
        for group in groups:
            errors = [r.errors[fraction] for r in group if fraction in r.errors]
            cells.append(f"{fmt(errors)} % (n={len(errors)})")
        label = f"ETA median abs. error at {fraction:.0%} of the rise"
        print(f"| {label} | {' | '.join(cells)} |")
    for fraction in FRACTIONS:
        cells = []
        for group in groups:
            covered = [r.covered[fraction] for r in group if fraction in r.covered]
            widths = [r.widths[fraction] for r in group if fraction in r.widths]
            cells.append(f"{share(covered)} (width {fmt(widths, 0)} %)")
        label = f"true finish within [earliest, latest] at {fraction:.0%}"
        print(f"| {label} | {' | '.join(cells)} |")
    delays = [r.delay_minutes for r in stall_cooks if r.delay_minutes is not None]
    median_delay = fmt(delays)
    max_delay = f"{max(delays):.1f}" if delays else "n/a"
    print(f"| stall detection delay, median (min) | | {median_delay} | | |")
    print(f"| stall detection delay, max (min) | | {max_delay} | | |")
    missed = sum(r.missed for r in stall_cooks)
    early = sum(r.early_stall for r in stall_cooks)
    print(f"| stalls missed / detected before onset | | {missed} / {early} | | |")
    false_plain = sum(r.false_stalls for r in plain_cooks)
    false_stall = sum(r.false_stalls for r in stall_cooks)
    print(f"| false stalls | {false_plain + false_stall} | {false_stall} | {false_plain} | |")


if __name__ == "__main__":
    main()
