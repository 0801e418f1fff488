"""The status report (table and JSON) of real polls of the simulator."""

from __future__ import annotations

import pytest

from grillstats.report import format_table, snapshot_data
from grillstats.thermoworks import ThermoworksClient

from .conftest import Control

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_an_alarm_is_flagged_only_beside_a_fresh_reading(
    client: ThermoworksClient, control: Control
) -> None:
    snapshot = await client.async_get_snapshot()
    serial, channel_number, limit = next(
        (serial, channel_number, channel.alarm_high.value)
        for serial, device in snapshot.devices.items()
        for channel_number, channel in device.channels.items()
        if device.model == "signals"
        and channel.alarm_high is not None
        and channel.alarm_high.enabled
    )
    assert limit is not None
    await control("POST", f"devices/{serial}/channels/{channel_number}", {"value": limit + 20})
    snapshot = await client.async_get_snapshot()
    alarm = snapshot.devices[serial].channels[channel_number].alarm_high
    assert alarm is not None
    assert alarm.alarming
    assert f"high {limit:g} ALARM" in format_table(snapshot)

    await control("POST", f"devices/{serial}", {"online": False})
    await control("POST", "clock", {"advance_seconds": 20 * 60})
    snapshot = await client.async_get_snapshot()
    assert snapshot.devices[serial].online is False
    block = next(part for part in format_table(snapshot).split("\n\n") if serial in part)
    assert f"high {limit:g}" in block
    assert "ALARM" not in block


async def test_an_unreadable_device_is_reported_not_hidden(
    client: ThermoworksClient, control: Control
) -> None:
    serial = min((await client.async_get_snapshot()).devices)
    await control("POST", f"devices/{serial}", {"corrupt": True})
    snapshot = await client.async_get_snapshot()
    assert f"{serial}  could not be read this poll" in format_table(snapshot)
    data = snapshot_data(snapshot)
    assert data["unreadable"] == [serial]
    assert serial not in {device["serial"] for device in data["devices"]}


async def test_an_account_without_devices(client: ThermoworksClient, control: Control) -> None:
    for serial in (await client.async_get_snapshot()).devices:
        await control("DELETE", f"devices/{serial}")
    assert format_table(await client.async_get_snapshot()) == "No devices on this account."
