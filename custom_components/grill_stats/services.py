"""Actions: ``clear_threshold`` switches a threshold off; ``create_dashboard`` writes the dashboard.

Why ``clear_threshold``: a number entity always takes a value, so once a target or limit has been
set the UI cannot unset it, and a magic value (the minimum meaning "off") would be a trap.
Cleared, the number shows *unknown*, the alerts ignore it, and a restart keeps it off.

Why ``create_dashboard``: the committed dashboard names the demo's entities; this one is built
from the user's own registries (see :mod:`.dashboard`) and stored as a storage-mode dashboard.
"""

from __future__ import annotations

import inspect
from typing import Any, Final

import probatio as vol
from homeassistant.components.lovelace.const import (
    CONF_REQUIRE_ADMIN,
    CONF_SHOW_IN_SIDEBAR,
    CONF_TITLE,
    CONF_URL_PATH,
    LOVELACE_DATA,
    ConfigNotFound,
)
from homeassistant.components.lovelace.dashboard import DashboardsCollection, LovelaceStorage
from homeassistant.components.number import DOMAIN as NUMBER_DOMAIN
from homeassistant.const import CONF_ICON, CONF_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import service
from homeassistant.util import slugify

from .const import DOMAIN
from .dashboard import DEFAULT_TITLE, VIEW_PATHS, build_dashboard

SERVICE_CLEAR_THRESHOLD: Final = "clear_threshold"
SERVICE_CREATE_DASHBOARD: Final = "create_dashboard"
ATTR_URL_PATH: Final = "url_path"
ATTR_TITLE: Final = "title"
DEFAULT_URL_PATH: Final = "grill-stats"
DASHBOARD_ICON: Final = "mdi:grill"

CREATE_DASHBOARD_SCHEMA: Final = vol.Schema(
    {
        vol.Optional(ATTR_URL_PATH, default=DEFAULT_URL_PATH): cv.string,
        vol.Optional(ATTR_TITLE): cv.string,
    }
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions (once, in async_setup)."""
    service.async_register_platform_entity_service(
        hass,
        DOMAIN,
        SERVICE_CLEAR_THRESHOLD,
        entity_domain=NUMBER_DOMAIN,
        schema=None,
        func="async_clear_threshold",
    )
    # Admin only, as Home Assistant's own dashboard editing is.
    service.async_register_admin_service(
        hass,
        DOMAIN,
        SERVICE_CREATE_DASHBOARD,
        _async_create_dashboard,
        CREATE_DASHBOARD_SCHEMA,
        SupportsResponse.OPTIONAL,
    )


def _error(key: str, url_path: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"url_path": url_path},
    )


def _dashboards_collection(hass: HomeAssistant) -> DashboardsCollection | None:
    """Lovelace's own dashboards collection, the one its listeners and sidebar follow.

    Lovelace keeps it only in its websocket commands. A second collection on the same store
    would register no panel, and lovelace's, unaware of the new item, would drop it from the
    store at its next save: so the live one is taken from the ``create`` command's handler.
    """
    handlers: dict[str, tuple[Any, Any]] = hass.data.get("websocket_api") or {}
    handler = handlers.get("lovelace/dashboards/create", (None, None))[0]
    owner = getattr(inspect.unwrap(handler), "__self__", None) if handler else None
    collection = getattr(owner, "storage_collection", None)
    return collection if isinstance(collection, DashboardsCollection) else None


async def _is_ours(dashboard: LovelaceStorage) -> bool:
    """Empty, or exactly the views Grill Stats writes: anything else is the user's."""
    try:
        config = await dashboard.async_load(False)
    except ConfigNotFound:
        return True
    return {view.get("path") for view in config.get("views", [])} == set(VIEW_PATHS)


async def _async_create_dashboard(call: ServiceCall) -> ServiceResponse:
    """Create or update the storage dashboard at ``url_path`` for the loaded entries."""
    hass = call.hass
    url_path: str = call.data[ATTR_URL_PATH]
    # Home Assistant's own rule for dashboard paths: a slug with a hyphen.
    if "-" not in url_path or slugify(url_path, separator="-") != url_path:
        raise _error("invalid_url_path", url_path)
    entries = hass.config_entries.async_loaded_entries(DOMAIN)
    if not entries:
        raise _error("no_loaded_entry", url_path)
    lovelace = hass.data.get(LOVELACE_DATA)
    collection = _dashboards_collection(hass)
    if lovelace is None or collection is None:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="no_lovelace")
    item = next((i for i in collection.async_items() if i[CONF_URL_PATH] == url_path), None)
    title: str = call.data.get(ATTR_TITLE) or (item[CONF_TITLE] if item else DEFAULT_TITLE)
    config = build_dashboard(hass, [entry.entry_id for entry in entries], title)
    if item is None:
        if url_path in lovelace.dashboards:  # a YAML-mode dashboard
            raise _error("url_path_taken", url_path)
        try:
            await collection.async_create_item(
                {
                    CONF_URL_PATH: url_path,
                    CONF_TITLE: title,
                    CONF_ICON: DASHBOARD_ICON,
                    CONF_SHOW_IN_SIDEBAR: True,
                    CONF_REQUIRE_ADMIN: False,
                }
            )
        except HomeAssistantError as err:  # another panel has the path
            raise _error("url_path_taken", url_path) from err
    dashboard = lovelace.dashboards.get(url_path)
    if not isinstance(dashboard, LovelaceStorage):
        raise _error("url_path_taken", url_path)
    if item is not None:
        if not await _is_ours(dashboard):
            raise _error("dashboard_not_ours", url_path)
        if item[CONF_TITLE] != title:
            await collection.async_update_item(item[CONF_ID], {CONF_TITLE: title})
    await dashboard.async_save(config)
    return {"url_path": url_path, "created": item is None, "config": config}
