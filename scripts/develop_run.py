"""scripts/develop's Home Assistant: prepare its folder, run it, onboard it, add the demo.

Run by scripts/develop (after set-up) as
``develop_run.py --config DIR --port PORT --mode demo|empty [-- HASS ARGS]``. Stays in the
foreground until SIGINT or SIGTERM, which stop Home Assistant cleanly. Everything it writes is
under DIR (git ignores ``.run/``); the repository's files are only linked.

Home Assistant is driven through the same HTTP and WebSocket APIs its frontend uses, so what
a person would click through (onboarding, Add integration, a new dashboard) happens the same
way here: nothing is written behind Home Assistant's back except its HTTP settings, which
Home Assistant 2026.10 keeps in ``.storage/http`` and would otherwise take from YAML as a trial
to confirm in the UI within five minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp
from homeassistant.components.http.config import (
    HTTP_CONFIG_CREATED_AT,
    HTTP_CONFIG_ERROR,
    HTTP_CONFIG_ERROR_MESSAGE,
    HTTP_STORAGE_SCHEMA,
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
)
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import load_yaml_dict

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
USERNAME = "grill"
NAME = "Grill Master"
DASHBOARD_PATH = "grill-stats"
DASHBOARD_FILE = ROOT / "dashboards" / "grill_stats.yaml"
START_TIMEOUT = 600.0
"""Seconds Home Assistant may take to answer: a first start compiles translations and more."""


def log(message: str) -> None:
    """A progress line on stderr (stdout carries only the lines a caller reads)."""
    print(f"\033[1m[develop]\033[0m {message}", file=sys.stderr, flush=True)


def prepare(config: Path, port: int) -> str:
    """Make the configuration folder; return the local user's password (kept in it)."""
    (config / ".storage").mkdir(parents=True, exist_ok=True)
    for name, target in (
        ("configuration.yaml", ROOT / "config" / "configuration.yaml"),
        ("custom_components", ROOT / "custom_components"),
    ):
        link = config / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
    _write_http_settings(config, port)
    secret = config / ".develop-login.json"
    if secret.is_file():
        return str(json.loads(secret.read_text(encoding="utf-8"))["password"])
    password = secrets.token_urlsafe(12)
    secret.write_text(json.dumps({"username": USERNAME, "password": password}), encoding="utf-8")
    secret.chmod(0o600)
    return password


def _write_http_settings(config: Path, port: int) -> None:
    """Loopback only, on PORT: as confirmed ("stable") settings, so no trial and no revert."""
    stable = dict(HTTP_STORAGE_SCHEMA({"server_host": [HOST], "server_port": port}))
    stable |= {
        HTTP_CONFIG_CREATED_AT: dt_util.utcnow().isoformat(),
        HTTP_CONFIG_ERROR: None,
        HTTP_CONFIG_ERROR_MESSAGE: None,
    }
    document = {
        "version": STORAGE_VERSION,
        "minor_version": STORAGE_MINOR_VERSION,
        "key": "http",
        "data": {"stable": stable, "pending": None, "yaml_migration_done": True},
    }
    path = config / ".storage" / "http"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    path.chmod(0o600)


def port_is_free(port: int) -> bool:
    """True when nothing listens on HOST:PORT (Home Assistant would fall back to another)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


class HomeAssistantApi:
    """The calls onboarding, Add integration and the dashboard editor make."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base
        self.client_id = f"{base}/"
        self.token = ""

    async def wait_until_up(self, hass: asyncio.subprocess.Process) -> None:
        """Until the HTTP API answers; fail if Home Assistant exits first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        while loop.time() < deadline:
            if hass.returncode is not None:
                raise SystemExit(f"Home Assistant exited with code {hass.returncode}")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with self.session.get(f"{self.base}/api/onboarding") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.5)
        raise SystemExit(f"Home Assistant did not answer on {self.base} in {START_TIMEOUT:.0f} s")

    async def wait_until_running(self) -> None:
        """Until start-up is over (the frontend says "Starting …" until then)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        while (await self._json("GET", "/api/config"))["state"] != "RUNNING":
            if loop.time() > deadline:
                raise SystemExit(f"Home Assistant did not finish starting in {START_TIMEOUT:.0f} s")
            await asyncio.sleep(0.5)

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        async with self.session.request(
            method, f"{self.base}{path}", headers=headers, **kwargs
        ) as response:
            if response.status >= 400:
                raise SystemExit(f"{method} {path}: HTTP {response.status} {await response.text()}")
            return await response.json()

    async def onboard(self, password: str) -> None:
        """Finish onboarding (creating the user if needed) and sign in as that user."""
        done = {step["step"] for step in await self._json("GET", "/api/onboarding") if step["done"]}
        if "user" not in done:
            log(f"onboarding: creating the local user {USERNAME!r}")
            created = await self._json(
                "POST",
                "/api/onboarding/users",
                json={
                    "client_id": self.client_id,
                    "name": NAME,
                    "username": USERNAME,
                    "password": password,
                    "language": "en",
                },
            )
            code = created["auth_code"]
        else:
            code = await self._log_in(password)
        tokens = await self._json(
            "POST",
            "/auth/token",
            data={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
        )
        self.token = tokens["access_token"]
        for step, body in (
            ("core_config", None),
            ("analytics", None),
            ("integration", {"client_id": self.client_id, "redirect_uri": self.client_id}),
        ):
            if step not in done:
                log(f"onboarding: {step}")
                await self._json("POST", f"/api/onboarding/{step}", json=body or {})

    async def _log_in(self, password: str) -> str:
        """The login form's flow; an authorization code."""
        flow = await self._json(
            "POST",
            "/auth/login_flow",
            json={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
        )
        result = await self._json(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json={"client_id": self.client_id, "username": USERNAME, "password": password},
        )
        if result.get("type") != "create_entry":
            raise SystemExit(
                f"cannot sign in as {USERNAME!r} with the password in .develop-login.json: {result}"
            )
        return str(result["result"])

    async def ensure_demo_entry(self) -> None:
        """Add integration → Grill Stats → Demo, unless a demo entry exists."""
        entries = await self._json("GET", "/api/config/config_entries/entry?domain=grill_stats")
        if any(entry.get("unique_id") == "demo" for entry in entries):
            return
        log("adding the Grill Stats demo entry")
        flow = await self._json(
            "POST", "/api/config/config_entries/flow", json={"handler": "grill_stats"}
        )
        result = await self._json(
            "POST", f"/api/config/config_entries/flow/{flow['flow_id']}", json={"provider": "demo"}
        )
        if result.get("type") != "create_entry":
            raise SystemExit(f"the demo entry was not created: {result}")

    async def install_dashboard(self) -> None:
        """The cook dashboard at /grill-stats, from dashboards/grill_stats.yaml (every start)."""
        config = load_yaml_dict(DASHBOARD_FILE)
        async with self.session.ws_connect(f"{self.base}/api/websocket") as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            if (await ws.receive_json()).get("type") != "auth_ok":
                raise SystemExit("the WebSocket API refused the access token")
            ids = iter(range(1, 100))

            async def call(message: dict[str, Any]) -> Any:
                await ws.send_json({"id": next(ids), **message})
                answer = await ws.receive_json()
                if not answer.get("success"):
                    raise SystemExit(f"{message['type']}: {answer.get('error')}")
                return answer.get("result")

            dashboards = await call({"type": "lovelace/dashboards/list"})
            if not any(item["url_path"] == DASHBOARD_PATH for item in dashboards):
                log(f"installing the cook dashboard at /{DASHBOARD_PATH}")
                await call(
                    {
                        "type": "lovelace/dashboards/create",
                        "url_path": DASHBOARD_PATH,
                        "title": "Grill Stats",
                        "icon": "mdi:grill",
                        "show_in_sidebar": True,
                        "require_admin": False,
                        "mode": "storage",
                    }
                )
            await call(
                {"type": "lovelace/config/save", "url_path": DASHBOARD_PATH, "config": config}
            )


async def run(config: Path, port: int, mode: str, hass_args: list[str]) -> int:
    """Start Home Assistant, make it ready, print how to open it, wait for a stop signal."""
    if not port_is_free(port):
        raise SystemExit(f"port {port} on {HOST} is in use: stop what listens there or pass --port")
    password = prepare(config, port)
    base = f"http://{HOST}:{port}"
    log(f"starting Home Assistant (configuration: {config}); Ctrl-C stops it")
    hass = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "homeassistant",
        "--config",
        str(config),
        *hass_args,
        stdout=sys.stderr.fileno(),
        stderr=sys.stderr.fileno(),
        start_new_session=True,  # Ctrl-C reaches this process, which stops Home Assistant once
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    waiter = asyncio.create_task(hass.wait())
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            api = HomeAssistantApi(session, base)
            ready = asyncio.create_task(_make_ready(api, hass, mode, password))
            await asyncio.wait(
                [ready, waiter, asyncio.create_task(stop.wait())],
                return_when=asyncio.FIRST_COMPLETED,
            )
            if not ready.done():
                ready.cancel()
            elif (error := ready.exception()) is not None:
                raise error
            else:
                url = f"{base}/{DASHBOARD_PATH}" if mode == "demo" else f"{base}/"
                print(f"Grill Stats development Home Assistant is ready:\n{url}", flush=True)
                print(f"Username: {USERNAME}\nPassword: {password}", flush=True)
        await asyncio.wait(
            [waiter, asyncio.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        if hass.returncode is None:
            log("stopping Home Assistant")
            hass.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(waiter, 120)
            except TimeoutError:
                hass.kill()
                await waiter
    return 0 if stop.is_set() else (hass.returncode or 1)


async def _make_ready(
    api: HomeAssistantApi, hass: asyncio.subprocess.Process, mode: str, password: str
) -> None:
    await api.wait_until_up(hass)
    await api.onboard(password)
    if mode == "demo":
        await api.ensure_demo_entry()
        await api.install_dashboard()
    await api.wait_until_running()


def main() -> int:
    """Parse the arguments scripts/develop passes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--mode", choices=("demo", "empty"), default="demo")
    parser.add_argument("hass_args", nargs="*")
    args = parser.parse_args()
    os.umask(0o077)
    return asyncio.run(run(args.config.resolve(), args.port, args.mode, args.hass_args))


if __name__ == "__main__":
    sys.exit(main())
