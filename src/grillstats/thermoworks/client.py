"""The ThermoWorks Cloud client: one request per steady-state poll.

Request plan (see docs/client.md):

* first poll: sign in, read ``users/{uid}`` (the account id), list devices with ``runQuery``,
  then one ``batchGet`` for their channels;
* steady state: ONE ``batchGet`` asking for every device, its known channels and the next
  channel number of each device, so a newly plugged channel is found for free
  (:mod:`~grillstats.thermoworks.roster`);
* every ``device_list_interval`` (30 min by default) the device list is read again to find
  devices added to the account; removed devices show up at once as ``missing``;
* if ``batchGet`` is refused (HTTP 400, 403, 404, 405 or 501) the client falls back to one
  GET per document, and tries ``batchGet`` again at the next device-list read
  (:mod:`~grillstats.thermoworks.documents`);
* a device is forgotten only when the cloud says it is gone (``missing`` or 404); one whose
  documents cannot be read this poll is reported in ``Snapshot.unreadable``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import aiohttp

from .auth import Authenticator
from .documents import DocumentReader
from .errors import CloudConnectionError, ProtocolError
from .models import Account, Device, Snapshot
from .parse import parse_account, parse_device
from .providers import THERMOWORKS, Provider
from .roster import EXPECTED_CHANNELS, MAX_CHANNELS, DeviceRoster
from .transport import DEFAULT_TIMEOUT, RetryPolicy, Transport

_LOGGER = logging.getLogger(__name__)

DEVICE_LIST_INTERVAL: Final = timedelta(minutes=30)
"""How often the device list is read again to find new devices (removals show at once)."""
POLL_TIMEOUT: Final = 90.0
"""Seconds one whole poll may take, retries included: a slow cloud costs a poll, not minutes."""


class ThermoworksClient:
    """Polls one ThermoWorks (or ETI, or simulated) account on the caller's aiohttp session."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        email: str,
        password: str,
        *,
        provider: Provider = THERMOWORKS,
        request_timeout: float = DEFAULT_TIMEOUT,
        poll_timeout: float = POLL_TIMEOUT,
        retry: RetryPolicy | None = None,
        device_list_interval: timedelta = DEVICE_LIST_INTERVAL,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Nothing is sent until the first call."""
        self._provider = provider
        self._transport = Transport(session, timeout=request_timeout, retry=retry, rng=rng)
        self._auth = Authenticator(self._transport, provider, email, password, clock=clock)
        self._clock = clock
        self._poll_timeout = poll_timeout
        self._list_interval = device_list_interval.total_seconds()
        self._reader = DocumentReader(self._transport, self._auth, provider)
        self._roster = DeviceRoster()
        self._account: Account | None = None
        self._listed_at: float | None = None
        self._lock = asyncio.Lock()

    @property
    def provider(self) -> Provider:
        """Where this client connects."""
        return self._provider

    @property
    def account(self) -> Account | None:
        """The signed-in account, once known."""
        return self._account

    @property
    def requests(self) -> int:
        """HTTP requests sent so far."""
        return self._transport.requests

    @property
    def uses_batch_get(self) -> bool:
        """Whether polls use ``batchGet`` (``False`` after the cloud refused it)."""
        return self._reader.uses_batch_get

    def refresh_devices(self) -> None:
        """Read the device list again at the next poll."""
        self._listed_at = None

    async def async_login(self) -> Account:
        """Sign in and read the account: checks the credentials and gives the account id."""
        async with self._lock:
            return await self._run_within_budget(self._login())

    async def async_get_snapshot(self) -> Snapshot:
        """Poll the account: every device with its channels."""
        async with self._lock:
            return await self._run_within_budget(self._poll())

    async def _run_within_budget[T](self, work: Coroutine[Any, Any, T]) -> T:
        try:
            async with asyncio.timeout(self._poll_timeout):
                return await work
        except TimeoutError:
            raise CloudConnectionError(
                f"ThermoWorks Cloud did not answer within {self._poll_timeout:g} s; check the "
                "internet connection. It is retried at the next poll."
            ) from None

    async def _poll(self) -> Snapshot:
        start = self._transport.requests
        account = self._account or await self._login()
        if self._listed_at is None or self._clock() - self._listed_at >= self._list_interval:
            listed, cloud_time = await self._list_devices(account)
        else:
            listed, cloud_time = {}, None
        devices, read_time = await self._roster.read(self._reader, listed)
        cloud_time = read_time or cloud_time or datetime.now(UTC)
        parsed: dict[str, Device] = {}
        unreadable = set(self._roster.serials) - devices.keys()
        for serial, (device_doc, channel_docs) in devices.items():
            try:
                parsed[serial] = parse_device(device_doc, channel_docs, cloud_time=cloud_time)
            except ProtocolError as err:
                # One bad document costs that device this poll, not the whole account.
                _LOGGER.debug("device %s is unreadable this poll: %s", serial, err)
                unreadable.add(serial)
        return Snapshot(
            account=account,
            devices=parsed,
            unreadable=frozenset(unreadable),
            cloud_time=cloud_time,
            requests=self._transport.requests - start,
        )

    # -- account and device list ---------------------------------------------------------

    async def _login(self) -> Account:
        await self._auth.sign_in()
        await self._reader.resolve_project()
        uid = self._auth.uid
        if uid is None:  # pragma: no cover - sign_in sets it or raises
            raise ProtocolError("ThermoWorks sign-in answered without a user id")
        profile = await self._reader.read_user(uid)
        self._account = parse_account(uid, self._auth.email, profile)
        return self._account

    async def _list_devices(self, account: Account) -> tuple[dict[str, object], datetime | None]:
        documents, read_time = await self._reader.list_devices(account.account_id)
        self._roster.update(documents)
        self._listed_at = self._clock()
        self._reader.retry_batch_get()  # a refusal may have been passing: ask again
        return documents, read_time


__all__ = [
    "DEVICE_LIST_INTERVAL",
    "EXPECTED_CHANNELS",
    "MAX_CHANNELS",
    "POLL_TIMEOUT",
    "ThermoworksClient",
]
