"""``CloudProject``: the simulated Firebase project behind the cloud, without its devices.

Its id and API key, its users and their tokens, the faults queued for its requests and the
counts of those requests: the part of the control API that no device takes part in.
"""

from __future__ import annotations

from typing import Any, Unpack

from .auth import Account, Accounts
from .errors import ControlError
from .faults import Fault, FaultOptions, Faults
from .stats import Stats


class CloudProject:
    """A Firebase project with its users: ``email``/``password`` becomes the devices' owner."""

    def __init__(self, accounts: Accounts, *, api_key: str, email: str, password: str) -> None:
        self.project_id = accounts.project_id
        self.api_key = api_key
        self.email = email
        self.password = password
        self.accounts = accounts
        self.owner: Account = accounts.set_password(email, password)
        self.faults = Faults()
        self.counter = Stats()

    def set_password(self, email: str, password: str) -> bool:
        """Change a password (revoking refresh tokens); unknown e-mail: create an empty account.

        Returns ``True`` when the account was created.
        """
        if not email.strip() or "@" not in email or not password:
            raise ControlError("an account needs an e-mail address and a non-empty password")
        created = self.accounts.get(email) is None
        self.accounts.set_password(email, password)
        if email.strip().lower() == self.email.strip().lower():
            self.password = password
        return created

    def expire_tokens(self, *, refresh: bool = True) -> dict[str, int]:
        """Expire every issued id token and, unless ``refresh`` is false, every refresh token.

        With ``refresh=False`` a client gets in again by refreshing; otherwise only a new
        sign-in with the password works.
        """
        expired = {"expired": self.accounts.expire_id_tokens()}
        if refresh:
            expired["refresh_tokens"] = self.accounts.revoke_refresh_tokens()
        return expired

    def add_fault(self, status: int | None = None, **options: Unpack[FaultOptions]) -> Fault:
        """Make the next ``count`` requests under ``path_prefix`` fail, stall or break."""
        try:
            fault = Fault(status=status, **options)
        except ValueError as err:
            raise ControlError(str(err)) from err
        self.faults.add(fault)
        return fault

    def clear_faults(self) -> None:
        """Drop every pending fault."""
        self.faults.clear()

    def stats(self) -> dict[str, Any]:
        """Request counts (``/_sim/stats``)."""
        return self.counter.as_dict()

    def reset_stats(self) -> None:
        """Zero the request counts."""
        self.counter.reset()
