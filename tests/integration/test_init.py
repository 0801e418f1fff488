"""Setting up and unloading entries: success, not ready, bad credentials, the demo."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

import aiohttp
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import DOMAIN
from grillstats.thermoworks import (
    AuthenticationError,
    CloudConnectionError,
    ProtocolError,
    RateLimitedError,
)

from .conftest import demo_entry, setup_entry, tick
from .snapshots import CLOUD_TIME, load_devices, with_probe


def _state(entry: MockConfigEntry) -> ConfigEntryState:
    """Read the state afresh (mypy would keep the narrowed one from an earlier assert)."""
    state: ConfigEntryState = entry.state
    return state


async def test_setup_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: AsyncMock
) -> None:
    entry = init_integration
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.coordinator.demo is None
    mock_client.async_get_snapshot.assert_awaited_once()
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert _state(entry) is ConfigEntryState.NOT_LOADED


@pytest.mark.parametrize(
    "error",
    [
        CloudConnectionError("down"),
        RateLimitedError("slow down", 30),
        ProtocolError("nonsense"),
    ],
)
async def test_setup_retries_when_the_cloud_fails(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    error: Exception,
) -> None:
    mock_client.async_get_snapshot.side_effect = error
    await setup_entry(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_bad_credentials_start_reauth(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    mock_client.async_get_snapshot.side_effect = AuthenticationError("no", "INVALID_PASSWORD")
    await setup_entry(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == mock_config_entry.entry_id


async def test_demo_runs_a_simulator_until_unloaded(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    entry = demo_entry()
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    simulator = entry.runtime_data.coordinator.demo.simulator
    assert simulator is not None
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert len(devices) == len(simulator.state()["devices"]) == 6
    assert {device.model for device in devices} >= {"Signals", "Smoke", "RFX Gateway", "RFX Meat"}
    base_url = simulator.base_url
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(f"{base_url}/_sim/state")


async def test_deleting_the_entry_deletes_its_stored_state(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    keys = {f"{DOMAIN}.{init_integration.entry_id}.{what}" for what in ("alerts", "cooks")}
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert keys <= hass_storage.keys()  # an unload keeps them, for the next setup
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert not keys & hass_storage.keys()


async def test_a_poll_finishing_after_the_entry_is_deleted_brings_nothing_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """What a poll in flight at unload does next: no alert, no write, no timer."""
    coordinator = init_integration.runtime_data.coordinator
    keys = {f"{DOMAIN}.{init_integration.entry_id}.{what}" for what in ("alerts", "cooks")}
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    devices = load_devices()
    with_probe(devices, "A4:CF:12:22:96:BA", "2", temperature=300.0)  # over its high
    assert coordinator.alerts.process(devices, CLOUD_TIME) == []
    coordinator._stale.schedule(devices.values())
    assert coordinator.stale_check_scheduled is False
    await tick(hass, freezer, 10 * 60)
    assert not keys & hass_storage.keys()
