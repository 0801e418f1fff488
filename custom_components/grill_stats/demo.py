"""The demo provider: a simulated ThermoWorks Cloud on loopback, so no account is needed."""

from __future__ import annotations

from grillstats.simulator import CloudSimulator

from .const import DEMO_DEVICES, DEMO_SPEED


async def async_start_demo() -> CloudSimulator:
    """Start a simulator with every device family on a free loopback port."""
    simulator = CloudSimulator(devices=DEMO_DEVICES, seed=2026, speed=DEMO_SPEED)
    await simulator.start("127.0.0.1", 0)
    return simulator
