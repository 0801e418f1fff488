"""Builds the cloud client an entry (or a config flow) asks for; the demo's starts its cloud."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from grillstats.thermoworks import ETI, THERMOWORKS, Provider, ThermoworksClient, custom_provider

from .const import CONF_ENDPOINT, CONF_PROVIDER, PROVIDER_CUSTOM, PROVIDER_DEMO, PROVIDER_ETI
from .demo import DemoCloud, async_start_demo


def provider_for(data: Mapping[str, Any]) -> Provider:
    """The cloud an entry's data names; ``ValueError`` for a custom URL that is not one."""
    kind = data.get(CONF_PROVIDER)
    if kind == PROVIDER_CUSTOM:
        return custom_provider(str(data.get(CONF_ENDPOINT, "")))
    return ETI if kind == PROVIDER_ETI else THERMOWORKS


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> ThermoworksClient:
    """A client on Home Assistant's shared aiohttp session (never a session of its own)."""
    return ThermoworksClient(
        async_get_clientsession(hass),
        data[CONF_EMAIL],
        data[CONF_PASSWORD],
        provider=provider_for(data),
    )


async def async_create_entry_client(
    hass: HomeAssistant, entry: ConfigEntry
) -> tuple[ThermoworksClient, DemoCloud | None]:
    """The entry's client; for the demo, on its simulator, started now (it stops at unload)."""
    if entry.data.get(CONF_PROVIDER) != PROVIDER_DEMO:
        return create_client(hass, entry.data), None
    demo = await async_start_demo(hass, entry)
    return create_client(hass, demo.entry_data(entry.data)), demo
