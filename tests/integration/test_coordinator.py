"""The coordinator after setup: the cloud's rate limit, and the next poll's timing."""

from __future__ import annotations

import logging
from datetime import timedelta
from unittest.mock import AsyncMock

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.grill_stats.const import DOMAIN
from grillstats.thermoworks import RateLimitedError

from .snapshots import load_snapshot

SMOKER = "A4:CF:12:22:96:BA"


async def _after(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


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
    await _after(hass, freezer, 300)
    assert snapshot.await_count == 2
    assert _probe(hass) == STATE_UNAVAILABLE
    assert "Scheduling next update in 900" in caplog.text

    mock_client.async_get_snapshot.side_effect = None
    mock_client.async_get_snapshot.return_value = load_snapshot()
    await _after(hass, freezer, 300)
    await _after(hass, freezer, 300)
    assert snapshot.await_count == 2  # the usual 5 minutes are not enough
    await _after(hass, freezer, 300)
    assert snapshot.await_count == 3
    assert _probe(hass) != STATE_UNAVAILABLE
    # And back to the usual interval.
    await _after(hass, freezer, 300)
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
    await _after(hass, freezer, 300)
    assert snapshot.await_count == 2
    mock_client.async_get_snapshot.side_effect = None
    for _ in range(5):
        await _after(hass, freezer, 50)
    assert snapshot.await_count == 2
    await _after(hass, freezer, 50)
    assert snapshot.await_count == 3
