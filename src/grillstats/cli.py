"""The ``grill-stats`` command: ``status`` polls an account, ``simulate`` runs a local cloud."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import math
import os
import sys
from collections.abc import Sequence
from typing import Final, NoReturn, override

import aiohttp

from . import __version__
from .report import format_table, snapshot_data
from .thermoworks import (
    PROVIDERS,
    AuthenticationError,
    Provider,
    RateLimitedError,
    ThermoworksClient,
    ThermoworksError,
    custom_provider,
)

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
"""The simulator could not start (e.g. its port is taken)."""
EXIT_AUTH: Final = 2
EXIT_CLOUD: Final = 3
EXIT_USAGE: Final = 64
"""A mistake on the command line (BSD's EX_USAGE), kept apart from 2 = bad credentials."""
PASSWORD_ENV: Final = "GRILLSTATS_PASSWORD"  # noqa: S105 - a variable name


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error; here 2 means bad credentials."""

    @override
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line's grammar."""
    parser = _Parser(prog="grill-stats", description="ThermoWorks Cloud tools from Grill Stats.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    status = commands.add_parser("status", help="poll an account and print its devices")
    where = status.add_mutually_exclusive_group()
    where.add_argument("--provider", choices=sorted(PROVIDERS), default="thermoworks")
    where.add_argument("--endpoint", help="base URL of a simulator or mirror")
    status.add_argument("--email", required=True)
    status.add_argument(
        "--password", help=f"the password (or set {PASSWORD_ENV}; asked for when neither is set)"
    )
    status.add_argument("--json", action="store_true", help="print JSON (one object per poll)")
    status.add_argument("--watch", type=_positive, metavar="SECONDS", help="poll again every N s")
    status.add_argument("--count", type=_positive_int, metavar="N", help="with --watch: N polls")
    status.add_argument("--timeout", type=_positive, default=15.0, help="seconds per request")

    simulate = commands.add_parser("simulate", help="run a local ThermoWorks Cloud simulator")
    simulate.add_argument("--host", default="127.0.0.1")
    simulate.add_argument("--port", type=int, default=8089)
    simulate.add_argument("--devices", type=_positive_int, default=2)
    simulate.add_argument(
        "--speed", type=_non_negative, default=1.0, help="simulated seconds per second"
    )
    simulate.add_argument("--seed", type=int, default=0)
    simulate.add_argument("--email", default="pitmaster@example.com")
    simulate.add_argument("--password", default="smoke-ring")
    return parser


def _positive(text: str) -> float:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError("must be a finite number >= 0")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _password(args: argparse.Namespace) -> str:
    if args.password:
        return str(args.password)
    if env := os.environ.get(PASSWORD_ENV):
        return env
    if sys.stdin.isatty():
        return getpass.getpass("ThermoWorks password: ")
    raise _UsageError(f"no password: pass --password or set {PASSWORD_ENV}")


def _provider(args: argparse.Namespace) -> Provider:
    if args.endpoint:
        try:
            return custom_provider(args.endpoint)
        except ValueError as err:
            raise _UsageError(str(err)) from None
    return PROVIDERS[args.provider]


class _UsageError(Exception):
    """A value the grammar accepted but that cannot be used."""


async def run_status(args: argparse.Namespace) -> int:
    """Poll once, or every ``--watch`` seconds on one signed-in session."""
    password = _password(args)
    provider = _provider(args)
    polls = 0
    result = EXIT_OK
    async with aiohttp.ClientSession() as session:
        client = ThermoworksClient(
            session, args.email, password, provider=provider, request_timeout=args.timeout
        )
        while True:
            try:
                snapshot = await client.async_get_snapshot()
            except AuthenticationError as err:
                print(f"grill-stats: {err}", file=sys.stderr)
                return EXIT_AUTH
            except RateLimitedError as err:
                wait = f" (it asks to wait {err.retry_after:g} s)" if err.retry_after else ""
                print(f"grill-stats: {err}{wait}", file=sys.stderr)
                result = EXIT_CLOUD
            except ThermoworksError as err:
                print(f"grill-stats: {err}", file=sys.stderr)
                result = EXIT_CLOUD
            else:
                result = EXIT_OK
                if args.json:
                    print(json.dumps(snapshot_data(snapshot), ensure_ascii=False), flush=True)
                else:
                    print(format_table(snapshot), flush=True)
            polls += 1
            if args.watch is None or (args.count is not None and polls >= args.count):
                return result
            if not args.json:
                print(flush=True)
            await asyncio.sleep(args.watch)


async def run_simulate(args: argparse.Namespace) -> int:
    """Serve a simulated cloud until interrupted."""
    from .simulator import CloudSimulator  # noqa: PLC0415 - only this command needs it

    simulator = CloudSimulator(
        devices=args.devices,
        seed=args.seed,
        speed=args.speed,
        email=args.email,
        password=args.password,
    )
    try:
        base_url = await simulator.start(args.host, args.port)
    except OSError as err:
        print(f"grill-stats: cannot listen on {args.host}:{args.port}: {err}", file=sys.stderr)
        return EXIT_FAILED
    print(f"ThermoWorks Cloud simulator listening on {base_url}")
    print(f"  e-mail:   {args.email}")
    print(f"  password: {args.password}")
    print(
        f"  devices:  {len(simulator.state()['devices'])}, speed x{args.speed:g}, seed {args.seed}"
    )
    print(f"  control:  {base_url}/_sim/state")
    print(
        f"  try:      grill-stats status --endpoint {base_url} --email {args.email} "
        f"--password {args.password}",
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await simulator.stop()
    return EXIT_OK  # pragma: no cover - only reached by cancellation


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``grill-stats`` console script."""
    args = build_parser().parse_args(argv)
    runner = run_status if args.command == "status" else run_simulate
    with contextlib.suppress(KeyboardInterrupt):
        try:
            return asyncio.run(runner(args))
        except _UsageError as err:
            print(f"grill-stats: {err}", file=sys.stderr)
            return EXIT_USAGE
    return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
