"""Firestore's typed values: tolerant readers for the client, an encoder for the simulator.

Every Firestore field is a one-key wrapper such as ``{"integerValue": "100"}``. Numbers arrive
as ``integerValue`` (a string), ``doubleValue`` (a number, or "NaN"/"Infinity" strings) or even
``stringValue`` (``gatewayRSSI: "-55"``). The readers below never raise on a wrong or missing
field: they return ``None``, so one odd field cannot cost the rest of a document. Structural
problems (a document that is not an object) raise :class:`ProtocolError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .errors import ProtocolError

type Fields = Mapping[str, Any]
"""A document's ``fields`` object: field name to typed wrapper, as received."""


def document_fields(document: object) -> Fields:
    """Return a document's ``fields``; a document without fields has none."""
    if not isinstance(document, Mapping):
        raise ProtocolError(f"expected a Firestore document object, got {type(document).__name__}")
    fields = document.get("fields", {})
    if not isinstance(fields, Mapping):
        raise ProtocolError("a Firestore document's 'fields' is not an object")
    return fields


def document_id(document: object) -> str:
    """Return the last path segment of a document's ``name``."""
    if not isinstance(document, Mapping):
        raise ProtocolError(f"expected a Firestore document object, got {type(document).__name__}")
    name = document.get("name")
    if not isinstance(name, str) or not name.strip("/"):
        raise ProtocolError("a Firestore document has no 'name'")
    return name.rstrip("/").rsplit("/", 1)[-1]


def _wrapper(fields: Fields, name: str) -> tuple[str, object] | None:
    raw = fields.get(name)
    if not isinstance(raw, Mapping) or len(raw) != 1:
        return None
    ((kind, value),) = raw.items()
    return (kind, value) if isinstance(kind, str) else None


def get_str(fields: Fields, name: str) -> str | None:
    """Read a string field (``stringValue``); anything else is ``None``."""
    wrapped = _wrapper(fields, name)
    if wrapped and wrapped[0] == "stringValue" and isinstance(wrapped[1], str):
        return wrapped[1]
    return None


def _to_float(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if not isinstance(value, int | float | str):
        return None
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError):  # OverflowError: an integer beyond any float
        return None
    return number if math.isfinite(number) else None


def get_number(fields: Fields, name: str) -> float | None:
    """Read a finite number from ``integerValue``, ``doubleValue`` or a numeric ``stringValue``."""
    wrapped = _wrapper(fields, name)
    if wrapped is None or wrapped[0] not in ("integerValue", "doubleValue", "stringValue"):
        return None
    return _to_float(wrapped[1])


def get_int(fields: Fields, name: str) -> int | None:
    """Read a number field and round it to an integer."""
    number = get_number(fields, name)
    return None if number is None else round(number)


def get_bool(fields: Fields, name: str) -> bool | None:
    """Read a ``booleanValue`` field."""
    wrapped = _wrapper(fields, name)
    if wrapped and wrapped[0] == "booleanValue" and isinstance(wrapped[1], bool):
        return wrapped[1]
    return None


def parse_timestamp(value: object) -> datetime | None:
    """Parse an RFC 3339 timestamp (``2024-01-01T12:00:00.123456Z``) into an aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Firestore may send nanoseconds; Python keeps microseconds.
    if "." in text:
        head, _, rest = text.partition(".")
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = f"{head}.{rest[: min(digits, 6)]}{rest[digits:]}" if digits else f"{head}{rest}"
    try:
        parsed = datetime.fromisoformat(text)
        # OverflowError: a moment at the very edge of the calendar has no UTC equivalent.
        return parsed.astimezone(UTC) if parsed.tzinfo is not None else None
    except (ValueError, OverflowError):
        return None


def get_timestamp(fields: Fields, name: str) -> datetime | None:
    """Read a ``timestampValue`` field as an aware UTC datetime."""
    wrapped = _wrapper(fields, name)
    if wrapped and wrapped[0] == "timestampValue":
        return parse_timestamp(wrapped[1])
    return None


def get_map(fields: Fields, name: str) -> Fields | None:
    """Read a ``mapValue`` field's inner fields."""
    wrapped = _wrapper(fields, name)
    if wrapped is None or wrapped[0] != "mapValue" or not isinstance(wrapped[1], Mapping):
        return None
    inner = wrapped[1].get("fields", {})
    return inner if isinstance(inner, Mapping) else None


def is_null(fields: Fields, name: str) -> bool:
    """Tell whether a field is present and explicitly ``nullValue``."""
    wrapped = _wrapper(fields, name)
    return wrapped is not None and wrapped[0] == "nullValue"


def format_timestamp(moment: datetime) -> str:
    """Format an aware datetime the way Firestore does (UTC, microseconds, ``Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def encode_value(value: object) -> dict[str, Any]:
    """Encode a Python value as a Firestore typed value (the simulator's side)."""
    result: dict[str, Any]
    if value is None:
        result = {"nullValue": None}
    elif isinstance(value, bool):
        result = {"booleanValue": value}
    elif isinstance(value, int):
        result = {"integerValue": str(value)}  # Firestore sends 64-bit integers as strings
    elif isinstance(value, float):
        result = {"doubleValue": value}
    elif isinstance(value, str):
        result = {"stringValue": value}
    elif isinstance(value, datetime):
        result = {"timestampValue": format_timestamp(value)}
    elif isinstance(value, Mapping):
        result = {"mapValue": {"fields": encode_fields(value)}}
    elif isinstance(value, list | tuple):
        result = {"arrayValue": {"values": [encode_value(item) for item in value]}}
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as a Firestore value")
    return result


def encode_fields(values: Mapping[str, object]) -> dict[str, Any]:
    """Encode a mapping of plain values as a document's ``fields``."""
    return {key: encode_value(item) for key, item in values.items()}
