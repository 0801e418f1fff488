"""Sign-in, refresh, webConfig and token checks, over real HTTP."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import aiohttp

from grillstats.simulator import CloudSimulator
from grillstats.simulator.auth import LOCKOUT_SECONDS, MAX_FAILED_ATTEMPTS, PRUNE_SESSIONS_AT

from .conftest import Cloud


async def _refresh(cloud: Cloud, token: str, *, form: bool = False) -> tuple[int, Any]:
    url = f"{cloud.sim.base_url}/v1/token"
    body = {"grant_type": "refresh_token", "refresh_token": token}
    kwargs: dict[str, object] = {"data": body} if form else {"json": body}
    async with cloud.http.post(url, params={"key": cloud.sim.api_key}, **kwargs) as resp:  # type: ignore[arg-type]
        return resp.status, await resp.json()


async def test_sign_in_ok(guest: Cloud) -> None:
    status, body = await guest.sign_in()
    assert status == 200
    assert body["kind"] == "identitytoolkit#VerifyPasswordResponse"
    assert body["email"] == "pitmaster@example.com"
    assert body["registered"] is True
    assert body["expiresIn"] == "3600"
    assert body["displayName"] == ""
    assert body["refreshToken"].startswith("AMf-vB")
    claims = body["idToken"].split(".")[1]
    payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert payload["user_id"] == body["localId"]
    assert payload["aud"] == guest.sim.project_id
    assert payload["exp"] - payload["iat"] == 3600


async def test_sign_in_email_is_case_insensitive(guest: Cloud) -> None:
    status, _ = await guest.sign_in("PitMaster@Example.com")
    assert status == 200


async def test_wrong_password(guest: Cloud) -> None:
    status, body = await guest.sign_in(password="nope")
    assert status == 400
    assert body == {
        "error": {
            "code": 400,
            "message": "INVALID_PASSWORD",
            "errors": [{"message": "INVALID_PASSWORD", "domain": "global", "reason": "invalid"}],
        }
    }


async def test_unknown_email(guest: Cloud) -> None:
    status, body = await guest.sign_in("nobody@example.com")
    assert status == 400
    assert body["error"]["message"] == "EMAIL_NOT_FOUND"
    assert body["error"]["errors"][0]["reason"] == "invalid"


async def test_too_many_attempts_then_unlocks(guest: Cloud) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        status, body = await guest.sign_in(password="wrong")
        assert body["error"]["message"] == "INVALID_PASSWORD"
    status, body = await guest.sign_in()  # even the right password is refused now
    assert status == 400
    assert body["error"]["message"].startswith("TOO_MANY_ATTEMPTS_TRY_LATER")
    guest.sim.advance(LOCKOUT_SECONDS)
    status, _ = await guest.sign_in()
    assert status == 200


async def test_password_change_lifts_lockout(guest: Cloud) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        await guest.sign_in(password="wrong")
    guest.sim.set_password(guest.sim.email, "new-pass")
    status, _ = await guest.sign_in(password="new-pass")
    assert status == 200


async def test_bad_api_key(guest: Cloud) -> None:
    sim = guest.sim
    for params in ({"key": "AIzaWrong"}, {}):
        async with guest.http.post(
            f"{sim.base_url}/v1/accounts:signInWithPassword",
            params=params,
            json={"email": sim.email, "password": sim.password},
        ) as resp:
            assert resp.status == 400
            assert await resp.json() == {
                "error": {
                    "code": 400,
                    "message": "API key not valid. Please pass a valid API key.",
                    "status": "INVALID_ARGUMENT",
                }
            }
    async with guest.http.post(f"{sim.base_url}/v1/token", params={"key": "x"}, json={}) as resp:
        assert resp.status == 400


async def test_sign_in_bad_bodies(guest: Cloud) -> None:
    url = f"{guest.sim.base_url}/v1/accounts:signInWithPassword"
    key = {"key": guest.sim.api_key}
    cases: list[tuple[object, str]] = [
        ({"password": "x"}, "INVALID_EMAIL"),
        ({"email": "pitmaster@example.com"}, "MISSING_PASSWORD"),
    ]
    for body, reason in cases:
        async with guest.http.post(url, params=key, json=body) as resp:
            assert resp.status == 400
            assert (await resp.json())["error"]["message"] == reason
    async with guest.http.post(url, params=key, data=b"{not json") as resp:
        assert resp.status == 400
        assert (await resp.json())["error"]["status"] == "INVALID_ARGUMENT"
    async with guest.http.post(url, params=key, json=[1, 2]) as resp:
        assert resp.status == 400


async def test_refresh_ok_json_and_form(cloud: Cloud) -> None:
    for form in (False, True):
        status, body = await _refresh(cloud, cloud.refresh_token, form=form)
        assert status == 200
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == "3600"
        assert body["refresh_token"] == cloud.refresh_token
        assert body["user_id"] == cloud.uid
        assert body["project_id"] == cloud.sim.project_id
        assert body["access_token"] == body["id_token"]
        cloud.id_token = str(body["id_token"])
        status, _ = await cloud.get(f"users/{cloud.uid}")
        assert status == 200


async def test_refresh_errors(cloud: Cloud) -> None:
    status, body = await _refresh(cloud, "AMf-vBbogus")
    assert (status, body) == (
        400,
        {"error": {"code": 400, "message": "INVALID_REFRESH_TOKEN", "status": "INVALID_ARGUMENT"}},
    )
    url = f"{cloud.sim.base_url}/v1/token"
    key = {"key": cloud.sim.api_key}
    cases: list[tuple[dict[str, str], str]] = [
        ({}, "MISSING_GRANT_TYPE"),
        ({"grant_type": "password"}, "INVALID_GRANT_TYPE"),
        ({"grant_type": "refresh_token"}, "MISSING_REFRESH_TOKEN"),
    ]
    for body_in, reason in cases:
        async with cloud.http.post(url, params=key, json=body_in) as resp:
            assert resp.status == 400
            assert (await resp.json())["error"]["message"] == reason
    async with cloud.http.post(
        url, params=key, data=b"\xff", headers={"Content-Type": "application/json"}
    ) as resp:
        assert resp.status == 400


async def test_refresh_after_password_change(cloud: Cloud) -> None:
    old_id_token = cloud.id_token
    status, body = await cloud.control(
        "POST", "/accounts", {"email": cloud.sim.email, "password": "brand-new"}
    )
    assert (status, body) == (200, {"email": cloud.sim.email, "created": False})
    status, body = await _refresh(cloud, cloud.refresh_token)
    assert status == 400
    assert body["error"]["message"] == "TOKEN_EXPIRED"
    # the id token already issued keeps working until it expires, as with Firebase
    cloud.id_token = old_id_token
    assert (await cloud.get(f"users/{cloud.uid}"))[0] == 200
    assert (await cloud.sign_in(password="smoke-ring"))[0] == 400
    assert (await cloud.sign_in(password="brand-new"))[0] == 200
    assert cloud.sim.password == "brand-new"


async def test_firestore_needs_a_valid_token(cloud: Cloud) -> None:
    expected = {
        "error": {
            "code": 401,
            "message": "Request had invalid authentication credentials. Expected OAuth 2 access "
            "token, login cookie or other valid authentication credential.",
            "status": "UNAUTHENTICATED",
        }
    }
    async with cloud.http.get(f"{cloud.docs}/users/{cloud.uid}") as resp:
        assert resp.status == 401
        assert await resp.json() == expected
    async with cloud.http.get(
        f"{cloud.docs}/users/{cloud.uid}", headers={"Authorization": "Bearer forged"}
    ) as resp:
        assert resp.status == 401
    status, body = await cloud.control("POST", "/tokens/expire", {"refresh": False})
    assert (status, body) == (200, {"expired": 1})
    assert await cloud.get(f"users/{cloud.uid}") == (401, expected)
    status, body = await _refresh(cloud, cloud.refresh_token)  # refresh tokens survive
    assert status == 200
    cloud.id_token = str(body["id_token"])
    assert (await cloud.get(f"users/{cloud.uid}"))[0] == 200
    # A wrong API key is refused even with a good token; no key at all is fine.
    async with cloud.http.get(
        f"{cloud.docs}/users/{cloud.uid}", params={"key": "nope"}, headers=cloud.auth
    ) as resp:
        assert resp.status == 400
        assert (await resp.json())["error"]["status"] == "INVALID_ARGUMENT"


async def test_expiring_every_token_leaves_only_the_password(cloud: Cloud) -> None:
    status, body = await cloud.control("POST", "/tokens/expire")
    assert (status, body) == (200, {"expired": 1, "refresh_tokens": 1})
    assert (await cloud.get(f"users/{cloud.uid}"))[0] == 401
    status, body = await _refresh(cloud, cloud.refresh_token)
    assert (status, body["error"]["message"]) == (400, "TOKEN_EXPIRED")
    assert (await cloud.sign_in())[0] == 200
    assert (await cloud.get(f"users/{cloud.uid}"))[0] == 200
    assert (await cloud.control("POST", "/tokens/expire", {"refresh": "no"}))[0] == 400


async def test_expired_sessions_are_pruned(simulator: CloudSimulator) -> None:
    accounts = simulator.accounts
    account = accounts.get(simulator.email)
    assert account is not None
    start = simulator.now()
    for _ in range(PRUNE_SESSIONS_AT):
        accounts.issue_id_token(account, start)
    later = start + timedelta(seconds=accounts.token_lifetime + 1)
    fresh = accounts.issue_id_token(account, later)
    assert len(accounts._sessions) == 1
    assert accounts.check_id_token(fresh, later) is account


async def test_id_token_expires_with_sim_time(cloud: Cloud) -> None:
    cloud.sim.advance(3599)
    assert (await cloud.get(f"users/{cloud.uid}"))[0] == 200
    cloud.sim.advance(1)
    assert (await cloud.get(f"users/{cloud.uid}"))[0] == 401


async def test_short_token_lifetime(socket_enabled: None, http: aiohttp.ClientSession) -> None:
    sim = CloudSimulator(devices=0, speed=0, token_lifetime=60, email="a@b.c", password="pw")
    await sim.start("127.0.0.1", 0)
    try:
        client = Cloud(sim, http)
        status, body = await client.sign_in()
        assert (status, body["expiresIn"]) == (200, "60")
        sim.advance(60)
        assert (await client.get(f"users/{client.uid}"))[0] == 401
    finally:
        await sim.stop()


async def test_web_config(guest: Cloud) -> None:
    sim = guest.sim
    app_id = "1:78998049458:web:b41e9d405d8c7de95eefab"
    url = f"{sim.base_url}/v1alpha/projects/-/apps/{app_id}/webConfig"
    async with guest.http.get(url, headers={"x-goog-api-key": sim.api_key}) as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body["projectId"] == "thermoworks-cloud-production"
    assert body["appId"] == app_id
    assert body["storageBucket"] == "thermoworks-cloud-production.appspot.com"
    assert body["apiKey"] == sim.api_key
    assert body["messagingSenderId"] == "78998049458"
    async with guest.http.get(url, params={"key": "bad"}) as resp:
        assert resp.status == 400
