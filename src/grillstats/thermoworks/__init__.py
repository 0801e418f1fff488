"""Async ThermoWorks Cloud client: typed snapshots of an account in one request per poll."""

from .client import DEVICE_LIST_INTERVAL, ThermoworksClient
from .errors import (
    AuthenticationError,
    CloudConnectionError,
    ProtocolError,
    RateLimitedError,
    ThermoworksError,
)
from .models import (
    Account,
    Alarm,
    BatteryState,
    Channel,
    Device,
    Fan,
    FanState,
    Snapshot,
    Unit,
    model_name,
)
from .parse import as_of, stale_after, stale_at
from .providers import ETI, PROVIDERS, THERMOWORKS, Provider, custom_provider
from .transport import RetryPolicy

__all__ = [
    "DEVICE_LIST_INTERVAL",
    "ETI",
    "PROVIDERS",
    "THERMOWORKS",
    "Account",
    "Alarm",
    "AuthenticationError",
    "BatteryState",
    "Channel",
    "CloudConnectionError",
    "Device",
    "Fan",
    "FanState",
    "ProtocolError",
    "Provider",
    "RateLimitedError",
    "RetryPolicy",
    "Snapshot",
    "ThermoworksClient",
    "ThermoworksError",
    "Unit",
    "as_of",
    "custom_provider",
    "model_name",
    "stale_after",
    "stale_at",
]
