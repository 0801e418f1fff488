"""Events: every entity as a snapshot."""

from __future__ import annotations

from homeassistant.const import Platform

from .conftest import SnapshotEntities


async def test_all_entities(snapshot_entities: SnapshotEntities) -> None:
    """Every event entity: its registry entry and its state."""
    await snapshot_entities(Platform.EVENT)
