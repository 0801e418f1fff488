"""Whether a probe is about to cross one of its thresholds, so a poller can look more often.

Why a trend and not only a distance: a pit held a few degrees under its high limit, raw meat a
few degrees above a 32 °F low, or a probe resting at its target are *near* a threshold for
hours with nothing about to happen; polling fast all that time costs requests and tells
nothing. So a threshold counts only while

* it is armed: ``high``/``low`` not active, ``target`` not reached (a crossing that has fired
  is old news; its ``cleared`` is not worth the extra polls);
* the reading is within ``distance_f`` of it on the side it is crossed from (below ``high`` and
  ``target``, above ``low``);
* the trend of the last ``window_minutes`` heads for it fast enough to get there within
  ``horizon_minutes``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from grillstats.thermoworks.models import Unit
from grillstats.units import convert, convert_delta

from .fit import Sample, slope_per_hour
from .thresholds import ThresholdEngine


@dataclass(frozen=True, kw_only=True)
class ApproachSettings:
    """Tunables of :func:`approaching`."""

    distance_f: float = 10.0
    """°F (converted for a °C threshold)."""
    horizon_minutes: float = 30.0
    window_minutes: float = 30.0
    min_span_minutes: float = 10.0
    """Less than this much history gives no trend (three 5-minute polls)."""


class Trend:
    """The recent readings of one probe, in its unit, and their slope."""

    def __init__(
        self, unit: Unit = Unit.FAHRENHEIT, settings: ApproachSettings | None = None
    ) -> None:
        """No readings yet; they will come in ``unit``."""
        self.unit = unit
        self.settings = settings or ApproachSettings()
        self._readings: deque[Sample] = deque()

    def add(self, timestamp: datetime, value: float | None) -> None:
        """Add a reading (``None``, a repeat or an older one changes nothing)."""
        if value is None or (self._readings and timestamp <= self._readings[-1].timestamp):
            return
        self._readings.append(Sample(timestamp, value))
        start = timestamp - timedelta(minutes=self.settings.window_minutes)
        while self._readings[0].timestamp < start:
            self._readings.popleft()

    @property
    def last(self) -> float | None:
        """The newest reading."""
        return self._readings[-1].temperature if self._readings else None

    @property
    def rate_per_hour(self) -> float | None:
        """The least-squares slope (units per hour), once the window is long enough."""
        if len(self._readings) < 3:
            return None
        span = self._readings[-1].timestamp - self._readings[0].timestamp
        if span < timedelta(minutes=self.settings.min_span_minutes):
            return None
        return slope_per_hour(self._readings)


def approaching(engine: ThresholdEngine, trend: Trend) -> bool:
    """Whether the probe is heading for one of its armed thresholds."""
    reading = trend.last
    if reading is None:
        return False
    config, state = engine.config, engine.state
    candidates = (
        (config.high, state.high_active, 1.0),
        (config.target, state.target_reached, 1.0),
        (config.low, state.low_active, -1.0),
    )
    rate: float | None = None
    for threshold, fired, direction in candidates:
        if threshold is None or fired:
            continue
        gap = direction * (threshold.value - convert(reading, trend.unit, threshold.unit))
        distance = convert_delta(trend.settings.distance_f, Unit.FAHRENHEIT, threshold.unit)
        if not 0.0 <= gap <= distance:
            continue
        # The slope only for a threshold in reach: most polls of most probes need none.
        rate = trend.rate_per_hour if rate is None else rate
        if rate is None:
            return False
        speed = direction * convert_delta(rate, trend.unit, threshold.unit)
        if speed > 0 and gap / speed <= trend.settings.horizon_minutes / 60.0:
            return True
    return False
