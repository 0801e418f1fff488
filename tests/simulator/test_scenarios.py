"""The demo scenario: mid-cook at its start, the same cook for any later simulator, cycles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from grillstats.simulator import CloudSimulator
from grillstats.simulator.physics import f_to_c
from grillstats.simulator.scenarios import DEMO_PERIOD

START = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)


def demo(start_time: datetime = START, seed: int = 2026) -> CloudSimulator:
    return CloudSimulator(
        devices=6, seed=seed, speed=0, start_time=start_time, scenario="demo", scenario_start=START
    )


def by_label(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {device["label"]: device for device in state["devices"]}


def channel(device: dict[str, Any], label: str) -> dict[str, Any]:
    return next(ch for ch in device["channels"] if ch["label"] == label)


def probe(device: dict[str, Any], label: str) -> dict[str, Any]:
    return next(p for p in device["cook"]["probes"] if p["label"] == label)


@pytest.mark.parametrize("seed", [2026, 1, 7])
def test_the_demo_begins_mid_cook(seed: int) -> None:
    devices = by_label(demo(seed=seed).state())
    smoker = devices["Brisket Smoker"]
    assert abs(smoker["cook"]["pit_f"] - smoker["cook"]["set_point_f"]) < 15
    flat, point = probe(smoker, "Brisket Flat"), probe(smoker, "Brisket Point")
    assert flat["phase"] == "stall"
    stall_start = datetime.fromisoformat(flat["stall_start"])
    assert START - timedelta(minutes=15) < stall_start < START  # the integration sees it begin
    assert point["phase"] == "heating"
    assert 140 < point["true_f"] < 165
    ribs = probe(devices["Kamado"], "Ribs")
    assert ribs["phase"] == "heating"
    assert ribs["target_f"] - 10 <= ribs["true_f"] < ribs["target_f"]
    for label in ("Smoke", "RFX Gateway", "Kamado"):
        cook = devices[label]["cook"]
        assert abs(cook["pit_f"] - cook["set_point_f"]) < 15, label
    rising = [p for d in devices.values() if d["cook"] for p in d["cook"]["probes"]]
    assert all(p["true_f"] < p["target_f"] for p in rising)  # nothing done yet
    assert {ch["status"] for d in devices.values() for ch in d["channels"]} <= {
        "NORMAL",
        "NO PROBE",
    }  # no cloud alarm is going off


def test_the_default_scenario_still_starts_cold() -> None:
    sim = CloudSimulator(devices=6, seed=2026, speed=0, start_time=START)
    smoker = by_label(sim.state())["Brisket Smoker"]
    assert smoker["cook"]["elapsed_seconds"] == 0
    assert channel(smoker, "Pit")["status"] == "LOW"  # a cold pit under its low alarm


def test_a_later_simulator_resumes_the_same_cook() -> None:
    first = demo()
    first.advance(3 * 3600 + 45)
    later = demo(start_time=START + timedelta(seconds=3 * 3600 + 45))
    assert first.now() == later.now()
    assert first.state()["devices"] == later.state()["devices"]
    assert first.snapshot() == later.snapshot()


def test_a_new_cook_starts_every_period() -> None:
    sim = demo()
    serials = [device["serial"] for device in sim.state()["devices"]]
    sim.advance(DEMO_PERIOD.total_seconds() - 60)
    before = by_label(sim.state())
    assert probe(before["Brisket Smoker"], "Brisket Flat")["phase"] == "done"
    sim.advance(120)
    state = sim.state()
    assert [device["serial"] for device in state["devices"]] == serials
    devices = by_label(state)
    for label in ("Brisket Smoker", "Smoke", "Pork Butt", "Kamado"):
        cook = devices[label]["cook"]
        assert cook["elapsed_seconds"] == 60
        assert abs(cook["pit_f"] - cook["set_point_f"]) < 15
        assert all(p["true_f"] < 50 for p in cook["probes"]), label
    assert {ch["status"] for d in devices.values() for ch in d["channels"]} <= {
        "NORMAL",
        "NO PROBE",
    }
    # ... and it resumes like the first one.
    assert demo(start_time=sim.now()).state()["devices"] == state["devices"]


def test_a_removed_demo_device_stays_removed_and_an_added_one_keeps_cooking() -> None:
    sim = CloudSimulator(
        devices=7, seed=2026, speed=0, start_time=START, scenario="demo", scenario_start=START
    )
    devices = by_label(sim.state())
    offset = devices["Offset"]["cook"]  # the seventh: no story of its own, its seeded cuts
    assert [p["label"] for p in offset["probes"]] == ["Pork Butt", "Ribs"]
    assert offset["elapsed_seconds"] == 0
    assert abs(offset["pit_f"] - offset["set_point_f"]) < 15  # a pit already at its set point
    added = sim.add_device("smoke")
    sim.remove_device(devices["Smoke"]["serial"])
    sim.advance(DEMO_PERIOD.total_seconds())
    after = by_label(sim.state())
    assert "Smoke" not in after
    for label in ("Kamado", "Offset"):  # a new cook: the period is over
        assert after[label]["cook"]["elapsed_seconds"] == 0, label
    cooking = sim.device(added).cook
    assert cooking is not None
    assert cooking.elapsed == DEMO_PERIOD.total_seconds()


def test_targets_are_the_cuts_in_each_channels_unit() -> None:
    sim = demo()
    devices = {device["label"]: device["serial"] for device in sim.state()["devices"]}
    targets = sim.targets()
    assert targets[(devices["Brisket Smoker"], "2")] == (203.0, "F")
    assert targets[(devices["Kamado"], "2")] == (round(f_to_c(198.0), 1), "C")
    assert targets[(devices["Pork Butt"], "1")] == (203.0, "F")  # the tip, not the points
    assert (devices["Pork Butt"], "2") not in targets
    assert (devices["Brisket Smoker"], "1") not in targets  # a pit has none


def test_a_replay_yields_each_poll() -> None:
    sim = demo(start_time=START - timedelta(minutes=10))
    polls = list(sim.replay(START, 120))
    assert [when for when, _ in polls] == [
        START - timedelta(minutes=10) + timedelta(seconds=120 * n) for n in range(1, 6)
    ]
    assert polls[-1][1] == demo().snapshot()
    with pytest.raises(ValueError, match="positive"):
        next(sim.replay(START + timedelta(hours=1), 0))


def test_an_unknown_scenario_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        CloudSimulator(scenario="party")  # type: ignore[arg-type]
