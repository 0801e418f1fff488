"""Firestore REST under ``/v1/projects/{pid}/databases/(default)/documents``.

Supported: ``GET documents/users/{uid}``, ``GET documents/devices/{serial}``,
``GET documents/devices/{serial}/channels/{n}``, ``POST documents:runQuery`` (the device-list
query) and ``POST documents:batchGet``. Security rules as the real app needs them: a user reads
its own user document and its account's devices and channels; anything else is
``PERMISSION_DENIED``. Path segments are percent-decoded (``FC%3AE8...`` = ``FC:E8...``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import web

from ..thermoworks.firestore import format_timestamp
from ..thermoworks.providers import documents_path
from .documents import channel_document, device_document, user_document
from .responses import BAD_KEY, google_response, key_ok, sim_of

if TYPE_CHECKING:
    from .auth import Account
    from .cloud import SimulatedCloud

UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential."
)
FILTER_OPS = {
    "LESS_THAN",
    "LESS_THAN_OR_EQUAL",
    "GREATER_THAN",
    "GREATER_THAN_OR_EQUAL",
    "EQUAL",
    "NOT_EQUAL",
    "ARRAY_CONTAINS",
    "IN",
    "ARRAY_CONTAINS_ANY",
    "NOT_IN",
}


class FirestoreError(Exception):
    """An error answer (status, message)."""

    def __init__(self, code: int, message: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _denied() -> FirestoreError:
    return FirestoreError(403, "Missing or insufficient permissions.")


def lookup(sim: SimulatedCloud, account: Account, path: list[str]) -> dict[str, Any] | None:
    """The document at ``path`` (segments after ``documents``), ``None`` if absent.

    Raises :class:`FirestoreError` (403) where the security rules refuse the read.
    """
    if len(path) == 2 and path[0] == "users":
        if path[1] != account.uid:
            raise _denied()
        mine = sim.devices(account.account_id)
        return user_document(sim.project_id, account, mine, sim.started_at)
    if path[:1] != ["devices"] or len(path) not in (2, 4) or path[2:3] not in ([], ["channels"]):
        raise _denied()
    device = sim.devices_by_serial().get(path[1])
    if device is None:
        return None
    if device.account_id != account.account_id:
        raise _denied()
    if len(path) == 2:
        return device_document(sim.project_id, device)
    channel = device.channel(path[3])
    return None if channel is None else channel_document(sim.project_id, device, channel)


def _not_found(name: str) -> FirestoreError:
    return FirestoreError(404, f'Document "{name}" not found.')


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise FirestoreError(400, "Invalid JSON payload received. Expected a JSON object.")
    return body


def _query_account(query: object) -> tuple[str, bool, int | None]:
    """Validate the device-list structured query; return (accountId, descending, limit)."""
    if not isinstance(query, dict):
        raise FirestoreError(400, "Invalid JSON payload: 'structuredQuery' must be an object.")
    sources = query.get("from")
    if not isinstance(sources, list) or len(sources) != 1 or not isinstance(sources[0], dict):
        raise FirestoreError(400, "Invalid query: 'from' must name exactly one collection.")
    if sources[0].get("collectionId") != "devices" or sources[0].get("allDescendants"):
        raise _denied()
    where = query.get("where")
    fil = where.get("fieldFilter") if isinstance(where, dict) else None
    if where is not None and not isinstance(fil, dict):
        raise FirestoreError(400, "Invalid query: only a single 'fieldFilter' is supported.")
    if fil is None:
        raise _denied()  # the rules only allow listing one's own account
    field = fil.get("field")
    op = fil.get("op")
    value = fil.get("value")
    if not isinstance(field, dict) or not isinstance(value, dict) or op not in FILTER_OPS:
        raise FirestoreError(400, "Invalid query: a fieldFilter needs field, op and value.")
    if field.get("fieldPath") != "accountId" or op != "EQUAL":
        raise _denied()
    account_id = value.get("stringValue")
    if not isinstance(account_id, str):
        raise _denied()
    descending = False
    for order in query.get("orderBy") or []:
        if not isinstance(order, dict) or order.get("field", {}).get("fieldPath") != "__name__":
            raise FirestoreError(400, "The simulator only orders by __name__.")
        direction = order.get("direction", "ASCENDING")
        if direction not in ("ASCENDING", "DESCENDING"):
            raise FirestoreError(400, f"Invalid value at 'direction': {direction!r}")
        descending = direction == "DESCENDING"
    limit = query.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise FirestoreError(400, "Invalid value at 'limit': must be a non-negative integer.")
    return account_id, descending, limit


async def run_query(request: web.Request, account: Account) -> list[dict[str, Any]]:
    """``documents:runQuery`` for the device list."""
    sim = sim_of(request)
    body = await _body(request)
    account_id, descending, limit = _query_account(body.get("structuredQuery"))
    if account_id != account.account_id:
        raise _denied()
    read_time = format_timestamp(sim.now())
    docs = sorted(
        (device_document(sim.project_id, d) for d in sim.devices(account_id)),
        key=lambda doc: doc["name"],
        reverse=descending,
    )
    if limit is not None:
        docs = docs[:limit]
    if not docs:
        return [{"readTime": read_time}]
    return [{"document": doc, "readTime": read_time} for doc in docs]


async def batch_get(request: web.Request, account: Account) -> list[dict[str, Any]]:
    """``documents:batchGet``: one found/missing element per requested name, in order."""
    sim = sim_of(request)
    body = await _body(request)
    names = body.get("documents")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise FirestoreError(400, "'documents' must be a non-empty list of document names.")
    root = documents_path(sim.project_id) + "/"
    results: list[dict[str, Any]] = []
    read_time = format_timestamp(sim.now())
    for name in names:
        if not name.startswith(root) or len(name) == len(root):
            raise FirestoreError(
                400, f'Document name "{name}" is not in project "{sim.project_id}".'
            )
        path = name[len(root) :].split("/")
        if len(path) % 2:
            raise FirestoreError(400, f'Document name "{name}" names a collection.')
        found = lookup(sim, account, path)
        if found is None:
            results.append({"missing": name, "readTime": read_time})
        else:
            results.append({"found": found, "readTime": read_time})
    return results


def _authenticate(request: web.Request) -> Account:
    sim = sim_of(request)
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    account = None
    if scheme.lower() == "bearer" and token.strip():
        account = sim.accounts.check_id_token(token.strip(), sim.now())
    if account is None:
        raise FirestoreError(401, UNAUTHENTICATED)
    return account


async def _dispatch(request: web.Request) -> Any:
    sim = sim_of(request)
    account = _authenticate(request)
    raw = request.rel_url.raw_path[len("/v1/projects/") :]
    parts = [unquote(part) for part in raw.split("/")]
    if len(parts) < 4 or parts[1] != "databases" or parts[0] != sim.project_id:
        raise FirestoreError(
            404,
            f"The project {parts[0]} does not exist or it does not contain an active Cloud "
            "Datastore or Cloud Firestore database.",
        )
    if parts[2] != "(default)":
        raise FirestoreError(404, f"The database {parts[2]} does not exist for project {parts[0]}")
    head, path = parts[3], parts[4:]
    if request.method == "POST" and not path and head == "documents:runQuery":
        return await run_query(request, account)
    if request.method == "POST" and not path and head == "documents:batchGet":
        return await batch_get(request, account)
    if request.method != "GET" or head != "documents" or not path or len(path) % 2:
        raise FirestoreError(404 if request.method == "GET" else 400)
    document = lookup(sim, account, path)
    if document is None:
        raise _not_found(f"{documents_path(sim.project_id)}/{'/'.join(path)}")
    return document


async def handle_firestore(request: web.Request) -> web.Response:
    """Every Firestore request."""
    if not key_ok(request, required=False):
        return google_response(400, BAD_KEY, "INVALID_ARGUMENT")
    try:
        return web.json_response(await _dispatch(request))
    except FirestoreError as err:
        return google_response(err.code, err.message)
