"""Strict readers for persisted analytics state: stored JSON is read back or refused whole.

Why strict: state comes back from disk after a restart, maybe from an older version or hand
edited. A half-understood state would make a detector believe things about the cook that never
happened, so any value of the wrong type raises :class:`TypeError` and the caller starts afresh.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime

from .fit import Sample


def number(value: object) -> float:
    """A finite int or float (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TypeError(f"not a finite number: {value!r}")
    return float(value)


def flag(value: object) -> bool:
    """A bool."""
    if not isinstance(value, bool):
        raise TypeError(f"not a bool: {value!r}")
    return value


def items(value: object) -> list[object]:
    """A JSON array."""
    if not isinstance(value, list | tuple):
        raise TypeError(f"not a list: {value!r}")
    return list(value)


def optional[T](value: object, read: Callable[[object], T]) -> T | None:
    """``None`` or what ``read`` makes of the value."""
    return None if value is None else read(value)


def epoch(moment: datetime | None) -> float | None:
    """A time as POSIX seconds (JSON has no datetime)."""
    return None if moment is None else moment.timestamp()


def moment(value: object) -> datetime:
    """POSIX seconds back to an aware UTC time."""
    return datetime.fromtimestamp(number(value), UTC)


def encode_sample(sample: Sample) -> list[float | None]:
    """``[time, temperature, pit]``: compact, a 12-hour history stays small."""
    return [sample.timestamp.timestamp(), sample.temperature, sample.pit]


def decode_sample(value: object) -> Sample:
    """The inverse of :func:`encode_sample`."""
    fields = items(value)
    if len(fields) != 3:
        raise TypeError(f"not a sample: {value!r}")
    return Sample(moment(fields[0]), number(fields[1]), optional(fields[2], number))
