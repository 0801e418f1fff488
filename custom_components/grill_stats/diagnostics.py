"""Diagnostics: what the integration sees, with the account's secrets redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from .const import CONF_ENDPOINT
from .coordinator import GrillStatsConfigEntry

TO_REDACT = {CONF_EMAIL, CONF_PASSWORD, CONF_ENDPOINT, "unique_id", "uid", "account_id", "email"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: GrillStatsConfigEntry
) -> dict[str, Any]:
    """The entry, the client's request economy and every device as parsed."""
    coordinator = entry.runtime_data.coordinator
    client = coordinator.client
    poll = coordinator.last_poll
    return {
        "entry": async_redact_data(
            {
                "data": dict(entry.data),
                "options": dict(entry.options),
                "unique_id": entry.unique_id,
            },
            TO_REDACT,
        ),
        "client": {
            "provider": client.provider.key,
            "uses_batch_get": client.uses_batch_get,
            "requests_total": client.requests,
            "requests_last_hour": coordinator.requests_last_hour,
            "last_poll": asdict(poll) if poll else None,
            "account": async_redact_data(asdict(client.account), TO_REDACT)
            if client.account
            else None,
        },
        "update_interval_seconds": coordinator.update_interval.total_seconds()
        if coordinator.update_interval
        else None,
        "fast_polling": coordinator.options.fast_polling,
        "last_update_success": coordinator.last_update_success,
        "devices": [asdict(device) for device in (coordinator.data or {}).values()],
        # The demo's own simulator: its control API (docs/simulator.md) drives the demo cook.
        "demo_simulator": {"base_url": coordinator.demo.base_url} if coordinator.demo else None,
    }
