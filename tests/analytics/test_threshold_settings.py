"""Stored thresholds: each with its unit; anything malformed is skipped, never guessed."""

from __future__ import annotations

from grillstats.analytics import Threshold, ThresholdKind, ThresholdSettings
from grillstats.thermoworks import Unit

KEY = ("A4:CF:12:22:96:BA", "1")


def test_round_trip_and_off() -> None:
    limits = ThresholdSettings()
    limits.set(KEY, ThresholdKind.HIGH, Threshold(value=250.0))
    limits.set(KEY, ThresholdKind.TARGET, Threshold(value=95.0, unit=Unit.CELSIUS))
    limits.set(KEY, ThresholdKind.LOW, None)  # off: nothing stored
    assert ThresholdSettings.from_state(limits.state_dict()).state_dict() == {
        "A4:CF:12:22:96:BA/1": {
            "high": {"value": 250.0, "unit": "F"},
            "target": {"value": 95.0, "unit": "C"},
        }
    }
    limits.set(KEY, ThresholdKind.HIGH, None)
    limits.set(KEY, ThresholdKind.TARGET, None)
    assert limits.probes() == []


def test_malformed_entries_are_skipped() -> None:
    limits = ThresholdSettings.from_state(
        {
            "A4:CF:12:22:96:BA/1": {
                "high": {"value": 250.0, "unit": "F"},
                "low": 32.0,  # a bare number: which unit? skipped
                "target": {"value": True, "unit": "F"},
            },
            "A4:CF:12:22:96:BA/2": {"high": {"value": 250.0, "unit": "H"}},
            "A4:CF:12:22:96:BA/3": {"high": {"value": float("inf"), "unit": "F"}},
            "no-channel": {"high": {"value": 250.0, "unit": "F"}},
            "A4:CF:12:22:96:BA/4": "nonsense",
        }
    )
    assert limits.probes() == [KEY]
    assert limits.get(KEY, ThresholdKind.HIGH) == Threshold(value=250.0)
    assert limits.get(KEY, ThresholdKind.LOW) is None
    assert ThresholdSettings.from_state(None).probes() == []
