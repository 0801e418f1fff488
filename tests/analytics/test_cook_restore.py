"""A detector's state survives a restart: mid-stall it carries on as if nothing happened."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from grillstats.analytics import CookPhase, StallDetector, StallSettings, estimate_for
from grillstats.simulator.physics import CookModel, CookParams, ProbeParams, StallParams
from grillstats.thermoworks import Unit

START = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def brisket() -> CookModel:
    stall = StallParams(onset_f=160.0, duration_seconds=3 * 3600)
    probe = ProbeParams(mass_kg=6.0, target_f=203.0, stall=stall)
    return CookModel(CookParams(probes=(probe,)), random.Random(3))


def feed(detector: StallDetector, model: CookModel, start: datetime, hours: float) -> datetime:
    now = start
    for _ in range(round(hours * 12)):
        model.run(300)
        now += timedelta(minutes=5)
        detector.update(now, round(model.probe_f(0), 1), round(model.pit_f, 1))
    return now


def phase(detector: StallDetector) -> CookPhase:
    return detector.phase


def test_restored_mid_stall_keeps_phase_and_estimate() -> None:
    model = brisket()
    detector = StallDetector(target=203.0)
    now = feed(detector, model, START, 5.5)  # onset ≈ 4.5 h: in the stall
    assert phase(detector) is CookPhase.STALL
    stored = json.loads(json.dumps(detector.state_dict()))  # what the Store writes
    restored = StallDetector.from_state(stored, target=203.0)
    assert phase(restored) is CookPhase.STALL
    assert restored.samples == detector.samples
    assert restored.reference_k == detector.reference_k
    assert restored.noise == detector.noise
    assert restored.recent_k == detector.recent_k
    assert restored.stall_started_at == detector.stall_started_at
    assert estimate_for(restored) == estimate_for(detector)
    before = estimate_for(detector)
    assert before is not None
    assert before.eta - now < timedelta(hours=10)  # not the 48 h cap of a fresh detector
    # Both carry on identically: same events (the stall ends), phase and estimate.
    ended = []
    for _ in range(36):
        model.run(300)
        now += timedelta(minutes=5)
        meat, pit = round(model.probe_f(0), 1), round(model.pit_f, 1)
        events = restored.update(now, meat, pit)
        assert events == detector.update(now, meat, pit)
        ended += events
        assert restored.phase is detector.phase
        assert estimate_for(restored) == estimate_for(detector)
    assert [event.type.value for event in ended] == ["stall_ended"]


def test_state_round_trips_exactly() -> None:
    model = brisket()
    detector = StallDetector(target=203.0, unit=Unit.FAHRENHEIT)
    feed(detector, model, START, 9)  # past the stall
    stored = detector.state_dict()
    assert StallDetector.from_state(json.loads(json.dumps(stored))).state_dict() == stored


@pytest.mark.parametrize(
    "damage",
    [
        {"unit": "C"},  # the probe changed unit: the samples mean something else now
        {"samples": [[1.0, 40.0, None], [1.0, 41.0, None]]},  # not in time order
        {"samples": [[1.0, "hot", None]]},
        {"samples": [[1.0, 40.0]]},
        {"samples": "nope"},
        {"stalled": 1},
        {"streak": True},
        {"first": [1.0, float("nan"), None]},
    ],
)
def test_a_bad_state_starts_afresh(damage: dict[str, object]) -> None:
    detector = StallDetector(target=203.0)
    feed(detector, brisket(), START, 3)
    stored = detector.state_dict() | damage
    restored = StallDetector.from_state(stored, target=203.0)
    assert restored.samples == ()
    assert restored.reference_k is None
    assert phase(restored) is CookPhase.IDLE


def test_missing_keys_or_nothing_start_afresh() -> None:
    assert StallDetector.from_state({"unit": "F"}).samples == ()
    assert StallDetector.from_state(None).samples == ()
    assert StallDetector.from_state({}).samples == ()


def test_restore_keeps_only_the_history_window() -> None:
    detector = StallDetector(settings=StallSettings(history_hours=12.0))
    feed(detector, brisket(), START, 3)
    small = StallDetector.from_state(
        detector.state_dict(), settings=StallSettings(history_hours=1.0)
    )
    assert len(small.samples) == 13
