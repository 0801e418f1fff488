"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from grillstats.simulator import CloudSimulator


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[CloudSimulator]:
    """A paused simulator (speed 0, seed 1) with five devices, serving on loopback.

    ``socket_enabled`` (pytest-socket) lifts the Home Assistant test plugin's socket block for
    this loopback server; the plugin still refuses anything but 127.0.0.1.
    """
    sim = CloudSimulator(devices=5, seed=1, speed=0)
    await sim.start("127.0.0.1", 0)
    yield sim
    await sim.stop()
