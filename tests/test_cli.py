"""The ``grill-stats`` command, end to end: a simulator process and the status command."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from grillstats.cli import EXIT_AUTH, EXIT_CLOUD, EXIT_OK, build_parser, main, run_simulate

# The Home Assistant test plugin blocks sockets; these tests talk to loopback servers.
pytestmark = pytest.mark.usefixtures("socket_enabled")

EMAIL = "cli@example.com"
PASSWORD = "brisket-203"


@pytest.fixture(scope="module")
def simulator_url() -> Iterator[str]:
    """``grill-stats simulate`` in its own process, on a free loopback port."""
    process = subprocess.Popen(  # noqa: S603 - our own command
        [
            sys.executable,
            "-m",
            "grillstats.cli",
            "simulate",
            "--port",
            "0",
            "--devices",
            "3",
            "--speed",
            "0",
            "--seed",
            "7",
            "--email",
            EMAIL,
            "--password",
            PASSWORD,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    banner = [process.stdout.readline() for _ in range(6)]
    try:
        assert "listening on http://127.0.0.1:" in banner[0]
        assert f"password: {PASSWORD}" in "".join(banner)
        yield banner[0].rsplit(" ", 1)[-1].strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_status_table(simulator_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["status", "--endpoint", simulator_url, "--email", EMAIL, "--password", PASSWORD])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert "device(s), 4 request(s)" in out
    assert "battery" in out
    assert PASSWORD not in out


def test_status_json_watch_from_env_password(
    simulator_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRILLSTATS_PASSWORD", PASSWORD)
    code = main(
        [
            "status",
            "--endpoint",
            simulator_url,
            "--email",
            EMAIL,
            "--json",
            "--watch",
            "0.01",
            "--count",
            "3",
        ]
    )
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert code == EXIT_OK
    assert len(lines) == 3
    polls = [json.loads(line) for line in lines]
    assert [poll["requests"] for poll in polls] == [4, 1, 1]  # one signed-in session
    device = polls[0]["devices"][0]
    assert {
        "serial",
        "name",
        "model",
        "battery",
        "charging",
        "signal",
        "last_seen",
        "online",
    } <= set(device)
    probe = device["probes"][0]
    assert {"number", "name", "temperature", "unit", "connected", "alarm_high", "alarm_low"} <= set(
        probe
    )
    assert PASSWORD not in captured.out + captured.err


def test_bad_credentials_exit_2(simulator_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["status", "--endpoint", simulator_url, "--email", EMAIL, "--password", "nope"])
    captured = capsys.readouterr()
    assert code == EXIT_AUTH
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "INVALID_PASSWORD" in captured.err
    assert "nope" not in captured.err


def test_unreachable_cloud_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "status",
            "--endpoint",
            "http://127.0.0.1:9",
            "--email",
            EMAIL,
            "--password",
            "x",
            "--timeout",
            "1",
        ]
    )
    assert code == EXIT_CLOUD
    assert "could not be reached" in capsys.readouterr().err


def test_missing_password_is_explained(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GRILLSTATS_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO())  # not a terminal: no prompt
    with pytest.raises(SystemExit, match="GRILLSTATS_PASSWORD"):
        main(["status", "--endpoint", "http://127.0.0.1:9", "--email", EMAIL])


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--email", EMAIL, "--endpoint", "ftp://x"],
        ["status", "--email", EMAIL, "--watch", "0"],
        ["simulate", "--devices", "-1"],
    ],
)
def test_bad_arguments(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--password", "x"] if argv[0] == "status" else argv)
    assert exit_info.value.code not in (0, None)


async def test_simulate_serves_until_cancelled(
    socket_enabled: None, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser().parse_args(["simulate", "--port", "0", "--devices", "2", "--speed", "0"])
    task = asyncio.create_task(run_simulate(args))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if "try:" in capsys.readouterr().out:
            break
    else:
        pytest.fail("the simulator printed no banner")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
