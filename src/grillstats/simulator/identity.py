"""Google's sign-in endpoints: Firebase's web config, Identity Toolkit and Secure Token.

* ``GET  /v1alpha/projects/-/apps/{appId}/webConfig`` (Firebase)
* ``POST /v1/accounts:signInWithPassword?key=`` (Identity Toolkit)
* ``POST /v1/token?key=`` (Secure Token)

Each needs the project's API key (``?key=`` or ``x-goog-api-key``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .auth import AuthError
from .responses import BAD_KEY, google_response, key_ok, sim_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from aiohttp.typedefs import Handler

    from .cloud import SimulatedCloud

    type Body = dict[str, Any]

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


def _keyed(handler: Handler) -> Handler:
    """``handler`` behind the API-key check."""

    async def checked(request: web.Request) -> web.StreamResponse:
        if not key_ok(request):
            return google_response(400, BAD_KEY, "INVALID_ARGUMENT")
        return await handler(request)

    return checked


def _with_body(answer: Callable[[SimulatedCloud, Body], web.Response]) -> Handler:
    """An endpoint that checks the API key, reads a JSON or form body and ``answer``s it."""

    async def endpoint(request: web.Request) -> web.StreamResponse:
        try:
            if request.content_type == "application/x-www-form-urlencoded":
                body: object = dict((await request.post()).items())
            else:
                body = await request.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return google_response(400, "Invalid JSON payload received.", "INVALID_ARGUMENT")
        return answer(sim_of(request), body)

    return _keyed(endpoint)


async def web_config(request: web.Request) -> web.Response:
    """Firebase's web-app configuration."""
    sim = sim_of(request)
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


def sign_in(sim: SimulatedCloud, body: Body) -> web.Response:
    """``accounts:signInWithPassword``."""
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


def refresh_token(sim: SimulatedCloud, body: Body) -> web.Response:
    """Secure Token's ``/v1/token`` (JSON or form body)."""
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


def add_identity_routes(app: web.Application) -> None:
    """Register the sign-in endpoints."""
    app.router.add_get("/v1alpha/projects/-/apps/{app_id}/webConfig", _keyed(web_config))
    app.router.add_post("/v1/accounts:signInWithPassword", _with_body(sign_in))
    app.router.add_post("/v1/token", _with_body(refresh_token))
