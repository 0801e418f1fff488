"""Injected faults and request statistics."""

from __future__ import annotations

import json
import time

import pytest

from grillstats.simulator import ControlError
from grillstats.simulator.stats import path_template, request_kind

from .conftest import Cloud


async def test_500_count_then_ok(cloud: Cloud) -> None:
    status, body = await cloud.control(
        "POST", "/faults", {"status": 500, "count": 3, "path_prefix": "/v1/projects"}
    )
    assert status == 201
    assert body["fault"]["count"] == 3
    for _ in range(3):
        status, answer = await cloud.get(f"users/{cloud.uid}")
        assert status == 500
        assert answer["error"]["status"] == "INTERNAL"
    assert (await cloud.get(f"users/{cloud.uid}"))[0] == 200
    assert cloud.sim.stats()["requests"]["faults"] == 3


async def test_fault_path_prefix_spares_other_paths(cloud: Cloud) -> None:
    cloud.sim.add_fault(503, path_prefix="/v1/token")
    assert (await cloud.get(f"users/{cloud.uid}"))[0] == 200
    assert (await cloud.control("GET", "/state"))[0] == 200  # control is never faulted
    async with cloud.http.post(
        f"{cloud.sim.base_url}/v1/token",
        params={"key": cloud.sim.api_key},
        json={"grant_type": "refresh_token", "refresh_token": cloud.refresh_token},
    ) as resp:
        assert resp.status == 503
        assert (await resp.json())["error"]["status"] == "UNAVAILABLE"


async def test_429_with_retry_after(cloud: Cloud) -> None:
    await cloud.control("POST", "/faults", {"status": 429, "retry_after": 30})
    async with cloud.http.get(f"{cloud.docs}/users/{cloud.uid}", headers=cloud.auth) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "30"
        body = await resp.json()
    assert body == {
        "error": {"code": 429, "message": "Quota exceeded.", "status": "RESOURCE_EXHAUSTED"}
    }


async def test_401_403_404_faults(cloud: Cloud) -> None:
    for code, status_text in (
        (401, "UNAUTHENTICATED"),
        (403, "PERMISSION_DENIED"),
        (404, "NOT_FOUND"),
        (418, "UNKNOWN"),
    ):
        cloud.sim.add_fault(code)
        status, body = await cloud.get(f"users/{cloud.uid}")
        assert (status, body["error"]["status"]) == (code, status_text)


async def test_delay_then_normal_answer(cloud: Cloud) -> None:
    await cloud.control("POST", "/faults", {"delay_seconds": 0.3})
    started = time.monotonic()
    status, _ = await cloud.get(f"users/{cloud.uid}")
    assert status == 200
    assert time.monotonic() - started >= 0.3


async def test_malformed_body(cloud: Cloud) -> None:
    await cloud.control("POST", "/faults", {"malformed": True, "count": 1})
    async with cloud.http.get(f"{cloud.docs}/users/{cloud.uid}", headers=cloud.auth) as resp:
        assert resp.status == 200
        text = await resp.text()
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert text.startswith('{"name": ')
    assert (await cloud.get(f"users/{cloud.uid}"))[0] == 200


async def test_scrambled_documents(cloud: Cloud) -> None:
    clean = (await cloud.get(f"users/{cloud.uid}"))[1]
    status, body = await cloud.control("POST", "/faults", {"scramble": True, "count": 1})
    assert (status, body["fault"]["scramble"]) == (201, True)
    status, scrambled = await cloud.get(f"users/{cloud.uid}")
    assert status == 200
    assert scrambled["name"] == clean["name"]
    assert set(scrambled["fields"]) == set(clean["fields"])
    assert scrambled["fields"]["accountId"] == {"integerValue": "not-a-number"}
    for name, typed in clean["fields"].items():
        assert scrambled["fields"][name] != typed
    assert (await cloud.get(f"users/{cloud.uid}"))[1] == clean


async def test_clear_faults_and_validation(cloud: Cloud) -> None:
    cloud.sim.add_fault(500, count=5)
    assert len(cloud.sim.state()["faults"]) == 1
    status, body = await cloud.control("DELETE", "/faults")
    assert (status, body) == (200, {"faults": []})
    assert (await cloud.get(f"users/{cloud.uid}"))[0] == 200
    for bad in (
        {"status": 200},
        {"status": 500, "count": 0},
        {"count": 2},
        {"status": 500, "delay_seconds": -1},
        {"status": 500, "path_prefix": "v1"},
        {"status": "500"},
        {"status": 500, "path_prefix": 5},
    ):
        status, body = await cloud.control("POST", "/faults", bad)
        assert status == 400, bad
    with pytest.raises(ControlError):
        cloud.sim.add_fault(None)


async def test_stats_count_by_kind(cloud: Cloud) -> None:
    sim = cloud.sim
    sim.reset_stats()
    app_id = "1:78998049458:web:b41e9d405d8c7de95eefab"
    async with cloud.http.get(
        f"{sim.base_url}/v1alpha/projects/-/apps/{app_id}/webConfig", params={"key": sim.api_key}
    ):
        pass
    await cloud.sign_in()
    async with cloud.http.post(
        f"{sim.base_url}/v1/token",
        params={"key": sim.api_key},
        json={"grant_type": "refresh_token", "refresh_token": cloud.refresh_token},
    ):
        pass
    await cloud.get(f"users/{cloud.uid}")
    await cloud.post(":runQuery", cloud.query(sim.owner.account_id))
    serial = sim.state()["devices"][0]["serial"]
    await cloud.get(f"devices/{serial}", encode=True)
    await cloud.get(f"devices/{serial}/channels/1")
    await cloud.get(f"devices/{serial}/channels/9")
    await cloud.post(":batchGet", {"documents": [f"{cloud.root}/devices/{serial}"]})
    await cloud.get("devices/x/archive/y")
    async with cloud.http.get(f"{sim.base_url}/favicon.ico") as resp:
        assert resp.status == 404
        assert (await resp.json())["error"]["code"] == 404
    await cloud.control("GET", "/state")  # not counted
    status, stats = await cloud.control("GET", "/stats")
    assert status == 200
    requests = stats["requests"]
    assert requests["total"] == 11
    assert requests["by_path"] == {
        "/v1/accounts:signInWithPassword": 1,
        "/v1/projects/{project}/databases/(default)/documents/devices/{serial}": 1,
        "/v1/projects/{project}/databases/(default)/documents/devices/{serial}/archive/{id}": 1,
        "/v1/projects/{project}/databases/(default)/documents/devices/{serial}/channels/{n}": 2,
        "/v1/projects/{project}/databases/(default)/documents/users/{uid}": 1,
        "/v1/projects/{project}/databases/(default)/documents:batchGet": 1,
        "/v1/projects/{project}/databases/(default)/documents:runQuery": 1,
        "/v1/token": 1,
        "/v1alpha/projects/-/apps/{appId}/webConfig": 1,
        "other": 1,
    }
    assert requests["by_kind"] == {
        "batchGet": 1,
        "channel.get": 2,
        "device.get": 1,
        "document.get": 1,
        "other": 1,
        "runQuery": 1,
        "signIn": 1,
        "token": 1,
        "users.get": 1,
        "webConfig": 1,
    }
    assert requests["by_status"] == {"200": 8, "403": 1, "404": 2}
    status, stats = await cloud.control("POST", "/stats/reset")
    assert stats["requests"]["total"] == 0
    assert sim.stats()["requests"]["by_path"] == {}
    assert sim.stats()["requests"]["by_kind"] == {}


def test_path_templates() -> None:
    assert path_template("/v1/projects/p") == "/v1/projects/{project}"
    assert path_template("/v1/accounts:signUp") == "other"
    assert request_kind("/v1/projects/p") == "document.get"
