"""The /_sim control API over real HTTP, and the Python methods behind it."""

from __future__ import annotations

import math
from typing import Any

import pytest

from grillstats.simulator import CloudSimulator, ControlError, UnknownError

from .conftest import Cloud
from .test_firestore import serial_of


def _device(state: dict[str, Any], serial: str) -> dict[str, Any]:
    found: dict[str, Any] = next(d for d in state["devices"] if d["serial"] == serial)
    return found


async def test_state_shape(guest: Cloud) -> None:
    status, state = await guest.control("GET", "/state")
    assert status == 200
    assert state["speed"] == 0
    assert state["accounts"] == ["pitmaster@example.com"]
    assert [d["device"] for d in state["devices"]] == [
        "signals",
        "smoke",
        "rfx gateway",
        "rfx meat",
        "node",
    ]
    signals = state["devices"][0]
    assert signals["label"] == "Brisket Smoker"
    assert signals["online"] is True
    assert signals["fan"] is True
    assert [c["number"] for c in signals["channels"]] == ["1", "2", "3", "4"]
    assert signals["channels"][3]["unplugged"] is True
    assert signals["channels"][3]["value"] is None
    assert signals["channels"][1]["auto"] is True
    assert state["devices"][3]["gateway"] == state["devices"][2]["serial"]
    assert state["devices"][2]["battery_state"] == "full"
    assert signals["cook"]["probes"][0]["label"] == "Brisket Flat"
    assert signals["cook"]["probes"][0]["has_stall"] is True
    assert state["devices"][4]["cook"] is None
    assert state["now"].endswith("Z")


async def test_set_channel_value_unplug_auto(cloud: Cloud) -> None:
    serial = serial_of(cloud, "signals")
    status, channel = await cloud.control("POST", f"/devices/{serial}/channels/2", {"value": 251.5})
    assert status == 200
    assert (channel["value"], channel["auto"], channel["unplugged"]) == (251.5, False, False)
    assert channel["status"] == "HIGH"  # above the 203 °F alarm
    fields = (await cloud.get(f"devices/{serial}/channels/2"))[1]["fields"]
    assert fields["value"] == {"doubleValue": 251.5}
    assert fields["alarmHigh"]["mapValue"]["fields"]["alarming"] == {"booleanValue": True}
    cloud.sim.advance(600)
    await cloud.sign_in()
    assert cloud.sim.channel(serial, 2).value == 251.5  # held
    status, channel = await cloud.control(
        "POST", f"/devices/{serial.replace(':', '%3A')}/channels/2", {"unplugged": True}
    )
    assert (status, channel["value"], channel["status"]) == (200, None, "NO PROBE")
    assert (await cloud.get(f"devices/{serial}/channels/2"))[1]["fields"]["value"] == {
        "nullValue": None
    }
    status, channel = await cloud.control(
        "POST", f"/devices/{serial}/channels/2", {"unplugged": False}
    )
    assert channel["value"] == 251.5  # plugged back in, still held
    status, channel = await cloud.control("POST", f"/devices/{serial}/channels/2", {"auto": True})
    assert channel["auto"] is True
    assert channel["value"] != 251.5
    assert 40 < channel["value"] < 200


async def test_plug_in_disabled_probe(cloud: Cloud) -> None:
    serial = serial_of(cloud, "signals")
    channel = cloud.sim.set_channel(serial, "4", unplugged=False)
    assert channel.enabled is True
    assert channel.value is not None
    fields = (await cloud.get(f"devices/{serial}/channels/4"))[1]["fields"]
    assert fields["enabled"] == {"booleanValue": True}
    assert fields["status"] == {"stringValue": "NORMAL"}


async def test_low_alarm(cloud: Cloud) -> None:
    serial = serial_of(cloud, "smoke")
    cloud.sim.set_channel(serial, 2, value=100.0)  # the pit, low alarm at set point - 50
    fields = (await cloud.get(f"devices/{serial}/channels/2"))[1]["fields"]
    assert fields["value"] == {"integerValue": "100"}  # a whole reading comes as integerValue
    assert fields["status"] == {"stringValue": "LOW"}
    assert fields["alarmLow"]["mapValue"]["fields"]["alarming"] == {"booleanValue": True}


async def test_set_channel_errors(guest: Cloud) -> None:
    serial = serial_of(guest, "signals")
    cases: list[tuple[str, object, int]] = [
        (f"/devices/{serial}/channels/2", {}, 400),
        (f"/devices/{serial}/channels/2", {"value": 1, "auto": True}, 400),
        (f"/devices/{serial}/channels/2", {"auto": False}, 400),
        (f"/devices/{serial}/channels/2", {"value": "hot"}, 400),
        (f"/devices/{serial}/channels/2", {"value": True}, 400),
        (f"/devices/{serial}/channels/2", {"unplugged": "yes"}, 400),
        (f"/devices/{serial}/channels/2", {"colour": "red"}, 400),
        (f"/devices/{serial}/channels/2", [1], 400),
        (f"/devices/{serial}/channels/9", {"auto": True}, 404),
        ("/devices/NOPE/channels/1", {"auto": True}, 404),
    ]
    for path, body, expected in cases:
        status, answer = await guest.control("POST", path, body)
        assert status == expected, (path, body)
        assert answer["status"] == "error"
        assert answer["error"]["code"] == ("bad_request" if expected == 400 else "not_found")
    async with guest.http.post(
        f"{guest.sim.base_url}/_sim/devices/{serial}/channels/2", data=b"{bad"
    ) as resp:
        assert resp.status == 400


async def test_set_device(cloud: Cloud) -> None:
    serial = serial_of(cloud, "smoke")
    status, device = await cloud.control(
        "POST", f"/devices/{serial}", {"battery": 10, "charging": True}
    )
    assert status == 200
    assert (device["battery"], device["charging"], device["battery_state"]) == (
        10,
        True,
        "charging",
    )
    fields = (await cloud.get(f"devices/{serial}"))[1]["fields"]
    assert fields["battery"] == {"integerValue": "10"}
    assert fields["batteryState"] == {"stringValue": "charging"}
    status, device = await cloud.control("POST", f"/devices/{serial}", {"online": False})
    assert device["online"] is False
    status, device = await cloud.control("POST", f"/devices/{serial}", {"corrupt": True})
    assert device["corrupt"] is True
    assert (await cloud.get(f"devices/{serial}"))[1]["fields"] == "unreadable"
    await cloud.control("POST", f"/devices/{serial}", {"corrupt": False})
    assert isinstance((await cloud.get(f"devices/{serial}"))[1]["fields"], dict)
    for body in ({"battery": 101}, {"online": 1}, {"battery": "full"}, {"corrupt": "yes"}):
        status, _ = await cloud.control("POST", f"/devices/{serial}", body)
        assert status == 400, body
    assert (await cloud.control("POST", "/devices/NOPE", {"online": True}))[0] == 404


async def test_add_and_remove_devices(cloud: Cloud) -> None:
    status, body = await cloud.control("POST", "/devices", {"family": "signals", "units": "C"})
    assert status == 201
    serial = body["serial"]
    assert body["units"] == "C"
    assert body["fan"] is False  # only the first signals has a Billows fan
    fields = (await cloud.get(f"devices/{serial}"))[1]["fields"]
    assert fields["deviceDisplayUnits"] == {"stringValue": "C"}
    channel = (await cloud.get(f"devices/{serial}/channels/1"))[1]["fields"]
    assert channel["units"] == {"stringValue": "C"}
    status, body = await cloud.control("POST", "/devices", {"family": "rfx meat"})
    assert status == 201
    assert body["gateway"] == serial_of(cloud, "rfx gateway")
    status, gw = await cloud.control("POST", "/devices", {"family": "rfx gateway"})
    status, meat = await cloud.control(
        "POST", "/devices", {"family": "rfx meat", "gateway": gw["serial"]}
    )
    assert meat["gateway"] == gw["serial"]
    status, rows = await cloud.post(":runQuery", cloud.query(await cloud.account_id()))
    assert len(rows) == 9
    status, _ = await cloud.control("DELETE", f"/devices/{serial}")
    assert status == 204
    assert (await cloud.get(f"devices/{serial}"))[0] == 404
    status, answer = await cloud.control("DELETE", f"/devices/{serial}")
    assert (status, answer["error"]["code"]) == (404, "not_found")


async def test_add_device_errors(guest: Cloud) -> None:
    smoke = serial_of(guest, "smoke")
    for body in (
        {},
        {"family": "bluedot"},
        {"family": "signals", "units": "K"},
        {"family": "smoke", "gateway": smoke},
        {"family": "rfx meat", "gateway": smoke},
        {"family": "smoke", "email": "ghost@example.com"},
        {"family": 3},
    ):
        status, answer = await guest.control("POST", "/devices", body)
        assert status == 400, body
        assert answer["error"]["code"] == "bad_request"


def test_rfx_meat_needs_a_gateway() -> None:
    sim = CloudSimulator(devices=2, speed=0)
    with pytest.raises(ControlError, match="gateway"):
        sim.add_device("rfx meat")
    with pytest.raises(ControlError, match="finite"):
        sim.set_channel(sim.devices()[0].serial, 1, value=math.nan)
    with pytest.raises(UnknownError, match="no device"):
        sim.remove_device("nope")


async def test_accounts_control(cloud: Cloud) -> None:
    status, body = await cloud.control(
        "POST", "/accounts", {"email": "new@example.com", "password": "pw-1234"}
    )
    assert (status, body) == (201, {"email": "new@example.com", "created": True})
    assert (await cloud.sign_in("new@example.com", "pw-1234"))[0] == 200
    for bad in ({"email": "x"}, {"email": "nobody", "password": "p"}, {"email": 1, "password": 2}):
        assert (await cloud.control("POST", "/accounts", bad))[0] == 400
    state = cloud.sim.state()
    assert state["accounts"] == ["pitmaster@example.com", "new@example.com"]


async def test_clock_control(guest: Cloud) -> None:
    before = guest.sim.now()
    status, body = await guest.control("POST", "/clock", {"advance_seconds": 300})
    assert status == 200
    assert body["speed"] == 0
    assert (guest.sim.now() - before).total_seconds() == 300
    status, body = await guest.control("POST", "/clock", {"speed": 60})
    assert body["speed"] == 60
    assert guest.sim.clock.speed == 60
    assert (await guest.control("POST", "/clock", {"speed": -1}))[0] == 400
    assert (await guest.control("POST", "/clock", {"advance_seconds": -5}))[0] == 400
    assert (await guest.control("POST", "/clock", {"tick": 1}))[0] == 400


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
async def test_non_finite_numbers_are_refused_and_break_nothing(cloud: Cloud, bad: float) -> None:
    """Python's JSON reader takes NaN and Infinity; none of them may reach the models."""
    serial = serial_of(cloud, "signals")
    for path, body in (
        ("/clock", {"speed": bad}),
        ("/clock", {"advance_seconds": bad}),
        (f"/devices/{serial}/channels/1", {"value": bad}),
        (f"/devices/{serial}", {"battery": bad}),
        ("/faults", {"status": 500, "count": bad}),
        ("/faults", {"delay_seconds": bad}),
    ):
        status, answer = await cloud.control("POST", path, body)
        assert (status, answer["error"]["code"]) == (400, "bad_request"), (path, body)
        assert "finite" in answer["error"]["message"]
    assert (await cloud.control("GET", "/state"))[0] == 200
    assert (await cloud.get(f"devices/{serial}/channels/1"))[0] == 200
    assert cloud.sim.faults.pending() == []


async def test_unknown_control_route(guest: Cloud) -> None:
    status, body = await guest.control("GET", "/nothing-here")
    assert status == 404
    assert body["status"] == "error"
    status, body = await guest.control("PUT", "/state")
    assert status == 405
    assert body["error"]["code"] == "method_not_allowed"


async def test_add_channel(cloud: Cloud) -> None:
    serial = serial_of(cloud, "smoke")
    status, channel = await cloud.control("POST", f"/devices/{serial}/channels", {"meat": "Ribs"})
    assert status == 201
    assert (channel["number"], channel["label"], channel["units"]) == ("3", "Ribs", "F")
    assert 35 < channel["value"] < 45  # straight from the fridge
    fields = (await cloud.get(f"devices/{serial}/channels/3"))[1]["fields"]
    assert fields["label"] == {"stringValue": "Ribs"}
    cloud.sim.advance(1800)
    assert cloud.sim.channel(serial, 3).value is not None
    assert cloud.sim.channel(serial, 3).value > 45  # type: ignore[operator]
    status, channel = await cloud.control("POST", f"/devices/{serial}/channels", None)
    assert (status, channel["number"]) == (201, "4")
    node = serial_of(cloud, "node")
    status, channel = await cloud.control("POST", f"/devices/{node}/channels", {})
    assert (status, channel["label"]) == (201, "Sensor 3")
    status, answer = await cloud.control("POST", f"/devices/{serial}/channels", {"meat": "Tofu"})
    assert (status, answer["error"]["code"]) == (400, "bad_request")
    assert (await cloud.control("POST", "/devices/NOPE/channels", {}))[0] == 404
