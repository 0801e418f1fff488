"""Device behaviour: going offline, batteries, report intervals, families and quirks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from grillstats.simulator import CloudSimulator, EnvironmentModel, catalog, fleet
from grillstats.simulator.devices import RFX_NULL_CHANCE
from grillstats.simulator.documents import channel_fields, device_fields, eta_text, fan_state

from .conftest import Cloud
from .test_firestore import serial_of

START = datetime(2025, 7, 4, 12, tzinfo=UTC)


async def test_offline_freezes_documents(cloud: Cloud) -> None:
    serial = serial_of(cloud, "signals")
    cloud.sim.advance(300)
    before_device = (await cloud.get(f"devices/{serial}"))[1]
    before_channel = (await cloud.get(f"devices/{serial}/channels/1"))[1]
    status, _ = await cloud.control("POST", f"/devices/{serial}", {"online": False})
    assert status == 200
    cloud.sim.advance(1800)
    cloud.sim.set_device(serial, battery=5)  # invisible while offline
    await cloud.sign_in()
    assert (await cloud.get(f"devices/{serial}"))[1] == before_device
    assert (await cloud.get(f"devices/{serial}/channels/1"))[1] == before_channel
    cloud.sim.set_channel(serial, 1, value=300.0)  # also invisible while offline
    assert (await cloud.get(f"devices/{serial}/channels/1"))[1] == before_channel
    cloud.sim.set_device(serial, online=True)
    after = (await cloud.get(f"devices/{serial}"))[1]["fields"]
    assert after["lastSeen"] != before_device["fields"]["lastSeen"]
    assert after["battery"] == {"integerValue": "5"}
    channel = (await cloud.get(f"devices/{serial}/channels/1"))[1]["fields"]
    assert channel["value"] == {"integerValue": "300"}


def test_battery_drains_and_charges() -> None:
    sim = CloudSimulator(devices=1, speed=0, start_time=START)
    serial = sim.state()["devices"][0]["serial"]
    sim.set_device(serial, battery=50, charging=False)
    sim.advance(3600)
    device = sim.device(serial)
    assert device.battery == pytest.approx(47.0)  # signals: 3 %/h
    assert device.battery_state == "discharging"
    sim.set_device(serial, charging=True)
    sim.advance(1800)
    assert sim.device(serial).battery_state == "charging"
    sim.advance(4 * 3600)
    assert sim.device(serial).battery == 100
    assert sim.device(serial).battery_state == "full"
    assert device_fields(device)["batteryState"] == "full"
    sim.set_device(serial, battery=0.2, charging=False)
    sim.advance(3600)
    assert sim.device(serial).battery == 0


def test_rssi_jitters() -> None:
    sim = CloudSimulator(devices=1, speed=0, start_time=START)
    device = sim.device(sim.state()["devices"][0]["serial"])
    seen = set()
    for _ in range(20):
        sim.advance(30)
        seen.add(device_fields(device)["wifi_stength"])
    assert len(seen) > 2
    assert all(abs(value - device.rssi_base) <= 5 for value in seen)


def test_node_reports_every_ten_minutes() -> None:
    sim = CloudSimulator(devices=5, speed=0, start_time=START)
    node = sim.state()["devices"][4]
    assert node["device"] == "node"
    device = sim.device(node["serial"])
    sim.advance(590)
    assert device.last_report == START
    sim.advance(10)
    assert device.last_report == START + timedelta(seconds=600)
    signals = sim.device(sim.state()["devices"][0]["serial"])
    assert signals.last_report == START + timedelta(seconds=600)
    sim.advance(40)
    assert signals.last_report == START + timedelta(seconds=630)


def test_environment_model_stays_near_means() -> None:
    room = EnvironmentModel(random.Random(2), mean_f=55.0, mean_rh=72.0)
    for _ in range(2000):
        room.step(15)
    assert 50 < room.temp_f < 60
    assert 60 < room.humidity < 85


def test_rotation_covers_every_family() -> None:
    sim = CloudSimulator(devices=12, seed=3, speed=0)
    state = sim.state()
    families = [d["device"] for d in state["devices"]]
    assert families == ["signals", "smoke", "rfx gateway", "rfx meat", "node", "signals"] * 2
    assert [d["units"] for d in state["devices"][:6]] == ["F"] * 5 + ["C"]
    assert [d["fan"] for d in state["devices"]].count(True) == 1
    assert state["devices"][9]["gateway"] == state["devices"][8]["serial"]
    assert len({d["serial"] for d in state["devices"]}) == 12
    labels = [d["label"] for d in state["devices"]]
    assert labels[:6] == [
        "Brisket Smoker",
        "Smoke",
        "RFX Gateway",
        "Pork Butt",
        "Curing Chamber",
        "Kamado",
    ]


def test_celsius_signals_reads_celsius() -> None:
    sim = CloudSimulator(devices=6, seed=1, speed=0, start_time=START)
    kamado = sim.state()["devices"][5]
    sim.advance(4 * 3600)
    device = sim.device(kamado["serial"])
    pit_c = device.channels[0].value
    assert pit_c is not None
    assert 95 < pit_c < 145  # 225-275 °F in °C, plus wander
    assert device.channels[0].alarm_high.units == "C"
    assert channel_fields(device, device.channels[0])["units"] == "C"


def test_rfx_outer_point_sometimes_null() -> None:
    sim = CloudSimulator(devices=4, seed=2, speed=0, start_time=START)
    meat = sim.device(sim.state()["devices"][3]["serial"])
    nulls = 0
    reports = 400
    for _ in range(reports):
        sim.advance(30)
        nulls += meat.channels[3].value is None
        assert meat.channels[0].value is not None
    assert 0 < nulls < reports * RFX_NULL_CHANCE * 3
    tip, outer = meat.channels[0].value, meat.channels[2].value
    assert tip is not None
    assert outer is not None
    assert tip < outer  # the core is the coolest point


def test_fan_states_and_eta() -> None:
    sim = CloudSimulator(devices=1, seed=1, speed=0, start_time=START)
    serial = sim.state()["devices"][0]["serial"]
    device = sim.device(serial)
    assert device.cook is not None
    set_point = device.cook.params.pit.set_point_f
    for value, state in ((set_point - 50, 1), (set_point, 2), (set_point + 50, 0)):
        sim.set_channel(serial, 1, value=value)
        assert fan_state(device)["state"] == state
    brisket = device.channels[1]
    assert eta_text(brisket) == "More than 24 Hours"  # no rate yet
    sim.advance(1800)
    assert eta_text(brisket).endswith(" minutes")
    brisket.rate_per_min = 0.01
    assert eta_text(brisket) == "More than 24 Hours"
    brisket.rate_per_min = 0.05
    assert eta_text(brisket) == "More than 24 Hours"  # > 24 h away at this pace
    sim.set_channel(serial, 2, value=210.0)
    assert eta_text(brisket) == ""


def test_serial_collision_builds_another(monkeypatch: pytest.MonkeyPatch) -> None:
    sim = CloudSimulator(devices=1, speed=0, start_time=START)
    taken = sim.state()["devices"][0]["serial"]
    calls: list[int] = []

    def build(*args: object, **kwargs: object) -> object:
        device = catalog.build_device(*args, **kwargs)  # type: ignore[arg-type]
        if not calls:
            device.serial = taken
        calls.append(1)
        return device

    monkeypatch.setattr(fleet, "build_device", build)
    serial = sim.add_device("smoke")
    assert serial != taken
    assert len(calls) == 2


async def test_clock_without_body(guest: Cloud) -> None:
    status, body = await guest.control("POST", "/clock")
    assert (status, body["speed"]) == (200, 0)
