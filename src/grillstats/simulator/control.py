"""The JSON control API under ``/_sim`` (no auth; plain values, not Firestore's typed ones).

Errors answer ``{"status": "error", "error": {"code": "bad_request" | "not_found", "message"}}``
with 400 / 404. See ``docs/simulator.md`` for every route.
"""

from __future__ import annotations

import math
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .errors import ControlError, UnknownError
from .responses import control_error, sim_of

type Body = dict[str, Any]


async def _body(request: web.Request, allowed: set[str]) -> Body:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError) as err:
        raise ControlError("the body is not JSON") from err
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    unknown = set(body) - allowed
    if unknown:
        raise ControlError(f"unknown keys: {', '.join(sorted(unknown))}")
    return body


def _float(body: Body, key: str) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    # Python's JSON reader accepts NaN and Infinity; no control value means anything with them.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ControlError(f"'{key}' must be a finite number")
    return float(value)


def _bool(body: Body, key: str) -> bool | None:
    value = body.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise ControlError(f"'{key}' must be true or false")


def _str(body: Body, key: str) -> str | None:
    value = body.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ControlError(f"'{key}' must be a string")


def _device_state(request: web.Request, serial: str) -> dict[str, Any]:
    state = sim_of(request).state()
    return next(d for d in state["devices"] if d["serial"] == serial)


def _channel_state(request: web.Request, serial: str, channel_number: str) -> dict[str, Any]:
    channels = _device_state(request, serial)["channels"]
    return next(ch for ch in channels if ch["number"] == channel_number)


async def get_state(request: web.Request) -> web.Response:
    """``GET /_sim/state``."""
    return web.json_response(sim_of(request).state())


async def set_channel(request: web.Request) -> web.Response:
    """``POST /_sim/devices/{serial}/channels/{channel}``."""
    body = await _body(request, {"value", "unplugged", "auto"})
    auto = _bool(body, "auto")
    if auto is False:
        raise ControlError("'auto' can only be true")
    serial, channel_number = request.match_info["serial"], request.match_info["channel"]
    sim_of(request).set_channel(
        serial,
        channel_number,
        value=_float(body, "value"),
        unplugged=_bool(body, "unplugged"),
        auto=bool(auto),
    )
    return web.json_response(_channel_state(request, serial, channel_number))


async def add_channel(request: web.Request) -> web.Response:
    """``POST /_sim/devices/{serial}/channels`` ``{"meat": "Ribs"}`` (optional) → 201."""
    body = await _body(request, {"meat"})
    serial = request.match_info["serial"]
    channel = sim_of(request).add_channel(serial, meat=_str(body, "meat"))
    return web.json_response(_channel_state(request, serial, channel.number), status=201)


async def set_device(request: web.Request) -> web.Response:
    """``POST /_sim/devices/{serial}``."""
    body = await _body(request, {"online", "battery", "charging", "corrupt"})
    serial = request.match_info["serial"]
    sim_of(request).set_device(
        serial,
        online=_bool(body, "online"),
        battery=_float(body, "battery"),
        charging=_bool(body, "charging"),
        corrupt=_bool(body, "corrupt"),
    )
    return web.json_response(_device_state(request, serial))


async def add_device(request: web.Request) -> web.Response:
    """``POST /_sim/devices`` → 201 ``{"serial": ...}``."""
    body = await _body(request, {"family", "gateway", "units", "email"})
    family = _str(body, "family")
    if family is None:
        raise ControlError("'family' is required")
    serial = sim_of(request).add_device(
        family,
        gateway=_str(body, "gateway"),
        units=_str(body, "units") or "F",
        email=_str(body, "email"),
    )
    return web.json_response({"serial": serial, **_device_state(request, serial)}, status=201)


async def remove_device(request: web.Request) -> web.Response:
    """``DELETE /_sim/devices/{serial}`` → 204."""
    sim_of(request).remove_device(request.match_info["serial"])
    return web.Response(status=204)


async def set_account(request: web.Request) -> web.Response:
    """``POST /_sim/accounts``: change a password, or create an empty account."""
    body = await _body(request, {"email", "password"})
    email, password = _str(body, "email"), _str(body, "password")
    if email is None or password is None:
        raise ControlError("'email' and 'password' are required")
    created = sim_of(request).set_password(email, password)
    return web.json_response({"email": email, "created": created}, status=201 if created else 200)


async def expire_tokens(request: web.Request) -> web.Response:
    """``POST /_sim/tokens/expire``: every issued token stops working.

    ``{"refresh": false}`` keeps the refresh tokens, so clients get in again by refreshing.
    """
    body = await _body(request, {"refresh"})
    refresh = _bool(body, "refresh")
    return web.json_response(sim_of(request).expire_tokens(refresh=refresh is not False))


async def add_fault(request: web.Request) -> web.Response:
    """``POST /_sim/faults`` → 201 with the queued fault."""
    body = await _body(
        request,
        {
            "status",
            "count",
            "path_prefix",
            "retry_after",
            "delay_seconds",
            "malformed",
            "scramble",
            "body",
        },
    )
    status, count = _float(body, "status"), _float(body, "count")
    fault = sim_of(request).add_fault(
        None if status is None else int(status),
        count=1 if count is None else int(count),
        path_prefix=_str(body, "path_prefix") or "/",
        retry_after=_float(body, "retry_after"),
        delay_seconds=_float(body, "delay_seconds") or 0.0,
        malformed=bool(_bool(body, "malformed")),
        scramble=bool(_bool(body, "scramble")),
        body=body.get("body"),
    )
    return web.json_response({"fault": fault.as_dict()}, status=201)


async def clear_faults(request: web.Request) -> web.Response:
    """``DELETE /_sim/faults``."""
    sim_of(request).clear_faults()
    return web.json_response({"faults": []})


async def clock(request: web.Request) -> web.Response:
    """``POST /_sim/clock`` ``{"advance_seconds": 300}`` and/or ``{"speed": 60}``."""
    body = await _body(request, {"advance_seconds", "speed"})
    sim = sim_of(request)
    advance, speed = _float(body, "advance_seconds"), _float(body, "speed")
    if speed is not None:
        sim.set_speed(speed)
    if advance is not None:
        sim.advance(advance)
    return web.json_response({"now": sim.state()["now"], "speed": sim.clock.speed})


async def get_stats(request: web.Request) -> web.Response:
    """``GET /_sim/stats``."""
    return web.json_response(sim_of(request).stats())


async def reset_stats(request: web.Request) -> web.Response:
    """``POST /_sim/stats/reset``."""
    sim_of(request).reset_stats()
    return web.json_response(sim_of(request).stats())


def _guard(route: Handler) -> Handler:
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await route(request)
        except ControlError as err:
            return control_error(400, str(err))
        except UnknownError as err:
            return control_error(404, str(err))

    return guarded


def add_control_routes(app: web.Application) -> None:
    """Register every ``/_sim`` route."""
    routes: list[tuple[str, str, Handler]] = [
        ("GET", "/_sim/state", get_state),
        ("POST", "/_sim/devices", add_device),
        ("POST", "/_sim/devices/{serial}", set_device),
        ("DELETE", "/_sim/devices/{serial}", remove_device),
        ("POST", "/_sim/devices/{serial}/channels", add_channel),
        ("POST", "/_sim/devices/{serial}/channels/{channel}", set_channel),
        ("POST", "/_sim/accounts", set_account),
        ("POST", "/_sim/tokens/expire", expire_tokens),
        ("POST", "/_sim/faults", add_fault),
        ("DELETE", "/_sim/faults", clear_faults),
        ("POST", "/_sim/clock", clock),
        ("GET", "/_sim/stats", get_stats),
        ("POST", "/_sim/stats/reset", reset_stats),
    ]
    for method, path, route in routes:
        app.router.add_route(method, path, _guard(route))
