"""Fixtures for the client tests: a client pointed at the simulator over loopback HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from grillstats.simulator import CloudSimulator
from grillstats.thermoworks import RetryPolicy, ThermoworksClient, custom_provider

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02)


class FakeClock:
    """A monotonic clock the tests move by hand (token expiry, device-list interval)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Control:
    """The simulator's JSON control API, over real HTTP."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self._session = session
        self._base = base_url

    async def __call__(self, method: str, path: str, body: object = None) -> Any:
        async with self._session.request(method, f"{self._base}/_sim/{path}", json=body) as resp:
            assert resp.status < 300, await resp.text()
            return await resp.json() if resp.status != 204 else None

    async def state(self) -> Any:
        return await self("GET", "state")

    async def requests_by_kind(self) -> dict[str, int]:
        stats = await self("GET", "stats")
        return dict(stats["requests"]["by_kind"])


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def control(session: aiohttp.ClientSession, simulator: CloudSimulator) -> Control:
    return Control(session, simulator.base_url)


@pytest.fixture
def client(
    session: aiohttp.ClientSession, simulator: CloudSimulator, clock: FakeClock
) -> ThermoworksClient:
    return ThermoworksClient(
        session,
        simulator.email,
        simulator.password,
        provider=custom_provider(simulator.base_url),
        request_timeout=1.0,
        retry=FAST_RETRY,
        clock=clock,
    )
