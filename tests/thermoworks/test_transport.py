"""The transport: Retry-After parsing, backoff, error codes, and odd answers over loopback."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from yarl import URL

from grillstats.thermoworks import ProtocolError
from grillstats.thermoworks.transport import (
    RetryPolicy,
    Transport,
    error_message,
    retry_after_seconds,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("30", 30.0),
        ("-5", 0.0),
        ("Sat, 28 Nov 2026 12:01:00 GMT", 60.0),
        ("Sat, 28 Nov 2026 11:00:00 GMT", 0.0),
        ("Sat, 28 Nov 2026 12:00:30 -0000", 30.0),  # no zone given: read as UTC
        ("soon", None),
    ],
)
def test_retry_after(header: str | None, expected: float | None) -> None:
    assert retry_after_seconds(header, NOW) == expected


def test_backoff_is_bounded_and_jittered() -> None:
    policy = RetryPolicy(attempts=5, base_delay=1.0, max_delay=3.0)
    rng = random.Random(4)
    delays = [policy.delay(retry, rng) for retry in range(10)]
    assert all(0 <= delay <= 3.0 for delay in delays)
    assert len(set(delays)) == len(delays)  # jitter: no two alike


def test_backoff_grows_exponentially_up_to_its_cap() -> None:
    """Full jitter: the bound, which the largest of many draws approaches, doubles per retry."""
    policy = RetryPolicy(base_delay=0.5, max_delay=3.0)
    rng = random.Random(1)
    largest = [max(policy.delay(retry, rng) for _ in range(2000)) for retry in range(5)]
    assert largest == pytest.approx([0.5, 1.0, 2.0, 3.0, 3.0], rel=0.01)


@pytest.fixture
async def odd_server(socket_enabled: None) -> AsyncIterator[TestServer]:
    """A loopback server whose answers go wrong in ways the simulator has no fault for."""
    calls = {"flaky": 0}

    async def not_text(_: web.Request) -> web.Response:
        return web.Response(body=b"\xff\xfe\xfa", content_type="application/json", charset="utf-8")

    async def flaky(_: web.Request) -> web.Response:
        calls["flaky"] += 1
        if calls["flaky"] < 3:
            return web.json_response({"error": {"status": "UNAVAILABLE"}}, status=503)
        return web.json_response({"ok": True})

    async def empty(_: web.Request) -> web.Response:
        return web.Response(status=200, headers={"Date": "not a date"})

    async def error_page(_: web.Request) -> web.Response:
        return web.Response(status=404, text="<html>Not Found</html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/empty", empty)
    app.router.add_get("/error-page", error_page)
    app.router.add_get("/not-text", not_text)
    app.router.add_get("/flaky", flaky)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield server
    await server.close()


async def test_an_empty_answer_or_an_error_page_has_no_body(odd_server: TestServer) -> None:
    """Neither is a crash: the caller judges the status; a date it cannot read is no date."""
    async with aiohttp.ClientSession() as session:
        transport = Transport(session)
        empty = await transport.request("GET", URL(str(odd_server.make_url("/empty"))))
        assert (empty.status, empty.body, empty.date) == (200, None, None)
        page = await transport.request("GET", URL(str(odd_server.make_url("/error-page"))))
        assert (page.status, page.body) == (404, None)
        assert page.date is not None  # aiohttp's own Date header


async def test_an_answer_that_is_not_text_is_a_protocol_error(odd_server: TestServer) -> None:
    async with aiohttp.ClientSession() as session:
        transport = Transport(session)
        with pytest.raises(ProtocolError, match="not text"):
            await transport.request("GET", URL(str(odd_server.make_url("/not-text"))))


async def test_retries_wait_between_attempts(
    odd_server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr("grillstats.thermoworks.transport.asyncio.sleep", fake_sleep)
    policy = RetryPolicy(attempts=3, base_delay=0.5, max_delay=8.0)
    async with aiohttp.ClientSession() as session:
        transport = Transport(session, retry=policy, rng=random.Random(2))
        response = await transport.request("GET", URL(str(odd_server.make_url("/flaky"))))
        assert response.body == {"ok": True}
        assert transport.requests == 3
        # Two waits, drawn from the growing bounds [0, 0.5] and [0, 1.0].
        rng = random.Random(2)
        assert slept == [policy.delay(0, rng), policy.delay(1, rng)]
        assert 0 < slept[0] <= 0.5
        assert 0 < slept[1] <= 1.0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"error": {"message": "TOO_MANY_ATTEMPTS_TRY_LATER : Access disabled"}},
            "TOO_MANY_ATTEMPTS_TRY_LATER",
        ),
        ({"error": {"code": 401, "status": "UNAUTHENTICATED"}}, "UNAUTHENTICATED"),
        ({"error": "invalid_grant"}, "invalid_grant"),
        ({"error": {"code": 500}}, ""),
        ({"error": 7}, ""),
        ([], ""),
        (None, ""),
    ],
)
def test_error_message(body: object, expected: str) -> None:
    assert error_message(body) == expected
