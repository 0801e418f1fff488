"""Home Assistant-side cost of a coordinator update, and state writes of an unchanged poll.

Run: ``.venv/bin/python bench/ha_poll.py`` (``--polls N`` for more samples).

A real Home Assistant core (the test harness's ``async_test_home_assistant``, on a temporary
configuration folder with the harness's in-memory storage) loads Grill Stats for 20 Signals
x 4 probes. The snapshots come from the simulator over loopback HTTP
beforehand, so the timed part is Home Assistant's own work: the coordinator, the device
registry check, the entities and the state machine. Printed: CPU time per update when every
probe changed, CPU time and state writes (``state_changed`` + ``state_reported`` events) for
an update in which nothing changed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest.mock import patch

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import custom_components.grill_stats  # noqa: F401 - before the harness's custom_components
from custom_components.grill_stats.const import CONF_ENDPOINT, CONF_PROVIDER, DOMAIN
from grillstats.simulator import CloudSimulator
from grillstats.thermoworks import Snapshot, ThermoworksClient, custom_provider

DEVICES = 20


async def record_snapshots(count: int) -> list[Snapshot]:
    """``count`` consecutive 5-minute polls of 20 Signals, then a repeat of the last."""
    simulator = CloudSimulator(devices=0, seed=3, speed=0)
    for _ in range(DEVICES):
        simulator.add_device("signals")
    await simulator.start("127.0.0.1", 0)
    snapshots = []
    try:
        async with aiohttp.ClientSession() as session:
            client = ThermoworksClient(
                session,
                simulator.email,
                simulator.password,
                provider=custom_provider(simulator.base_url),
            )
            for _ in range(count):
                simulator.advance(300)
                snapshots.append(await client.async_get_snapshot())
            # One more poll at the same simulated moment: equal data in new objects, as a
            # real poll with nothing new would give.
            snapshots.append(await client.async_get_snapshot())
    finally:
        await simulator.stop()
    return snapshots


class ReplayClient:
    """Stands in for the cloud client: hands out the recorded snapshots in order."""

    def __init__(self, snapshots: list[Snapshot]) -> None:
        self.snapshots = snapshots
        self.index = 0
        self.provider = custom_provider("http://127.0.0.1:1")
        self.account = snapshots[0].account
        self.requests = 0
        self.uses_batch_get = True

    async def async_get_snapshot(self) -> Snapshot:
        snapshot = self.snapshots[min(self.index, len(self.snapshots) - 1)]
        self.index += 1
        return snapshot


async def measure(polls: int) -> dict[str, Any]:
    from homeassistant import loader  # noqa: PLC0415
    from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED  # noqa: PLC0415
    from homeassistant.core import callback  # noqa: PLC0415
    from pytest_homeassistant_custom_component.common import (  # noqa: PLC0415
        MockConfigEntry,
        async_test_home_assistant,
        mock_storage,
    )

    snapshots = await record_snapshots(polls + 1)
    assert snapshots[-1] == snapshots[-2]
    assert snapshots[-1] is not snapshots[-2]
    replay = ReplayClient(snapshots)
    # Registries and the alert store stay in memory (the harness's storage mock) and the
    # configuration folder is a temporary one: nothing lands in the test plugin's own
    # testing_config inside the virtual environment.
    with (
        tempfile.TemporaryDirectory(prefix="grill-stats-bench-") as config_dir,
        mock_storage(),
    ):
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            entry = MockConfigEntry(
                domain=DOMAIN,
                unique_id=snapshots[0].account.account_id,
                data={
                    CONF_PROVIDER: "custom",
                    CONF_ENDPOINT: "http://127.0.0.1:1",
                    "email": "bench@example.com",
                    "password": "bench",
                },
            )
            entry.add_to_hass(hass)
            with patch(
                "custom_components.grill_stats.client_factory.create_client", return_value=replay
            ):
                await hass.config_entries.async_setup(entry.entry_id)
                await hass.async_block_till_done()
            coordinator = entry.runtime_data.coordinator
            entities = len(hass.states.async_all())
            probes = sum(len(device.channels) for device in coordinator.data.values())

            writes = 0

            def count(_event: object) -> None:
                nonlocal writes
                writes += 1

            hass.bus.async_listen(EVENT_STATE_CHANGED, count)
            # state_reported (a write that changed nothing) may only be heard through a filter.
            hass.bus.async_listen(
                EVENT_STATE_REPORTED, count, event_filter=callback(lambda _: True)
            )

            changed_cpu, changed_writes = [], []
            for _ in range(polls):
                writes = 0
                started = time.process_time()
                await coordinator.async_refresh()
                await hass.async_block_till_done()
                changed_cpu.append(time.process_time() - started)
                changed_writes.append(writes)

            unchanged_cpu, unchanged_writes = [], []
            for index in range(polls):  # equal snapshots, alternating between two copies
                replay.index = len(snapshots) - 1 - index % 2
                writes = 0
                started = time.process_time()
                await coordinator.async_refresh()
                await hass.async_block_till_done()
                unchanged_cpu.append(time.process_time() - started)
                unchanged_writes.append(writes)
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
    return {
        "devices": len(coordinator.data),
        "probes": probes,
        "entities": entities,
        "changed_cpu_ms": statistics.median(changed_cpu) * 1000,
        "changed_writes": statistics.median(changed_writes),
        "unchanged_cpu_ms": statistics.median(unchanged_cpu) * 1000,
        "unchanged_writes": max(unchanged_writes),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=20)
    args = parser.parse_args()
    row = await measure(args.polls)
    print(
        "| devices x probes (entities) | CPU per update, every probe changed (median) | "
        "state writes then | CPU per unchanged update (median) | state writes then (max) |"
    )
    print("|---|---|---|---|---|")
    print(
        f"| {row['devices']} x {row['probes'] // row['devices']} ({row['entities']}) | "
        f"{row['changed_cpu_ms']:.2f} ms | {row['changed_writes']:g} | "
        f"{row['unchanged_cpu_ms']:.2f} ms | {row['unchanged_writes']} |"
    )


if __name__ == "__main__":
    asyncio.run(main())
