"""The aiohttp application: Google's auth endpoints, Firestore, the control API, faults, stats.

Every Google-style path lives under one base URL, exactly as the real hosts spell it:

* ``GET  /v1alpha/projects/-/apps/{appId}/webConfig`` (Firebase)
* ``POST /v1/accounts:signInWithPassword?key=`` (Identity Toolkit)
* ``POST /v1/token?key=`` (Secure Token)
* ``/v1/projects/{pid}/databases/(default)/documents...`` (Firestore, see :mod:`.firestore_api`)
"""

from __future__ import annotations

import asyncio
import json
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .auth import AuthError
from .control import add_control_routes
from .faults import scramble
from .firestore_api import handle_firestore
from .responses import BAD_KEY, SIM_KEY, control_error, google_response, key_ok, sim_of

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .core import CloudSimulator

    type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

TOO_MANY_ATTEMPTS = (
    "TOO_MANY_ATTEMPTS_TRY_LATER : Access to this account has been temporarily disabled due to "
    "many failed login attempts. You can immediately restore it by resetting your password or "
    "you can try again later."
)


def identity_error(reason: str) -> web.Response:
    """Identity Toolkit's 400 error body for a sign-in failure."""
    message = TOO_MANY_ATTEMPTS if reason == "TOO_MANY_ATTEMPTS_TRY_LATER" else reason
    body = {
        "error": {
            "code": 400,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": "invalid"}],
        }
    }
    return web.json_response(body, status=400)


async def _json_body(request: web.Request) -> dict[str, Any] | None:
    try:
        if request.content_type == "application/x-www-form-urlencoded":
            return dict((await request.post()).items())
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


async def web_config(request: web.Request) -> web.Response:
    """Firebase's web-app configuration."""
    sim = sim_of(request)
    if not key_ok(request):
        return google_response(400, BAD_KEY, "INVALID_ARGUMENT")
    app_id = request.match_info["app_id"]
    return web.json_response(
        {
            "projectId": sim.project_id,
            "appId": app_id,
            "storageBucket": f"{sim.project_id}.appspot.com",
            "apiKey": sim.api_key,
            "authDomain": f"{sim.project_id}.firebaseapp.com",
            "messagingSenderId": app_id.split(":")[1] if app_id.count(":") >= 2 else "",
        }
    )


async def sign_in(request: web.Request) -> web.Response:
    """``accounts:signInWithPassword``."""
    sim = sim_of(request)
    if not key_ok(request):
        return google_response(400, BAD_KEY, "INVALID_ARGUMENT")
    body = await _json_body(request)
    if body is None:
        return google_response(400, "Invalid JSON payload received.", "INVALID_ARGUMENT")
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or "@" not in email:
        return identity_error("INVALID_EMAIL")
    if not isinstance(password, str) or not password:
        return identity_error("MISSING_PASSWORD")
    try:
        account, id_token, refresh = sim.accounts.sign_in(email, password, sim.now())
    except AuthError as failure:
        return identity_error(failure.reason)
    return web.json_response(
        {
            "kind": "identitytoolkit#VerifyPasswordResponse",
            "localId": account.uid,
            "email": account.email,
            "displayName": "",
            "idToken": id_token,
            "registered": True,
            "refreshToken": refresh,
            "expiresIn": str(sim.accounts.token_lifetime),
        }
    )


async def refresh_token(request: web.Request) -> web.Response:
    """Secure Token's ``/v1/token`` (JSON or form body)."""
    sim = sim_of(request)
    if not key_ok(request):
        return google_response(400, BAD_KEY, "INVALID_ARGUMENT")
    body = await _json_body(request)
    if body is None:
        return google_response(400, "Invalid JSON payload received.", "INVALID_ARGUMENT")
    grant, token = body.get("grant_type"), body.get("refresh_token")
    reason = None
    if not grant:
        reason = "MISSING_GRANT_TYPE"
    elif grant != "refresh_token":
        reason = "INVALID_GRANT_TYPE"
    elif not isinstance(token, str) or not token:
        reason = "MISSING_REFRESH_TOKEN"
    if reason is None:
        try:
            account, id_token = sim.accounts.refresh(str(token), sim.now())
        except AuthError as failure:
            reason = failure.reason
    if reason is not None:
        return google_response(400, reason, "INVALID_ARGUMENT")
    return web.json_response(
        {
            "access_token": id_token,
            "expires_in": str(sim.accounts.token_lifetime),
            "token_type": "Bearer",
            "refresh_token": token,
            "id_token": id_token,
            "user_id": account.uid,
            "project_id": sim.project_id,
        }
    )


async def _apply_fault(request: web.Request, handler: Handler) -> web.StreamResponse:
    sim = sim_of(request)
    fault = sim.faults.take(request.path)
    if fault is None:
        return await handler(request)
    sim.counter.faults += 1
    if fault.delay_seconds > 0:
        await asyncio.sleep(fault.delay_seconds)
    if fault.body is not None:
        return web.json_response(fault.body, status=fault.status or 200)
    if fault.status is not None:
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = str(round(fault.retry_after))
        return google_response(fault.status, **headers)
    response = await handler(request)
    if fault.scramble and isinstance(response, web.Response) and response.text:
        return web.json_response(scramble(json.loads(response.text)), status=response.status)
    if not fault.malformed:
        return response
    text = response.text if isinstance(response, web.Response) and response.text else "[{}]"
    broken = text[: max(1, len(text) // 2)]  # a cut-off JSON document
    return web.Response(status=200, text=broken, content_type="application/json")


@web.middleware
async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count requests, inject faults, and answer errors in the right dialect."""
    sim = sim_of(request)
    control = request.path.startswith("/_sim")
    if not control:
        sim.counter.count(request.path)
    try:
        response = await handler(request) if control else await _apply_fault(request, handler)
    except web.HTTPException as err:
        if control:
            response = control_error(err.status, err.reason)
        else:
            response = google_response(err.status, err.reason)
    if not control:
        sim.counter.answered(response.status)
        # The cloud's Date header is the cloud's clock: here, simulated time.
        response.headers["Date"] = formatdate(sim.now().timestamp(), usegmt=True)
    return response


def create_app(sim: CloudSimulator) -> web.Application:
    """The aiohttp application of a simulator."""
    app = web.Application(middlewares=[middleware])
    app[SIM_KEY] = sim
    app.router.add_get("/v1alpha/projects/-/apps/{app_id}/webConfig", web_config)
    app.router.add_post("/v1/accounts:signInWithPassword", sign_in)
    app.router.add_post("/v1/token", refresh_token)
    app.router.add_route("*", "/v1/projects/{tail:.*}", handle_firestore)
    add_control_routes(app)
    return app
