"""Constants for the Grill Stats integration."""

from __future__ import annotations

import logging
from typing import Final

from homeassistant.const import UnitOfTemperature

from grillstats.thermoworks import Unit

DOMAIN: Final = "grill_stats"
LOGGER: Final = logging.getLogger(__package__)
MANUFACTURER: Final = "ThermoWorks"

CONF_PROVIDER: Final = "provider"
CONF_ENDPOINT: Final = "endpoint"
CONF_SCAN_INTERVAL: Final = "scan_interval"
CONF_FAST_POLLING: Final = "fast_polling"
CONF_DEFAULT_HIGH: Final = "default_high"
CONF_DEFAULT_LOW: Final = "default_low"
CONF_EXPECT_STALL: Final = "expect_stall"
EXPECT_STALL_OPTIONS: Final = ("auto", "always", "never")
"""grillstats.analytics.StallExpectation's values: by the target (default), always, never."""

PROVIDER_THERMOWORKS: Final = "thermoworks"
PROVIDER_ETI: Final = "eti"
PROVIDER_DEMO: Final = "demo"
PROVIDER_CUSTOM: Final = "custom"
PROVIDERS: Final = (PROVIDER_THERMOWORKS, PROVIDER_ETI, PROVIDER_DEMO, PROVIDER_CUSTOM)

DEFAULT_SCAN_INTERVAL: Final = 300
MIN_SCAN_INTERVAL: Final = 30
MAX_SCAN_INTERVAL: Final = 3600

DEMO_UNIQUE_ID: Final = "demo"
DEMO_DEVICES: Final = 6
"""Every device family once: Signals (with Billows), Smoke, RFX gateway and meat probe, NODE."""
DEMO_SPEED: Final = 1.0

EVENT_ALERT: Final = "grill_stats_alert"
"""The bus event automations listen to (PRODUCT.md lists its data)."""
SIGNAL_ALERT: Final = "grill_stats_alert_{entry_id}"
ALERT_TYPES: Final = (
    "high",
    "low",
    "target_reached",
    "cleared",
    "probe_disconnected",
    "probe_connected",
    "device_offline",
    "device_online",
    "battery_low",
    "cloud_alarm_high",
    "cloud_alarm_low",
    "stall_started",
    "stall_ended",
)
TEMPERATURE_UNITS: Final = {
    Unit.FAHRENHEIT: UnitOfTemperature.FAHRENHEIT,
    Unit.CELSIUS: UnitOfTemperature.CELSIUS,
}
"""The cloud's temperature units as Home Assistant's (a humidity channel has none)."""
DEFAULT_HIGH_F: Final = 250.0
DEFAULT_LOW_F: Final = 32.0
FAST_SCAN_INTERVAL: Final = 60
FAST_DISTANCE_F: Final = 10.0
"""Poll every minute while a probe within this many °F of a threshold it has not crossed is
heading for it (grillstats.analytics.approach: fast enough to get there within 30 minutes)."""
