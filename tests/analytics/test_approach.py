"""Fast polling only while a probe is heading for a threshold it has not crossed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from grillstats.analytics import (
    ApproachSettings,
    ProbeThresholds,
    Threshold,
    ThresholdEngine,
    Trend,
    approaching,
)
from grillstats.thermoworks import Unit

F, C = Unit.FAHRENHEIT, Unit.CELSIUS
START = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def engine(unit: Unit = F, **thresholds: Threshold) -> ThresholdEngine:
    return ThresholdEngine(config=ProbeThresholds(unit=unit, **thresholds))


def feed(eng: ThresholdEngine, readings: list[float], unit: Unit = F, minutes: int = 5) -> Trend:
    """Readings every ``minutes`` through the engine (so crossings fire) and a trend."""
    trend = Trend(unit)
    for i, value in enumerate(readings):
        eng.update(value, unit)
        trend.add(START + timedelta(minutes=minutes * i), value)
    return trend


HIGH = Threshold(value=250.0)


def test_a_pit_held_just_under_its_high_is_hardly_ever_approaching() -> None:
    fast = 0
    for seed in range(1, 6):  # five three-hour cooks of a noisy pit held at 245 °F
        rng = random.Random(seed)
        eng = engine(high=HIGH)
        trend = Trend(F)
        for i in range(36):
            value = 245.0 + rng.gauss(0.0, 1.2)
            eng.update(value, F)
            trend.add(START + timedelta(minutes=5 * i), value)
            fast += approaching(eng, trend)
    assert fast <= 9  # at most 5 % of the polls (distance alone: all of them)


def test_a_pit_climbing_to_its_high_is_approaching() -> None:
    eng = engine(high=HIGH)
    assert approaching(eng, feed(eng, [230.0, 234.0, 238.0, 242.0]))


def test_fired_thresholds_no_longer_count() -> None:
    eng = engine(high=HIGH, target=Threshold(value=203.0))
    trend = feed(eng, [240.0, 246.0, 252.0])  # high fired
    assert not approaching(eng, trend)
    meat = engine(target=Threshold(value=203.0))
    trend = feed(meat, [199.0, 201.0, 203.0, 203.5])  # reached, still rising a little
    assert not approaching(meat, trend)


def test_meat_near_its_target_is_approaching_until_it_reaches_it() -> None:
    meat = engine(target=Threshold(value=203.0))
    trend = feed(meat, [196.0, 197.0, 198.0, 199.0, 200.0])  # 12 °F/h, 15 min away
    assert approaching(meat, trend)
    slow = engine(target=Threshold(value=203.0))
    assert not approaching(slow, feed(slow, [194.0, 194.2, 194.4, 194.6]))  # hours away


def test_raw_meat_rising_away_from_the_low_is_not_approaching() -> None:
    eng = engine(low=Threshold(value=32.0))
    assert not approaching(eng, feed(eng, [36.0, 37.5, 39.0, 40.5]))


def test_a_dying_fire_falling_to_its_low_is_approaching() -> None:
    eng = engine(low=Threshold(value=225.0))
    assert approaching(eng, feed(eng, [240.0, 236.0, 232.0, 229.0]))
    below = engine(low=Threshold(value=225.0))
    assert not approaching(below, feed(below, [230.0, 226.0, 222.0]))  # low fired


def test_units_are_converted() -> None:
    # a °F probe heading for a 121 °C (249.8 °F) high, 5 °C = 9 °F away
    eng = engine(unit=F, high=Threshold(value=121.0, unit=C))
    assert approaching(eng, feed(eng, [230.0, 234.0, 238.0, 241.0]))
    # a °C probe 8 °C (14.4 °F) under a 250 °F high is farther than 10 °F
    far = engine(unit=C, high=HIGH)
    assert not approaching(far, feed(far, [105.0, 108.0, 110.0, 113.0], unit=C))
    near = engine(unit=C, high=HIGH)
    assert approaching(near, feed(near, [110.0, 113.0, 115.0, 117.0], unit=C))


def test_too_little_history_is_no_trend() -> None:
    eng = engine(high=HIGH)
    trend = feed(eng, [246.0, 248.0])
    assert trend.rate_per_hour is None
    assert not approaching(eng, trend)
    assert not approaching(eng, Trend())
    short = Trend(F, ApproachSettings(min_span_minutes=10.0))
    for i, value in enumerate([246.0, 247.0, 248.0]):
        short.add(START + timedelta(minutes=2 * i), value)
    assert short.rate_per_hour is None  # 4 minutes of readings


def test_trend_window_and_repeats() -> None:
    trend = Trend(F, ApproachSettings(window_minutes=30.0))
    for i in range(20):
        trend.add(START + timedelta(minutes=5 * i), 100.0 + i)
    trend.add(START + timedelta(minutes=95), 500.0)  # a repeat of the last time: ignored
    trend.add(START, 500.0)  # older: ignored
    trend.add(START + timedelta(minutes=100), None)
    assert trend.last == 119.0
    assert trend.rate_per_hour == pytest.approx(12.0)
