"""Pieces of the transport that need no server: Retry-After parsing, backoff, error codes."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from grillstats.thermoworks.transport import RetryPolicy, error_message, retry_after_seconds

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


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"error": {"message": "TOO_MANY_ATTEMPTS_TRY_LATER : Access disabled"}},
            "TOO_MANY_ATTEMPTS_TRY_LATER",
        ),
        ({"error": {"code": 401, "status": "UNAUTHENTICATED"}}, "UNAUTHENTICATED"),
        ({"error": "invalid_grant"}, "invalid_grant"),
        ([], ""),
        (None, ""),
    ],
)
def test_error_message(body: object, expected: str) -> None:
    assert error_message(body) == expected
