"""One probe, several cooks: what the detector learnt about one never leaks into the next."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from grillstats.analytics import CookPhase, StallDetector, StallEventType, estimate_for
from grillstats.simulator.physics import CookModel, CookParams, PitParams, ProbeParams, StallParams

START = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


@dataclass
class Feed:
    """Feeds one detector from one cook model after another, every five minutes."""

    detector: StallDetector
    now: datetime = START
    events: list[tuple[str, datetime, float]] = field(default_factory=list)
    phases: list[CookPhase] = field(default_factory=list)

    def run(self, model: CookModel, hours: float) -> Iterator[None]:
        for _ in range(round(hours * 12)):
            model.run(300)
            self.now += timedelta(minutes=5)
            meat, pit = round(model.probe_f(0), 1), round(model.pit_f, 1)
            for event in self.detector.update(self.now, meat, pit):
                self.events.append((event.type.value, event.timestamp, event.temperature))
            self.phases.append(self.detector.phase)
            yield

    def skip(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def phase(detector: StallDetector) -> CookPhase:
    """The phase, read through a call so that mypy does not narrow it between reads."""
    return detector.phase


def stalled(detector: StallDetector) -> bool:
    return detector.stalled


def chicken() -> CookModel:
    params = CookParams(
        pit=PitParams(set_point_f=325.0), probes=(ProbeParams(mass_kg=1.5, target_f=165.0),)
    )
    return CookModel(params, random.Random(1))


def kitchen() -> CookModel:
    """The probe pulled and left on the counter, the pit cold."""
    room = PitParams(set_point_f=70.0, ambient_f=70.0, drift_f=0.5)
    return CookModel(CookParams(pit=room, probes=(ProbeParams(start_f=70.0),)), random.Random(2))


def brisket() -> CookModel:
    stall = StallParams(onset_f=160.0, duration_seconds=3 * 3600)
    probe = ProbeParams(mass_kg=6.0, target_f=203.0, stall=stall)
    params = CookParams(pit=PitParams(set_point_f=250.0), probes=(probe,))
    return CookModel(params, random.Random(3))


def test_a_second_cook_on_the_same_probe_starts_afresh() -> None:
    feed = Feed(StallDetector(target=165.0))
    list(feed.run(chicken(), 3))
    assert phase(feed.detector) is CookPhase.DONE
    list(feed.run(kitchen(), 2))
    assert phase(feed.detector) is CookPhase.IDLE  # pulled: that cook is over
    feed.detector.target = 203.0
    feed.events.clear()
    feed.phases.clear()
    model = brisket()
    onset: datetime | None = None
    for _ in feed.run(model, 14):
        if onset is None and (window := model.stall_window(0)) is not None:
            onset = START + (feed.now - START) - timedelta(seconds=model.elapsed)
            onset += timedelta(seconds=window.start_seconds)
    assert onset is not None
    assert CookPhase.DONE not in feed.phases[: len(feed.phases) // 2]
    assert feed.phases[0] is CookPhase.IDLE
    assert CookPhase.HEATING in feed.phases
    assert CookPhase.STALL in feed.phases
    assert feed.phases[-1] is CookPhase.DONE
    started = [e for e in feed.events if e[0] == StallEventType.STALL_STARTED]
    assert len(started) == 1
    _, when, temperature = started[0]
    assert 150 < temperature < 170  # the real plateau, not a false start at 96 °F
    assert timedelta(0) <= when - onset <= timedelta(minutes=20)


def test_eta_of_the_second_cook_uses_its_own_heating() -> None:
    feed = Feed(StallDetector(target=165.0))
    list(feed.run(chicken(), 3))
    list(feed.run(kitchen(), 2))
    feed.detector.target = 203.0
    fresh = Feed(StallDetector(target=203.0), now=feed.now)
    model, twin = brisket(), brisket()
    for _ in zip(feed.run(model, 3), fresh.run(twin, 3), strict=True):
        pass
    carried, alone = estimate_for(feed.detector), estimate_for(fresh.detector)
    assert carried is not None
    assert alone is not None
    assert abs((carried.eta - alone.eta).total_seconds()) < 15 * 60
    # the chicken's k (≈ 0.52/h) is gone; the counter's readings hardly move the brisket's
    assert feed.detector.reference_k == pytest.approx(fresh.detector.reference_k, rel=0.02)


def test_a_long_gap_starts_a_new_cook() -> None:
    feed = Feed(StallDetector(target=203.0))
    list(feed.run(brisket(), 3))
    assert phase(feed.detector) is CookPhase.HEATING
    learnt = feed.detector.reference_k
    assert learnt is not None
    feed.skip(61)  # unplugged (or the thermometer off) for over an hour
    feed.detector.update(feed.now, 120.0, 250.0)
    assert phase(feed.detector) is CookPhase.IDLE
    assert feed.detector.reference_k is None
    assert len(feed.detector.samples) == 1


def test_a_short_gap_keeps_the_cook() -> None:
    feed = Feed(StallDetector(target=203.0))
    model = brisket()
    list(feed.run(model, 3))
    reference = feed.detector.reference_k
    model.run(40 * 60)  # a Wi-Fi drop: the cook goes on unseen
    feed.skip(40)
    list(feed.run(model, 0.1))
    assert feed.detector.reference_k == reference
    assert len(feed.detector.samples) > 30


def test_a_stall_in_progress_ends_with_its_cook_without_an_event() -> None:
    feed = Feed(StallDetector(target=203.0))
    list(feed.run(brisket(), 6))
    assert stalled(feed.detector)
    events = feed.detector.update(feed.now + timedelta(minutes=5), 72.0, 250.0)  # pulled
    assert events == []
    assert not stalled(feed.detector)
    assert feed.detector.stall_started_at is None
    assert phase(feed.detector) is CookPhase.IDLE


def test_done_rearms_below_the_band_and_follows_the_target() -> None:
    detector = StallDetector(target=165.0)
    at = START

    def read(value: float) -> CookPhase:
        nonlocal at
        at += timedelta(minutes=5)
        detector.update(at, value, 300.0)
        return detector.phase

    assert read(40.0) is CookPhase.IDLE
    assert read(38.0) is CookPhase.IDLE  # from the fridge: the rise counts from here
    assert read(40.5) is CookPhase.IDLE
    assert read(41.5) is CookPhase.HEATING
    assert read(165.2) is CookPhase.DONE
    assert read(163.5) is CookPhase.DONE  # inside the 2 °F band
    detector.target = 175.0  # raised after done: heating again
    assert phase(detector) is CookPhase.HEATING
    assert read(175.5) is CookPhase.DONE
    detector.target = 170.0  # lowered: still done
    assert phase(detector) is CookPhase.DONE
    assert read(167.9) is CookPhase.IDLE  # resting: below target - band
    assert read(166.0) is CookPhase.IDLE
    assert read(169.5) is CookPhase.HEATING  # back on the heat
    detector.target = None
    assert read(171.0) is CookPhase.HEATING
