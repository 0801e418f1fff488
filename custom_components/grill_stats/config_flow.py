"""Config flow: pick a cloud and sign in; reauth, reconfigure, and the options form."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any, override

from homeassistant.config_entries import (
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_EMAIL
from homeassistant.core import callback
from yarl import URL

from grillstats.thermoworks import (
    Account,
    AuthenticationError,
    CloudConnectionError,
    ProtocolError,
    RateLimitedError,
)

from .client_factory import create_client
from .const import (
    CONF_ALLOW_PLAIN_HTTP,
    CONF_ENDPOINT,
    CONF_PROVIDER,
    DEMO_UNIQUE_ID,
    DOMAIN,
    LOGGER,
    PROVIDER_CUSTOM,
    PROVIDER_DEMO,
)
from .coordinator import GrillStatsConfigEntry
from .options import GrillStatsOptions, options_from_form
from .schemas import (
    OPTIONS_SCHEMA,
    PROVIDER_SCHEMA,
    REAUTH_SCHEMA,
    credentials_schema,
    without_password,
)


def _sends_password_in_clear(endpoint: str | None) -> bool:
    """Whether ``endpoint`` is plain http to a host other than this machine."""
    if endpoint is None:
        return False
    url = URL(endpoint)
    host = url.host or ""
    if url.scheme != "http" or host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return True  # a name: it resolves to somewhere else


def _without_consent(data: Mapping[str, Any]) -> dict[str, Any]:
    """What an entry stores: the consent to plain http is asked again at every change."""
    return {key: value for key, value in data.items() if key != CONF_ALLOW_PLAIN_HTTP}


class GrillStatsConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a ThermoWorks account: one entry per account, whatever e-mail signs in to it."""

    VERSION = 1
    MINOR_VERSION = 2
    """1.2: the options store an empty default threshold as None (1.1 left the key out)."""

    def __init__(self) -> None:
        """Start with no provider chosen."""
        self._provider = ""

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: GrillStatsConfigEntry) -> GrillStatsOptionsFlow:
        """The options: poll interval, fast polling, stall expectation, default thresholds."""
        return GrillStatsOptionsFlow()

    async def _async_sign_in(
        self, data: Mapping[str, Any]
    ) -> tuple[Account | None, dict[str, str]]:
        """Check credentials against the cloud; errors keyed for the form."""
        try:
            client = create_client(self.hass, data)
        except ValueError:
            return None, {CONF_ENDPOINT: "invalid_url"}
        if not data.get(CONF_ALLOW_PLAIN_HTTP) and _sends_password_in_clear(
            data.get(CONF_ENDPOINT)
        ):
            return None, {CONF_ENDPOINT: "insecure_endpoint"}
        try:
            return await client.async_login(), {}
        except AuthenticationError:
            return None, {"base": "invalid_auth"}
        except RateLimitedError:
            return None, {"base": "rate_limited"}
        except (CloudConnectionError, ProtocolError):
            return None, {"base": "cannot_connect"}
        except Exception:
            LOGGER.exception("Unexpected error while signing in to ThermoWorks Cloud")
            return None, {"base": "unknown"}

    async def _async_sign_in_same_account(self, data: Mapping[str, Any]) -> dict[str, str]:
        """Sign in for reauth or reconfigure; abort if it opens another account."""
        account, errors = await self._async_sign_in(data)
        if account is not None:
            await self.async_set_unique_id(account.account_id)
            self._abort_if_unique_id_mismatch(reason="wrong_account")
        return errors

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the cloud."""
        if user_input is not None:
            self._provider = user_input[CONF_PROVIDER]
            if self._provider == PROVIDER_DEMO:
                await self.async_set_unique_id(DEMO_UNIQUE_ID)
                self._abort_if_unique_id_configured(error="demo_already_configured")
                return self.async_create_entry(
                    title="Grill Stats demo", data={CONF_PROVIDER: PROVIDER_DEMO}
                )
            return await self.async_step_credentials()
        return self.async_show_form(step_id="user", data_schema=PROVIDER_SCHEMA)

    async def async_step_credentials(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in; the account id becomes the entry's unique id."""
        errors: dict[str, str] = {}
        custom = self._provider == PROVIDER_CUSTOM
        if user_input is not None:
            data = {CONF_PROVIDER: self._provider, **user_input}
            account, errors = await self._async_sign_in(data)
            if account is not None:
                await self.async_set_unique_id(account.account_id)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=user_input[CONF_EMAIL], data=_without_consent(data)
                )
        schema = self.add_suggested_values_to_schema(
            credentials_schema(custom), without_password(user_input)
        )
        return self.async_show_form(
            step_id="custom" if custom else "credentials", data_schema=schema, errors=errors
        )

    async def async_step_custom(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The credentials step, with an endpoint field (a simulator or a mirror)."""
        return await self.async_step_credentials(user_input)

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The cloud refused the stored password."""
        if entry_data.get(CONF_PROVIDER) == PROVIDER_DEMO:
            # The demo signs in to its own simulator with credentials made at start-up:
            # there is no password to ask for, and a reload resumes its cook.
            return self.async_abort(reason="demo_no_reauth")
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the password again; it must open the same account."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None and not (
            errors := await self._async_sign_in_same_account({**entry.data, **user_input})
        ):
            return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=REAUTH_SCHEMA,
            description_placeholders={"email": entry.data.get(CONF_EMAIL, "")},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the e-mail, password or endpoint; the account must stay the same."""
        entry = self._get_reconfigure_entry()
        if entry.data.get(CONF_PROVIDER) == PROVIDER_DEMO:
            return self.async_abort(reason="demo_not_reconfigurable")
        custom = entry.data.get(CONF_PROVIDER) == PROVIDER_CUSTOM
        errors: dict[str, str] = {}
        if user_input is not None and not (
            errors := await self._async_sign_in_same_account({**entry.data, **user_input})
        ):
            return self.async_update_reload_and_abort(
                entry, title=user_input[CONF_EMAIL], data_updates=_without_consent(user_input)
            )
        schema = self.add_suggested_values_to_schema(
            credentials_schema(custom), without_password(user_input or entry.data)
        )
        return self.async_show_form(step_id="reconfigure", data_schema=schema, errors=errors)


class GrillStatsOptionsFlow(OptionsFlowWithReload):
    """Polling, the stall expectation and new probes' thresholds; the entry reloads on save."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The options form."""
        if user_input is not None:
            return self.async_create_entry(data=options_from_form(user_input))
        current = GrillStatsOptions.from_entry(self.config_entry).form_values()
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(OPTIONS_SCHEMA, current),
        )
