"""Probe and device health transitions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from grillstats.analytics import (
    HealthEvent,
    HealthSettings,
    HealthTracker,
    Transitions,
    is_online,
    offline_after,
    transitions,
)
from grillstats.thermoworks import BatteryState, Channel, Device, Unit
from grillstats.thermoworks.parse import parse_device
from tests.thermoworks.test_parse import device_doc

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def channel(channel_number: str, *, connected: bool = True) -> Channel:
    return Channel(
        number=channel_number,
        label=None,
        temperature=150.0 if connected else None,
        raw_value=150.0 if connected else None,
        unit=Unit.FAHRENHEIT,
        status="NORMAL" if connected else "NO PROBE",
        enabled=True,
        connected=connected,
        last_seen=NOW,
        alarm_high=None,
        alarm_low=None,
        minimum=None,
        maximum=None,
        estimated_alarm_status=None,
    )


def device(
    *,
    online: bool = True,
    battery: int | None = 80,
    state: BatteryState = BatteryState.DISCHARGING,
    channels: dict[str, Channel] | None = None,
    last_seen: datetime | None = NOW,
    transmit: int | None = 30,
) -> Device:
    return Device(
        serial="FC:E8:C0:F3:7F:F0",
        device_id=None,
        model="signals",
        device_type=None,
        label="Smoker",
        status=None,
        firmware=None,
        battery=battery,
        battery_state=state,
        signal=None,
        display_units=Unit.FAHRENHEIT,
        last_seen=last_seen,
        transmit_interval=transmit,
        recording_interval=None,
        gateway=None,
        online=online,
        fan=None,
        channels=channels if channels is not None else {"1": channel("1"), "2": channel("2")},
    )


def kinds(result: Transitions | list[HealthEvent]) -> list[str]:
    events = result.events if isinstance(result, Transitions) else result
    return [event.type.value for event in events]


def test_offline_after_bound() -> None:
    assert offline_after(None) == timedelta(minutes=15)
    assert offline_after(30) == timedelta(minutes=15)
    assert offline_after(0) == timedelta(minutes=15)
    assert offline_after(600) == timedelta(minutes=30)
    assert offline_after(7200) == timedelta(hours=6)


@pytest.mark.parametrize(
    ("transmit", "age", "online"),
    [(30, 14, True), (30, 16, False), (600, 29, True), (600, 31, False)],
)
def test_the_documented_bound_is_what_decides_online(transmit: int, age: int, online: bool) -> None:
    """max(15 min, 3 x transmit), against the cloud's clock at the poll, whatever the poller."""
    cloud_time = NOW + timedelta(minutes=age)
    document = device_doc(lastSeen=NOW, transmitIntervalInSeconds=transmit)
    parsed = parse_device(document, {}, cloud_time=cloud_time)
    assert is_online(parsed) is online
    assert (cloud_time - NOW <= offline_after(transmit)) is online


def test_first_snapshot_is_a_baseline() -> None:
    assert kinds(transitions(None, device(online=False))) == []
    assert kinds(transitions(None, None)) == []


def test_online_offline() -> None:
    assert kinds(transitions(device(), device(online=False))) == ["device_offline"]
    assert kinds(transitions(device(online=False), device())) == ["device_online"]
    assert kinds(transitions(device(), None)) == ["device_offline"]
    assert kinds(transitions(device(), device())) == []


def test_probe_connect_disconnect() -> None:
    before = device()
    unplugged = device(channels={"1": channel("1"), "2": channel("2", connected=False)})
    result = transitions(before, unplugged)
    assert kinds(result) == ["probe_disconnected"]
    assert result.events[0].probe == "2"
    assert result.events[0].probe_name == "Probe 2"
    assert kinds(transitions(unplugged, before)) == ["probe_connected"]
    grown = device(channels={"1": channel("1"), "2": channel("2"), "3": channel("3")})
    assert kinds(transitions(before, grown)) == ["probe_connected"]
    shrunk = device(channels={"1": channel("1")})
    assert kinds(transitions(before, shrunk)) == ["probe_disconnected"]


def test_no_probe_events_while_offline() -> None:
    unplugged = device(online=False, channels={"1": channel("1", connected=False)})
    assert kinds(transitions(device(online=False), unplugged)) == []


def test_battery_low_once_with_rearm() -> None:
    tracker = HealthTracker()
    levels = [30, 16, 15, 14, 16, 15, 19, 20, 21, 15]
    fired = [kinds(tracker.update("s", device(battery=level))) for level in levels]
    assert fired == [[], [], ["battery_low"], [], [], [], [], [], [], ["battery_low"]]


def test_battery_low_never_while_charging_or_unknown() -> None:
    result = transitions(device(), device(battery=5, state=BatteryState.CHARGING))
    assert kinds(result) == []
    assert result.battery_armed
    assert kinds(transitions(device(), device(battery=None))) == []
    event = transitions(device(), device(battery=10)).events[0]
    assert (event.value, event.threshold) == (10.0, 15.0)


def test_tracker_state_round_trip() -> None:
    tracker = HealthTracker()
    assert kinds(tracker.update("s", device(battery=10))) == ["battery_low"]
    state = tracker.state_dict()
    assert state == {"s": {"battery_armed": False}}
    restored = HealthTracker.from_state({**state, "bad": 1, "worse": {"battery_armed": 2}})
    assert kinds(restored.update("s", device(battery=10))) == []
    assert HealthTracker.from_state(None).state_dict() == {}


def test_settings_threshold() -> None:
    settings = HealthSettings(battery_low=30, battery_rearm_margin=10)
    assert kinds(transitions(device(), replace(device(), battery=30), settings)) == ["battery_low"]
