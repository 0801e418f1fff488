"""Fixtures for the simulator's tests: an HTTP session and a signed-in Firestore helper."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from grillstats.simulator import CloudSimulator
from grillstats.thermoworks.documents import device_list_query


@dataclass
class Cloud:
    """A signed-in view of the simulator over real HTTP."""

    sim: CloudSimulator
    http: aiohttp.ClientSession
    uid: str = ""
    id_token: str = ""
    refresh_token: str = ""

    @property
    def docs(self) -> str:
        return (
            f"{self.sim.base_url}/v1/projects/{self.sim.project_id}/databases/(default)/documents"
        )

    @property
    def root(self) -> str:
        return f"projects/{self.sim.project_id}/databases/(default)/documents"

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.id_token}"}

    async def sign_in(self, email: str | None = None, password: str | None = None) -> Any:
        async with self.http.post(
            f"{self.sim.base_url}/v1/accounts:signInWithPassword",
            params={"key": self.sim.api_key},
            json={
                "email": email or self.sim.email,
                "password": password or self.sim.password,
                "returnSecureToken": True,
            },
        ) as resp:
            body = await resp.json()
            if resp.status == 200:
                self.uid = body["localId"]
                self.id_token = body["idToken"]
                self.refresh_token = body["refreshToken"]
            return resp.status, body

    async def get(self, path: str, *, encode: bool = False) -> tuple[int, Any]:
        url = f"{self.docs}/{quote(path, safe='/') if encode else path}"
        async with self.http.get(url, headers=self.auth) as resp:
            return resp.status, await resp.json()

    async def post(self, path: str, body: object) -> tuple[int, Any]:
        async with self.http.post(f"{self.docs}{path}", headers=self.auth, json=body) as resp:
            return resp.status, await resp.json()

    async def control(self, method: str, path: str, body: object = None) -> tuple[int, Any]:
        async with self.http.request(method, f"{self.sim.base_url}/_sim{path}", json=body) as resp:
            data = await resp.json() if resp.status != 204 else None
            return resp.status, data

    async def account_id(self) -> str:
        status, user = await self.get(f"users/{self.uid}")
        assert status == 200
        value: str = user["fields"]["accountId"]["stringValue"]
        return value

    def query(self, account_id: str) -> dict[str, Any]:
        """The client's own device-list query, so the simulator answers what it sends."""
        query: dict[str, Any] = device_list_query(account_id)
        return query


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def cloud(simulator: CloudSimulator, http: aiohttp.ClientSession) -> Cloud:
    """The simulator, signed in as its default account."""
    client = Cloud(simulator, http)
    status, _ = await client.sign_in()
    assert status == 200
    return client


@pytest.fixture
def guest(simulator: CloudSimulator, http: aiohttp.ClientSession) -> Cloud:
    """The simulator, not signed in."""
    return Cloud(simulator, http)
