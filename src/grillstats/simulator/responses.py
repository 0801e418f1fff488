"""Shared HTTP helpers: the app key holding the simulator and the two error dialects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .faults import google_error

if TYPE_CHECKING:
    from .cloud import SimulatedCloud

SIM_KEY: web.AppKey[SimulatedCloud] = web.AppKey("simulator")
BAD_KEY = "API key not valid. Please pass a valid API key."


def sim_of(request: web.Request) -> SimulatedCloud:
    """The simulated cloud answering a request."""
    return request.app[SIM_KEY]


def key_ok(request: web.Request, *, required: bool = True) -> bool:
    """Whether the request's API key (``?key=`` or ``x-goog-api-key``) is the project's."""
    key = request.query.get("key") or request.headers.get("x-goog-api-key")
    if key is None and not required:
        return True  # Firestore takes a bearer token alone
    return key == sim_of(request).api_key


def google_response(
    code: int, message: str | None = None, status: str | None = None, **headers: str
) -> web.Response:
    """A Google-style JSON error: ``{"error": {"code", "message", "status"}}``."""
    return web.json_response(google_error(code, message, status), status=code, headers=headers)


def control_error(status: int, message: str) -> web.Response:
    """A control-API error: ``{"status": "error", "error": {"code", "message"}}``."""
    code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(status, "error")
    body = {"status": "error", "error": {"code": code, "message": message}}
    return web.json_response(body, status=status)
