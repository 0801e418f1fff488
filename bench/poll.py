"""Requests and client CPU per poll, against the simulator running in its own process.

Run: ``.venv/bin/python bench/poll.py`` (add ``--polls N`` for more samples).
Prints a Markdown table: HTTP requests per steady-state poll, the average over an hour of
5-minute polls (device re-list and token refresh included), client CPU time per poll, and the
request count the usual public pattern (1 + 1 + Σ(channels + 1)) needs for the same devices.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from typing import Any

import aiohttp

from grillstats.thermoworks import ThermoworksClient, custom_provider

EMAIL = "bench@example.com"
PASSWORD = "bench-password"
POLL_SECONDS = 300


class ManualClock:
    """The client's monotonic clock, moved by the benchmark (5 minutes per poll)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def start_simulator(devices: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "grillstats.cli",
            "simulate",
            "--port",
            "0",
            "--speed",
            "0",
            "--devices",
            str(devices),
            "--seed",
            "1",
            "--email",
            EMAIL,
            "--password",
            PASSWORD,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    return process, first.rsplit(" ", 1)[-1].strip()


async def control(session: aiohttp.ClientSession, base: str, method: str, path: str) -> Any:
    async with session.request(method, f"{base}/_sim/{path}") as response:
        return await response.json() if response.status != 204 else None


async def measure(devices: int, polls: int) -> dict[str, Any]:
    process, base = start_simulator(devices)
    try:
        async with aiohttp.ClientSession() as session:
            clock = ManualClock()
            client = ThermoworksClient(
                session, EMAIL, PASSWORD, provider=custom_provider(base), clock=clock
            )
            first = await client.async_get_snapshot()
            state = await control(session, base, "GET", "state")
            channels = sum(len(device["channels"]) for device in state["devices"])
            public = 1 + 1 + sum(len(device["channels"]) + 1 for device in state["devices"])

            await control(session, base, "POST", "stats/reset")
            cpu: list[float] = []
            steady: list[int] = []
            for _ in range(polls):
                started = time.process_time()
                snapshot = await client.async_get_snapshot()
                cpu.append(time.process_time() - started)
                steady.append(snapshot.requests)
            server_counted = (await control(session, base, "GET", "stats"))["requests"]["total"]

            hour = 0
            for _ in range(3600 // POLL_SECONDS):
                clock.now += POLL_SECONDS
                hour += (await client.async_get_snapshot()).requests
    finally:
        process.terminate()
        process.wait(timeout=10)
    return {
        "devices": len(first.devices),
        "channels": channels,
        "first": first.requests,
        "steady": statistics.mean(steady),
        "server": server_counted / polls,
        "hour": hour / (3600 // POLL_SECONDS),
        "cpu_ms": statistics.median(cpu) * 1000,
        "public": public,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=50)
    args = parser.parse_args()
    print(
        "| simulated devices (channels) | first poll | requests per steady-state poll "
        "(client / server count) | mean per poll over 1 h at 5 min | client CPU per poll "
        "(median) | public pattern per poll |"
    )
    print("|---|---|---|---|---|---|")
    for devices in (1, 5, 20):
        row = await measure(devices, args.polls)
        print(
            f"| {row['devices']} ({row['channels']}) | {row['first']} | "
            f"{row['steady']:g} / {row['server']:g} | {row['hour']:.2f} | "
            f"{row['cpu_ms']:.2f} ms | {row['public']} |"
        )


if __name__ == "__main__":
    asyncio.run(main())
