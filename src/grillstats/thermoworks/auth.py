"""Firebase e-mail/password auth: sign in, refresh before expiry, sign in again when refresh dies.

Only when signing in again with the stored password fails too does the caller see an
:class:`AuthenticationError`: a password change, not a dead token, is what needs the user.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import Final

from .errors import AuthenticationError, ProtocolError, RateLimitedError
from .providers import Provider
from .transport import Response, Transport, error_message

_LOGGER = logging.getLogger(__name__)

REFRESH_MARGIN: Final = 300.0
"""Refresh this many seconds before the id token expires, so no request meets an expired one."""

BAD_CREDENTIALS: Final = frozenset(
    {
        "EMAIL_NOT_FOUND",
        "INVALID_PASSWORD",
        "INVALID_LOGIN_CREDENTIALS",
        "USER_DISABLED",
        "INVALID_EMAIL",
        "MISSING_PASSWORD",
        "MISSING_EMAIL",
    }
)
TOO_MANY_ATTEMPTS: Final = "TOO_MANY_ATTEMPTS_TRY_LATER"


class Authenticator:
    """Holds one account's tokens and keeps a valid id token at hand."""

    def __init__(
        self,
        transport: Transport,
        provider: Provider,
        email: str,
        password: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Prepare to sign in as ``email``; nothing is sent yet."""
        self._transport = transport
        self._provider = provider
        self._email = email
        self._password = password
        self._clock = clock
        self.uid: str | None = None
        self._id_token: str | None = None
        self._refresh_token: str | None = None
        self._expires_at = 0.0
        self._refresh_margin = REFRESH_MARGIN

    @property
    def email(self) -> str:
        """The account's e-mail address."""
        return self._email

    def _headers(self) -> dict[str, str]:
        return {"Referer": self._provider.referer, "Origin": self._provider.referer.rstrip("/")}

    async def sign_in(self) -> None:
        """Sign in with the e-mail and password."""
        response = await self._transport.request(
            "POST",
            self._provider.sign_in_url.with_query(key=self._provider.api_key),
            headers=self._headers(),
            json_body={"email": self._email, "password": self._password, "returnSecureToken": True},
        )
        if response.status != 200:
            raise _sign_in_error(response)
        body = _mapping(response.body, "sign-in")
        uid = body.get("localId")
        self._store(body.get("idToken"), body.get("refreshToken"), body.get("expiresIn"))
        if not isinstance(uid, str) or not uid:
            raise ProtocolError("ThermoWorks sign-in answered without a user id")
        self.uid = uid

    async def _refresh(self) -> bool:
        """Exchange the refresh token; ``False`` when it is no longer accepted."""
        if not self._refresh_token:
            return False
        response = await self._transport.request(
            "POST",
            self._provider.refresh_url.with_query(key=self._provider.api_key),
            headers=self._headers(),
            json_body={"grant_type": "refresh_token", "refresh_token": self._refresh_token},
        )
        if response.status != 200:
            reason = error_message(response.body) or response.status
            _LOGGER.debug("token refresh refused: %s", reason)
            self._refresh_token = None
            return False
        body = _mapping(response.body, "token refresh")
        self._store(body.get("id_token"), body.get("refresh_token"), body.get("expires_in"))
        return True

    def _store(self, id_token: object, refresh_token: object, expires_in: object) -> None:
        if not isinstance(id_token, str) or not id_token:
            raise ProtocolError("ThermoWorks sign-in answered without a token")
        try:
            lifetime = float(expires_in) if isinstance(expires_in, str | int | float) else 3600.0
        except (ValueError, OverflowError):
            lifetime = 3600.0
        if not math.isfinite(lifetime) or lifetime <= 0:
            lifetime = 3600.0
        self._id_token = id_token
        if isinstance(refresh_token, str) and refresh_token:
            self._refresh_token = refresh_token
        self._expires_at = self._clock() + lifetime
        # A short-lived token is renewed halfway, not on every request.
        self._refresh_margin = min(REFRESH_MARGIN, lifetime / 2)

    async def token(self) -> str:
        """A valid id token: refreshed ahead of expiry, or from a new sign-in."""
        if self._id_token is None or self.uid is None:
            return await self.sign_in_again()
        if self._clock() >= self._expires_at - self._refresh_margin:
            return await self.renew()
        return self._id_token

    async def renew(self) -> str:
        """Get a new id token (after a 401 or near expiry): refresh, else sign in again."""
        if not await self._refresh():
            _LOGGER.debug("refresh token no longer valid; signing in again")
            return await self.sign_in_again()
        return self._current()

    async def sign_in_again(self) -> str:
        """Sign in with the password and return the new id token."""
        await self.sign_in()
        return self._current()

    def _current(self) -> str:
        if self._id_token is None:  # pragma: no cover - _store sets it or raises
            raise ProtocolError("ThermoWorks sign-in answered without a token")
        return self._id_token


def _mapping(body: object, what: str) -> Mapping[str, object]:
    if not isinstance(body, Mapping):
        raise ProtocolError(f"ThermoWorks {what} answered something that is not an object")
    return body


def _sign_in_error(response: Response) -> Exception:
    reason = error_message(response.body)
    if reason in BAD_CREDENTIALS:
        return AuthenticationError(
            f"ThermoWorks Cloud refused the e-mail or password ({reason}); check them in the "
            "ThermoWorks app and enter them again",
            reason,
        )
    if reason == TOO_MANY_ATTEMPTS:
        return RateLimitedError(
            "ThermoWorks Cloud blocked sign-in after too many attempts; wait a few minutes "
            "before trying again"
        )
    if "API key" in reason or "API_KEY" in reason:
        return ProtocolError(
            f"ThermoWorks Cloud rejected the app key ({reason}); update Grill Stats"
        )
    return ProtocolError(f"ThermoWorks sign-in failed with HTTP {response.status} {reason}".strip())
