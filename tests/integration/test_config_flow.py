"""The config flow: user, credentials and custom steps, reauth, reconfigure and options."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import (
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

from .snapshots import ACCOUNT

EMAIL = "pitmaster@example.com"
PASSWORD = "burnt-ends"
ENDPOINT = "http://127.0.0.1:8089"
OTHER_ACCOUNT = replace(ACCOUNT, uid="someone-else", account_id="another-account")

ERRORS = pytest.mark.parametrize(
    ("side_effect", "error"),
    [
        (AuthenticationError("refused", "INVALID_PASSWORD"), "invalid_auth"),
        (RateLimitedError("slow down", retry_after=60), "rate_limited"),
        (CloudConnectionError("no route"), "cannot_connect"),
        (ProtocolError("not JSON"), "cannot_connect"),
        (RuntimeError("boom"), "unknown"),
    ],
    ids=["auth", "rate_limited", "connection", "protocol", "unexpected"],
)


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    """Keep a created or reloaded entry from really setting up."""
    with patch("custom_components.grill_stats.async_setup_entry", return_value=True) as setup_entry:
        yield setup_entry


async def _start_user_flow(hass: HomeAssistant, provider: str) -> dict[str, Any]:
    """Open the user step and pick a cloud."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] is None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PROVIDER: provider}
    )
    return dict(result)


def get_schema_suggested_value(schema: Any, key: str) -> Any:
    """The suggested value a form shows for ``key`` (None when it suggests none).

    The plugin's helper of that name iterates the schema itself, which a probatio
    ``Schema`` does not allow; its ``schema`` mapping holds the markers.
    """
    for marker in schema.schema:
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
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "credentials"
    assert result["errors"] == {}
    assert _schema_keys(result) == [CONF_EMAIL, CONF_PASSWORD]

    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
        )
    )
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


async def test_user_flow_custom(
    hass: HomeAssistant, mock_client: AsyncMock, mock_setup_entry: AsyncMock
) -> None:
    result = await _start_user_flow(hass, PROVIDER_CUSTOM)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "custom"
    assert result["errors"] == {}
    assert _schema_keys(result) == [CONF_ENDPOINT, CONF_EMAIL, CONF_PASSWORD]

    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_ENDPOINT: ENDPOINT, CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD},
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == EMAIL
    assert result["result"].unique_id == ACCOUNT.account_id
    assert result["data"] == {
        CONF_PROVIDER: PROVIDER_CUSTOM,
        CONF_ENDPOINT: ENDPOINT,
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: PASSWORD,
    }


async def test_user_flow_demo(hass: HomeAssistant, mock_setup_entry: AsyncMock) -> None:
    result = await _start_user_flow(hass, PROVIDER_DEMO)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Grill Stats demo"
    assert result["data"] == {CONF_PROVIDER: PROVIDER_DEMO}
    assert result["result"].unique_id == DEMO_UNIQUE_ID

    # A second demo is the same entry (and the message says demo, not account).
    result = await _start_user_flow(hass, PROVIDER_DEMO)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "demo_already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


@ERRORS
@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_flow_errors_then_recovery(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    side_effect: Exception,
    error: str,
) -> None:
    result = await _start_user_flow(hass, PROVIDER_THERMOWORKS)
    mock_client.async_login.side_effect = side_effect
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: "wrong"}
        )
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "credentials"
    assert result["errors"] == {"base": error}
    schema = result["data_schema"]
    assert get_schema_suggested_value(schema, CONF_EMAIL) == EMAIL
    assert get_schema_suggested_value(schema, CONF_PASSWORD) is None
    assert hass.config_entries.async_entries(DOMAIN) == []

    mock_client.async_login.side_effect = None
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == ACCOUNT.account_id
    assert result["data"] == {
        CONF_PROVIDER: PROVIDER_THERMOWORKS,
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: PASSWORD,
    }
    assert mock_client.async_login.await_count == 2


async def test_user_flow_unexpected_error_is_logged(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    mock_setup_entry: AsyncMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    result = await _start_user_flow(hass, PROVIDER_ETI)
    mock_client.async_login.side_effect = RuntimeError("boom")
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
        )
    )
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error while signing in to ThermoWorks Cloud" in caplog.text
    assert "RuntimeError: boom" in caplog.text


@pytest.mark.parametrize("endpoint", ["ftp://127.0.0.1", "not a url", "http://"])
async def test_user_flow_custom_invalid_url_then_recovery(
    hass: HomeAssistant, mock_client: AsyncMock, mock_setup_entry: AsyncMock, endpoint: str
) -> None:
    result = await _start_user_flow(hass, PROVIDER_CUSTOM)
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_ENDPOINT: endpoint, CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD},
        )
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "custom"
    assert result["errors"] == {CONF_ENDPOINT: "invalid_url"}
    schema = result["data_schema"]
    assert get_schema_suggested_value(schema, CONF_ENDPOINT) == endpoint
    assert get_schema_suggested_value(schema, CONF_EMAIL) == EMAIL
    assert get_schema_suggested_value(schema, CONF_PASSWORD) is None
    mock_client.async_login.assert_not_awaited()

    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_ENDPOINT: ENDPOINT, CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD},
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_ENDPOINT] == ENDPOINT
    assert result["result"].unique_id == ACCOUNT.account_id


async def test_user_flow_same_account_other_email(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    mock_setup_entry: AsyncMock,
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await _start_user_flow(hass, PROVIDER_THERMOWORKS)
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_EMAIL: "another-login@example.com", CONF_PASSWORD: PASSWORD}
        )
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [mock_config_entry]
    assert mock_config_entry.data[CONF_EMAIL] == "cook@example.com"


async def test_user_flow_other_account_is_a_new_entry(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    mock_setup_entry: AsyncMock,
) -> None:
    mock_config_entry.add_to_hass(hass)
    mock_client.async_login.return_value = OTHER_ACCOUNT
    result = await _start_user_flow(hass, PROVIDER_THERMOWORKS)
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == OTHER_ACCOUNT.account_id
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


# --- against the simulator ------------------------------------------------------------------


async def test_user_flow_against_simulator(
    hass: HomeAssistant, cloud: CloudSimulator, mock_setup_entry: AsyncMock
) -> None:
    result = await _start_user_flow(hass, PROVIDER_CUSTOM)
    assert result["step_id"] == "custom"
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {
                CONF_ENDPOINT: cloud.base_url,
                CONF_EMAIL: cloud.email,
                CONF_PASSWORD: cloud.password + "-wrong",
            },
        )
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "custom"
    assert result["errors"] == {"base": "invalid_auth"}
    assert get_schema_suggested_value(result["data_schema"], CONF_PASSWORD) is None
    assert get_schema_suggested_value(result["data_schema"], CONF_ENDPOINT) == cloud.base_url

    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_ENDPOINT: cloud.base_url, CONF_EMAIL: cloud.email, CONF_PASSWORD: cloud.password},
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == cloud.email
    assert result["result"].unique_id == cloud.owner.account_id
    assert result["data"] == {
        CONF_PROVIDER: PROVIDER_CUSTOM,
        CONF_ENDPOINT: cloud.base_url,
        CONF_EMAIL: cloud.email,
        CONF_PASSWORD: cloud.password,
    }


async def test_reauth_against_simulator(
    hass: HomeAssistant,
    cloud: CloudSimulator,
    cloud_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    cloud_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        cloud_entry, data={**cloud_entry.data, CONF_PASSWORD: "stale"}
    )
    result = await cloud_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: cloud.password}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert cloud_entry.data[CONF_PASSWORD] == cloud.password


# --- reauth -------------------------------------------------------------------------------


async def test_reauth(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    mock_setup_entry: AsyncMock,
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {}
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["email"] == "cook@example.com"
    assert _schema_keys(dict(result)) == [CONF_PASSWORD]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "pork-butt"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data == {
        CONF_PROVIDER: PROVIDER_THERMOWORKS,
        CONF_EMAIL: "cook@example.com",
        CONF_PASSWORD: "pork-butt",
    }
    assert mock_config_entry.unique_id == ACCOUNT.account_id
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


@ERRORS
@pytest.mark.usefixtures("mock_setup_entry")
async def test_reauth_errors_then_recovery(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    side_effect: Exception,
    error: str,
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)
    mock_client.async_login.side_effect = side_effect
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "wrong"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": error}
    assert get_schema_suggested_value(result["data_schema"], CONF_PASSWORD) is None
    assert mock_config_entry.data[CONF_PASSWORD] == "brisket"

    mock_client.async_login.side_effect = None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "pork-butt"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data[CONF_PASSWORD] == "pork-butt"


async def test_reauth_wrong_account(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    mock_setup_entry: AsyncMock,
) -> None:
    mock_config_entry.add_to_hass(hass)
    mock_client.async_login.return_value = OTHER_ACCOUNT
    result = await mock_config_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "pork-butt"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert mock_config_entry.data[CONF_PASSWORD] == "brisket"
    assert mock_config_entry.unique_id == ACCOUNT.account_id


async def test_reauth_of_the_demo_is_refused(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    """The demo has no password to ask for: the flow ends at once, the entry untouched."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Grill Stats demo",
        unique_id=DEMO_UNIQUE_ID,
        data={CONF_PROVIDER: PROVIDER_DEMO},
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "demo_no_reauth"
    assert entry.data == {CONF_PROVIDER: PROVIDER_DEMO}
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []


# --- reconfigure ----------------------------------------------------------------------------


async def test_reconfigure(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    mock_setup_entry: AsyncMock,
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = dict(await mock_config_entry.start_reconfigure_flow(hass))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {}
    assert _schema_keys(result) == [CONF_EMAIL, CONF_PASSWORD]
    schema = result["data_schema"]
    assert get_schema_suggested_value(schema, CONF_EMAIL) == "cook@example.com"
    assert get_schema_suggested_value(schema, CONF_PASSWORD) is None

    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
        )
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.title == EMAIL
    assert mock_config_entry.data == {
        CONF_PROVIDER: PROVIDER_THERMOWORKS,
        CONF_EMAIL: EMAIL,
        CONF_PASSWORD: PASSWORD,
    }
    assert mock_config_entry.unique_id == ACCOUNT.account_id
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


@ERRORS
@pytest.mark.usefixtures("mock_setup_entry")
async def test_reconfigure_errors_then_recovery(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    side_effect: Exception,
    error: str,
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    mock_client.async_login.side_effect = side_effect
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: "wrong"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": error}
    schema = result["data_schema"]
    assert get_schema_suggested_value(schema, CONF_EMAIL) == EMAIL
    assert get_schema_suggested_value(schema, CONF_PASSWORD) is None
    assert mock_config_entry.data[CONF_EMAIL] == "cook@example.com"

    mock_client.async_login.side_effect = None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.title == EMAIL
    assert mock_config_entry.data[CONF_EMAIL] == EMAIL
    assert mock_config_entry.data[CONF_PASSWORD] == PASSWORD


async def test_reconfigure_wrong_account(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: AsyncMock,
    mock_setup_entry: AsyncMock,
) -> None:
    mock_config_entry.add_to_hass(hass)
    mock_client.async_login.return_value = OTHER_ACCOUNT
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert mock_config_entry.title == "cook@example.com"
    assert mock_config_entry.data[CONF_EMAIL] == "cook@example.com"
    assert mock_config_entry.data[CONF_PASSWORD] == "brisket"


async def test_reconfigure_demo(hass: HomeAssistant, mock_setup_entry: AsyncMock) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Grill Stats demo",
        unique_id=DEMO_UNIQUE_ID,
        data={CONF_PROVIDER: PROVIDER_DEMO},
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "demo_not_reconfigurable"
    assert entry.data == {CONF_PROVIDER: PROVIDER_DEMO}


async def test_reconfigure_custom_endpoint(
    hass: HomeAssistant, mock_client: AsyncMock, mock_setup_entry: AsyncMock
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="cook@example.com",
        unique_id=ACCOUNT.account_id,
        data={
            CONF_PROVIDER: PROVIDER_CUSTOM,
            CONF_ENDPOINT: ENDPOINT,
            CONF_EMAIL: "cook@example.com",
            CONF_PASSWORD: "brisket",
        },
    )
    entry.add_to_hass(hass)
    result = dict(await entry.start_reconfigure_flow(hass))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert _schema_keys(result) == [CONF_ENDPOINT, CONF_EMAIL, CONF_PASSWORD]
    assert get_schema_suggested_value(result["data_schema"], CONF_ENDPOINT) == ENDPOINT

    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_ENDPOINT: "mirror.local", CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD},
        )
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_ENDPOINT: "invalid_url"}
    schema = result["data_schema"]
    assert get_schema_suggested_value(schema, CONF_ENDPOINT) == "mirror.local"
    assert get_schema_suggested_value(schema, CONF_PASSWORD) is None
    mock_client.async_login.assert_not_awaited()

    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_ENDPOINT: "https://mirror.local", CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD},
        )
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
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

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert (
        get_schema_suggested_value(result["data_schema"], CONF_SCAN_INTERVAL)
        == DEFAULT_SCAN_INTERVAL
        == 300
    )

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 60}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_SCAN_INTERVAL: 60, "fast_polling": True, **DEFAULTS}
    assert entry.options == {CONF_SCAN_INTERVAL: 60, "fast_polling": True, **DEFAULTS}
    assert isinstance(entry.options[CONF_SCAN_INTERVAL], int)
    await hass.async_block_till_done()
    # The reload polled once more.
    assert entry.state is ConfigEntryState.LOADED
    assert mock_client.async_get_snapshot.await_count == polls + 1


async def test_options_flow_suggests_current_value(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=ACCOUNT.account_id,
        data={CONF_PROVIDER: PROVIDER_THERMOWORKS, CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD},
        options={CONF_SCAN_INTERVAL: 90},
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert get_schema_suggested_value(result["data_schema"], CONF_SCAN_INTERVAL) == 90


@pytest.mark.parametrize("interval", [29, 3601])
async def test_options_flow_out_of_range(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
    interval: int,
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    with pytest.raises(InvalidData) as raised:
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_SCAN_INTERVAL: interval}
        )
    assert CONF_SCAN_INTERVAL in raised.value.schema_errors
    assert mock_config_entry.options == {}
    # The form is still open: a valid value goes through.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 30}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert mock_config_entry.options == {
        CONF_SCAN_INTERVAL: 30,
        "fast_polling": True,
        **DEFAULTS,
    }


async def test_options_default_thresholds_and_fast_polling(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    # Never saved: the built-in defaults are suggested (250 °F high, 32 °F low).
    assert get_schema_suggested_value(result["data_schema"], "default_high") == 250.0
    assert get_schema_suggested_value(result["data_schema"], "default_low") == 32.0
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 300, "fast_polling": False, "default_high": 275}
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
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    assert get_schema_suggested_value(result["data_schema"], "default_high") == 275.0
    assert get_schema_suggested_value(result["data_schema"], "default_low") is None


async def test_options_expect_a_stall(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    assert get_schema_suggested_value(result["data_schema"], "expect_stall") == "auto"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 300, "expect_stall": "always"}
    )
    assert mock_config_entry.options["expect_stall"] == "always"
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    assert get_schema_suggested_value(result["data_schema"], "expect_stall") == "always"
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_SCAN_INTERVAL: 300, "expect_stall": "sometimes"}
        )
