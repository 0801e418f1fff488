"""The cook model, units and stored readings, without HTTP."""

from __future__ import annotations

import random

import pytest

from grillstats.simulator import CookModel, CookParams, PitParams, ProbeParams, StallParams
from grillstats.simulator.documents import float32, reading
from grillstats.simulator.physics import K_REFERENCE, c_to_f, f_to_c

HOUR = 3600.0
BRISKET = ProbeParams(
    label="Brisket", mass_kg=6.0, stall=StallParams(onset_f=160.0, duration_seconds=3 * HOUR)
)
CHICKEN = ProbeParams(label="Chicken", mass_kg=1.6, target_f=165.0)


def _cook(seed: int = 3, *probes: ProbeParams) -> CookModel:
    params = CookParams(pit=PitParams(set_point_f=250.0), probes=probes or (BRISKET, CHICKEN))
    return CookModel(params, random.Random(seed))


def test_pit_reaches_set_point_and_wanders() -> None:
    model = _cook()
    assert model.pit_true_f == 70.0
    model.run(2 * HOUR)
    temps = []
    for _ in range(40):
        model.run(900)
        temps.append(model.pit_true_f)
    assert all(230 < t < 270 for t in temps)
    assert max(temps) - min(temps) > 2  # it wanders
    assert abs(sum(temps) / len(temps) - 250) < 10


def test_meat_rises_toward_the_pit() -> None:
    model = _cook()
    previous = model.probe_true_f(0)
    for _ in range(8):
        model.run(HOUR)
        assert model.probe_true_f(0) > previous - 0.5
        previous = model.probe_true_f(0)
    assert model.probe_true_f(1) > 165  # the chicken is done
    assert model.phase(1) == "done"


def _max_rise_per_hour(model: CookModel, index: int, hours: float) -> list[float]:
    rises = []
    for _ in range(int(hours * 4)):
        before = model.probe_true_f(index)
        model.run(900)
        rises.append((model.probe_true_f(index) - before) * 4)
    return rises


def test_stall_plateau_where_configured() -> None:
    model = _cook()
    while model.stall_window(0) is None:
        model.run(60)
        assert model.elapsed < 12 * HOUR
    window = model.stall_window(0)
    assert window is not None
    assert window.end_seconds - window.start_seconds == 3 * HOUR
    assert 160 <= window.start_f < 161
    assert model.phase(0) == "stall"
    model.run(1200)  # past the ramp-in
    plateau_start = model.probe_true_f(0)
    model.run(2 * HOUR)
    assert model.probe_true_f(0) - plateau_start < 5  # flat for hours
    model.run(window.end_seconds - model.elapsed + HOUR)
    assert model.phase(0) in ("heating", "done")
    assert model.probe_true_f(0) - plateau_start > 10  # climbing again


def test_no_stall_where_not_configured() -> None:
    model = _cook(3, CHICKEN)
    rises = _max_rise_per_hour(model, 0, 3)
    assert model.stall_window(0) is None
    assert model.phase(0) == "done"
    # between 150 and 165 °F the chicken keeps climbing fast: no plateau
    assert min(rises[:8]) > 10


def test_stall_factor_edges() -> None:
    stall = StallParams(onset_f=100.0, duration_seconds=600.0, ramp_seconds=900.0, strength=1.0)
    model = _cook(1, ProbeParams(start_f=99.0, stall=stall, k=1e-3))
    model.run(3000, dt=10)
    window = model.stall_window(0)
    assert window is not None
    assert window.end_seconds - window.start_seconds == 600


def test_seeded_determinism() -> None:
    a, b, c = _cook(7), _cook(7), _cook(8)
    for model in (a, b, c):
        model.run(5 * HOUR)
    assert a.probe_true_f(0) == b.probe_true_f(0)
    assert a.pit_f == b.pit_f  # same noise too
    assert a.probe_true_f(0) != c.probe_true_f(0)


def test_mass_sets_the_rate() -> None:
    assert ProbeParams(mass_kg=1.0).rate == pytest.approx(K_REFERENCE)
    assert ProbeParams(mass_kg=8.0).rate == pytest.approx(K_REFERENCE / 4)
    assert ProbeParams(k=0.5).rate == 0.5


def test_units_and_float32() -> None:
    assert f_to_c(212.0) == pytest.approx(100.0)
    assert c_to_f(100.0) == pytest.approx(212.0)
    assert float32(-5.2) == -5.199999809265137
    assert reading(251.54) == float32(251.5)
    assert reading(250.02) == 250
    assert isinstance(reading(250.02), int)
    assert reading(None) is None
