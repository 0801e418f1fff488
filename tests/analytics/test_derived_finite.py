"""Derived values stay finite whatever the readings: a huge reading never makes an inf rate."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from grillstats.analytics import StallDetector, estimate_for

START = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("reading", [1e308, 5e15, -1e308, 1.7e308])
def test_a_huge_reading_gives_a_finite_rate_and_estimate_or_none(reading: float) -> None:
    detector = StallDetector(target=203.0)
    for minute in range(0, 60, 5):
        detector.update(START + timedelta(minutes=minute), 150.0 + minute / 5, 250.0)
    detector.update(START + timedelta(minutes=60), reading, 250.0)
    detector.update(START + timedelta(minutes=61), 163.0, reading)
    rate = detector.rate_per_hour
    assert rate is None or math.isfinite(rate)
    estimate = estimate_for(detector)
    if estimate is not None:
        assert estimate.earliest <= estimate.eta <= estimate.latest
