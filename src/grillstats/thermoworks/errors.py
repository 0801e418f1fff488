"""The client's exceptions: a small hierarchy whose messages say what the user can do."""

from __future__ import annotations

from typing import override


class ThermoworksError(Exception):
    """Base class of every error the client raises."""


class AuthenticationError(ThermoworksError):
    """The cloud refused the credentials (wrong password, unknown e-mail, disabled account).

    ``reason`` is the cloud's own code, e.g. ``INVALID_PASSWORD``.
    """

    @override
    def __init__(self, message: str, reason: str = "") -> None:
        """Keep the cloud's reason code beside the message."""
        super().__init__(message)
        self.reason = reason


class RateLimitedError(ThermoworksError):
    """The cloud asked us to slow down (HTTP 429 or ``TOO_MANY_ATTEMPTS_TRY_LATER``).

    ``retry_after`` is the number of seconds to wait, when the cloud said so.
    """

    @override
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Keep how long the cloud asked us to wait."""
        super().__init__(message)
        self.retry_after = retry_after


class CloudConnectionError(ThermoworksError):
    """The cloud could not be reached: network failure, timeout or a 5xx answer."""


class ProtocolError(ThermoworksError):
    """The cloud answered something that makes no sense (not JSON, wrong shape)."""
