"""The coordinator after setup: the cloud's rate limit, and readings retired on time."""

from __future__ import annotations

import logging
import math
from unittest.mock import AsyncMock

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import DOMAIN, MAX_RETRY_WAIT
from grillstats.thermoworks import RateLimitedError

from .conftest import setup_entry, tick
from .snapshots import load_snapshot

SMOKER = "A4:CF:12:22:96:BA"
MEAT = "M100083898"
NODE = "FC:E8:C0:3C:AE:98"


def _probe(hass: HomeAssistant) -> str:
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{SMOKER}_1_temperature")
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


async def test_rate_limit_delays_the_next_poll_by_the_clouds_wait(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    init_integration: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    """A 429 with Retry-After 900 s: no poll for 15 minutes, then one, and all is back."""
    caplog.set_level(logging.DEBUG, logger="custom_components.grill_stats")
    snapshot = mock_client.async_get_snapshot
    mock_client.async_get_snapshot.side_effect = RateLimitedError("slow down", retry_after=900)
    await tick(hass, freezer, 300)
    assert snapshot.await_count == 2
    assert _probe(hass) == STATE_UNAVAILABLE
    assert "Scheduling next update in 900" in caplog.text

    mock_client.async_get_snapshot.side_effect = None
    mock_client.async_get_snapshot.return_value = load_snapshot()
    await tick(hass, freezer, 300)
    await tick(hass, freezer, 300)
    assert snapshot.await_count == 2  # the usual 5 minutes are not enough
    await tick(hass, freezer, 300)
    assert snapshot.await_count == 3
    assert _probe(hass) != STATE_UNAVAILABLE
    # And back to the usual interval.
    await tick(hass, freezer, 300)
    assert snapshot.await_count == 4


async def test_short_retry_after_does_not_poll_sooner_than_the_interval(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    """Retry-After is the least wait: a 429 never makes the next request come earlier."""
    snapshot = mock_client.async_get_snapshot
    mock_client.async_get_snapshot.side_effect = RateLimitedError("slow down", retry_after=5)
    await tick(hass, freezer, 300)
    assert snapshot.await_count == 2
    mock_client.async_get_snapshot.side_effect = None
    for _ in range(5):
        await tick(hass, freezer, 50)
    assert snapshot.await_count == 2
    await tick(hass, freezer, 50)
    assert snapshot.await_count == 3


@pytest.mark.parametrize("wait", [1e9, math.inf, math.nan, 86400.0 * 365 * 70])
async def test_an_absurd_retry_after_waits_an_hour_at_most(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: AsyncMock,
    wait: float,
) -> None:
    """A 429 asking for years (or inf, or nan) delays the next poll by an hour at most."""
    snapshot = mock_client.async_get_snapshot
    mock_client.async_get_snapshot.side_effect = RateLimitedError("slow down", retry_after=wait)
    await tick(hass, freezer, 300)
    assert snapshot.await_count == 2
    mock_client.async_get_snapshot.side_effect = None
    mock_client.async_get_snapshot.return_value = load_snapshot()
    await tick(hass, freezer, MAX_RETRY_WAIT.total_seconds() + 1)
    assert snapshot.await_count == 3
    assert _probe(hass) != STATE_UNAVAILABLE


def _state(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    state = hass.states.get(entity_id)
    assert state is not None, unique_id
    return state.state


async def test_readings_turn_unavailable_on_time_between_polls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_client: AsyncMock,
    hourly_entry: MockConfigEntry,
) -> None:
    """Polling hourly, a reading goes when it turns stale (15 min here), not at the next poll."""
    entry = hourly_entry
    await setup_entry(hass, entry)
    live = {
        (Platform.SENSOR, f"{SMOKER}_1_temperature"),
        (Platform.SENSOR, f"{SMOKER}_fan_state"),
        (Platform.SENSOR, f"{MEAT}_core_temperature"),
        (Platform.BINARY_SENSOR, f"{SMOKER}_1_connected"),
    }
    assert STATE_UNAVAILABLE not in {_state(hass, *key) for key in live}
    assert _state(hass, Platform.BINARY_SENSOR, f"{SMOKER}_online") == STATE_ON

    # Every reading of the recording was taken at the poll's cloud time: fresh for 15 min.
    await tick(hass, freezer, 15 * 60 - 10)
    assert STATE_UNAVAILABLE not in {_state(hass, *key) for key in live}
    await tick(hass, freezer, 15)
    assert {_state(hass, *key) for key in live} == {STATE_UNAVAILABLE}
    assert _state(hass, Platform.BINARY_SENSOR, f"{SMOKER}_online") == STATE_OFF
    # A NODE uploads every 2 hours: its readings are trusted for 6.
    assert _state(hass, Platform.SENSOR, f"{NODE}_2_humidity") == "71.3"
    assert mock_client.async_get_snapshot.await_count == 1  # no poll did this
    # (Our clock is days away from the recording's cloud time: only the offset counts.)
    coordinator = entry.runtime_data.coordinator
    assert coordinator.stale_check_scheduled  # the NODE's turn, in six hours

    await tick(hass, freezer, 3600 - (15 * 60 + 5) - 10)
    assert mock_client.async_get_snapshot.await_count == 1
    # The hourly poll: the (recorded, so again fresh) readings are back.
    await tick(hass, freezer, 15)
    assert mock_client.async_get_snapshot.await_count == 2
    assert STATE_UNAVAILABLE not in {_state(hass, *key) for key in live}
    assert _state(hass, Platform.BINARY_SENSOR, f"{SMOKER}_online") == STATE_ON

    assert coordinator.stale_check_scheduled
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert not coordinator.stale_check_scheduled
