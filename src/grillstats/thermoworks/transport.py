"""HTTP for the client: a timeout on every request, bounded retries, one error mapping.

Network failures, timeouts and 5xx answers are retried inside a poll with exponential backoff
and full jitter; a 429 is never retried here (the caller waits as long as the cloud asked).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Final

import aiohttp
from yarl import URL

from .errors import CloudConnectionError, ProtocolError, RateLimitedError

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT: Final = 15.0
"""Seconds for one request; the cloud usually answers in well under one."""


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How often and how patiently a failed request is tried again within one poll."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, retry: int, rng: random.Random) -> float:
        """Full-jitter exponential backoff for the ``retry``-th retry (0-based)."""
        return rng.uniform(0, min(self.max_delay, self.base_delay * (2**retry)))


@dataclass(frozen=True, kw_only=True)
class Response:
    """What a request gave back: status, decoded JSON (or ``None``), server time and headers."""

    status: int
    body: Any
    date: datetime | None
    headers: Mapping[str, str] = field(default_factory=dict)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Parse a ``Retry-After`` header: seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def error_message(body: object) -> str:
    """Google's error code (``INVALID_PASSWORD``), without the explanation some add after ' : '."""
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            message = error.get("message")
            if isinstance(message, str):
                return message.split(" : ", 1)[0].strip()
            status = error.get("status")
            if isinstance(status, str):
                return status
        if isinstance(error, str):
            return error
    return ""


class Transport:
    """Sends requests on the caller's session and counts them."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        rng: random.Random | None = None,
    ) -> None:
        """Use ``session`` (owned by the caller) for every request."""
        self._session = session
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._retry = retry or RetryPolicy()
        self._rng = rng or random.Random()  # jitter, not security
        self.requests = 0

    async def request(
        self,
        method: str,
        url: URL,
        *,
        headers: Mapping[str, str] | None = None,
        json_body: object = None,
    ) -> Response:
        """Send one request, retrying transient failures; 4xx answers are returned."""
        last_error = ""
        server_trouble = False
        for attempt in range(max(1, self._retry.attempts)):
            if attempt:
                await asyncio.sleep(self._retry.delay(attempt - 1, self._rng))
            try:
                response = await self._send(method, url, headers, json_body)
            except (aiohttp.ClientError, TimeoutError) as err:
                last_error, server_trouble = _description(err), False
                _LOGGER.debug("%s %s failed (%s)", method, url.path, last_error)
                continue
            if response.status == 429:
                raise RateLimitedError(
                    "ThermoWorks Cloud is rate limiting requests; polling pauses as long as "
                    "it asks and resumes by itself",
                    retry_after_seconds(response.headers.get("Retry-After")),
                )
            if response.status >= 500:
                last_error = f"HTTP {response.status} {error_message(response.body)}".strip()
                server_trouble = True
                _LOGGER.debug("%s %s answered %s", method, url.path, last_error)
                continue
            return response
        if server_trouble:
            raise CloudConnectionError(
                f"ThermoWorks Cloud is having trouble ({last_error}); nothing to do on this "
                "side: it is retried at the next poll."
            )
        raise CloudConnectionError(
            f"ThermoWorks Cloud could not be reached ({last_error}); check the internet "
            "connection. It is retried at the next poll."
        )

    async def _send(
        self, method: str, url: URL, headers: Mapping[str, str] | None, json_body: object
    ) -> Response:
        self.requests += 1
        async with self._session.request(
            method, url, headers=headers, json=json_body, timeout=self._timeout
        ) as response:
            try:
                text = await response.text()
            except UnicodeDecodeError:
                raise ProtocolError(
                    f"ThermoWorks Cloud sent an answer that is not text ({url.path}); if it "
                    "persists, report it with a debug log"
                ) from None
            body: Any = None
            if text:
                try:
                    body = json.loads(text)
                except ValueError:
                    if response.status < 400:
                        raise ProtocolError(
                            f"ThermoWorks Cloud sent an answer that is not JSON ({url.path}); "
                            "if it persists, report it with a debug log"
                        ) from None
            date_header = response.headers.get("Date")
            date: datetime | None = None
            if date_header:
                try:
                    date = parsedate_to_datetime(date_header).astimezone(UTC)
                except (TypeError, ValueError):
                    date = None
            # The path only: the query holds the app key, bodies hold credentials and tokens.
            _LOGGER.debug("%s %s answered HTTP %s", method, url.path, response.status)
            return Response(
                status=response.status, body=body, date=date, headers=dict(response.headers)
            )


def _description(err: BaseException) -> str:
    if isinstance(err, TimeoutError):
        return "timed out"
    return str(err) or type(err).__name__
