"""``CloudSimulator``: a simulated ThermoWorks Cloud that serves itself over HTTP."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, override

from .cloud import SimulatedCloud
from .server import SimulatorServer

if TYPE_CHECKING:
    from aiohttp import web


class CloudSimulator(SimulatedCloud):
    """A :class:`~.cloud.SimulatedCloud` with a :class:`~.server.SimulatorServer` of its own.

    It answers the real HTTP protocol under one base URL once :meth:`start` has run.
    """

    @cached_property
    def server(self) -> SimulatorServer:
        """The HTTP server of this simulator (built on first use)."""
        return SimulatorServer(self)

    @property
    def app(self) -> web.Application:
        """The ``aiohttp`` application (usable with aiohttp's test tools)."""
        return self.server.app

    @property
    @override
    def base_url(self) -> str:
        """``http://host:port`` once started (``""`` before)."""
        return self.server.base_url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0: any free port); return the base URL."""
        return await self.server.start(host, port)

    async def stop(self) -> None:
        """Stop serving."""
        await self.server.stop()
