"""Home Assistant test fixtures and helpers: entries, a simulator, a patched client, polls."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from unittest.mock import AsyncMock, PropertyMock, patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    CONF_EMAIL,
    CONF_PASSWORD,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    Platform,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
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
    DEMO_UNIQUE_ID,
    DOMAIN,
    EVENT_ALERT,
    PROVIDER_CUSTOM,
    PROVIDER_DEMO,
    PROVIDER_THERMOWORKS,
)
from custom_components.grill_stats.coordinator import GrillStatsCoordinator
from grillstats.simulator import CloudSimulator
from grillstats.thermoworks import THERMOWORKS, Device

from .snapshots import ACCOUNT, CLOUD_TIME, load_snapshot

PollWith = Callable[[dict[str, Device]], Awaitable[None]]
"""The ``poll_with`` fixture: answer these devices and poll."""
SetupWith = Callable[[dict[str, Device]], Awaitable[MockConfigEntry]]
"""The ``setup_with`` fixture: answer these devices and set the entry up."""
SnapshotEntities = Callable[[Platform], Awaitable[None]]
"""The ``snapshot_entities`` fixture: one platform's entities against the module's snapshot."""


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


def account_entry(
    data: dict[str, Any] | None = None, *, title: str = "cook@example.com"
) -> MockConfigEntry:
    """An entry for the recorded account on ThermoWorks Cloud, ``data`` changed or added."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=ACCOUNT.account_id,
        data={
            CONF_PROVIDER: PROVIDER_THERMOWORKS,
            CONF_EMAIL: "cook@example.com",
            CONF_PASSWORD: "brisket",
            **(data or {}),
        },
    )


def demo_entry(title: str = "Demo") -> MockConfigEntry:
    """An entry for the demo's simulated account."""
    return MockConfigEntry(
        domain=DOMAIN, title=title, unique_id=DEMO_UNIQUE_ID, data={CONF_PROVIDER: PROVIDER_DEMO}
    )


def entry_like(entry: MockConfigEntry, **changes: Any) -> MockConfigEntry:
    """A new entry for ``entry``'s account (unique id, data), with ``changes`` (options, ...)."""
    return MockConfigEntry(
        domain=DOMAIN, unique_id=entry.unique_id, data=dict(entry.data), **changes
    )


@pytest.fixture
def hourly_entry(mock_config_entry: MockConfigEntry) -> MockConfigEntry:
    """The same account polled every hour, without fast polling (staleness between polls)."""
    return entry_like(
        mock_config_entry,
        title=mock_config_entry.title,
        options={CONF_SCAN_INTERVAL: 3600, CONF_FAST_POLLING: False},
    )


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """A ThermoWorks Cloud entry (the client is patched in tests that use it)."""
    return account_entry()


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


async def tick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seconds: float = 300,
    *,
    entry: MockConfigEntry | None = None,
) -> None:
    """Move the frozen clock on (a 5-minute poll interval by default) and fire what is due.

    With ``entry``, its coordinator refreshes at the new time before the timers fire.
    """
    freezer.tick(timedelta(seconds=seconds))
    if entry is not None:
        await refresh(entry)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def refresh(entry: MockConfigEntry) -> None:
    """Poll at once: the entry's coordinator refreshes, the clock stays where it is."""
    coordinator: GrillStatsCoordinator = entry.runtime_data.coordinator
    await coordinator.async_refresh()


@pytest.fixture
def poll_with(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_client: AsyncMock
) -> PollWith:
    """Let the patched client answer the devices given, and run the next 5-minute poll."""

    async def poll(devices: dict[str, Device]) -> None:
        mock_client.async_get_snapshot.return_value = load_snapshot(devices)
        await tick(hass, freezer)

    return poll


@pytest.fixture
def setup_with(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: AsyncMock
) -> SetupWith:
    """Let the patched client answer the devices given, and set the entry up."""

    async def setup(devices: dict[str, Device]) -> MockConfigEntry:
        mock_client.async_get_snapshot.return_value = load_snapshot(devices)
        await setup_entry(hass, mock_config_entry)
        return mock_config_entry

    return setup


@pytest.fixture
def snapshot_entities(
    entity_registry_enabled_by_default: None,
    mock_client: AsyncMock,
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
) -> SnapshotEntities:
    """Set up only the given platform and match every entity and state to the snapshot."""

    async def snapshot_entities(platform: Platform) -> None:
        freezer.move_to(CLOUD_TIME)
        with patch("custom_components.grill_stats.PLATFORMS", [platform]):
            await setup_entry(hass, mock_config_entry)
        await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)

    return snapshot_entities


def device_id(hass: HomeAssistant, entry: MockConfigEntry, serial: str) -> str:
    """The Home Assistant device id of the thermometer ``serial`` in ``entry``."""
    device = dr.async_get(hass).async_get_device_by_identifier((DOMAIN, serial), entry.entry_id)
    assert device is not None
    return device.id


def state_writes(hass: HomeAssistant) -> list[tuple[str, str]]:
    """Every state written from now on, changed or only reported: (event type, entity id)."""
    written: list[tuple[str, str]] = []

    @callback
    def record(event: Event[Any]) -> None:
        written.append((str(event.event_type), event.data["entity_id"]))

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    hass.bus.async_listen(EVENT_STATE_REPORTED, record, event_filter=callback(lambda _: True))
    return written


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


@dataclass
class Signals:
    """The simulator's °F Signals, polled through the integration's entry."""

    cloud: CloudSimulator
    entry: MockConfigEntry
    serial: str
    device_id: str

    @classmethod
    def find(cls, hass: HomeAssistant, cloud: CloudSimulator, entry: MockConfigEntry) -> Signals:
        """The Signals whose probes report in °F, once ``entry`` is set up."""
        serial = str(
            next(
                d["serial"]
                for d in cloud.state()["devices"]
                if d["device"] == "signals" and d["channels"][0]["units"] == "F"
            )
        )
        return cls(cloud, entry, serial, device_id(hass, entry, serial))

    def simulated(self) -> dict[str, Any]:
        """The simulator's state of this thermometer."""
        device: dict[str, Any] = next(
            d for d in self.cloud.state()["devices"] if d["serial"] == self.serial
        )
        return device

    def channel(self, label: str) -> str:
        """The number of the channel labelled ``label``."""
        return str(next(c["number"] for c in self.simulated()["channels"] if c["label"] == label))

    async def refresh(self) -> None:
        """Poll at once, the simulator's clock unchanged."""
        await refresh(self.entry)

    async def poll(self, seconds: float = 300) -> None:
        """Let the simulator run ``seconds`` on (a 5-minute poll interval), then poll."""
        self.cloud.advance(seconds)
        await refresh(self.entry)

    async def read(self, number: str, **changes: Any) -> None:
        """Set one of its channels on the simulator (value, unplugged, ...), then poll at once."""
        self.cloud.set_channel(self.serial, number, **changes)
        await refresh(self.entry)
