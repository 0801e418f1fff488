"""Serving: the HTTP layer runs any simulated cloud; a ``CloudSimulator`` runs itself."""

from __future__ import annotations

import aiohttp

from grillstats.simulator import CloudSimulator
from grillstats.simulator.cloud import SimulatedCloud
from grillstats.simulator.server import SimulatorServer


async def test_start_and_stop_are_idempotent(simulator: CloudSimulator) -> None:
    url = simulator.base_url
    assert await simulator.start() == url
    assert url.startswith("http://127.0.0.1:")
    await simulator.stop()
    await simulator.stop()
    assert await simulator.start("127.0.0.1", 0) != ""


async def test_a_simulator_server_serves_a_bare_cloud(socket_enabled: None) -> None:
    cloud = SimulatedCloud(devices=1, seed=1, speed=0)
    server = SimulatorServer(cloud)
    assert server.base_url == ""
    url = await server.start("127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as http, http.get(f"{url}/_sim/state") as resp:
            state = await resp.json()
    finally:
        await server.stop()
    assert resp.status == 200
    assert [d["serial"] for d in state["devices"]] == [d.serial for d in cloud.devices()]
    assert state["base_url"] == ""  # only a CloudSimulator knows where it is served


async def test_a_cloud_simulator_reports_its_base_url(simulator: CloudSimulator) -> None:
    assert simulator.state()["base_url"] == simulator.base_url == simulator.server.base_url
    assert simulator.app is simulator.server.app
