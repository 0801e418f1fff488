"""Fixtures for the Home Assistant tests: config entries, a simulator, a patched client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any
from unittest.mock import AsyncMock, PropertyMock, patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import Event, HomeAssistant, callback
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.amber import AmberSnapshotExtension
from syrupy.location import PyTestLocation

# Import the project's integration before the hass fixture puts the test plugin's own
# custom_components package first on sys.path.
import custom_components.grill_stats  # noqa: F401
from custom_components.grill_stats.const import (
    CONF_ENDPOINT,
    CONF_FAST_POLLING,
    CONF_PROVIDER,
    CONF_SCAN_INTERVAL,
    DOMAIN,
    EVENT_ALERT,
    PROVIDER_CUSTOM,
    PROVIDER_THERMOWORKS,
)
from grillstats.simulator import CloudSimulator
from grillstats.thermoworks import THERMOWORKS, Device

from .snapshots import ACCOUNT, load_snapshot


class _Extension(HomeAssistantSnapshotExtension):  # type: ignore[misc]
    """Home Assistant's serializer (run-specific ids as ANY) in syrupy's __snapshots__."""

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return AmberSnapshotExtension.dirname(test_location=test_location)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Syrupy's own fixture shadows the plugin's, which would add Home Assistant's serializer."""
    return snapshot.use_extension(_Extension)


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Enable the entities that are disabled by default (signal strength).

    The Home Assistant core fixture of this name is not shipped by the custom-component plugin.
    """
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/grill_stats."""


@pytest.fixture
def hourly_entry(mock_config_entry: MockConfigEntry) -> MockConfigEntry:
    """The same account polled every hour, without fast polling (staleness between polls)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data=dict(mock_config_entry.data),
        options={CONF_SCAN_INTERVAL: 3600, CONF_FAST_POLLING: False},
    )


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """A ThermoWorks Cloud entry (the client is patched in tests that use it)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="cook@example.com",
        unique_id=ACCOUNT.account_id,
        data={
            CONF_PROVIDER: PROVIDER_THERMOWORKS,
            CONF_EMAIL: "cook@example.com",
            CONF_PASSWORD: "brisket",
        },
    )


@pytest.fixture
def mock_client() -> Iterator[AsyncMock]:
    """The library client, patched with autospec and fed from recorded documents."""
    with (
        patch(
            "custom_components.grill_stats.client_factory.ThermoworksClient", autospec=True
        ) as client_class,
    ):
        client = client_class.return_value
        client.async_login.return_value = ACCOUNT
        client.async_get_snapshot.return_value = load_snapshot()
        client.account = ACCOUNT
        client.requests = 4
        client.uses_batch_get = True
        client.provider = THERMOWORKS
        yield client


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add the entry and wait until it is set up."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def poll_with(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_client: AsyncMock,
    devices: dict[str, Device],
) -> None:
    """Let the patched client answer ``devices`` and run the next 5-minute poll."""
    mock_client.async_get_snapshot.return_value = load_snapshot(devices)
    freezer.tick(timedelta(seconds=300))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


@pytest.fixture
def alerts(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Every grill_stats_alert bus event's data, in order."""
    seen: list[dict[str, Any]] = []

    @callback
    def record(event: Event[dict[str, Any]]) -> None:
        seen.append(dict(event.data))

    hass.bus.async_listen(EVENT_ALERT, record)
    return seen


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: AsyncMock
) -> MockConfigEntry:
    """The integration set up with the patched client."""
    await setup_entry(hass, mock_config_entry)
    return mock_config_entry


@pytest.fixture
async def cloud(socket_enabled: None) -> AsyncIterator[CloudSimulator]:
    """A paused simulator with every device family, on loopback."""
    simulator = CloudSimulator(devices=6, seed=11, speed=0)
    await simulator.start("127.0.0.1", 0)
    yield simulator
    await simulator.stop()


@pytest.fixture
def cloud_entry(cloud: CloudSimulator) -> MockConfigEntry:
    """An entry for the simulator's account through the custom provider."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=cloud.email,
        unique_id=cloud.owner.account_id,
        data={
            CONF_PROVIDER: PROVIDER_CUSTOM,
            CONF_ENDPOINT: cloud.base_url,
            CONF_EMAIL: cloud.email,
            CONF_PASSWORD: cloud.password,
        },
    )
