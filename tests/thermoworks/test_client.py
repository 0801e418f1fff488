"""The client against the simulator over real loopback HTTP: auth, faults, discovery, economy."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from grillstats.simulator import CloudSimulator
from grillstats.thermoworks import (
    AuthenticationError,
    CloudConnectionError,
    ProtocolError,
    RateLimitedError,
    RetryPolicy,
    Snapshot,
    ThermoworksClient,
    custom_provider,
)

from .conftest import FAST_RETRY, Control, FakeClock

# The Home Assistant test plugin blocks sockets; these tests talk to loopback servers.
pytestmark = pytest.mark.usefixtures("socket_enabled")

FIRESTORE = "/v1/projects"


def _other_client(
    session: aiohttp.ClientSession, simulator: CloudSimulator, **kwargs: object
) -> ThermoworksClient:
    options: dict[str, object] = {
        "provider": custom_provider(simulator.base_url),
        "request_timeout": 1.0,
        "retry": FAST_RETRY,
    }
    options.update(kwargs)
    email = str(options.pop("email", simulator.email))
    password = str(options.pop("password", simulator.password))
    return ThermoworksClient(session, email, password, **options)  # type: ignore[arg-type]


def _readings(snapshot: Snapshot) -> dict[tuple[str, str], float | None]:
    return {
        (serial, channel_number): channel.temperature
        for serial, device in snapshot.devices.items()
        for channel_number, channel in device.channels.items()
    }


async def test_first_poll_matches_the_simulator(
    client: ThermoworksClient, control: Control
) -> None:
    snapshot = await client.async_get_snapshot()
    state = await control.state()
    assert sorted(snapshot.devices) == sorted(d["serial"] for d in state["devices"])
    for device in state["devices"]:
        parsed = snapshot.devices[device["serial"]]
        assert parsed.model == device["device"]
        assert parsed.online is device["online"]
        assert parsed.battery == device["battery"]
        assert sorted(parsed.channels) == sorted(c["number"] for c in device["channels"])
        for channel in device["channels"]:
            got = parsed.channels[channel["number"]]
            if channel["unplugged"] or channel["value"] is None:
                assert got.temperature is None
            else:
                assert got.temperature == pytest.approx(channel["value"], abs=0.01)
            assert got.unit.value == channel["units"]
    assert snapshot.requests == 4  # sign-in, users/{uid}, runQuery, batchGet
    assert client.account is not None
    assert snapshot.account.account_id == client.account.account_id


@pytest.mark.parametrize("devices", [1, 5, 20])
async def test_steady_state_poll_is_one_request(
    session: aiohttp.ClientSession, devices: int
) -> None:
    simulator = CloudSimulator(devices=devices, seed=3, speed=0)
    await simulator.start("127.0.0.1", 0)
    try:
        client = _other_client(session, simulator)
        await client.async_get_snapshot()
        control = Control(session, simulator.base_url)
        await control("POST", "stats/reset")
        for _ in range(3):
            await control("POST", "clock", {"advance_seconds": 300})
            snapshot = await client.async_get_snapshot()
            assert snapshot.requests == 1
            assert len(snapshot.devices) == len((await control.state())["devices"])
        assert await control.requests_by_kind() == {"batchGet": 3}
    finally:
        await simulator.stop()


async def test_readings_follow_the_cook(client: ThermoworksClient, control: Control) -> None:
    first = await client.async_get_snapshot()
    await control("POST", "clock", {"advance_seconds": 1800})
    second = await client.async_get_snapshot()
    assert (second.cloud_time - first.cloud_time).total_seconds() == pytest.approx(1800, abs=1)
    assert _readings(first) != _readings(second)


async def test_token_is_refreshed_before_it_expires(
    client: ThermoworksClient, control: Control, clock: FakeClock
) -> None:
    await client.async_get_snapshot()
    await control("POST", "stats/reset")
    clock.advance(3600 - 200)  # inside the 5-minute refresh margin
    snapshot = await client.async_get_snapshot()
    # The hour also passed the 30-minute device-list interval: one runQuery comes with it.
    assert snapshot.requests == 3
    assert await control.requests_by_kind() == {"token": 1, "runQuery": 1, "batchGet": 1}


async def test_expired_token_is_renewed_transparently(
    client: ThermoworksClient, control: Control
) -> None:
    await client.async_get_snapshot()
    await control("POST", "tokens/expire", {"refresh": False})
    await control("POST", "stats/reset")
    snapshot = await client.async_get_snapshot()
    assert snapshot.devices
    assert await control.requests_by_kind() == {"batchGet": 2, "token": 1}


async def test_every_token_expired_signs_in_again_with_the_password(
    client: ThermoworksClient, control: Control
) -> None:
    await client.async_get_snapshot()
    assert (await control("POST", "tokens/expire"))["refresh_tokens"] == 1
    await control("POST", "stats/reset")
    assert (await client.async_get_snapshot()).devices
    assert await control.requests_by_kind() == {"batchGet": 2, "token": 1, "signIn": 1}


async def test_dead_refresh_token_falls_back_to_password(
    client: ThermoworksClient, control: Control, simulator: CloudSimulator
) -> None:
    await client.async_get_snapshot()
    # Same password again: the account's refresh tokens are revoked, the password still works.
    await control("POST", "accounts", {"email": simulator.email, "password": simulator.password})
    await control("POST", "tokens/expire")
    await control("POST", "stats/reset")
    snapshot = await client.async_get_snapshot()
    assert snapshot.devices
    kinds = await control.requests_by_kind()
    assert kinds["token"] == 1
    assert kinds["signIn"] == 1


async def test_changed_password_raises_authentication_error(
    client: ThermoworksClient, control: Control, simulator: CloudSimulator
) -> None:
    await client.async_get_snapshot()
    await control("POST", "accounts", {"email": simulator.email, "password": "new-secret"})
    await control("POST", "tokens/expire")
    with pytest.raises(AuthenticationError) as err:
        await client.async_get_snapshot()
    assert err.value.reason in {"INVALID_PASSWORD", "INVALID_LOGIN_CREDENTIALS"}
    assert "password" in str(err.value)


@pytest.mark.parametrize(
    ("email", "password", "reason"),
    [
        (None, "wrong", "INVALID_PASSWORD"),
        ("nobody@example.com", "whatever", "EMAIL_NOT_FOUND"),
    ],
)
async def test_bad_credentials(
    session: aiohttp.ClientSession,
    simulator: CloudSimulator,
    email: str | None,
    password: str,
    reason: str,
) -> None:
    client = _other_client(session, simulator, email=email or simulator.email, password=password)
    with pytest.raises(AuthenticationError) as err:
        await client.async_login()
    assert err.value.reason == reason


async def test_too_many_sign_in_attempts_is_rate_limiting(
    session: aiohttp.ClientSession, simulator: CloudSimulator
) -> None:
    client = _other_client(session, simulator, password="wrong")
    errors: list[type[Exception]] = []
    for _ in range(8):
        try:
            await client.async_login()
        except (AuthenticationError, RateLimitedError) as err:
            errors.append(type(err))
    assert errors[0] is AuthenticationError
    assert errors[-1] is RateLimitedError


async def test_429_carries_retry_after(client: ThermoworksClient, control: Control) -> None:
    await client.async_get_snapshot()
    await control(
        "POST", "faults", {"status": 429, "count": 1, "path_prefix": FIRESTORE, "retry_after": 30}
    )
    with pytest.raises(RateLimitedError) as err:
        await client.async_get_snapshot()
    assert err.value.retry_after == 30
    assert (await client.async_get_snapshot()).devices  # the next poll works


async def test_5xx_is_retried_then_succeeds(client: ThermoworksClient, control: Control) -> None:
    await client.async_get_snapshot()
    await control("POST", "faults", {"status": 500, "count": 2, "path_prefix": FIRESTORE})
    await control("POST", "stats/reset")
    snapshot = await client.async_get_snapshot()
    assert snapshot.devices
    assert snapshot.requests == 3


async def test_persistent_5xx_is_a_connection_error(
    client: ThermoworksClient, control: Control
) -> None:
    await client.async_get_snapshot()
    await control("POST", "faults", {"status": 503, "count": 3, "path_prefix": FIRESTORE})
    # The cloud's own trouble is not the user's network: the message says which.
    with pytest.raises(CloudConnectionError, match=r"having trouble \(HTTP 503 ") as err:
        await client.async_get_snapshot()
    assert "internet connection" not in str(err.value)


async def test_timeout_is_retried_then_a_connection_error(
    session: aiohttp.ClientSession, simulator: CloudSimulator, control: Control
) -> None:
    client = _other_client(session, simulator, request_timeout=0.3)
    await client.async_get_snapshot()
    await control("POST", "faults", {"delay_seconds": 1.0, "count": 1, "path_prefix": FIRESTORE})
    assert (await client.async_get_snapshot()).requests == 2  # one timed out, one retried
    await control("POST", "faults", {"delay_seconds": 1.0, "count": 3, "path_prefix": FIRESTORE})
    with pytest.raises(CloudConnectionError, match="timed out"):
        await client.async_get_snapshot()


async def test_network_failure_is_a_connection_error(session: aiohttp.ClientSession) -> None:
    client = ThermoworksClient(
        session,
        "a@example.com",
        "pw",
        provider=custom_provider("http://127.0.0.1:9"),
        retry=RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.001),
    )
    with pytest.raises(CloudConnectionError):
        await client.async_get_snapshot()


async def test_malformed_answer_is_a_protocol_error(
    client: ThermoworksClient, control: Control
) -> None:
    await client.async_get_snapshot()
    await control("POST", "faults", {"malformed": True, "count": 1, "path_prefix": FIRESTORE})
    with pytest.raises(ProtocolError):
        await client.async_get_snapshot()
    assert (await client.async_get_snapshot()).devices


async def test_unplugged_probe_has_no_reading(client: ThermoworksClient, control: Control) -> None:
    snapshot = await client.async_get_snapshot()
    serial, device = next(
        (s, d) for s, d in snapshot.devices.items() if d.model == "signals" and d.online
    )
    await control("POST", f"devices/{serial}/channels/2", {"unplugged": True})
    await control("POST", f"devices/{serial}/channels/1", {"value": 251.5})
    snapshot = await client.async_get_snapshot()
    assert snapshot.devices[serial].channels["2"].temperature is None
    assert snapshot.devices[serial].channels["2"].connected is False
    assert snapshot.devices[serial].channels["1"].temperature == 251.5
    await control("POST", f"devices/{serial}/channels/2", {"unplugged": False})
    snapshot = await client.async_get_snapshot()
    assert snapshot.devices[serial].channels["2"].connected is True
    assert snapshot.devices[serial].channels["2"].temperature is not None
    assert device.channels["2"].connected is True  # it was plugged in before


async def test_offline_device_goes_stale(client: ThermoworksClient, control: Control) -> None:
    snapshot = await client.async_get_snapshot()
    serial = next(s for s, d in snapshot.devices.items() if d.model == "signals")
    await control("POST", f"devices/{serial}", {"online": False})
    await control("POST", "clock", {"advance_seconds": 20 * 60})
    device = (await client.async_get_snapshot()).devices[serial]
    assert device.online is False
    assert all(channel.temperature is None for channel in device.channels.values())
    await control("POST", f"devices/{serial}", {"online": True})
    device = (await client.async_get_snapshot()).devices[serial]
    assert device.online is True
    assert any(channel.temperature is not None for channel in device.channels.values())


async def test_removed_device_disappears_at_once(
    client: ThermoworksClient, control: Control
) -> None:
    snapshot = await client.async_get_snapshot()
    serial = next(iter(snapshot.devices))
    await control("DELETE", f"devices/{serial}")
    snapshot = await client.async_get_snapshot()
    assert serial not in snapshot.devices
    assert snapshot.requests == 1


async def test_new_device_found_at_the_next_list(
    client: ThermoworksClient, control: Control, clock: FakeClock
) -> None:
    before = await client.async_get_snapshot()
    added = (await control("POST", "devices", {"family": "smoke"}))["serial"]
    assert added not in (await client.async_get_snapshot()).devices
    clock.advance(30 * 60)
    snapshot = await client.async_get_snapshot()
    assert added in snapshot.devices
    assert len(snapshot.devices) == len(before.devices) + 1
    assert snapshot.requests == 2  # runQuery + batchGet
    assert len(snapshot.devices[added].channels) == 2


async def test_refresh_devices_lists_again(client: ThermoworksClient, control: Control) -> None:
    await client.async_get_snapshot()
    added = (await control("POST", "devices", {"family": "node"}))["serial"]
    client.refresh_devices()
    snapshot = await client.async_get_snapshot()
    assert added in snapshot.devices
    assert any(channel.is_humidity for channel in snapshot.devices[added].channels.values())


async def test_new_channel_found_for_free(client: ThermoworksClient, control: Control) -> None:
    snapshot = await client.async_get_snapshot()
    serial = next(s for s, d in snapshot.devices.items() if d.model == "smoke")
    count = len(snapshot.devices[serial].channels)
    await control("POST", f"devices/{serial}/channels", {})
    snapshot = await client.async_get_snapshot()
    assert len(snapshot.devices[serial].channels) == count + 1
    assert snapshot.requests == 2  # the batch found channel N+1, a second one asked for N+2
    assert (await client.async_get_snapshot()).requests == 1


async def test_batch_get_refused_falls_back_to_single_gets(
    client: ThermoworksClient, control: Control, clock: FakeClock
) -> None:
    first = await client.async_get_snapshot()
    await control("POST", "faults", {"status": 403, "count": 1, "path_prefix": f"{FIRESTORE}/"})
    await control("POST", "clock", {"advance_seconds": 1200})
    # The 403 hits the batchGet; the client then reads document by document, judging
    # freshness by the cloud's Date header (simulated time, 20 minutes on).
    snapshot = await client.async_get_snapshot()
    assert client.uses_batch_get is False
    assert any(
        channel.temperature is not None
        for device in snapshot.devices.values()
        for channel in device.channels.values()
    )
    assert sorted(snapshot.devices) == sorted(first.devices)
    channels = sum(len(device.channels) for device in snapshot.devices.values())
    assert snapshot.requests == 1 + len(snapshot.devices) + channels + len(snapshot.devices)
    assert (await client.async_get_snapshot()).requests > 1  # still one GET per document
    # A refusal may pass: the next device-list read tries batchGet again.
    clock.advance(31 * 60)
    assert (await client.async_get_snapshot()).requests == 2  # runQuery + batchGet
    assert (await client.async_get_snapshot()).requests == 1  # batched again


async def test_project_id_from_web_config(
    session: aiohttp.ClientSession, simulator: CloudSimulator, control: Control
) -> None:
    provider = dataclasses.replace(custom_provider(simulator.base_url), project_id=None)
    client = _other_client(session, simulator, provider=provider)
    await client.async_login()
    assert (await control.requests_by_kind())["webConfig"] == 1
    assert (await client.async_get_snapshot()).devices


async def test_scrambled_documents_never_crash_the_poll(
    client: ThermoworksClient, control: Control
) -> None:
    first = await client.async_get_snapshot()
    await control("POST", "faults", {"scramble": True, "count": 1, "path_prefix": FIRESTORE})
    snapshot = await client.async_get_snapshot()
    assert sorted(snapshot.devices) == sorted(first.devices)
    for device in snapshot.devices.values():
        assert device.battery is None
        assert all(channel.temperature is None for channel in device.channels.values())
    assert _readings(await client.async_get_snapshot()) == _readings(first)


async def test_scrambled_device_list_keeps_the_devices(
    client: ThermoworksClient, control: Control
) -> None:
    await client.async_login()
    await control("POST", "faults", {"scramble": True, "count": 1, "path_prefix": f"{FIRESTORE}/"})
    snapshot = await client.async_get_snapshot()
    assert len(snapshot.devices) == len((await control.state())["devices"])


@pytest.mark.parametrize(
    ("fault", "match"),
    [
        ({"malformed": True}, "not JSON"),
        ({"status": 403}, "HTTP 403"),
        ({"scramble": True}, "account id"),
    ],
)
async def test_unusable_user_profile_is_a_protocol_error(
    client: ThermoworksClient, control: Control, fault: dict[str, object], match: str
) -> None:
    await control("POST", "faults", {**fault, "count": 1, "path_prefix": f"{FIRESTORE}/"})
    with pytest.raises(ProtocolError, match=match):
        await client.async_login()


async def test_two_passing_401s_cost_a_refresh_and_a_sign_in_not_a_reauth(
    client: ThermoworksClient, control: Control
) -> None:
    await client.async_get_snapshot()
    await control("POST", "faults", {"status": 401, "count": 2, "path_prefix": FIRESTORE})
    await control("POST", "stats/reset")
    assert (await client.async_get_snapshot()).devices
    assert await control.requests_by_kind() == {"batchGet": 3, "token": 1, "signIn": 1}


async def test_firestore_refusing_even_a_fresh_sign_in_is_not_an_auth_error(
    client: ThermoworksClient, control: Control
) -> None:
    """The password works (sign-in succeeded): asking the user for it again would not help."""
    await client.async_get_snapshot()
    await control("POST", "faults", {"status": 401, "count": 3, "path_prefix": FIRESTORE})
    with pytest.raises(ProtocolError, match="refuses its own fresh token") as err:
        await client.async_get_snapshot()
    assert not isinstance(err.value, AuthenticationError)
    assert (await client.async_get_snapshot()).devices


async def test_an_unreadable_device_document_costs_only_that_device(
    client: ThermoworksClient, control: Control, clock: FakeClock
) -> None:
    first = await client.async_get_snapshot()
    bad, *others = sorted(first.devices)
    await control("POST", f"devices/{bad}", {"corrupt": True})
    snapshot = await client.async_get_snapshot()
    assert sorted(snapshot.devices) == others
    assert snapshot.unreadable == {bad}
    # Listing the devices again does not lose it either: it is on the account.
    clock.advance(31 * 60)
    snapshot = await client.async_get_snapshot()
    assert sorted(snapshot.devices) == others
    assert snapshot.unreadable == {bad}
    await control("POST", f"devices/{bad}", {"corrupt": False})
    snapshot = await client.async_get_snapshot()
    assert sorted(snapshot.devices) == sorted(first.devices)
    assert snapshot.unreadable == frozenset()
    assert snapshot.devices[bad].channels.keys() == first.devices[bad].channels.keys()


async def test_a_whole_poll_has_a_time_budget(
    session: aiohttp.ClientSession, simulator: CloudSimulator, control: Control
) -> None:
    """Each request is within its own timeout, but together they take too long."""
    client = _other_client(session, simulator, request_timeout=1.0, poll_timeout=0.5)
    await control("POST", "faults", {"delay_seconds": 0.3, "count": 4})
    with pytest.raises(CloudConnectionError, match=r"within 0\.5 s"):
        await client.async_get_snapshot()
    await control("DELETE", "faults")
    assert (await client.async_get_snapshot()).devices


async def test_wrong_api_key_is_a_protocol_error(
    session: aiohttp.ClientSession, simulator: CloudSimulator
) -> None:
    provider = dataclasses.replace(custom_provider(simulator.base_url), api_key="nope")
    client = _other_client(session, simulator, provider=provider)
    with pytest.raises(ProtocolError, match="app key"):
        await client.async_login()


async def test_missing_web_config_is_a_protocol_error(
    session: aiohttp.ClientSession, simulator: CloudSimulator, control: Control
) -> None:
    provider = dataclasses.replace(custom_provider(simulator.base_url), project_id=None)
    client = _other_client(session, simulator, provider=provider)
    await control("POST", "faults", {"status": 404, "count": 1, "path_prefix": "/v1alpha"})
    with pytest.raises(ProtocolError, match="project id"):
        await client.async_login()


async def test_device_list_errors(client: ThermoworksClient, control: Control) -> None:
    await client.async_login()
    await control("POST", "faults", {"status": 403, "count": 1, "path_prefix": FIRESTORE})
    with pytest.raises(ProtocolError, match="listing the devices"):
        await client.async_get_snapshot()
    assert (await client.async_get_snapshot()).devices  # the next poll lists them again


async def test_freshness_uses_the_cloud_clock_not_ours(
    session: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """A cloud whose clock is a day behind ours still gives fresh readings, batched or not."""
    yesterday = datetime.now(UTC) - timedelta(days=1)
    simulator = CloudSimulator(devices=2, seed=5, speed=0, start_time=yesterday)
    await simulator.start("127.0.0.1", 0)
    try:
        client = _other_client(session, simulator)
        batched = await client.async_get_snapshot()
        await Control(session, simulator.base_url)(
            "POST", "faults", {"status": 403, "count": 1, "path_prefix": f"{FIRESTORE}/"}
        )
        single = await client.async_get_snapshot()
        assert client.uses_batch_get is False
        for snapshot in (batched, single):
            assert abs(snapshot.cloud_time - yesterday) < timedelta(minutes=1)
            assert all(device.online for device in snapshot.devices.values())
        assert _readings(single) == _readings(batched)
        assert any(value is not None for value in _readings(single).values())
    finally:
        await simulator.stop()


async def test_account_without_devices(
    session: aiohttp.ClientSession, simulator: CloudSimulator, control: Control
) -> None:
    await control("POST", "accounts", {"email": "new@example.com", "password": "first-cook"})
    client = _other_client(session, simulator, email="new@example.com", password="first-cook")
    snapshot = await client.async_get_snapshot()
    assert snapshot.devices == {}
    assert snapshot.requests == 3  # sign-in, users/{uid}, runQuery: nothing to batch


# -- answers of the wrong shape, each from a `body` fault ----------------------------------


async def _answer(control: Control, path: str, body: object, status: int | None = None) -> None:
    """The next request to ``path`` gets ``body`` (JSON) as its answer."""
    fault: dict[str, object] = {"body": body, "count": 1, "path_prefix": path}
    if status is not None:
        fault["status"] = status
    await control("POST", "faults", fault)


def _documents_path(simulator: CloudSimulator) -> str:
    return f"/v1/projects/{simulator.project_id}/databases/(default)/documents"


@pytest.mark.parametrize(
    ("kind", "body", "match"),
    [
        (":runQuery", {"documents": []}, "device list is not a list"),
        (":batchGet", {"found": []}, "batchGet answer is not a list"),
        (":batchGet", {"error": {"status": "ABORTED"}}, "HTTP 409 ABORTED while reading"),
    ],
)
async def test_answers_of_the_wrong_shape_are_protocol_errors(
    client: ThermoworksClient,
    control: Control,
    simulator: CloudSimulator,
    clock: FakeClock,
    kind: str,
    body: object,
    match: str,
) -> None:
    await client.async_get_snapshot()
    clock.advance(31 * 60)  # the next poll lists the devices again
    status = 409 if "error" in str(body) else None
    await _answer(control, _documents_path(simulator) + kind, body, status)
    with pytest.raises(ProtocolError, match=match):
        await client.async_get_snapshot()
    assert (await client.async_get_snapshot()).devices


async def test_a_device_list_of_odd_elements_holds_no_devices(
    client: ThermoworksClient, control: Control, simulator: CloudSimulator, clock: FakeClock
) -> None:
    """Elements that are not objects, hold no document, or name no device are passed over."""
    before = await client.async_get_snapshot()
    clock.advance(31 * 60)
    odd = [7, {"readTime": "2026-11-28T12:00:00Z"}, {"document": {"name": "nowhere"}}]
    await _answer(control, _documents_path(simulator) + ":runQuery", odd)
    snapshot = await client.async_get_snapshot()
    assert snapshot.devices == {}  # the list is the account's word: every device left
    assert snapshot.unreadable == frozenset()
    assert client.requests > before.requests
    clock.advance(31 * 60)
    assert sorted((await client.async_get_snapshot()).devices) == sorted(before.devices)


async def test_batch_elements_that_name_nothing_leave_the_devices_unreadable_not_gone(
    client: ThermoworksClient, control: Control, simulator: CloudSimulator
) -> None:
    before = await client.async_get_snapshot()
    root = _documents_path(simulator).removeprefix("/v1/")
    odd = [7, {"found": {"fields": {}}}, {"missing": "elsewhere/devices/X"}, {"readTime": "x"}]
    await _answer(control, _documents_path(simulator) + ":batchGet", odd)
    snapshot = await client.async_get_snapshot()
    assert snapshot.devices == {}
    assert snapshot.unreadable == before.devices.keys()
    # A `missing` for the device itself is the cloud saying it left.
    serial = min(before.devices)
    await _answer(
        control, _documents_path(simulator) + ":batchGet", [{"missing": f"{root}/devices/{serial}"}]
    )
    assert serial not in (await client.async_get_snapshot()).unreadable
    assert serial not in (await client.async_get_snapshot()).devices


async def test_single_gets_raise_on_an_unexpected_status(
    client: ThermoworksClient, control: Control, simulator: CloudSimulator
) -> None:
    await client.async_get_snapshot()
    documents = _documents_path(simulator)
    await control("POST", "faults", {"status": 403, "count": 1, "path_prefix": documents + ":"})
    await control("POST", "faults", {"status": 409, "count": 1, "path_prefix": documents + "/"})
    with pytest.raises(ProtocolError, match=r"HTTP 409 .* while reading a device"):
        await client.async_get_snapshot()
    assert client.uses_batch_get is False
    assert client.provider.key == "custom"
