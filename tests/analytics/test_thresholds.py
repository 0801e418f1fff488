"""The threshold engine: one event per crossing, hysteresis, units, restore."""

from __future__ import annotations

import itertools
import json
from typing import override

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from grillstats.analytics import (
    ProbeThresholds,
    Threshold,
    ThresholdEngine,
    ThresholdEventType,
    ThresholdKind,
    convert,
    convert_delta,
)
from grillstats.thermoworks import Unit

F, C = Unit.FAHRENHEIT, Unit.CELSIUS
HIGH = ThresholdEventType.HIGH
LOW = ThresholdEventType.LOW
TARGET = ThresholdEventType.TARGET_REACHED
CLEARED = ThresholdEventType.CLEARED


def engine(**kwargs: Threshold | None) -> ThresholdEngine:
    return ThresholdEngine(config=ProbeThresholds(unit=F, **kwargs))


def types(eng: ThresholdEngine, *readings: float | None, unit: Unit = F) -> list[str]:
    return [event.type.value for r in readings for event in eng.update(r, unit)]


def test_high_fires_once_then_clears_beyond_band() -> None:
    eng = engine(high=Threshold(value=250))
    assert types(eng, 249, 251, 252, 249, 248.5, 251, 247.9, 251) == ["high", "cleared", "high"]


def test_low_symmetric() -> None:
    eng = engine(low=Threshold(value=200))
    assert types(eng, 201, 199, 198, 201, 201.9, 199, 202.1) == ["low", "cleared"]


def test_target_rearms_silently() -> None:
    eng = engine(target=Threshold(value=203))
    assert types(eng, 200, 203, 204, 202, 203, 200.9, 203.5) == [
        "target_reached",
        "target_reached",
    ]


def test_none_and_nan_change_nothing() -> None:
    eng = engine(high=Threshold(value=250), target=Threshold(value=100))
    assert types(eng, None, float("nan"), None) == []
    assert eng.state_dict() == {"high_active": False, "low_active": False, "target_reached": False}


def test_event_fields_in_probe_unit() -> None:
    eng = ThresholdEngine(
        config=ProbeThresholds(unit=F, high=Threshold(value=100, unit=C, hysteresis=0.5))
    )
    (event,) = eng.update(100.5, C)
    assert event.type is HIGH
    assert event.kind is ThresholdKind.HIGH
    assert event.unit is F
    assert event.threshold == pytest.approx(212.0)
    assert event.temperature == pytest.approx(212.9)
    (event,) = eng.update(99.4, C)
    assert event.type is CLEARED
    assert event.kind is ThresholdKind.HIGH


def test_celsius_threshold_fahrenheit_reading() -> None:
    # 100 °C = 212 °F; the default band of a °C threshold is 1 °C = 1.8 °F.
    eng = ThresholdEngine(config=ProbeThresholds(unit=C, high=Threshold(value=100, unit=C)))
    assert types(eng, 211.9, 212.1) == ["high"]
    assert types(eng, 210.3) == []  # 99.06 °C: inside the band
    assert types(eng, 210.1) == ["cleared"]  # 98.94 °C


def test_default_bands() -> None:
    assert Threshold(value=1, unit=F).band == 2.0
    assert Threshold(value=1, unit=C).band == 1.0
    assert Threshold(value=1, hysteresis=0.0).band == 0.0


def test_bad_threshold() -> None:
    with pytest.raises(ValueError, match="must be"):
        Threshold(value=float("inf"))
    with pytest.raises(ValueError, match="must be"):
        Threshold(value=1, hysteresis=-1)


def test_conversion() -> None:
    assert convert(212, F, C) == pytest.approx(100)
    assert convert(100, C, F) == pytest.approx(212)
    assert convert(50, Unit.HUMIDITY, Unit.HUMIDITY) == 50
    assert convert_delta(1, C, F) == pytest.approx(1.8)
    with pytest.raises(ValueError, match="cannot convert"):
        convert(50, Unit.HUMIDITY, F)


def test_reconfigure_keeps_state_and_drops_removed() -> None:
    eng = engine(high=Threshold(value=250), low=Threshold(value=100), target=Threshold(value=90))
    assert types(eng, 95) == ["low", "target_reached"]
    eng.reconfigure(ProbeThresholds(unit=F, high=Threshold(value=250)))
    assert eng.state_dict() == {"high_active": False, "low_active": False, "target_reached": False}
    assert types(eng, 260) == ["high"]
    eng.reconfigure(ProbeThresholds(unit=F, high=Threshold(value=300)))
    assert types(eng, 260) == ["cleared"]


def test_from_state_tolerates_bad_data() -> None:
    config = ProbeThresholds(high=Threshold(value=250))
    eng = ThresholdEngine.from_state(config, {"high_active": "yes", "low_active": True})
    assert eng.state_dict() == {"high_active": False, "low_active": False, "target_reached": False}
    assert ThresholdEngine.from_state(config, None).state_dict()["high_active"] is False


LIMIT = 250.0
BAND = 2.0


@given(st.lists(st.floats(min_value=LIMIT - BAND + 0.01, max_value=LIMIT + 20), max_size=60))
def test_oscillation_inside_band_fires_at_most_once(readings: list[float]) -> None:
    eng = engine(high=Threshold(value=LIMIT, hysteresis=BAND))
    fired = types(eng, LIMIT + 1, *readings)
    assert fired == ["high"]


@given(
    st.lists(
        st.one_of(
            st.floats(min_value=LIMIT - 40, max_value=LIMIT + 40),
            st.none(),
        ),
        max_size=80,
    )
)
def test_every_real_crossing_fires_exactly_once(readings: list[float | None]) -> None:
    eng = engine(high=Threshold(value=LIMIT, hysteresis=BAND))
    expected: list[str] = []
    above = False
    for reading in readings:
        if reading is None:
            continue
        if not above and reading > LIMIT:
            above = True
            expected.append("high")
        elif above and reading < LIMIT - BAND:
            above = False
            expected.append("cleared")
    assert types(eng, *readings) == expected
    # alternate "high" / "cleared": never two of a kind in a row
    assert all(a != b for a, b in itertools.pairwise(expected))


@given(
    st.lists(st.floats(min_value=150, max_value=260), min_size=1, max_size=40),
    st.lists(st.floats(min_value=150, max_value=260), max_size=40),
)
def test_restore_after_restart_never_refires(before: list[float], after: list[float]) -> None:
    config = ProbeThresholds(
        unit=F, high=Threshold(value=240), low=Threshold(value=170), target=Threshold(value=203)
    )
    straight = ThresholdEngine(config=config)
    types(straight, *before)
    first = ThresholdEngine(config=config)
    types(first, *before)
    restored = ThresholdEngine.from_state(config, first.state_dict())
    # the restarted engine sees the same last reading again: nothing new may fire
    assert restored.update(before[-1], F) == []
    assert types(restored, *after) == types(straight, *after)


@given(
    st.floats(min_value=-20, max_value=150),
    st.floats(min_value=-30, max_value=160),
)
def test_celsius_threshold_matches_fahrenheit_reading(limit_c: float, reading_c: float) -> None:
    via_f = ThresholdEngine(config=ProbeThresholds(unit=C, high=Threshold(value=limit_c, unit=C)))
    direct = ThresholdEngine(config=ProbeThresholds(unit=C, high=Threshold(value=limit_c, unit=C)))
    reading_f = reading_c * 9 / 5 + 32
    if abs(reading_c - limit_c) < 1e-6:
        return  # exactly on the line: float rounding may go either way
    got = via_f.update(reading_f, F)
    want = direct.update(reading_c, C)
    assert [e.type for e in got] == [e.type for e in want]
    for g, w in zip(got, want, strict=True):
        assert g.temperature == pytest.approx(w.temperature, abs=1e-9)
        assert g.unit is C


class ThresholdMachine(RuleBasedStateMachine):
    """All three thresholds, each in its own unit, readings in either unit, restarts anywhere.

    A reference model tracks, per threshold and in the threshold's own unit, whether it has
    fired; the engine must emit exactly the transitions the model sees, in the same order, and
    a restart from ``state_dict()`` (through JSON, as the Store writes it) changes nothing.
    """

    @override
    def __init__(self) -> None:
        super().__init__()
        self.engine = ThresholdEngine()
        self.active: dict[ThresholdKind, bool] = {}
        self.last: tuple[float, Unit] | None = None

    @initialize(
        probe=st.sampled_from([F, C]),
        high=st.tuples(st.floats(200, 280), st.sampled_from([F, C])),
        low=st.tuples(st.floats(30, 199), st.sampled_from([F, C])),
        goal=st.tuples(st.floats(100, 260), st.sampled_from([F, C])),  # ("target" is taken)
    )
    def configure(
        self,
        probe: Unit,
        high: tuple[float, Unit],
        low: tuple[float, Unit],
        goal: tuple[float, Unit],
    ) -> None:
        def threshold(limit_f: float, unit: Unit) -> Threshold:
            return Threshold(value=round(convert(limit_f, F, unit), 1), unit=unit)

        self.config = ProbeThresholds(
            unit=probe, high=threshold(*high), low=threshold(*low), target=threshold(*goal)
        )
        self.engine = ThresholdEngine(config=self.config)
        self.active = dict.fromkeys(ThresholdKind, False)

    def expected(self, reading: float, unit: Unit) -> list[tuple[str, str]]:
        """The model: what must fire for this reading, updating what has fired."""
        events: list[tuple[str, str]] = []
        for kind in (ThresholdKind.HIGH, ThresholdKind.LOW, ThresholdKind.TARGET):
            threshold = getattr(self.config, kind.value)
            value, limit, band = (
                convert(reading, unit, threshold.unit),
                threshold.value,
                threshold.band,
            )
            fired = self.active[kind]
            if kind is ThresholdKind.HIGH:
                fire, rearm = not fired and value > limit, fired and value < limit - band
            elif kind is ThresholdKind.LOW:
                fire, rearm = not fired and value < limit, fired and value > limit + band
            else:
                fire, rearm = not fired and value >= limit, fired and value < limit - band
            if fire:
                self.active[kind] = True
                name = "target_reached" if kind is ThresholdKind.TARGET else kind.value
                events.append((name, kind.value))
            elif rearm:
                self.active[kind] = False
                if kind is not ThresholdKind.TARGET:  # a target re-arms silently
                    events.append(("cleared", kind.value))
        return events

    @rule(reading_f=st.floats(0, 320), unit=st.sampled_from([F, C]))
    def read(self, reading_f: float, unit: Unit) -> None:
        reading = convert(reading_f, F, unit)
        got = self.engine.update(reading, unit)
        assert [(e.type.value, e.kind.value) for e in got] == self.expected(reading, unit)
        for event in got:
            assert event.unit is self.config.unit
            threshold = getattr(self.config, event.kind.value)
            assert event.threshold == convert(threshold.value, threshold.unit, self.config.unit)
        self.last = (reading, unit)

    @rule(reading=st.one_of(st.none(), st.just(float("nan"))))
    def no_data(self, reading: float | None) -> None:
        assert self.engine.update(reading, F) == []

    @rule()
    def restart(self) -> None:
        stored = json.loads(json.dumps(self.engine.state_dict()))
        self.engine = ThresholdEngine.from_state(self.config, stored)
        if self.last is not None:  # the first poll after a restart sees the last reading again
            assert self.engine.update(*self.last) == []

    @invariant()
    def state_matches_the_model(self) -> None:
        if self.active:
            state = self.engine.state
            assert state.high_active is self.active[ThresholdKind.HIGH]
            assert state.low_active is self.active[ThresholdKind.LOW]
            assert state.target_reached is self.active[ThresholdKind.TARGET]


TestThresholdMachine = ThresholdMachine.TestCase
TestThresholdMachine.settings = settings(max_examples=150, stateful_step_count=60, deadline=None)


@given(
    st.floats(min_value=30, max_value=200),
    st.lists(st.floats(min_value=-1.99, max_value=5.0), max_size=60),
)
def test_low_oscillating_inside_its_band_fires_once(limit: float, wiggles: list[float]) -> None:
    eng = engine(low=Threshold(value=limit))
    assert types(eng, limit - 1, *(limit + w for w in wiggles if w < 1.99)) == ["low"]


@given(
    st.floats(min_value=100, max_value=260),
    st.lists(st.floats(min_value=-1.99, max_value=5.0), max_size=60),
)
def test_target_oscillating_inside_its_band_fires_once(limit: float, wiggles: list[float]) -> None:
    eng = engine(target=Threshold(value=limit))
    assert types(eng, limit, *(limit + w for w in wiggles)) == ["target_reached"]
