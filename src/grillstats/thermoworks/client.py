"""The ThermoWorks Cloud client: one request per steady-state poll.

Request plan (see docs/client.md):

* first poll: sign in, read ``users/{uid}`` (the account id), list devices with ``runQuery``,
  then one ``batchGet`` for their channels;
* steady state: ONE ``batchGet`` asking for every device, its known channels and the next
  channel number of each device, so a newly plugged channel is found for free;
* every ``device_list_interval`` (30 min by default) the device list is read again to find
  devices added to the account; removed devices show up at once as ``missing``;
* if ``batchGet`` is refused (403/404/400) the client falls back to one GET per document,
  and tries ``batchGet`` again at the next device-list read;
* a device is forgotten only when the cloud says it is gone (``missing`` or 404); one whose
  documents cannot be read this poll is reported in ``Snapshot.unreadable``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from urllib.parse import quote

import aiohttp
from yarl import URL

from .auth import Authenticator
from .errors import CloudConnectionError, ProtocolError
from .firestore import parse_timestamp
from .models import Account, Device, Snapshot
from .parse import device_serial, document_segments, parse_account, parse_device
from .providers import THERMOWORKS, Provider, documents_path
from .transport import DEFAULT_TIMEOUT, Response, RetryPolicy, Transport, error_message

_LOGGER = logging.getLogger(__name__)

DEVICE_LIST_INTERVAL: Final = timedelta(minutes=30)
"""How often the device list is read again to find new devices (removals show at once)."""
POLL_TIMEOUT: Final = 90.0
"""Seconds one whole poll may take, retries included: a slow cloud costs a poll, not minutes."""
MAX_CHANNELS: Final = 16
"""No ThermoWorks device has more; a bound on channel discovery."""
EXPECTED_CHANNELS: Final = {"signals": 4, "smoke": 2, "rfx meat": 4, "rfx gateway": 1, "node": 2}
"""Channels to ask for on a device's first read; more are discovered, fewer are dropped."""
_BATCH_REFUSED: Final = frozenset({400, 403, 404, 405, 501})

type _Fetched = tuple[dict[tuple[str, ...], object], set[tuple[str, ...]], datetime | None]
"""Documents found (by path), paths the cloud says do not exist, and the read time."""


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
        self._project_id = provider.project_id
        self._account: Account | None = None
        self._channel_counts: dict[str, int] = {}
        self._models: dict[str, str] = {}
        self._listed_at: float | None = None
        self._batch_supported = True
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
        return self._batch_supported

    def refresh_devices(self) -> None:
        """Read the device list again at the next poll."""
        self._listed_at = None

    async def async_login(self) -> Account:
        """Sign in and read the account: checks the credentials and gives the account id."""
        async with self._lock:
            return await self._within_budget(self._login())

    async def async_get_snapshot(self) -> Snapshot:
        """Poll the account: every device with its channels."""
        async with self._lock:
            return await self._within_budget(self._poll())

    async def _within_budget[T](self, work: Coroutine[Any, Any, T]) -> T:
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
            documents, cloud_time = await self._list_devices(account)
        else:
            documents, cloud_time = {}, None
        devices, read_time = await self._read(documents)
        cloud_time = read_time or cloud_time or datetime.now(UTC)
        parsed: dict[str, Device] = {}
        unreadable = set(self._channel_counts) - devices.keys()
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
        if self._project_id is None:
            await self._resolve_project()
        uid = self._auth.uid
        if uid is None:  # pragma: no cover - sign_in sets it or raises
            raise ProtocolError("ThermoWorks sign-in answered without a user id")
        response = await self._firestore("GET", self._url(f"/users/{quote(uid, safe='')}"))
        if response.status != 200:
            raise _unexpected(response, "reading the user profile")
        self._account = parse_account(uid, self._auth.email, response.body)
        return self._account

    async def _resolve_project(self) -> None:
        response = await self._transport.request(
            "GET",
            self._provider.web_config_url,
            headers={"x-goog-api-key": self._provider.api_key, "Referer": self._provider.referer},
        )
        project = response.body.get("projectId") if isinstance(response.body, Mapping) else None
        if response.status != 200 or not isinstance(project, str) or not project:
            raise ProtocolError("the cloud's web configuration has no project id")
        self._project_id = project

    async def _list_devices(self, account: Account) -> tuple[dict[str, object], datetime | None]:
        query = {
            "structuredQuery": {
                "from": [{"collectionId": "devices"}],
                "where": {
                    "fieldFilter": {
                        "field": {"fieldPath": "accountId"},
                        "op": "EQUAL",
                        "value": {"stringValue": account.account_id},
                    }
                },
                "orderBy": [{"field": {"fieldPath": "__name__"}, "direction": "ASCENDING"}],
            }
        }
        response = await self._firestore("POST", self._url(":runQuery"), query)
        if response.status != 200:
            raise _unexpected(response, "listing the devices")
        if not isinstance(response.body, list):
            raise ProtocolError("the device list is not a list")
        documents: dict[str, object] = {}
        read_time: datetime | None = None
        for element in response.body:
            if not isinstance(element, Mapping):
                continue
            read_time = _later(read_time, parse_timestamp(element.get("readTime")))
            document = element.get("document")
            if document is None:
                continue
            try:
                serial = device_serial(document)
            except ProtocolError:
                _LOGGER.debug("skipping a device document without a usable name")
                continue
            documents[serial] = document
        for gone in set(self._channel_counts) - set(documents):
            self._forget(gone)
        for serial, document in documents.items():
            self._models[serial] = _model_of(document)
            self._channel_counts.setdefault(serial, 0)
        self._listed_at = self._clock()
        self._batch_supported = True  # a refusal may have been passing: ask again
        return documents, read_time

    def _forget(self, serial: str) -> None:
        self._channel_counts.pop(serial, None)
        self._models.pop(serial, None)

    # -- reading devices and channels ----------------------------------------------------

    async def _read(
        self, listed: dict[str, object]
    ) -> tuple[dict[str, tuple[object, dict[str, object]]], datetime | None]:
        """Fetch device documents (unless just listed) and every channel, discovering new ones."""
        devices: dict[str, tuple[object, dict[str, object]]] = {}
        read_time: datetime | None = None
        for serial in self._channel_counts:
            if serial in listed:
                devices[serial] = (listed[serial], {})
        wanted: dict[str, list[str]] = {
            serial: self._channels_to_ask(serial) for serial in self._channel_counts
        }
        ask_devices = [serial for serial in self._channel_counts if serial not in listed]
        for _ in range(MAX_CHANNELS):
            found, missing, batch_time = await self._fetch(ask_devices, wanted)
            read_time = _later(read_time, batch_time)
            for serial in ask_devices:
                document = found.get(("devices", serial))
                if document is not None:
                    devices[serial] = (document, {})
                elif ("devices", serial) in missing:
                    self._forget(serial)  # the device left the account
                    wanted.pop(serial, None)
                # else: an answer we could not read; the device stays known (unreadable).
            more: dict[str, list[str]] = {}
            for serial, numbers in wanted.items():
                if serial not in devices:
                    continue
                channel_docs = devices[serial][1]
                for number in numbers:
                    if (document := found.get(("devices", serial, "channels", number))) is not None:
                        channel_docs[number] = document
                count = _contiguous(channel_docs)
                self._channel_counts[serial] = count
                # Every channel asked for exists, the "next" one included: look further.
                if numbers and count >= int(numbers[-1]) and count < MAX_CHANNELS:
                    more[serial] = [str(count + 1)]
            if not more:
                break
            wanted, ask_devices = more, []
        return devices, read_time

    def _channels_to_ask(self, serial: str) -> list[str]:
        count = self._channel_counts.get(serial, 0)
        if count == 0:
            count = EXPECTED_CHANNELS.get(self._models.get(serial, ""), 1)
        return [str(number) for number in range(1, min(count, MAX_CHANNELS) + 2)]

    async def _fetch(self, devices: Iterable[str], channels: Mapping[str, list[str]]) -> _Fetched:
        paths: list[tuple[str, ...]] = [("devices", serial) for serial in devices]
        paths += [
            ("devices", serial, "channels", number)
            for serial, numbers in channels.items()
            for number in numbers
        ]
        if not paths:
            return {}, set(), None
        if self._batch_supported:
            result = await self._batch_get(paths)
            if result is not None:
                return result
        return await self._get_each(paths)

    async def _batch_get(self, paths: list[tuple[str, ...]]) -> _Fetched | None:
        root = documents_path(self._project())
        names = [f"{root}/{'/'.join(path)}" for path in paths]
        response = await self._firestore("POST", self._url(":batchGet"), {"documents": names})
        if response.status in _BATCH_REFUSED:
            _LOGGER.info(
                "ThermoWorks Cloud refused batchGet (HTTP %s %s); using one request per "
                "document until the device list is read again",
                response.status,
                error_message(response.body),
            )
            self._batch_supported = False
            return None
        if response.status != 200:
            raise _unexpected(response, "reading the devices")
        if not isinstance(response.body, list):
            raise ProtocolError("the batchGet answer is not a list")
        found: dict[tuple[str, ...], object] = {}
        missing: set[tuple[str, ...]] = set()
        read_time: datetime | None = None
        prefix = f"{root}/"
        for element in response.body:
            if not isinstance(element, Mapping):
                continue
            read_time = _later(read_time, parse_timestamp(element.get("readTime")))
            document = element.get("found")
            gone = element.get("missing")
            if isinstance(document, Mapping):
                try:
                    found[tuple(document_segments(document))] = document
                except ProtocolError:
                    continue
            elif isinstance(gone, str) and gone.startswith(prefix):
                missing.add(tuple(gone.removeprefix(prefix).split("/")))
        return found, missing, read_time

    async def _get_each(self, paths: list[tuple[str, ...]]) -> _Fetched:
        found: dict[tuple[str, ...], object] = {}
        missing: set[tuple[str, ...]] = set()
        date: datetime | None = None
        for path in paths:
            response = await self._firestore(
                "GET", self._url("/" + "/".join(quote(part, safe="") for part in path))
            )
            date = _later(date, response.date)
            if response.status == 404:
                missing.add(path)
            elif response.status != 200:
                raise _unexpected(response, "reading a device")
            elif isinstance(response.body, Mapping):
                found[path] = response.body
        return found, missing, date

    # -- plumbing ------------------------------------------------------------------------

    def _project(self) -> str:
        if self._project_id is None:  # pragma: no cover - _login resolves it first
            raise ProtocolError("no project id")
        return self._project_id

    def _url(self, suffix: str) -> URL:
        base = self._provider.firestore_url.rstrip("/")
        return URL(f"{base}/v1/{documents_path(self._project())}{suffix}", encoded=True)

    async def _firestore(self, method: str, url: URL, body: object = None) -> Response:
        """A Firestore request with a valid token.

        After a 401 the token is renewed (refresh) and the request tried again; after a
        second, the client signs in afresh with the password and tries once more. A wrong
        password raises :class:`AuthenticationError` from that sign-in; a token refused
        even then is the cloud's trouble, not the user's, so it is not an auth error.
        """
        url = url.update_query(key=self._provider.api_key)
        renewals = (self._auth.token, self._auth.renew, self._auth.sign_in_again)
        for get_token in renewals:
            token = await get_token()
            response = await self._transport.request(
                method, url, headers={"Authorization": f"Bearer {token}"}, json_body=body
            )
            if response.status != 401:
                return response
        raise ProtocolError(
            "ThermoWorks Cloud accepted the sign-in but refuses its own fresh token "
            f"({error_message(response.body) or 'HTTP 401'}); it is retried at the next poll. "
            "If it persists, report it with a debug log"
        )


def _model_of(document: object) -> str:
    fields: Any = document.get("fields") if isinstance(document, Mapping) else None
    model = fields.get("device") if isinstance(fields, Mapping) else None
    value = model.get("stringValue") if isinstance(model, Mapping) else None
    return value.strip().lower() if isinstance(value, str) else ""


def _contiguous(channel_docs: Mapping[str, object]) -> int:
    count = 0
    while str(count + 1) in channel_docs:
        count += 1
    return count


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None:
        return second
    if second is None:
        return first
    return max(first, second)


def _unexpected(response: Response, doing: str) -> ProtocolError:
    return ProtocolError(
        f"ThermoWorks Cloud answered HTTP {response.status} "
        f"{error_message(response.body)} while {doing}; if it persists, report it with a "
        "debug log".replace("  ", " ")
    )


__all__ = ["ThermoworksClient"]
