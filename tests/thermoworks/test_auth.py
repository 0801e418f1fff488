"""Sign-in answers the simulator never gives: odd bodies from a tiny loopback server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from grillstats.thermoworks import ProtocolError, custom_provider
from grillstats.thermoworks.auth import Authenticator
from grillstats.thermoworks.firestore import document_fields, document_id, get_map, is_null
from grillstats.thermoworks.transport import Transport

pytestmark = pytest.mark.usefixtures("socket_enabled")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """A server whose sign-in and token answers the test sets."""
    answers: dict[str, Any] = {}

    async def sign_in(_request: web.Request) -> web.Response:
        status, body = answers["signIn"]
        return web.json_response(body, status=status)

    async def token(_request: web.Request) -> web.Response:
        status, body = answers["token"]
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_post("/v1/accounts:signInWithPassword", sign_in)
    app.router.add_post("/v1/token", token)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", answers
    await runner.cleanup()


async def _auth(base: str, session: aiohttp.ClientSession, clock: Clock) -> Authenticator:
    return Authenticator(Transport(session), custom_provider(base), "a@b.c", "pw", clock=clock)


GOOD = {"localId": "u1", "idToken": "id-1", "refreshToken": "r-1", "expiresIn": "3600"}


@pytest.mark.parametrize(
    ("status", "body", "match"),
    [
        (200, {**GOOD, "localId": ""}, "without a user id"),
        (200, {**GOOD, "idToken": None}, "without a token"),
        (200, ["not", "an", "object"], "not an object"),
        (400, {"error": {"message": "OPERATION_NOT_ALLOWED"}}, "HTTP 400 OPERATION_NOT_ALLOWED"),
    ],
)
async def test_unusable_sign_in_answers(
    server: tuple[str, dict[str, Any]], status: int, body: object, match: str
) -> None:
    base, answers = server
    answers["signIn"] = (status, body)
    async with aiohttp.ClientSession() as session:
        auth = await _auth(base, session, Clock())
        with pytest.raises(ProtocolError, match=match):
            await auth.sign_in()


async def test_odd_lifetime_defaults_to_an_hour_and_refresh_renews(
    server: tuple[str, dict[str, Any]],
) -> None:
    base, answers = server
    answers["signIn"] = (200, {**GOOD, "expiresIn": "soon"})
    answers["token"] = (200, {"id_token": "id-2", "refresh_token": "r-2", "expires_in": 3600})
    clock = Clock()
    async with aiohttp.ClientSession() as session:
        auth = await _auth(base, session, clock)
        assert await auth.token() == "id-1"
        clock.now = 3600 - 299  # inside the refresh margin of a one-hour token
        assert await auth.token() == "id-2"
        clock.now = 3600 - 200  # the refreshed token is good for another hour
        assert await auth.token() == "id-2"


@pytest.mark.parametrize("lifetime", ["120", "-5", "inf", "1e999"])
async def test_short_or_odd_lifetimes_never_renew_on_every_request(
    server: tuple[str, dict[str, Any]], lifetime: str
) -> None:
    """A 2-minute token is renewed at half its life, not on each call; nonsense means an hour."""
    base, answers = server
    answers["signIn"] = (200, {**GOOD, "expiresIn": lifetime})
    answers["token"] = (200, {"id_token": "id-2", "refresh_token": "r-2", "expires_in": "120"})
    clock = Clock()
    seconds = 120.0 if lifetime == "120" else 3600.0
    async with aiohttp.ClientSession() as session:
        auth = await _auth(base, session, clock)
        assert await auth.token() == "id-1"
        clock.now = seconds / 2 - 1
        assert await auth.token() == "id-1"
        clock.now = seconds - 1
        assert await auth.token() == "id-2"


async def test_refused_refresh_signs_in_again(server: tuple[str, dict[str, Any]]) -> None:
    base, answers = server
    answers["signIn"] = (200, GOOD)
    answers["token"] = (400, {"error": {"message": "TOKEN_EXPIRED"}})
    async with aiohttp.ClientSession() as session:
        auth = await _auth(base, session, Clock())
        await auth.sign_in()
        answers["signIn"] = (200, {**GOOD, "idToken": "id-3"})
        assert await auth.renew() == "id-3"
        # With no refresh token left, a renewal goes straight to the password.
        answers["signIn"] = (200, {**GOOD, "idToken": "id-4", "refreshToken": ""})
        assert await auth.renew() == "id-4"


def test_document_shapes() -> None:
    with pytest.raises(ProtocolError):
        document_fields(["not a document"])
    with pytest.raises(ProtocolError):
        document_fields({"fields": "not an object"})
    with pytest.raises(ProtocolError):
        document_id({"fields": {}})
    with pytest.raises(ProtocolError):
        document_id(7)
    assert document_id({"name": "projects/p/databases/(default)/documents/devices/S1"}) == "S1"
    assert get_map({"m": {"mapValue": {"fields": []}}}, "m") is None
    assert is_null({"n": {"nullValue": None}}, "n")
    assert not is_null({"n": {"stringValue": "x"}}, "n")
