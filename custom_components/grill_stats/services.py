"""Actions: ``grill_stats.clear_threshold`` switches a threshold number off.

Why an action: a number entity always takes a value, so once a target or limit has been set the
UI cannot unset it, and a magic value (the minimum meaning "off") would be a trap. Cleared, the
number shows *unknown*, the alerts ignore it, and a restart keeps it off.
"""

from __future__ import annotations

from typing import Final

from homeassistant.components.number import DOMAIN as NUMBER_DOMAIN
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import service

from .const import DOMAIN

SERVICE_CLEAR_THRESHOLD: Final = "clear_threshold"


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
