"""Firestore reads as the signed-in user: documents by path, the device list, the user profile.

Every request carries a valid id token (renewed after a 401). Documents are read with one
``batchGet``; if the cloud refuses it (HTTP 400, 403, 404, 405 or 501) they are read with one
GET each until :meth:`DocumentReader.retry_batch_get` says to try the batch again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from urllib.parse import quote

from yarl import URL

from .auth import Authenticator
from .errors import ProtocolError
from .firestore import parse_timestamp
from .parse import device_serial, document_segments
from .providers import Provider, documents_path
from .transport import Response, Transport, error_message

_LOGGER = logging.getLogger(__name__)

BATCH_REFUSED: Final = frozenset({400, 403, 404, 405, 501})
"""Statuses that mean "no ``batchGet`` here", not "this read failed"."""

type DocumentPath = tuple[str, ...]
"""A document's path below the database root, e.g. ``("devices", serial, "channels", "1")``."""


@dataclass(frozen=True, kw_only=True)
class Fetched:
    """What one read gave back."""

    found: Mapping[DocumentPath, object] = field(default_factory=dict)
    missing: frozenset[DocumentPath] = frozenset()
    """Paths the cloud says do not exist (as opposed to answers that could not be read)."""
    read_time: datetime | None = None
    """The cloud's clock at the read (``readTime``, or the ``Date`` of the GETs)."""


def device_list_query(account_id: str) -> dict[str, object]:
    """The ``runQuery`` body that lists an account's devices, in a stable order."""
    return {
        "structuredQuery": {
            "from": [{"collectionId": "devices"}],
            "where": {
                "fieldFilter": {
                    "field": {"fieldPath": "accountId"},
                    "op": "EQUAL",
                    "value": {"stringValue": account_id},
                }
            },
            "orderBy": [{"field": {"fieldPath": "__name__"}, "direction": "ASCENDING"}],
        }
    }


def latest(first: datetime | None, second: datetime | None) -> datetime | None:
    """The later of two optional times (``None`` where neither is known)."""
    if first is None:
        return second
    if second is None:
        return first
    return max(first, second)


class DocumentReader:
    """Reads one account's Firestore documents with the tokens of its :class:`Authenticator`."""

    def __init__(self, transport: Transport, auth: Authenticator, provider: Provider) -> None:
        """Nothing is sent until the first read."""
        self._transport = transport
        self._auth = auth
        self._provider = provider
        self._project_id = provider.project_id
        self._batch_supported = True

    @property
    def uses_batch_get(self) -> bool:
        """Whether reads use ``batchGet`` (``False`` after the cloud refused it)."""
        return self._batch_supported

    def retry_batch_get(self) -> None:
        """Use ``batchGet`` again at the next read: a refusal may have been passing."""
        self._batch_supported = True

    async def resolve_project(self) -> None:
        """Ask the cloud's web configuration for the project id, unless the provider has one."""
        if self._project_id is not None:
            return
        response = await self._transport.request(
            "GET",
            self._provider.web_config_url,
            headers={"x-goog-api-key": self._provider.api_key, "Referer": self._provider.referer},
        )
        project = response.body.get("projectId") if isinstance(response.body, Mapping) else None
        if response.status != 200 or not isinstance(project, str) or not project:
            raise ProtocolError("the cloud's web configuration has no project id")
        self._project_id = project

    async def read_user(self, uid: str) -> object:
        """Read the ``users/{uid}`` document."""
        response = await self._request("GET", f"/users/{quote(uid, safe='')}")
        if response.status != 200:
            raise _unexpected_answer(response, "reading the user profile")
        return response.body

    async def list_devices(self, account_id: str) -> tuple[dict[str, object], datetime | None]:
        """Read the account's device documents (by serial) and the cloud's time of the read."""
        response = await self._request("POST", ":runQuery", device_list_query(account_id))
        if response.status != 200:
            raise _unexpected_answer(response, "listing the devices")
        if not isinstance(response.body, list):
            raise ProtocolError("the device list is not a list")
        documents: dict[str, object] = {}
        read_time: datetime | None = None
        for element in response.body:
            if not isinstance(element, Mapping):
                continue
            read_time = latest(read_time, parse_timestamp(element.get("readTime")))
            document = element.get("document")
            if document is None:
                continue
            try:
                serial = device_serial(document)
            except ProtocolError:
                _LOGGER.debug("skipping a device document without a usable name")
                continue
            documents[serial] = document
        return documents, read_time

    async def read(self, paths: Sequence[DocumentPath]) -> Fetched:
        """Read the documents at ``paths``: one ``batchGet``, else one GET each."""
        if not paths:
            return Fetched()
        if self._batch_supported:
            fetched = await self._batch_get(paths)
            if fetched is not None:
                return fetched
        return await self._get_each(paths)

    async def _batch_get(self, paths: Sequence[DocumentPath]) -> Fetched | None:
        """One ``batchGet``; ``None`` when the cloud refuses the method itself."""
        root = documents_path(self._project())
        names = [f"{root}/{'/'.join(path)}" for path in paths]
        response = await self._request("POST", ":batchGet", {"documents": names})
        if response.status in BATCH_REFUSED:
            _LOGGER.info(
                "ThermoWorks Cloud refused batchGet (HTTP %s %s); using one request per "
                "document until the device list is read again",
                response.status,
                error_message(response.body),
            )
            self._batch_supported = False
            return None
        if response.status != 200:
            raise _unexpected_answer(response, "reading the devices")
        if not isinstance(response.body, list):
            raise ProtocolError("the batchGet answer is not a list")
        found: dict[DocumentPath, object] = {}
        missing: set[DocumentPath] = set()
        read_time: datetime | None = None
        prefix = f"{root}/"
        for element in response.body:
            if not isinstance(element, Mapping):
                continue
            read_time = latest(read_time, parse_timestamp(element.get("readTime")))
            document = element.get("found")
            gone = element.get("missing")
            if isinstance(document, Mapping):
                try:
                    found[tuple(document_segments(document))] = document
                except ProtocolError:
                    continue
            elif isinstance(gone, str) and gone.startswith(prefix):
                missing.add(tuple(gone.removeprefix(prefix).split("/")))
        return Fetched(found=found, missing=frozenset(missing), read_time=read_time)

    async def _get_each(self, paths: Sequence[DocumentPath]) -> Fetched:
        found: dict[DocumentPath, object] = {}
        missing: set[DocumentPath] = set()
        date: datetime | None = None
        for path in paths:
            response = await self._request("GET", "/" + "/".join(quote(p, safe="") for p in path))
            date = latest(date, response.date)
            if response.status == 404:
                missing.add(path)
            elif response.status != 200:
                raise _unexpected_answer(response, "reading a device")
            elif isinstance(response.body, Mapping):
                found[path] = response.body
        return Fetched(found=found, missing=frozenset(missing), read_time=date)

    def _project(self) -> str:
        if self._project_id is None:  # pragma: no cover - the client resolves it at sign-in
            raise ProtocolError("no project id")
        return self._project_id

    async def _request(self, method: str, suffix: str, body: object = None) -> Response:
        """Send a Firestore request (``suffix`` after the database root) with a valid token.

        After a 401 the token is renewed (refresh) and the request tried again; after a
        second, the client signs in afresh with the password and tries once more. A wrong
        password raises :class:`AuthenticationError` from that sign-in; a token refused
        even then is the cloud's trouble, not the user's, so it is not an auth error.
        """
        base = self._provider.firestore_url.rstrip("/")
        url = URL(f"{base}/v1/{documents_path(self._project())}{suffix}", encoded=True)
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


def _unexpected_answer(response: Response, doing: str) -> ProtocolError:
    return ProtocolError(
        f"ThermoWorks Cloud answered HTTP {response.status} "
        f"{error_message(response.body)} while {doing}; if it persists, report it with a "
        "debug log".replace("  ", " ")
    )
