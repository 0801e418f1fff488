"""The config flow: user, credentials and custom steps, reauth, reconfigure and options."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any, NamedTuple
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import (
    CONF_ALLOW_PLAIN_HTTP,
    CONF_ENDPOINT,
    CONF_PROVIDER,
    CONF_SCAN_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DEMO_UNIQUE_ID,
    DOMAIN,
    PROVIDER_CUSTOM,
    PROVIDER_DEMO,
    PROVIDER_ETI,
    PROVIDER_THERMOWORKS,
)
from grillstats.simulator import CloudSimulator
from grillstats.thermoworks import (
    AuthenticationError,
    CloudConnectionError,
    ProtocolError,
    RateLimitedError,
)

from .conftest import account_entry, demo_entry
from .snapshots import ACCOUNT

EMAIL = "pitmaster@example.com"
PASSWORD = "burnt-ends"
CREDENTIALS = {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
"""A sign-in as the credentials form takes it."""
ENDPOINT = "http://127.0.0.1:8089"
OTHER_ACCOUNT = replace(ACCOUNT, uid="someone-else", account_id="another-account")


class LoginError(NamedTuple):
    """What signing in raises, and the error the form shows for it."""

    raised: Exception
    error: str


@pytest.fixture(
    params=[
        LoginError(AuthenticationError("refused", "INVALID_PASSWORD"), "invalid_auth"),
        LoginError(RateLimitedError("slow down", retry_after=60), "rate_limited"),
        LoginError(CloudConnectionError("no route"), "cannot_connect"),
        LoginError(ProtocolError("not JSON"), "cannot_connect"),
        LoginError(RuntimeError("boom"), "unknown"),
    ],
    ids=["auth", "rate_limited", "connection", "protocol", "unexpected"],
)
def login_error(request: pytest.FixtureRequest) -> LoginError:
    """Each way signing in can fail."""
    error: LoginError = request.param
    return error


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    """Keep a created or reloaded entry from really setting up."""
    with patch("custom_components.grill_stats.async_setup_entry", return_value=True) as setup_entry:
        yield setup_entry


async def _start_user_flow(hass: HomeAssistant, provider: str) -> dict[str, Any]:
    """Open the user step and pick a cloud."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    _assert_form(dict(result), "user", None)
    return await _configure(hass, dict(result), {CONF_PROVIDER: provider})


async def _start_entry_flow(
    hass: HomeAssistant, entry: MockConfigEntry, source: str
) -> dict[str, Any]:
    """Add ``entry`` to Home Assistant and start its reauth or reconfigure flow."""
    entry.add_to_hass(hass)
    if source == SOURCE_REAUTH:
        return dict(await entry.start_reauth_flow(hass))
    return dict(await entry.start_reconfigure_flow(hass))


async def _configure(
    hass: HomeAssistant, result: dict[str, Any], data: dict[str, Any]
) -> dict[str, Any]:
    """Submit ``data`` to the flow's current form."""
    return dict(await hass.config_entries.flow.async_configure(result["flow_id"], data))


async def _configure_failing(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    result: dict[str, Any],
    data: dict[str, Any],
    raised: Exception,
) -> dict[str, Any]:
    """Submit ``data`` while signing in raises ``raised``; signing in works again after."""
    mock_client.async_login.side_effect = raised
    result = await _configure(hass, result, data)
    mock_client.async_login.side_effect = None
    return result


async def _sign_in_to_another_account(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    entry: MockConfigEntry,
    source: str,
    data: dict[str, Any],
) -> None:
    """Start ``entry``'s reauth or reconfigure flow and sign in to another account: refused."""
    mock_client.async_login.return_value = OTHER_ACCOUNT
    result = await _start_entry_flow(hass, entry, source)
    result = await _configure(hass, result, data)
    _assert_abort(result, "wrong_account")


async def _assert_the_demo_refuses(hass: HomeAssistant, source: str, reason: str) -> None:
    """The demo's reauth or reconfigure flow ends at once for ``reason``, the entry untouched."""
    entry = demo_entry("Grill Stats demo")
    result = await _start_entry_flow(hass, entry, source)
    _assert_abort(result, reason)
    assert entry.data == {CONF_PROVIDER: PROVIDER_DEMO}


async def _open_options(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Open the options form of ``entry``."""
    return dict(await hass.config_entries.options.async_init(entry.entry_id))


async def _configure_options(
    hass: HomeAssistant, result: dict[str, Any], data: dict[str, Any]
) -> dict[str, Any]:
    """Submit ``data`` to the options form."""
    return dict(await hass.config_entries.options.async_configure(result["flow_id"], data))


def _assert_form(result: dict[str, Any], step_id: str, errors: dict[str, str] | None) -> None:
    """The flow shows the form of ``step_id``, with ``errors``."""
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step_id
    assert result["errors"] == errors


def _assert_abort(result: dict[str, Any], reason: str) -> None:
    """The flow ended for ``reason``."""
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason


async def _assert_saved_and_reloaded(
    hass: HomeAssistant, entry: MockConfigEntry, setup_entry: AsyncMock, data: dict[str, Any]
) -> None:
    """``entry`` now holds ``data``, still for the same account, and was set up again once."""
    assert entry.data == data
    assert entry.unique_id == ACCOUNT.account_id
    await hass.async_block_till_done()
    assert len(setup_entry.mock_calls) == 1


def _suggested(result: dict[str, Any], key: str) -> Any:
    """The value the form ``result`` suggests for ``key`` (None when it suggests none).

    The plugin's ``get_schema_suggested_value`` iterates the schema itself, which a probatio
    ``Schema`` does not allow; its ``schema`` mapping holds the markers.
    """
    for marker in result["data_schema"].schema:
        if marker == key:
            return (marker.description or {}).get("suggested_value")
    raise AssertionError(f"{key!r} is not a field of the form")


def _schema_keys(result: dict[str, Any]) -> list[str]:
    return [str(key) for key in result["data_schema"].schema]


# --- user step ---------------------------------------------------------------------------


@pytest.mark.parametrize("provider", [PROVIDER_THERMOWORKS, PROVIDER_ETI])
async def test_user_flow_cloud(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    mock_setup_entry: AsyncMock,
    provider: str,
) -> None:
    result = await _start_user_flow(hass, provider)
    _assert_form(result, "credentials", {})
    assert _schema_keys(result) == [CONF_EMAIL, CONF_PASSWORD]

    result = await _configure(hass, result, CREDENTIALS)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == EMAIL
    entry = result["result"]
    assert entry.unique_id == ACCOUNT.account_id
    assert entry.unique_id != EMAIL
    assert entry.data == {CONF_PROVIDER: provider, CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
    assert entry.options == {}
    mock_client.async_login.assert_awaited_once()
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.usefixtures("mock_client", "mock_setup_entry")
async def test_user_flow_custom(hass: HomeAssistant) -> None:
    result = await _start_user_flow(hass, PROVIDER_CUSTOM)
    _assert_form(result, "custom", {})
    assert _schema_keys(result) == [CONF_ENDPOINT, CONF_EMAIL, CONF_PASSWORD, CONF_ALLOW_PLAIN_HTTP]

    result = await _configure(hass, result, {CONF_ENDPOINT: ENDPOINT, **CREDENTIALS})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == EMAIL
    assert result["result"].unique_id == ACCOUNT.account_id
    assert result["data"] == {
        CONF_PROVIDER: PROVIDER_CUSTOM,
        CONF_ENDPOINT: ENDPOINT,
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: PASSWORD,
    }


@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_flow_demo(hass: HomeAssistant) -> None:
    result = await _start_user_flow(hass, PROVIDER_DEMO)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Grill Stats demo"
    assert result["data"] == {CONF_PROVIDER: PROVIDER_DEMO}
    assert result["result"].unique_id == DEMO_UNIQUE_ID

    # A second demo is the same entry (and the message says demo, not account).
    result = await _start_user_flow(hass, PROVIDER_DEMO)
    _assert_abort(result, "demo_already_configured")
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_flow_errors_then_recovery(
    hass: HomeAssistant, mock_client: AsyncMock, login_error: LoginError
) -> None:
    result = await _start_user_flow(hass, PROVIDER_THERMOWORKS)
    wrong = {CONF_EMAIL: EMAIL, CONF_PASSWORD: "wrong"}
    result = await _configure_failing(hass, mock_client, result, wrong, login_error.raised)
    _assert_form(result, "credentials", {"base": login_error.error})
    assert _suggested(result, CONF_EMAIL) == EMAIL
    assert _suggested(result, CONF_PASSWORD) is None
    assert hass.config_entries.async_entries(DOMAIN) == []

    result = await _configure(hass, result, CREDENTIALS)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == ACCOUNT.account_id
    assert result["data"] == {
        CONF_PROVIDER: PROVIDER_THERMOWORKS,
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: PASSWORD,
    }
    assert mock_client.async_login.await_count == 2


@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_flow_unexpected_error_is_logged(
    hass: HomeAssistant, mock_client: AsyncMock, caplog: pytest.LogCaptureFixture
) -> None:
    result = await _start_user_flow(hass, PROVIDER_ETI)
    result = await _configure_failing(hass, mock_client, result, CREDENTIALS, RuntimeError("boom"))
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error while signing in to ThermoWorks Cloud" in caplog.text
    assert "RuntimeError: boom" in caplog.text


@pytest.mark.parametrize("endpoint", ["ftp://127.0.0.1", "not a url", "http://"])
@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_flow_custom_invalid_url_then_recovery(
    hass: HomeAssistant, mock_client: AsyncMock, endpoint: str
) -> None:
    result = await _start_user_flow(hass, PROVIDER_CUSTOM)
    result = await _configure(hass, result, {CONF_ENDPOINT: endpoint, **CREDENTIALS})
    _assert_form(result, "custom", {CONF_ENDPOINT: "invalid_url"})
    assert _suggested(result, CONF_ENDPOINT) == endpoint
    assert _suggested(result, CONF_EMAIL) == EMAIL
    assert _suggested(result, CONF_PASSWORD) is None
    mock_client.async_login.assert_not_awaited()

    result = await _configure(hass, result, {CONF_ENDPOINT: ENDPOINT, **CREDENTIALS})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_ENDPOINT] == ENDPOINT
    assert result["result"].unique_id == ACCOUNT.account_id


@pytest.mark.parametrize(
    "endpoint", ["http://grill.example.com:8089", "http://192.168.1.20:8089", "http://[fd00::5]"]
)
@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_flow_plain_http_to_another_host_needs_consent(
    hass: HomeAssistant, mock_client: AsyncMock, endpoint: str
) -> None:
    """The password would cross the network in clear: nothing is sent until the user agrees."""
    result = await _start_user_flow(hass, PROVIDER_CUSTOM)
    result = await _configure(hass, result, {CONF_ENDPOINT: endpoint, **CREDENTIALS})
    _assert_form(result, "custom", {CONF_ENDPOINT: "insecure_endpoint"})
    assert _suggested(result, CONF_PASSWORD) is None
    mock_client.async_login.assert_not_awaited()

    consent = {CONF_ENDPOINT: endpoint, CONF_ALLOW_PLAIN_HTTP: True, **CREDENTIALS}
    result = await _configure(hass, result, consent)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_ENDPOINT] == endpoint
    assert CONF_ALLOW_PLAIN_HTTP not in result["data"]  # asked again at each change


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.1:8089", "http://localhost:8089", "http://[::1]", "https://x.io"]
)
@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_flow_loopback_or_https_needs_no_consent(
    hass: HomeAssistant, mock_client: AsyncMock, endpoint: str
) -> None:
    result = await _start_user_flow(hass, PROVIDER_CUSTOM)
    result = await _configure(hass, result, {CONF_ENDPOINT: endpoint, **CREDENTIALS})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    mock_client.async_login.assert_awaited_once()


@pytest.mark.usefixtures("mock_client", "mock_setup_entry")
async def test_user_flow_same_account_other_email(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await _start_user_flow(hass, PROVIDER_THERMOWORKS)
    result = await _configure(
        hass, result, {CONF_EMAIL: "another-login@example.com", CONF_PASSWORD: PASSWORD}
    )
    _assert_abort(result, "already_configured")
    assert hass.config_entries.async_entries(DOMAIN) == [mock_config_entry]
    assert mock_config_entry.data[CONF_EMAIL] == "cook@example.com"


@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_flow_other_account_is_a_new_entry(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    mock_config_entry.add_to_hass(hass)
    mock_client.async_login.return_value = OTHER_ACCOUNT
    result = await _start_user_flow(hass, PROVIDER_THERMOWORKS)
    result = await _configure(hass, result, CREDENTIALS)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == OTHER_ACCOUNT.account_id
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


# --- against the simulator ------------------------------------------------------------------


@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_flow_against_simulator(hass: HomeAssistant, cloud: CloudSimulator) -> None:
    result = await _start_user_flow(hass, PROVIDER_CUSTOM)
    assert result["step_id"] == "custom"
    sign_in = {CONF_ENDPOINT: cloud.base_url, CONF_EMAIL: cloud.email}
    result = await _configure(hass, result, {**sign_in, CONF_PASSWORD: cloud.password + "-wrong"})
    _assert_form(result, "custom", {"base": "invalid_auth"})
    assert _suggested(result, CONF_PASSWORD) is None
    assert _suggested(result, CONF_ENDPOINT) == cloud.base_url

    result = await _configure(hass, result, {**sign_in, CONF_PASSWORD: cloud.password})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == cloud.email
    assert result["result"].unique_id == cloud.owner.account_id
    assert result["data"] == {
        CONF_PROVIDER: PROVIDER_CUSTOM,
        CONF_ENDPOINT: cloud.base_url,
        CONF_EMAIL: cloud.email,
        CONF_PASSWORD: cloud.password,
    }


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reauth_against_simulator(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> None:
    cloud_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        cloud_entry, data={**cloud_entry.data, CONF_PASSWORD: "stale"}
    )
    result = dict(await cloud_entry.start_reauth_flow(hass))
    assert result["step_id"] == "reauth_confirm"
    result = await _configure(hass, result, {CONF_PASSWORD: "still-wrong"})
    assert result["errors"] == {"base": "invalid_auth"}
    result = await _configure(hass, result, {CONF_PASSWORD: cloud.password})
    _assert_abort(result, "reauth_successful")
    assert cloud_entry.data[CONF_PASSWORD] == cloud.password


# --- reauth -------------------------------------------------------------------------------


@pytest.mark.usefixtures("mock_client")
async def test_reauth(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    result = await _start_entry_flow(hass, mock_config_entry, SOURCE_REAUTH)
    _assert_form(result, "reauth_confirm", {})
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["email"] == "cook@example.com"
    assert _schema_keys(result) == [CONF_PASSWORD]

    result = await _configure(hass, result, {CONF_PASSWORD: "pork-butt"})
    _assert_abort(result, "reauth_successful")
    await _assert_saved_and_reloaded(
        hass,
        mock_config_entry,
        mock_setup_entry,
        {
            CONF_PROVIDER: PROVIDER_THERMOWORKS,
            CONF_EMAIL: "cook@example.com",
            CONF_PASSWORD: "pork-butt",
        },
    )


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reauth_errors_then_recovery(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    login_error: LoginError,
) -> None:
    result = await _start_entry_flow(hass, mock_config_entry, SOURCE_REAUTH)
    wrong = {CONF_PASSWORD: "wrong"}
    result = await _configure_failing(hass, mock_client, result, wrong, login_error.raised)
    _assert_form(result, "reauth_confirm", {"base": login_error.error})
    assert _suggested(result, CONF_PASSWORD) is None
    assert mock_config_entry.data[CONF_PASSWORD] == "brisket"

    result = await _configure(hass, result, {CONF_PASSWORD: "pork-butt"})
    _assert_abort(result, "reauth_successful")
    assert mock_config_entry.data[CONF_PASSWORD] == "pork-butt"


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reauth_wrong_account(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    await _sign_in_to_another_account(
        hass, mock_client, mock_config_entry, SOURCE_REAUTH, {CONF_PASSWORD: "pork-butt"}
    )
    assert mock_config_entry.data[CONF_PASSWORD] == "brisket"
    assert mock_config_entry.unique_id == ACCOUNT.account_id


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reauth_of_the_demo_is_refused(hass: HomeAssistant) -> None:
    """The demo has no password to ask for: the flow ends at once, the entry untouched."""
    await _assert_the_demo_refuses(hass, SOURCE_REAUTH, "demo_no_reauth")
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []


# --- reconfigure ----------------------------------------------------------------------------


@pytest.mark.usefixtures("mock_client")
async def test_reconfigure(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    result = await _start_entry_flow(hass, mock_config_entry, SOURCE_RECONFIGURE)
    _assert_form(result, "reconfigure", {})
    assert _schema_keys(result) == [CONF_EMAIL, CONF_PASSWORD]
    assert _suggested(result, CONF_EMAIL) == "cook@example.com"
    assert _suggested(result, CONF_PASSWORD) is None

    result = await _configure(hass, result, CREDENTIALS)
    _assert_abort(result, "reconfigure_successful")
    assert mock_config_entry.title == EMAIL
    await _assert_saved_and_reloaded(
        hass,
        mock_config_entry,
        mock_setup_entry,
        {CONF_PROVIDER: PROVIDER_THERMOWORKS, **CREDENTIALS},
    )


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reconfigure_errors_then_recovery(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    login_error: LoginError,
) -> None:
    result = await _start_entry_flow(hass, mock_config_entry, SOURCE_RECONFIGURE)
    wrong = {CONF_EMAIL: EMAIL, CONF_PASSWORD: "wrong"}
    result = await _configure_failing(hass, mock_client, result, wrong, login_error.raised)
    _assert_form(result, "reconfigure", {"base": login_error.error})
    assert _suggested(result, CONF_EMAIL) == EMAIL
    assert _suggested(result, CONF_PASSWORD) is None
    assert mock_config_entry.data[CONF_EMAIL] == "cook@example.com"

    result = await _configure(hass, result, CREDENTIALS)
    _assert_abort(result, "reconfigure_successful")
    assert mock_config_entry.title == EMAIL
    assert mock_config_entry.data[CONF_EMAIL] == EMAIL
    assert mock_config_entry.data[CONF_PASSWORD] == PASSWORD


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reconfigure_wrong_account(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    await _sign_in_to_another_account(
        hass, mock_client, mock_config_entry, SOURCE_RECONFIGURE, CREDENTIALS
    )
    assert mock_config_entry.title == "cook@example.com"
    assert mock_config_entry.data[CONF_EMAIL] == "cook@example.com"
    assert mock_config_entry.data[CONF_PASSWORD] == "brisket"


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reconfigure_demo(hass: HomeAssistant) -> None:
    await _assert_the_demo_refuses(hass, SOURCE_RECONFIGURE, "demo_not_reconfigurable")


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reconfigure_custom_endpoint(hass: HomeAssistant, mock_client: AsyncMock) -> None:
    entry = account_entry({CONF_PROVIDER: PROVIDER_CUSTOM, CONF_ENDPOINT: ENDPOINT})
    result = await _start_entry_flow(hass, entry, SOURCE_RECONFIGURE)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert _schema_keys(result) == [CONF_ENDPOINT, CONF_EMAIL, CONF_PASSWORD, CONF_ALLOW_PLAIN_HTTP]
    assert _suggested(result, CONF_ENDPOINT) == ENDPOINT

    result = await _configure(hass, result, {CONF_ENDPOINT: "mirror.local", **CREDENTIALS})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_ENDPOINT: "invalid_url"}
    assert _suggested(result, CONF_ENDPOINT) == "mirror.local"
    assert _suggested(result, CONF_PASSWORD) is None
    mock_client.async_login.assert_not_awaited()

    result = await _configure(hass, result, {CONF_ENDPOINT: "https://mirror.local", **CREDENTIALS})
    _assert_abort(result, "reconfigure_successful")
    assert entry.data == {
        CONF_PROVIDER: PROVIDER_CUSTOM,
        CONF_ENDPOINT: "https://mirror.local",
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: PASSWORD,
    }
    assert entry.title == EMAIL


# --- options --------------------------------------------------------------------------------

DEFAULTS = {"expect_stall": "auto", "default_high": None, "default_low": None}
"""What the options form saves for the optional fields left out (an empty field: none)."""


async def test_options_flow_reloads(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: AsyncMock
) -> None:
    entry = init_integration
    assert entry.state is ConfigEntryState.LOADED
    polls = mock_client.async_get_snapshot.await_count
    assert polls >= 1

    result = await _open_options(hass, entry)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert _suggested(result, CONF_SCAN_INTERVAL) == DEFAULT_SCAN_INTERVAL == 300

    result = await _configure_options(hass, result, {CONF_SCAN_INTERVAL: 60})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_SCAN_INTERVAL: 60, "fast_polling": True, **DEFAULTS}
    assert entry.options == {CONF_SCAN_INTERVAL: 60, "fast_polling": True, **DEFAULTS}
    assert isinstance(entry.options[CONF_SCAN_INTERVAL], int)
    await hass.async_block_till_done()
    # The reload polled once more.
    assert entry.state is ConfigEntryState.LOADED
    assert mock_client.async_get_snapshot.await_count == polls + 1


@pytest.mark.usefixtures("mock_setup_entry")
async def test_options_flow_suggests_current_value(hass: HomeAssistant) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=ACCOUNT.account_id,
        data={CONF_PROVIDER: PROVIDER_THERMOWORKS, **CREDENTIALS},
        options={CONF_SCAN_INTERVAL: 90},
    )
    entry.add_to_hass(hass)
    result = await _open_options(hass, entry)
    assert _suggested(result, CONF_SCAN_INTERVAL) == 90


@pytest.mark.parametrize("interval", [29, 3601])
@pytest.mark.usefixtures("mock_setup_entry")
async def test_options_flow_out_of_range(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, interval: int
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await _open_options(hass, mock_config_entry)
    with pytest.raises(InvalidData) as raised:
        await _configure_options(hass, result, {CONF_SCAN_INTERVAL: interval})
    assert CONF_SCAN_INTERVAL in raised.value.schema_errors
    assert mock_config_entry.options == {}
    # The form is still open: a valid value goes through.
    result = await _configure_options(hass, result, {CONF_SCAN_INTERVAL: 30})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert mock_config_entry.options == {
        CONF_SCAN_INTERVAL: 30,
        "fast_polling": True,
        **DEFAULTS,
    }


@pytest.mark.usefixtures("mock_setup_entry")
async def test_options_default_thresholds_and_fast_polling(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await _open_options(hass, mock_config_entry)
    # Never saved: the built-in defaults are suggested (250 °F high, 32 °F low).
    assert _suggested(result, "default_high") == 250.0
    assert _suggested(result, "default_low") == 32.0
    result = await _configure_options(
        hass, result, {CONF_SCAN_INTERVAL: 300, "fast_polling": False, "default_high": 275}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # No low default given: new probes get no low threshold (stored as None, not left out).
    assert mock_config_entry.options == {
        CONF_SCAN_INTERVAL: 300,
        "fast_polling": False,
        "expect_stall": "auto",
        "default_high": 275.0,
        "default_low": None,
    }
    result = await _open_options(hass, mock_config_entry)
    assert _suggested(result, "default_high") == 275.0
    assert _suggested(result, "default_low") is None


@pytest.mark.usefixtures("mock_setup_entry")
async def test_options_expect_a_stall(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await _open_options(hass, mock_config_entry)
    assert _suggested(result, "expect_stall") == "auto"
    result = await _configure_options(
        hass, result, {CONF_SCAN_INTERVAL: 300, "expect_stall": "always"}
    )
    assert mock_config_entry.options["expect_stall"] == "always"
    result = await _open_options(hass, mock_config_entry)
    assert _suggested(result, "expect_stall") == "always"
    with pytest.raises(InvalidData):
        await _configure_options(
            hass, result, {CONF_SCAN_INTERVAL: 300, "expect_stall": "sometimes"}
        )
