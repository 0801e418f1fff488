"""Every entity of each platform as a snapshot, diagnostics, and what a poll writes."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest.mock import AsyncMock, PropertyMock, patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.grill_stats.const import DOMAIN
from grillstats.thermoworks import Device

from .conftest import setup_entry
from .snapshots import ACCOUNT, CLOUD_TIME, load_devices, load_snapshot


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Enable the entities that are disabled by default (signal strength)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.BINARY_SENSOR])
async def test_platform_snapshot(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    platform: Platform,
) -> None:
    freezer.move_to(CLOUD_TIME)
    with patch("custom_components.grill_stats.PLATFORMS", [platform]):
        await setup_entry(hass, mock_config_entry)
    # The registry entries' run-specific ids (entry, device, entity) are left out, so the
    # snapshot holds what a user sees: names, classes, categories, units, states.
    entries = er.async_entries_for_config_entry(entity_registry, mock_config_entry.entry_id)
    assert entries
    assert {entry.domain for entry in entries} == {platform}
    described = {}
    for entry in sorted(entries, key=lambda item: item.entity_id):
        state = hass.states.get(entry.entity_id)
        assert state is not None
        assert entry.disabled_by is None
        described[entry.entity_id] = {
            "unique_id": entry.unique_id,
            "original_name": entry.original_name,
            "translation_key": entry.translation_key,
            "original_device_class": entry.original_device_class,
            "entity_category": entry.entity_category,
            "unit_of_measurement": entry.unit_of_measurement,
            "capabilities": entry.capabilities,
            "state": state.state,
            "attributes": dict(state.attributes),
        }
    assert described == snapshot


async def test_diagnostics_are_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    text = json.dumps(result)
    assert result["entry"]["data"]["email"] == "**REDACTED**"
    assert result["entry"]["data"]["password"] == "**REDACTED**"
    assert result["entry"]["unique_id"] == "**REDACTED**"
    assert result["client"]["account"]["account_id"] == "**REDACTED**"
    for secret in ("brisket", "cook@example.com", ACCOUNT.account_id, ACCOUNT.uid):
        assert secret not in text
    assert result == snapshot


def _writes(hass: HomeAssistant) -> list[str]:
    written: list[str] = []

    @callback
    def record(event: Event[Any]) -> None:
        written.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    hass.bus.async_listen(EVENT_STATE_REPORTED, record, event_filter=callback(lambda _: True))
    return written


async def _poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(timedelta(seconds=300))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def _with_probe(devices: dict[str, Device], serial: str, number: str, **changes: object) -> None:
    device = devices[serial]
    channels = dict(device.channels)
    channels[number] = dataclasses.replace(channels[number], **changes)  # type: ignore[arg-type]
    devices[serial] = dataclasses.replace(device, channels=channels)


async def test_unchanged_poll_writes_nothing_and_a_change_writes_one(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    written = _writes(hass)
    mock_client.async_get_snapshot.return_value = load_snapshot()  # equal, newly parsed
    await _poll(hass, freezer)
    assert mock_client.async_get_snapshot.await_count == 2
    assert written == []

    devices = load_devices()
    serial, device = next((s, d) for s, d in devices.items() if d.model == "signals")
    _with_probe(devices, serial, "1", temperature=240.5)
    mock_client.async_get_snapshot.return_value = load_snapshot(devices)
    await _poll(hass, freezer)
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{serial}_1_temperature")
    assert written == [entity_id]
    assert device.channels["1"].temperature != 240.5


async def test_probe_without_reading_is_unavailable_until_it_returns(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    devices = load_devices()
    serial = next(s for s, d in devices.items() if d.model == "signals")
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{serial}_2_temperature")
    assert entity_id
    assert hass.states.get(entity_id).state != STATE_UNAVAILABLE  # type: ignore[union-attr]
    _with_probe(devices, serial, "2", temperature=None, connected=False)
    mock_client.async_get_snapshot.return_value = load_snapshot(devices)
    await _poll(hass, freezer)
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
    mock_client.async_get_snapshot.return_value = load_snapshot()
    await _poll(hass, freezer)
    assert hass.states.get(entity_id).state != STATE_UNAVAILABLE  # type: ignore[union-attr]


async def test_rfx_core_is_the_lowest_valid_point(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    devices = load_devices()
    serial, meat = next((s, d) for s, d in devices.items() if d.model == "rfx meat")
    points = []
    for number in meat.channels:
        point = registry.async_get_entity_id("sensor", DOMAIN, f"{serial}_{number}_temperature")
        state = hass.states.get(point or "")
        if state is not None and state.state != STATE_UNAVAILABLE:
            points.append(float(state.state))
    assert len(points) >= 2
    core = hass.states.get(
        registry.async_get_entity_id("sensor", DOMAIN, f"{serial}_core_temperature") or ""
    )
    assert core is not None
    assert float(core.state) == pytest.approx(min(points))
