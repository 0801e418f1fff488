"""The config and options flows' forms: one schema each, built once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Home Assistant 2026.10 validates with probatio (voluptuous-compatible); the separate
# voluptuous package is not what its flow serializer understands.
import probatio as vol
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .const import (
    CONF_ALLOW_PLAIN_HTTP,
    CONF_DEFAULT_HIGH,
    CONF_DEFAULT_LOW,
    CONF_ENDPOINT,
    CONF_EXPECT_STALL,
    CONF_FAST_POLLING,
    CONF_PROVIDER,
    CONF_SCAN_INTERVAL,
    EXPECT_STALL_OPTIONS,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
    PROVIDERS,
)

EMAIL_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.EMAIL, autocomplete="username")
)
PASSWORD_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)
URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
TEMPERATURE_SELECTOR = NumberSelector(
    NumberSelectorConfig(
        min=-40, max=700, step=0.5, unit_of_measurement="°F", mode=NumberSelectorMode.BOX
    )
)
OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_SCAN_INTERVAL): NumberSelector(
            NumberSelectorConfig(
                min=MIN_SCAN_INTERVAL,
                max=MAX_SCAN_INTERVAL,
                step=1,
                unit_of_measurement="s",
                mode=NumberSelectorMode.BOX,
            )
        ),
        vol.Optional(CONF_FAST_POLLING): BooleanSelector(),
        vol.Optional(CONF_EXPECT_STALL): SelectSelector(
            SelectSelectorConfig(
                options=list(EXPECT_STALL_OPTIONS),
                translation_key=CONF_EXPECT_STALL,
                mode=SelectSelectorMode.DROPDOWN,
            )
        ),
        vol.Optional(CONF_DEFAULT_HIGH): TEMPERATURE_SELECTOR,
        vol.Optional(CONF_DEFAULT_LOW): TEMPERATURE_SELECTOR,
    }
)


def credentials_schema(custom: bool) -> vol.Schema:
    """E-mail and password, and for a custom cloud its URL first."""
    fields: dict[Any, Any] = {}
    if custom:
        fields[vol.Required(CONF_ENDPOINT)] = URL_SELECTOR
    fields[vol.Required(CONF_EMAIL)] = EMAIL_SELECTOR
    fields[vol.Required(CONF_PASSWORD)] = PASSWORD_SELECTOR
    if custom:
        fields[vol.Optional(CONF_ALLOW_PLAIN_HTTP)] = BooleanSelector()
    return vol.Schema(fields)


PROVIDER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_PROVIDER): SelectSelector(
            SelectSelectorConfig(
                options=list(PROVIDERS),
                translation_key=CONF_PROVIDER,
                mode=SelectSelectorMode.LIST,
            )
        )
    }
)
REAUTH_SCHEMA = vol.Schema({vol.Required(CONF_PASSWORD): PASSWORD_SELECTOR})


def without_password(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Suggested values for a form: never echo a password back."""
    return {key: value for key, value in (values or {}).items() if key != CONF_PASSWORD}
