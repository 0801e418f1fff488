"""Parsing Firestore documents into models: quirks, hygiene, and junk that must not crash."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grillstats.thermoworks import BatteryState, FanState, ProtocolError, Unit, model_name
from grillstats.thermoworks.firestore import (
    encode_fields,
    encode_value,
    get_number,
    get_timestamp,
    parse_timestamp,
)
from grillstats.thermoworks.parse import (
    as_of,
    clean_number,
    parse_account,
    parse_device,
    stale_after,
    stale_at,
)

ROOT = "projects/p/databases/(default)/documents"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def device_doc(serial: str = "FC:E8:C0:F3:7F:F0", **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "serial": serial,
        "device": "signals",
        "label": "Big Green Egg",
        "battery": 85,
        "batteryState": "discharging",
        "wifi_stength": -61,
        "lastSeen": NOW - timedelta(seconds=30),
        "transmitIntervalInSeconds": 60,
        "deviceDisplayUnits": "F",
    }
    base.update(fields)
    return {"name": f"{ROOT}/devices/{serial}", "fields": encode_fields(base)}


def channel_doc(channel_number: str = "1", serial: str = "FC:E8:C0:F3:7F:F0", **fields: Any) -> Any:
    base: dict[str, Any] = {
        "number": channel_number,
        "label": "Brisket",
        "value": 165.39999389648438,
        "units": "F",
        "status": "NORMAL",
        "enabled": True,
        "lastSeen": NOW - timedelta(seconds=30),
        "alarmHigh": {"enabled": True, "alarming": False, "value": 203, "units": "F"},
    }
    base.update(fields)
    name = f"{ROOT}/devices/{serial}/channels/{channel_number}"
    return {"name": name, "fields": encode_fields(base)}


def test_float32_noise_is_rounded() -> None:
    device = parse_device(device_doc(), {"1": channel_doc()}, cloud_time=NOW)
    channel = device.channels["1"]
    assert channel.temperature == 165.4
    assert channel.raw_value == pytest.approx(165.39999389648438)
    assert clean_number(-5.1999998092651367) == -5.2


def test_signal_prefers_gateway_rssi_given_as_string() -> None:
    doc = device_doc(serial="M100081210", device="rfx meat", gatewayRSSI="-55", gatewayId="AA")
    device = parse_device(doc, {}, cloud_time=NOW)
    assert device.signal == -55
    assert device.gateway == "AA"
    assert parse_device(device_doc(), {}, cloud_time=NOW).signal == -61


@pytest.mark.parametrize(
    ("changes", "connected"),
    [
        ({"value": None}, True),
        ({"status": "NO PROBE", "value": -3.0}, False),
        ({"enabled": False}, False),
        ({"lastSeen": NOW - timedelta(hours=2)}, True),
    ],
)
def test_no_reading_is_never_a_stale_number(changes: dict[str, Any], connected: bool) -> None:
    device = parse_device(device_doc(), {"1": channel_doc(**changes)}, cloud_time=NOW)
    channel = device.channels["1"]
    assert channel.temperature is None
    assert channel.connected is connected


def test_offline_device_reports_no_readings() -> None:
    old = NOW - timedelta(hours=1)
    device = parse_device(device_doc(lastSeen=old), {"1": channel_doc()}, cloud_time=NOW)
    assert device.online is False
    assert device.channels["1"].temperature is None
    offline = parse_device(device_doc(status="OFFLINE"), {}, cloud_time=NOW)
    assert offline.online is False


def test_channels_come_in_numeric_order_an_odd_id_last() -> None:
    documents = {channel: channel_doc(channel) for channel in ("10", "x", "2", "1")}
    device = parse_device(device_doc(), documents, cloud_time=NOW)
    assert list(device.channels) == ["1", "2", "10", "x"]


def test_stale_bound_follows_transmit_interval() -> None:
    assert stale_after(None) == timedelta(minutes=15)
    assert stale_after(60) == timedelta(minutes=15)
    assert stale_after(7200) == timedelta(hours=6)
    node = device_doc(
        device="node", transmitIntervalInSeconds=7200, lastSeen=NOW - timedelta(hours=2)
    )
    assert parse_device(node, {}, cloud_time=NOW).online is True


def test_readings_age_as_a_later_parse_would_see_them() -> None:
    """``as_of`` gives what a parse at a later cloud time gives, without the documents."""
    device_document = device_doc()  # uploaded 30 s ago; stale after 15 min
    channels = {
        "1": channel_doc("1"),
        "2": channel_doc("2", lastSeen=NOW - timedelta(minutes=10)),
        "3": channel_doc("3", status="NO PROBE"),
    }
    device = parse_device(device_document, channels, cloud_time=NOW)
    assert as_of(device, NOW) is device
    # Probe 2's last reading is the oldest shown: it turns stale first.
    assert stale_at(device) == NOW - timedelta(minutes=10) + timedelta(minutes=15)
    for later in (
        NOW + timedelta(minutes=5),  # probe 2 still fresh, at the very limit
        NOW + timedelta(minutes=5, seconds=1),  # probe 2 stale, the device online
        NOW + timedelta(minutes=15),  # everything stale: the device offline
    ):
        aged = as_of(device, later)
        assert aged == parse_device(device_document, channels, cloud_time=later), later
    aged = as_of(device, NOW + timedelta(minutes=5, seconds=1))
    assert aged.online is True
    assert aged.channels["2"].temperature is None
    assert aged.channels["1"].temperature == 165.4
    assert stale_at(aged) == NOW - timedelta(seconds=30) + timedelta(minutes=15)
    offline = as_of(device, NOW + timedelta(minutes=15))
    assert offline.online is False
    assert stale_at(offline) is None  # nothing fresh is shown any more
    assert as_of(offline, NOW + timedelta(hours=1)) is offline


def test_a_device_without_timestamps_never_turns_stale() -> None:
    device = parse_device(
        device_doc(lastSeen=None), {"1": channel_doc(lastSeen=None)}, cloud_time=NOW
    )
    assert device.channels["1"].temperature is not None
    assert stale_at(device) is None
    assert as_of(device, NOW + timedelta(days=1)) is device


def test_battery_state_fan_and_humidity_alarm_units() -> None:
    fan = {"connected": True, "setTemp": 225, "state": 2, "fan_channel": 1}
    doc = device_doc(batteryState="charging", battery=0, fan=fan)
    humidity = channel_doc(
        "2", units="H", value=45.0, alarmHigh={"enabled": True, "value": 80, "units": "F"}
    )
    device = parse_device(doc, {"2": humidity}, cloud_time=NOW)
    assert device.battery_state is BatteryState.CHARGING
    assert device.charging is True
    assert device.battery == 0
    assert device.fan is not None
    assert device.fan.state is FanState.PULSING
    assert device.fan.channel == "1"
    assert device.fan.set_temperature == 225
    channel = device.channels["2"]
    assert channel.unit is Unit.HUMIDITY
    assert channel.is_humidity
    assert channel.alarm_high is not None
    assert channel.alarm_high.units is Unit.HUMIDITY


def test_unknown_and_wrong_fields_are_tolerated() -> None:
    doc = device_doc(battery="lots", batteryState=7, mystery={"a": 1}, label=None)
    device = parse_device(doc, {"1": {"oops": True}}, cloud_time=NOW)
    assert device.battery is None
    assert device.battery_state is BatteryState.UNKNOWN
    assert device.label is None
    assert device.name.endswith("FC:E8:C0:F3:7F:F0")
    assert device.channels == {}  # the broken channel is left out, the device stays


def test_account_needs_an_account_id() -> None:
    user = {"name": f"{ROOT}/users/u1", "fields": encode_fields({"accountId": "acc-1"})}
    account = parse_account("u1", "cook@example.com", user)
    assert account.account_id == "acc-1"
    assert account.email == "cook@example.com"
    with pytest.raises(ProtocolError):
        parse_account("u1", "cook@example.com", {"name": f"{ROOT}/users/u1", "fields": {}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28T12:00:00Z", NOW),
        ("2026-11-28T12:00:00.123456789Z", NOW.replace(microsecond=123456)),
        ("2026-11-28T13:00:00+01:00", NOW),
        ("2026-11-28T12:00:00", None),
        ("yesterday", None),
        (12, None),
        # At the calendar's edges there is no UTC equivalent: no timestamp, not a crash.
        ("9999-12-31T23:59:59-12:00", None),
        ("0001-01-01T00:00:00+01:00", None),
    ],
)
def test_timestamps(text: object, expected: datetime | None) -> None:
    assert parse_timestamp(text) == expected


def test_numbers_in_every_disguise() -> None:
    fields = {
        "a": {"integerValue": "100"},
        "b": {"doubleValue": 1.5},
        "c": {"stringValue": " -55 "},
        "d": {"doubleValue": "NaN"},
        "e": {"booleanValue": True},
        "f": {"stringValue": "n/a"},
        "g": {"integerValue": True},
        "h": {"doubleValue": 2**1100},  # beyond any float
        "i": {"integerValue": "1" * 400},
    }
    assert [get_number(fields, key) for key in "abcdefghi"] == [
        *(100, 1.5, -55),
        *(None,) * 6,
    ]
    assert get_timestamp({"t": {"stringValue": "2026"}}, "t") is None


def test_encoder_round_trip_and_refusal() -> None:
    assert encode_value([1, "x", None]) == {
        "arrayValue": {"values": [{"integerValue": "1"}, {"stringValue": "x"}, {"nullValue": None}]}
    }
    with pytest.raises(TypeError):
        encode_value(object())


# -- property-based: junk in, only ProtocolError or well-typed models out -------------------

# Integers reach past any float (2**1100); timestamps carry offsets up to the calendar's edges.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**1000, max_value=2**1100)
    | st.floats()
    | st.text(max_size=40)
)
rfc3339 = st.builds(
    lambda moment, offset, fraction: (
        moment.isoformat(timespec="seconds") + fraction + (offset or "Z")
    ),
    st.datetimes(),  # naive, 0001 to 9999: the offset is added as text
    st.sampled_from(["", "+00:00", "-12:00", "+14:00", "+01:30"]),
    st.sampled_from(["", ".1", ".123456", ".123456789"]),
)
FIELD_NAMES = st.sampled_from(
    [
        "serial",
        "device",
        "label",
        "battery",
        "batteryState",
        "wifi_stength",
        "gatewayRSSI",
        "lastSeen",
        "status",
        "value",
        "units",
        "enabled",
        "number",
        "alarmHigh",
        "alarmLow",
        "fan",
        "minimum",
        "transmitIntervalInSeconds",
        "deviceDisplayUnits",
        "firmware",
        "deviceId",
        "type",
        "gatewayId",
        "recordingIntervalInSeconds",
        "estimatedAlarmStatus",
        "maximum",
        "reading",
        "setTemp",
        "state",
        "fan_channel",
        "connected",
        "alarming",
        "muted",
    ]
)
typed_values = st.recursive(
    json_scalars
    | st.builds(lambda v: {"integerValue": v}, json_scalars)
    | st.builds(lambda v: {"doubleValue": v}, json_scalars)
    | st.builds(lambda v: {"stringValue": v}, json_scalars)
    | st.builds(lambda v: {"booleanValue": v}, json_scalars)
    | st.builds(lambda v: {"timestampValue": v}, json_scalars | rfc3339),
    lambda inner: (
        st.builds(
            lambda f: {"mapValue": {"fields": f}},
            st.dictionaries(FIELD_NAMES | st.text(max_size=8), inner, max_size=6),
        )
        | st.lists(inner, max_size=3)
    ),
    max_leaves=12,
)
field_maps = st.dictionaries(FIELD_NAMES, typed_values, max_size=10)
documents = st.one_of(
    json_scalars,
    st.builds(lambda f: {"name": f"{ROOT}/devices/S1", "fields": f}, field_maps | json_scalars),
    st.builds(lambda n, f: {"name": n, "fields": f}, json_scalars, field_maps),
)


def _optional(value: object, kind: type) -> bool:
    return value is None or type(value) is kind


def _finite(value: object) -> bool:
    return value is None or (type(value) is float and math.isfinite(value))


def _check_types(value: Any) -> None:
    for name in ("battery", "signal", "transmit_interval", "recording_interval"):
        assert _optional(getattr(value, name), int)
    for name in ("device_id", "device_type", "label", "status", "firmware", "gateway"):
        assert _optional(getattr(value, name), str)
    assert value.battery is None or 0 <= value.battery <= 100
    assert isinstance(value.battery_state, BatteryState)
    assert value.display_units is None or isinstance(value.display_units, Unit)
    assert value.last_seen is None or value.last_seen.tzinfo is not None
    assert isinstance(value.online, bool)
    assert isinstance(value.model, str)
    assert isinstance(value.name, str)
    if value.fan is not None:
        assert isinstance(value.fan.connected, bool)
        assert _finite(value.fan.set_temperature)
        assert value.fan.state is None or isinstance(value.fan.state, FanState)
        assert _optional(value.fan.channel, str)
    for channel in value.channels.values():
        assert _finite(channel.temperature)
        assert _finite(channel.raw_value)
        assert _finite(channel.minimum)
        assert _finite(channel.maximum)
        assert isinstance(channel.unit, Unit)
        assert isinstance(channel.connected, bool)
        assert isinstance(channel.enabled, bool)
        assert isinstance(channel.number, str)
        for text in (channel.label, channel.status, channel.estimated_alarm_status):
            assert _optional(text, str)
        assert channel.last_seen is None or channel.last_seen.tzinfo is not None
        for alarm in (channel.alarm_high, channel.alarm_low):
            if alarm is not None:
                assert isinstance(alarm.enabled, bool)
                assert isinstance(alarm.alarming, bool)
                assert isinstance(alarm.muted, bool)
                assert _finite(alarm.value)
                assert alarm.units is None or isinstance(alarm.units, Unit)


@settings(max_examples=300, deadline=None)
@given(
    device=documents,
    channels=st.dictionaries(
        st.sampled_from(["1", "2"]),
        documents
        | st.builds(lambda f: {"name": f"{ROOT}/devices/S1/channels/1", "fields": f}, field_maps),
        max_size=2,
    ),
)
def test_parser_raises_only_protocol_error_and_types_hold(device: Any, channels: Any) -> None:
    try:
        parsed = parse_device(device, channels, cloud_time=NOW)
    except ProtocolError:
        return
    _check_types(parsed)


@pytest.mark.parametrize(
    ("model", "product"),
    [
        ("rfx meat", "RFX Meat"),
        ("rfx gateway", "RFX Gateway"),
        ("node", "NODE"),
        ("signals", "Signals"),
        ("smoke gateway", "Smoke Gateway"),
    ],
)
def test_a_device_without_a_label_is_named_after_its_product(model: str, product: str) -> None:
    device = parse_device(device_doc("M100", device=model, label=None), {}, cloud_time=NOW)
    assert device.model_name == product
    assert device.name == f"{product} M100"
    assert model_name(model) == product
