"""The AlertTracker over consecutive polls, without Home Assistant."""

from __future__ import annotations

from dataclasses import replace

from grillstats.analytics import AlertTracker, Threshold, ThresholdEventType, ThresholdKind
from grillstats.thermoworks import Device

from .test_health import NOW, channel, device


def _with_temperature(base: Device, value: float) -> Device:
    probe = replace(base.channels["1"], temperature=value, raw_value=value)
    return replace(base, channels={"1": probe})


def test_a_repeated_poll_is_steady_and_alerts_nothing() -> None:
    tracker = AlertTracker()
    first = {"s": replace(device(channels={"1": channel("1")}), serial="s")}
    tracker.process(first, NOW)
    assert tracker.steady is False  # the first poll is the baseline, not a repeat
    assert tracker.process(dict(first), NOW) == []
    assert tracker.steady is True


def test_a_new_threshold_makes_the_next_poll_count() -> None:
    tracker = AlertTracker()
    polled = {"s": replace(device(channels={"1": channel("1")}), serial="s")}
    tracker.process(polled, NOW)
    tracker.set_threshold(("s", "1"), ThresholdKind.HIGH, Threshold(value=140.0))
    alerts = tracker.process(polled, NOW)
    assert tracker.steady is False
    assert [alert.type for alert in alerts] == [ThresholdEventType.HIGH]
    assert tracker.state_dict()["limits"]  # the threshold is in what gets stored


def test_the_stored_state_survives_a_restart_without_firing_twice() -> None:
    tracker = AlertTracker()
    base = replace(device(channels={"1": channel("1")}), serial="s")
    tracker.set_threshold(("s", "1"), ThresholdKind.HIGH, Threshold(value=140.0))
    tracker.process({"s": base}, NOW)
    hot = {"s": _with_temperature(base, 160.0)}
    tracker.process(hot, NOW)
    restarted = AlertTracker()
    restarted.restore(tracker.state_dict())
    assert restarted.process(hot, NOW) == []
    assert restarted.steady is False
