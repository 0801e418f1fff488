"""Grill Stats: ThermoWorks wireless thermometers in Home Assistant."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .alerts import async_remove_store
from .client_factory import async_create_entry_client
from .const import CONF_DEFAULT_HIGH, CONF_DEFAULT_LOW, CONF_SCAN_INTERVAL, DOMAIN
from .coordinator import GrillStatsConfigEntry, GrillStatsCoordinator, GrillStatsRuntimeData
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SENSOR,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, whatever entries exist."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: GrillStatsConfigEntry) -> bool:
    """Set up one ThermoWorks account (or the demo)."""
    client, demo = await async_create_entry_client(hass, entry)
    coordinator = GrillStatsCoordinator(hass, entry, client, demo)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = GrillStatsRuntimeData(coordinator=coordinator)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: GrillStatsConfigEntry) -> bool:
    """1.1 → 1.2: options saved by 1.1 left an empty default threshold out; now it is None.

    Home Assistant calls this for any entry whose version differs from the flow's: a newer
    major version cannot be read (False: the entry stays unloaded), a newer minor one can.
    """
    if entry.version > 1:
        return False
    if entry.minor_version >= 2:
        return True
    options = dict(entry.options)
    if CONF_SCAN_INTERVAL in options:  # saved by 1.1's options form
        for key in (CONF_DEFAULT_HIGH, CONF_DEFAULT_LOW):
            options.setdefault(key, None)
    hass.config_entries.async_update_entry(entry, options=options, minor_version=2)
    return True


async def async_remove_entry(hass: HomeAssistant, entry: GrillStatsConfigEntry) -> None:
    """The entry is deleted: so is what it stored (fired crossings, cooks in progress)."""
    await async_remove_store(hass, entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: GrillStatsConfigEntry) -> bool:
    """Unload an entry (the demo's simulator stops with it)."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
