"""Errors of the simulator's control API (Python methods and ``/_sim`` routes)."""

from __future__ import annotations

from typing import override


class ControlError(ValueError):
    """A control request that makes no sense (HTTP 400 ``bad_request``)."""


class UnknownError(LookupError):
    """A control request naming a device or channel that does not exist (HTTP 404)."""

    @override
    def __str__(self) -> str:
        """The message, without ``LookupError``'s quoting."""
        return str(self.args[0]) if self.args else "not found"
