"""Cook analytics: thresholds with hysteresis, probe health, stall detection, time to target.

Pure Python (no Home Assistant, no I/O): the integration and the services feed readings in and
turn the returned events into ``grill_stats_alert`` events.
"""

from .approach import ApproachSettings, Trend, approaching
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
from .stall import (
    CookPhase,
    StallDetector,
    StallEvent,
    StallEventType,
    StallSettings,
)
from .stall_time import LostTime, StallContext, StallExpectation, StallPrior, stall_time
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
    "DEFAULT_HYSTERESIS",
    "ApproachSettings",
    "CookPhase",
    "Estimate",
    "EtaSettings",
    "HealthEvent",
    "HealthEventType",
    "HealthSettings",
    "HealthTracker",
    "HeatingFit",
    "LostTime",
    "ProbeThresholds",
    "Sample",
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
    "slope_per_hour",
    "stall_time",
    "transitions",
]
