"""The HTTP layer: a simulated cloud's aiohttp app, and the server that runs it on a port.

Every Google-style path lives under one base URL, exactly as the real hosts spell it: the
sign-in endpoints (:mod:`.identity`), Firestore under
``/v1/projects/{pid}/databases/(default)/documents...`` (:mod:`.firestore_api`), and the
control API under ``/_sim`` (:mod:`.control`).
"""

from __future__ import annotations

import asyncio
import json
from email.utils import formatdate
from typing import TYPE_CHECKING

from aiohttp import web

from .control import add_control_routes
from .faults import scramble
from .firestore_api import handle_firestore
from .identity import add_identity_routes
from .responses import SIM_KEY, control_error, google_response, sim_of

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

    from .cloud import SimulatedCloud


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


def create_app(sim: SimulatedCloud) -> web.Application:
    """The aiohttp application serving a simulated cloud."""
    app = web.Application(middlewares=[middleware])
    app[SIM_KEY] = sim
    add_identity_routes(app)
    app.router.add_route("*", "/v1/projects/{tail:.*}", handle_firestore)
    add_control_routes(app)
    return app


class SimulatorServer:
    """Serves a simulated cloud's app on a TCP port, once started."""

    def __init__(self, sim: SimulatedCloud) -> None:
        self.app = create_app(sim)
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        """``http://host:port`` once started (kept after :meth:`stop`)."""

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0: any free port); return the base URL."""
        if self._runner is not None:
            return self.base_url
        runner = web.AppRunner(self.app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound = runner.addresses[0]
        self.base_url = f"http://{host}:{bound[1]}"
        return self.base_url

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
