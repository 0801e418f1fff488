"""Sim time: the clock, and devices stepped lazily and deterministically up to it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from grillstats.simulator import CloudSimulator
from grillstats.simulator.clock import SimClock

HOUR = 3600.0


def test_clock() -> None:
    ticks = [100.0]
    start = datetime(2025, 7, 4, 12, tzinfo=UTC)
    clock = SimClock(start, speed=2.0, monotonic=lambda: ticks[0])
    ticks[0] += 10
    assert clock.now() == start + timedelta(seconds=20)
    clock.set_speed(0)
    ticks[0] += 10
    assert clock.now() == start + timedelta(seconds=20)
    assert clock.advance(5) == start + timedelta(seconds=25)
    for bad in (
        lambda: clock.advance(-1),
        lambda: clock.set_speed(-1),
        lambda: SimClock(start, speed=-1),
    ):
        with pytest.raises(ValueError, match=r"forward|>= 0"):
            bad()


def test_simulator_advance_and_speed() -> None:
    start = datetime(2025, 7, 4, 12, tzinfo=UTC)
    sim = CloudSimulator(devices=1, speed=0, start_time=start)
    assert sim.now() == start
    assert sim.advance(90) == start + timedelta(seconds=90)
    device = sim.device(sim.state()["devices"][0]["serial"])
    assert device.sim_time == start + timedelta(seconds=90)
    assert device.last_report == start + timedelta(seconds=90)
    sim.set_speed(1000)
    assert sim.now() > start + timedelta(seconds=90)
    with pytest.raises(ValueError, match="devices"):
        CloudSimulator(devices=-1)


def test_same_seed_same_world() -> None:
    start = datetime(2025, 7, 4, 12, tzinfo=UTC)
    worlds = [CloudSimulator(devices=6, seed=s, speed=0, start_time=start) for s in (4, 4, 5)]
    for sim in worlds:
        sim.advance(4 * HOUR)
    states = [sim.state() for sim in worlds]
    assert states[0]["devices"] == states[1]["devices"]
    assert [d["serial"] for d in states[0]["devices"]] != [
        d["serial"] for d in states[2]["devices"]
    ]
    serials = [d["serial"] for d in states[0]["devices"]]
    mac = re.compile(r"^([0-9A-F]{2}:){5}[0-9A-F]{2}$")
    for device, serial in zip(states[0]["devices"], serials, strict=True):
        if device["device"] == "rfx meat":
            assert re.fullmatch(r"M1000\d{5}", serial)
        else:
            assert mac.match(serial)


def test_reads_do_not_change_the_cook() -> None:
    start = datetime(2025, 7, 4, 12, tzinfo=UTC)
    a = CloudSimulator(devices=3, seed=9, speed=0, start_time=start)
    b = CloudSimulator(devices=3, seed=9, speed=0, start_time=start)
    for _ in range(120):  # many small steps with reads in between
        a.advance(37)
        a.state()
    b.advance(120 * 37)
    assert a.state()["devices"] == b.state()["devices"]
