"""Cook analytics: thresholds with hysteresis, probe health, stall detection, time to target.

Pure Python (no Home Assistant, no I/O): the integration and the services feed polls to an
:class:`AlertTracker` (or a :class:`CookTracker` alone) and turn the returned alerts into
``grill_stats_alert`` events.
"""

from .alert_events import Alert
from .alerts import AlertTracker
from .approach import ApproachSettings, Trend, approaching
from .cook import CookTracker, ProbeInsight, StallChange
from .eta import Estimate, EtaSettings, estimate_for, estimate_time_to_target
from .fit import HeatingFit, Sample, fit_heating, slope_per_hour
from .health import (
    HealthEvent,
    HealthEventType,
    HealthSettings,
    HealthTracker,
    Transitions,
    is_online,
    offline_after,
    transitions,
)
from .roles import CORE, ProbeKey, Role, role
from .stall import (
    CookPhase,
    StallDetector,
    StallEvent,
    StallEventType,
    StallSettings,
)
from .stall_time import LostTime, StallContext, StallExpectation, StallPrior, stall_time
from .threshold_settings import ThresholdSettings
from .thresholds import (
    DEFAULT_HYSTERESIS,
    ProbeThresholds,
    Threshold,
    ThresholdEngine,
    ThresholdEvent,
    ThresholdEventType,
    ThresholdKind,
    ThresholdState,
    convert,
    convert_delta,
)

__all__ = [
    "CORE",
    "DEFAULT_HYSTERESIS",
    "Alert",
    "AlertTracker",
    "ApproachSettings",
    "CookPhase",
    "CookTracker",
    "Estimate",
    "EtaSettings",
    "HealthEvent",
    "HealthEventType",
    "HealthSettings",
    "HealthTracker",
    "HeatingFit",
    "LostTime",
    "ProbeInsight",
    "ProbeKey",
    "ProbeThresholds",
    "Role",
    "Sample",
    "StallChange",
    "StallContext",
    "StallDetector",
    "StallEvent",
    "StallEventType",
    "StallExpectation",
    "StallPrior",
    "StallSettings",
    "Threshold",
    "ThresholdEngine",
    "ThresholdEvent",
    "ThresholdEventType",
    "ThresholdKind",
    "ThresholdSettings",
    "ThresholdState",
    "Transitions",
    "Trend",
    "approaching",
    "convert",
    "convert_delta",
    "estimate_for",
    "estimate_time_to_target",
    "fit_heating",
    "is_online",
    "offline_after",
    "role",
    "slope_per_hour",
    "stall_time",
    "transitions",
]
