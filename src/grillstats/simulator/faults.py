"""Injected faults: the next N matching requests fail, stall or answer garbage.

A fault matches a request whose path starts with ``path_prefix`` (default: every path outside
the control API). Faults are consumed in the order they were added; each answers ``count``
requests and then disappears.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

GOOGLE_ERRORS: dict[int, tuple[str, str]] = {
    400: ("Request contains an invalid argument.", "INVALID_ARGUMENT"),
    401: (
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
        "cookie or other valid authentication credential.",
        "UNAUTHENTICATED",
    ),
    403: ("Missing or insufficient permissions.", "PERMISSION_DENIED"),
    404: ("Requested entity was not found.", "NOT_FOUND"),
    409: ("Aborted due to cross-transaction contention.", "ABORTED"),
    429: ("Quota exceeded.", "RESOURCE_EXHAUSTED"),
    500: ("Internal error encountered.", "INTERNAL"),
    502: ("Bad Gateway", "UNAVAILABLE"),
    503: ("The service is currently unavailable.", "UNAVAILABLE"),
    504: ("Deadline exceeded.", "DEADLINE_EXCEEDED"),
}


def google_error(
    code: int, message: str | None = None, status: str | None = None
) -> dict[str, Any]:
    """A Google API JSON error body: ``{"error": {"code", "message", "status"}}``."""
    default_message, default_status = GOOGLE_ERRORS.get(code, ("Unknown error.", "UNKNOWN"))
    return {
        "error": {
            "code": code,
            "message": message or default_message,
            "status": status or default_status,
        }
    }


@dataclass(kw_only=True)
class Fault:
    """One injected fault (see the module docstring)."""

    status: int | None = None
    count: int = 1
    path_prefix: str = "/"
    retry_after: float | None = None
    delay_seconds: float = 0.0
    malformed: bool = False
    scramble: bool = False
    """Answer normally, but with every document field given a wrong type."""
    body: Any = None
    """Answer this JSON instead (HTTP 200, or ``status``): any shape the cloud might send."""

    def __post_init__(self) -> None:
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        if self.count < 1:
            raise ValueError("count must be >= 1")
        if self.delay_seconds < 0 or (self.retry_after is not None and self.retry_after < 0):
            raise ValueError("delay_seconds and retry_after must be >= 0")
        if (
            self.status is None
            and self.body is None
            and not (self.malformed or self.scramble)
            and self.delay_seconds == 0
        ):
            raise ValueError(
                "a fault needs a status, a body, malformed: true, scramble: true or "
                "delay_seconds > 0"
            )
        if not self.path_prefix.startswith("/"):
            raise ValueError("path_prefix must start with '/'")

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {
            "status": self.status,
            "count": self.count,
            "path_prefix": self.path_prefix,
            "retry_after": self.retry_after,
            "delay_seconds": self.delay_seconds,
            "malformed": self.malformed,
            "scramble": self.scramble,
            "body": self.body,
        }


class FaultOptions(TypedDict, total=False):
    """A :class:`Fault`'s fields besides ``status``, as keyword arguments."""

    count: int
    path_prefix: str
    retry_after: float | None
    delay_seconds: float
    malformed: bool
    scramble: bool
    body: Any


class Faults:
    """The queue of pending faults."""

    def __init__(self) -> None:
        self._pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue a fault."""
        self._pending.append(fault)

    def clear(self) -> None:
        """Drop every pending fault."""
        self._pending.clear()

    def pending(self) -> list[Fault]:
        """The faults still waiting."""
        return list(self._pending)

    def take(self, path: str) -> Fault | None:
        """Consume one use of the first fault matching ``path``."""
        for fault in self._pending:
            if path.startswith(fault.path_prefix):
                fault.count -= 1
                if fault.count == 0:
                    self._pending.remove(fault)
                return fault
        return None


_WRONG: dict[str, Any] = {
    "stringValue": {"integerValue": "not-a-number"},
    "integerValue": {"stringValue": "twelve"},
    "doubleValue": {"doubleValue": "NaN"},
    "booleanValue": {"stringValue": "yes"},
    "timestampValue": {"timestampValue": "not a time"},
    "nullValue": {"booleanValue": "null"},
    "mapValue": {"mapValue": "not a map"},
    "arrayValue": {"arrayValue": {"values": "not a list"}},
}


def scramble(body: Any) -> Any:
    """Give every Firestore field in an answer a wrong type; keep names and structure."""
    if isinstance(body, list):
        return [scramble(item) for item in body]
    if not isinstance(body, dict):
        return body
    result: dict[str, Any] = {}
    for key, value in body.items():
        if key == "fields" and isinstance(value, dict):
            result[key] = {
                name: _WRONG.get(next(iter(typed), ""), typed) if isinstance(typed, dict) else typed
                for name, typed in value.items()
            }
        else:
            result[key] = scramble(value)
    return result
