"""Diagnostics: what the integration sees, with the account's secrets redacted."""

from __future__ import annotations

import dataclasses
import json
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.grill_stats.const import (
    CONF_ENDPOINT,
    CONF_PROVIDER,
    PROVIDER_CUSTOM,
)
from custom_components.grill_stats.diagnostics import async_get_config_entry_diagnostics
from grillstats.thermoworks import CloudConnectionError

from .conftest import account_entry, refresh, setup_entry, tick
from .snapshots import ACCOUNT, CLOUD_TIME, load_devices, load_snapshot

REDACTED = "**REDACTED**"
SMOKER = "A4:CF:12:22:96:BA"


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    # Nothing here depends on the clock: devices are parsed as of the recorded cloud time.
    await setup_entry(hass, mock_config_entry)
    result = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)

    assert result["entry"]["data"]["email"] == REDACTED
    assert result["entry"]["data"]["password"] == REDACTED
    assert result["entry"]["unique_id"] == REDACTED
    account = result["client"]["account"]
    assert account["account_id"] == REDACTED
    assert account["uid"] == REDACTED
    assert account["email"] == REDACTED
    text = json.dumps(result)
    assert "brisket" not in text  # the password, in any case
    for secret in ("cook@example.com", ACCOUNT.account_id, ACCOUNT.uid):
        assert secret not in text
    # Everything else is there, unredacted.
    assert result["last_update_success"] is True
    assert result["client"]["requests_total"] == 4
    assert result["update_interval_seconds"] == 300
    assert sorted(device["serial"] for device in result["devices"]) == sorted(load_devices())
    assert result == snapshot


async def test_diagnostics_redact_a_custom_endpoint_and_show_failures(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_client: AsyncMock,
) -> None:
    entry = account_entry(
        {
            CONF_PROVIDER: PROVIDER_CUSTOM,
            CONF_ENDPOINT: "http://secret-host.invalid:8089",
            "password": "hunter2-pass",
        },
        title="sim",
    )
    await setup_entry(hass, entry)
    mock_client.async_get_snapshot.side_effect = CloudConnectionError("down")
    await refresh(entry)

    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(result)
    assert result["entry"]["data"][CONF_ENDPOINT] == REDACTED
    assert result["entry"]["data"][CONF_PROVIDER] == PROVIDER_CUSTOM
    for secret in ("secret-host", "hunter2-pass", "cook@example.com"):
        assert secret not in text
    assert result["last_update_success"] is False
    # The last good poll's devices are still shown.
    assert len(result["devices"]) == len(load_devices())


async def test_diagnostics_without_an_account(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    mock_client.account = None
    await setup_entry(hass, mock_config_entry)
    result = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    assert result["client"]["account"] is None
    assert result["client"]["last_poll"] == {
        "cloud_time": CLOUD_TIME.isoformat(),
        "requests": 1,
        "unreadable": [],
    }


async def test_diagnostics_count_the_requests_of_the_last_hour(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    """Read directly: the test client's access token would expire within the hour."""
    await setup_entry(hass, mock_config_entry)  # the first poll: 1 request
    mock_client.async_get_snapshot.return_value = load_snapshot(requests=3)
    await tick(hass, freezer)
    result = await async_get_config_entry_diagnostics(hass, mock_config_entry)
    assert result["client"]["requests_last_hour"] == 1 + 3
    assert result["client"]["last_poll"]["requests"] == 3

    # An hour after the first poll, its request no longer counts; the second's still does.
    mock_client.async_get_snapshot.return_value = load_snapshot(requests=2)
    await tick(hass, freezer, 3400)
    assert mock_client.async_get_snapshot.await_count == 3
    result = await async_get_config_entry_diagnostics(hass, mock_config_entry)
    assert result["client"]["requests_last_hour"] == 3 + 2


async def test_diagnostics_name_the_devices_that_could_not_be_read(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    devices = load_devices()
    del devices[SMOKER]
    mock_client.async_get_snapshot.return_value = dataclasses.replace(
        load_snapshot(devices), unreadable=frozenset({SMOKER})
    )
    mock_client.uses_batch_get = False
    await setup_entry(hass, mock_config_entry)
    result = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    assert result["client"]["last_poll"]["unreadable"] == [SMOKER]
    assert result["client"]["uses_batch_get"] is False
    assert SMOKER not in {device["serial"] for device in result["devices"]}
