"""Per-probe high, low and target thresholds with hysteresis: one event per crossing.

Why a band: a probe's reading jitters by a few tenths of a degree, so a plain comparison would
fire on every poll that wobbles across the line. Each threshold therefore *fires* once when it
is crossed and is *re-armed* only after the reading has moved back beyond the band.

Rules (``h`` is the threshold's hysteresis, in the threshold's own unit):

* ``high``: fires when the reading goes above ``high``; the condition ends (``cleared`` is
  emitted once, and ``high`` is re-armed) when the reading falls below ``high - h``.
* ``low``: fires when the reading goes below ``low``; ``cleared`` and re-armed when it rises
  above ``low + h``.
* ``target_reached``: fires once when the reading is ``>= target``; re-armed silently (no
  ``cleared``: reaching a target is news, leaving it is not) when it falls below ``target - h``.
* ``None`` (or a non-finite value) means "no data" and changes nothing.

Comparisons are made in the threshold's own unit (so a 100 °C threshold is exactly 100 °C);
events carry the reading and the threshold converted to the probe's unit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from grillstats import units
from grillstats.thermoworks.models import Unit

# The conversions live in grillstats.units (the simulator uses them too); they stay
# importable from here, where the analytics have always offered them.
convert = units.convert
convert_delta = units.convert_delta

DEFAULT_HYSTERESIS: Mapping[Unit, float] = {
    Unit.FAHRENHEIT: 2.0,
    Unit.CELSIUS: 1.0,
    Unit.HUMIDITY: 2.0,
}
"""The band used when a threshold gives none: 2 °F, 1 °C (and 2 % RH)."""


class ThresholdEventType(StrEnum):
    """What happened to a threshold (the ``type`` of a ``grill_stats_alert`` event)."""

    HIGH = "high"
    LOW = "low"
    TARGET_REACHED = "target_reached"
    CLEARED = "cleared"


class ThresholdKind(StrEnum):
    """Which of a probe's three thresholds."""

    HIGH = "high"
    LOW = "low"
    TARGET = "target"


@dataclass(frozen=True, kw_only=True)
class Threshold:
    """A limit in its own unit, with the hysteresis band that re-arms it."""

    value: float
    unit: Unit = Unit.FAHRENHEIT
    hysteresis: float | None = None
    """Band width in ``unit``; ``None`` takes :data:`DEFAULT_HYSTERESIS`."""

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise ValueError("a threshold must be a finite number")
        if self.hysteresis is not None and not (
            math.isfinite(self.hysteresis) and self.hysteresis >= 0
        ):
            raise ValueError("hysteresis must be a finite number >= 0")

    @property
    def band(self) -> float:
        """The hysteresis actually used, in the threshold's unit."""
        if self.hysteresis is not None:
            return self.hysteresis
        return DEFAULT_HYSTERESIS[self.unit]


@dataclass(frozen=True, kw_only=True)
class ProbeThresholds:
    """A probe's configuration: its unit and up to three thresholds."""

    unit: Unit = Unit.FAHRENHEIT
    """The probe's own unit: events are reported in it."""
    high: Threshold | None = None
    low: Threshold | None = None
    target: Threshold | None = None


@dataclass(frozen=True, kw_only=True)
class ThresholdState:
    """What the engine remembers between readings (all it needs to never re-fire)."""

    high_active: bool = False
    """``high`` has fired and the reading has not yet fallen below ``high - band``."""
    low_active: bool = False
    target_reached: bool = False


@dataclass(frozen=True, kw_only=True)
class ThresholdEvent:
    """One crossing; ``threshold`` and ``temperature`` are in ``unit``, the probe's unit."""

    type: ThresholdEventType
    kind: ThresholdKind
    threshold: float
    temperature: float
    unit: Unit


@dataclass(kw_only=True)
class ThresholdEngine:
    """The hysteresis state machine for one probe.

    >>> engine = ThresholdEngine(config=ProbeThresholds(high=Threshold(value=250)))
    >>> [e.type.value for e in engine.update(251, Unit.FAHRENHEIT)]
    ['high']
    >>> engine.update(249, Unit.FAHRENHEIT)
    []
    >>> [e.type.value for e in engine.update(247, Unit.FAHRENHEIT)]
    ['cleared']
    """

    config: ProbeThresholds = field(default_factory=ProbeThresholds)
    state: ThresholdState = field(default_factory=ThresholdState)

    def reconfigure(self, config: ProbeThresholds) -> None:
        """Change the thresholds, keeping the state (so a changed limit never re-fires blindly).

        A removed threshold forgets its state; an active ``high``/``low`` whose new limit no
        longer holds clears on the next reading, as any other crossing does.
        """
        self.config = config
        self.state = replace(
            self.state,
            high_active=self.state.high_active and config.high is not None,
            low_active=self.state.low_active and config.low is not None,
            target_reached=self.state.target_reached and config.target is not None,
        )

    def update(self, reading: float | None, unit: Unit | None = None) -> list[ThresholdEvent]:
        """Feed one reading (in ``unit``, default the probe's) and return the crossings."""
        reading_unit = unit or self.config.unit
        if not units.plausible(reading, reading_unit):
            return []  # a fault crosses nothing
        config, state = self.config, self.state
        active = {
            ThresholdKind.HIGH: state.high_active,
            ThresholdKind.LOW: state.low_active,
            ThresholdKind.TARGET: state.target_reached,
        }
        events: list[ThresholdEvent] = []
        for kind, threshold in (
            (ThresholdKind.HIGH, config.high),
            (ThresholdKind.LOW, config.low),
            (ThresholdKind.TARGET, config.target),
        ):
            was_active = active[kind]
            if threshold is None or not _flips(
                kind, threshold, was_active, convert(reading, reading_unit, threshold.unit)
            ):
                continue
            active[kind] = not was_active
            if was_active and kind is ThresholdKind.TARGET:
                continue  # re-armed silently: reaching a target is news, leaving it is not
            event_type = ThresholdEventType.CLEARED if was_active else _FIRES[kind]
            events.append(self._event(event_type, kind, threshold, reading, reading_unit))
        self.state = replace(
            state,
            high_active=active[ThresholdKind.HIGH],
            low_active=active[ThresholdKind.LOW],
            target_reached=active[ThresholdKind.TARGET],
        )
        return events

    def _event(
        self,
        event_type: ThresholdEventType,
        kind: ThresholdKind,
        threshold: Threshold,
        reading: float,
        unit: Unit,
    ) -> ThresholdEvent:
        probe_unit = self.config.unit
        return ThresholdEvent(
            type=event_type,
            kind=kind,
            threshold=convert(threshold.value, threshold.unit, probe_unit),
            temperature=convert(reading, unit, probe_unit),
            unit=probe_unit,
        )

    def state_dict(self) -> dict[str, bool]:
        """The state as a plain JSON-able dict, to persist across restarts."""
        return {
            "high_active": self.state.high_active,
            "low_active": self.state.low_active,
            "target_reached": self.state.target_reached,
        }

    @classmethod
    def from_state(
        cls, config: ProbeThresholds, data: Mapping[str, object] | None
    ) -> ThresholdEngine:
        """Rebuild an engine from :meth:`state_dict` output (unknown or bad keys are ignored)."""
        data = data or {}

        def flag(key: str) -> bool:
            value = data.get(key)
            return value if isinstance(value, bool) else False

        engine = cls(config=config)
        engine.state = ThresholdState(
            high_active=flag("high_active") and config.high is not None,
            low_active=flag("low_active") and config.low is not None,
            target_reached=flag("target_reached") and config.target is not None,
        )
        return engine


_FIRES: Mapping[ThresholdKind, ThresholdEventType] = {
    ThresholdKind.HIGH: ThresholdEventType.HIGH,
    ThresholdKind.LOW: ThresholdEventType.LOW,
    ThresholdKind.TARGET: ThresholdEventType.TARGET_REACHED,
}
"""The event a threshold emits when it fires."""


def _flips(kind: ThresholdKind, threshold: Threshold, active: bool, value: float) -> bool:
    """Whether ``value`` (in the threshold's unit) fires the threshold, or re-arms it if active.

    ``high`` and ``target`` fire above their limit and re-arm below ``limit - band``; ``low``
    fires below its limit and re-arms above ``limit + band``.
    """
    limit, band = threshold.value, threshold.band
    if kind is ThresholdKind.LOW:
        return value > limit + band if active else value < limit
    if active:
        return value < limit - band
    return value >= limit if kind is ThresholdKind.TARGET else value > limit
