"""Accounts and tokens, the way Firebase Auth behaves for e-mail/password users.

* Sign-in checks the password; after ``MAX_FAILED_ATTEMPTS`` consecutive wrong passwords the
  account answers ``TOO_MANY_ATTEMPTS_TRY_LATER`` (even to the right password) for
  ``LOCKOUT_SECONDS`` of sim time, or until its password is changed.
* Id tokens are JWT-shaped (unsigned: the signature part is random) and expire after
  ``token_lifetime`` sim seconds, or at once on :meth:`Accounts.expire_id_tokens`.
* Refresh tokens live until the account's password changes (then ``TOKEN_EXPIRED``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MAX_FAILED_ATTEMPTS = 5
LOCKOUT_SECONDS = 300.0
PRUNE_SESSIONS_AT = 1000
"""Drop expired id tokens once this many have been issued."""


class AuthError(Exception):
    """A sign-in or refresh refused with Google's reason code (e.g. ``INVALID_PASSWORD``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(kw_only=True)
class Account:
    """One e-mail/password user and the ThermoWorks account it owns."""

    uid: str
    email: str
    password: str
    account_id: str
    failed_attempts: int = 0
    locked_until: datetime | None = None
    refresh_tokens: set[str] = field(default_factory=set)
    revoked_tokens: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Session:
    """What an issued id token stands for."""

    uid: str
    expires: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def stable_id(*parts: object, length: int = 28) -> str:
    """A Firebase-looking id derived from its parts (so the same seed gives the same ids)."""
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return _b64(digest).replace("-", "x").replace("_", "y")[:length]


class Accounts:
    """The users of the simulated project and the tokens issued to them."""

    def __init__(self, *, project_id: str, seed: int, token_lifetime: int) -> None:
        self.project_id = project_id
        self.seed = seed
        self.token_lifetime = token_lifetime
        self._by_email: dict[str, Account] = {}
        self._sessions: dict[str, Session] = {}
        self._refresh: dict[str, str] = {}

    def all(self) -> list[Account]:
        """Every account, in creation order."""
        return list(self._by_email.values())

    def get(self, email: str) -> Account | None:
        """The account of an e-mail (case-insensitive), or ``None``."""
        return self._by_email.get(email.strip().lower())

    def by_uid(self, uid: str) -> Account | None:
        """The account of a uid, or ``None``."""
        return next((a for a in self._by_email.values() if a.uid == uid), None)

    def set_password(self, email: str, password: str) -> Account:
        """Change a password (revokes refresh tokens, lifts a lockout) or create the account."""
        account = self.get(email)
        if account is None:
            key = email.strip().lower()
            account = Account(
                uid=stable_id("uid", self.seed, key),
                email=email.strip(),
                password=password,
                account_id=stable_id("account", self.seed, key, length=20),
            )
            self._by_email[key] = account
            return account
        account.password = password
        account.failed_attempts = 0
        account.locked_until = None
        account.revoked_tokens |= account.refresh_tokens
        account.refresh_tokens = set()
        return account

    def sign_in(self, email: str, password: str, now: datetime) -> tuple[Account, str, str]:
        """Check credentials; return the account, a new id token and a new refresh token."""
        account = self.get(email)
        if account is None:
            raise AuthError("EMAIL_NOT_FOUND")
        if account.locked_until is not None and now < account.locked_until:
            raise AuthError("TOO_MANY_ATTEMPTS_TRY_LATER")
        if not secrets.compare_digest(password.encode(), account.password.encode()):
            account.failed_attempts += 1
            if account.failed_attempts >= MAX_FAILED_ATTEMPTS:
                account.locked_until = now + timedelta(seconds=LOCKOUT_SECONDS)
                account.failed_attempts = 0
            raise AuthError("INVALID_PASSWORD")
        account.failed_attempts = 0
        account.locked_until = None
        refresh = "AMf-vB" + secrets.token_urlsafe(96)
        account.refresh_tokens.add(refresh)
        self._refresh[refresh] = account.uid
        return account, self.issue_id_token(account, now), refresh

    def refresh(self, token: str, now: datetime) -> tuple[Account, str]:
        """Trade a refresh token for a new id token (the refresh token stays the same)."""
        uid = self._refresh.get(token)
        account = self.by_uid(uid) if uid else None
        if account is None:
            raise AuthError("INVALID_REFRESH_TOKEN")
        if token in account.revoked_tokens:
            raise AuthError("TOKEN_EXPIRED")
        return account, self.issue_id_token(account, now)

    def issue_id_token(self, account: Account, now: datetime) -> str:
        """A JWT-shaped id token valid for ``token_lifetime`` sim seconds."""
        issued = int(now.timestamp())
        claims = {
            "iss": f"https://securetoken.google.com/{self.project_id}",
            "aud": self.project_id,
            "auth_time": issued,
            "user_id": account.uid,
            "sub": account.uid,
            "iat": issued,
            "exp": issued + self.token_lifetime,
            "email": account.email,
            "email_verified": True,
            "firebase": {"identities": {"email": [account.email]}, "sign_in_provider": "password"},
        }
        header = {"alg": "RS256", "kid": "grillstats-simulator", "typ": "JWT"}
        token = ".".join(
            (
                _b64(json.dumps(header).encode()),
                _b64(json.dumps(claims).encode()),
                _b64(secrets.token_bytes(64)),
            )
        )
        expires = now + timedelta(seconds=self.token_lifetime)
        if len(self._sessions) >= PRUNE_SESSIONS_AT:  # a long `simulate` run stays small
            self._sessions = {t: s for t, s in self._sessions.items() if s.expires > now}
        self._sessions[token] = Session(account.uid, expires)
        return token

    def check_id_token(self, token: str, now: datetime) -> Account | None:
        """The account an id token belongs to, or ``None`` if unknown or expired."""
        session = self._sessions.get(token)
        if session is None or now >= session.expires:
            return None
        return self.by_uid(session.uid)

    def expire_id_tokens(self) -> int:
        """Make every issued id token invalid (refresh tokens keep working); return how many."""
        count = len(self._sessions)
        self._sessions.clear()
        return count

    def revoke_refresh_tokens(self) -> int:
        """Make every refresh token invalid, as a password change does; return how many."""
        count = 0
        for account in self._by_email.values():
            count += len(account.refresh_tokens)
            account.revoked_tokens |= account.refresh_tokens
            account.refresh_tokens = set()
        return count
