"""The ``grill-stats`` command, end to end: a simulator process and the status command."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import subprocess
import sys
import urllib.request
from collections.abc import Iterator

import pytest

from grillstats.cli import (
    EXIT_AUTH,
    EXIT_CLOUD,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    build_parser,
    main,
    run_simulate,
)

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
    assert main(["status", "--endpoint", "http://127.0.0.1:9", "--email", EMAIL]) == EXIT_USAGE
    assert "GRILLSTATS_PASSWORD" in capsys.readouterr().err


def test_an_unusable_endpoint_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["status", "--email", EMAIL, "--endpoint", "ftp://x", "--password", "x"]
    assert main(argv) == EXIT_USAGE
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--email", EMAIL, "--watch", "0", "--password", "x"],
        ["status", "--email", EMAIL, "--watch", "nan", "--password", "x"],
        ["status", "--email", EMAIL, "--provider", "eti", "--endpoint", "http://x"],
        ["status", "--password", "x"],
        ["simulate", "--devices", "-1"],
        ["simulate", "--speed", "-1"],
        ["simulate", "--speed", "nan"],
        [],
    ],
)
def test_bad_arguments_are_usage_errors_never_the_bad_credentials_code(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == EXIT_USAGE
    assert "usage: grill-stats" in capsys.readouterr().err


async def test_simulate_on_a_taken_port_says_so_in_one_line(
    simulator_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    port = simulator_url.rsplit(":", 1)[-1]
    args = build_parser().parse_args(["simulate", "--port", port, "--devices", "1"])
    assert await run_simulate(args) == EXIT_FAILED
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"status": 503, "count": 3}, "having trouble (HTTP 503"),
        ({"status": 429, "count": 1, "retry_after": 30}, "it asks to wait 30 s"),
    ],
)
def test_cloud_trouble_exit_3(
    simulator_url: str,
    capsys: pytest.CaptureFixture[str],
    fault: dict[str, object],
    expected: str,
) -> None:
    request = urllib.request.Request(  # noqa: S310 - our own loopback simulator
        f"{simulator_url}/_sim/faults",
        data=json.dumps({**fault, "path_prefix": "/v1/projects"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 201
    code = main(["status", "--endpoint", simulator_url, "--email", EMAIL, "--password", PASSWORD])
    assert code == EXIT_CLOUD
    assert expected in capsys.readouterr().err


def test_the_password_is_never_logged(
    simulator_url: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not even at debug level, where every request is logged."""
    with caplog.at_level(logging.DEBUG):
        for password in (PASSWORD, "not-the-password"):
            main(["status", "--endpoint", simulator_url, "--email", EMAIL, "--password", password])
    assert "POST" in caplog.text  # requests were logged...
    captured = capsys.readouterr()
    for secret in (PASSWORD, "not-the-password"):
        assert secret not in caplog.text + captured.out + captured.err


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
