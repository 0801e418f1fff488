"""Request counting for the control API's ``/_sim/stats`` (control requests are not counted).

``by_path`` counts path templates, e.g.
``/v1/projects/{project}/databases/(default)/documents/devices/{serial}``; ``by_kind`` groups
them into stable kinds: ``webConfig``, ``signIn``, ``token``, ``users.get``, ``runQuery``,
``batchGet``, ``device.get``, ``channel.get``, ``document.get`` (any other document) and
``other``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import unquote


def path_template(path: str) -> str:
    """A request path with its variable parts replaced by ``{placeholders}``."""
    if path.startswith("/v1alpha/projects/") and path.endswith("/webConfig"):
        return "/v1alpha/projects/-/apps/{appId}/webConfig"
    if not path.startswith("/v1/projects/"):
        return path if request_kind(path) != "other" else "other"
    parts = path.split("/")
    template = ["", "v1", "projects", "{project}", *parts[4:7]]
    rest = parts[7:]
    names = {"users": "{uid}", "devices": "{serial}", "channels": "{n}"}
    for index, part in enumerate(rest):
        template.append(names.get(rest[index - 1], "{id}") if index % 2 else part)
    return "/".join(template)


def request_kind(path: str) -> str:
    """The stable stats key of a request path."""
    if path.endswith("/webConfig"):
        return "webConfig"
    if path.startswith("/v1/accounts:signInWithPassword"):
        return "signIn"
    if path == "/v1/token":
        return "token"
    if path.startswith("/v1/projects/"):
        parts = path.split("/databases/", 1)[-1].split("/")[1:]
        head, rest = (parts[0], parts[1:]) if parts else ("", [])
        if head.endswith(":runQuery"):
            return "runQuery"
        if head.endswith(":batchGet"):
            return "batchGet"
        if len(rest) == 2 and rest[0] == "users":
            return "users.get"
        if len(rest) == 2 and rest[0] == "devices":
            return "device.get"
        if len(rest) == 4 and rest[0] == "devices" and rest[2] == "channels":
            return "channel.get"
        return "document.get"
    return "other"


class Stats:
    """Counts of the requests the simulated cloud has answered."""

    def __init__(self) -> None:
        self.total = 0
        self.by_kind: Counter[str] = Counter()
        self.by_path: Counter[str] = Counter()
        self.by_status: Counter[str] = Counter()
        self.faults = 0

    def count(self, path: str) -> None:
        """Count one request."""
        self.total += 1
        path = unquote(path)
        self.by_kind[request_kind(path)] += 1
        self.by_path[path_template(path)] += 1

    def answered(self, status: int) -> None:
        """Count one answer's status."""
        self.by_status[str(status)] += 1

    def reset(self) -> None:
        """Start counting again from zero."""
        self.total = 0
        self.by_kind.clear()
        self.by_path.clear()
        self.by_status.clear()
        self.faults = 0

    def as_dict(self) -> dict[str, Any]:
        """The ``/_sim/stats`` JSON."""
        return {
            "requests": {
                "total": self.total,
                "by_kind": dict(sorted(self.by_kind.items())),
                "by_path": dict(sorted(self.by_path.items())),
                "by_status": dict(sorted(self.by_status.items())),
                "faults": self.faults,
            }
        }
