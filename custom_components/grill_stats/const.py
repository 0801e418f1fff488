"""Constants for the Grill Stats integration."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Final

from homeassistant.const import UnitOfTemperature

from grillstats.analytics import ThresholdKind
from grillstats.thermoworks import Unit

DOMAIN: Final = "grill_stats"
LOGGER: Final = logging.getLogger(__package__)
MANUFACTURER: Final = "ThermoWorks"

CONF_PROVIDER: Final = "provider"
CONF_ENDPOINT: Final = "endpoint"
CONF_ALLOW_PLAIN_HTTP: Final = "allow_plain_http"
"""Form only: consent to send the password over plain http to another host (never stored)."""
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
MAX_RETRY_WAIT: Final = timedelta(hours=1)
"""The longest a 429's Retry-After may delay the next poll: a peer asking for years (or
``inf``) must not leave the entry unavailable until a reload."""

DEMO_UNIQUE_ID: Final = "demo"
DEMO_DEVICES: Final = 6
"""Every device family once: Signals (with Billows), Smoke, RFX gateway and meat probe, NODE."""
DEMO_SPEED: Final = 1.0
DEMO_SEED: Final = 2026
DEMO_SCAN_INTERVAL: Final = 30
"""The demo's default poll interval: its thermometers upload every 30 s."""
CONF_DEMO_START: Final = "demo_start"
"""Entry data: when the demo's cook story began (ISO 8601), so a reload resumes that cook."""

EVENT_ALERT: Final = "grill_stats_alert"
"""The bus event automations listen to (its data: grillstats.analytics.Alert.event_data)."""
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
"""A new meat probe's high / low (the options can change them; converted for °C probes)."""
PIT_DEFAULTS: Final[dict[Unit, dict[ThresholdKind, float]]] = {
    Unit.FAHRENHEIT: {ThresholdKind.HIGH: 300.0, ThresholdKind.LOW: 200.0},
    Unit.CELSIUS: {ThresholdKind.HIGH: 150.0, ThresholdKind.LOW: 95.0},
}
"""A new pit's high / low: around low-and-slow smoking (225-275 °F, 110-135 °C), in round
numbers of the pit's own unit rather than 148.9 / 93.3 °C. Not the options' meat defaults."""
FAST_SCAN_INTERVAL: Final = 60
FAST_DISTANCE_F: Final = 10.0
"""Poll every minute while a probe within this many °F of a threshold it has not crossed is
heading for it (grillstats.analytics.approach: fast enough to get there within 30 minutes)."""
