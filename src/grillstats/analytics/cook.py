"""Cook intelligence per probe: stall detection, rate of change and time to target.

Each probe's readings feed a :class:`~grillstats.analytics.StallDetector` together with the
pit temperature it heats against. The pit is, in this order: a channel of the same thermometer
labelled like a pit ("pit", "ambient", "grill", "smoker", "cooker", "chamber"); for an RFX meat
probe, its gateway's first channel; otherwise the hottest other channel of the thermometer, if
it is at least 50 °F (28 °C) hotter than this probe. The margin is there because two pieces of
meat and no labelled pit are common: the warmer meat must not become the other's "pit" (its k
would be nonsense). Near the end of a cook an unlabelled pit may come within the margin; the
detector then reuses the last pit it saw. Labelling the pit channel avoids both.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Final

from ..thermoworks import Channel, Device, Unit
from .eta import Estimate, EtaSettings, estimate_for
from .roles import ProbeKey, cook_view, is_meat_probe, is_pit
from .stall import CookPhase, StallDetector
from .thresholds import Threshold, convert, convert_delta

PIT_MARGIN_F: Final = 50.0
"""How much hotter than a probe an unlabelled channel must be to count as its pit."""


class ProbeInsight:
    """What the cook tracker knows about one probe, as of its last reading or target change.

    The tracker makes one per change (the cook sensors read it several times a poll), and each
    value is worked out once, when first asked: a phase or a rate never costs an estimate.
    """

    def __init__(self, detector: StallDetector, eta: EtaSettings) -> None:
        """Read ``detector`` lazily; the tracker drops this as soon as the detector changes."""
        self._detector = detector
        self._eta = eta

    @property
    def phase(self) -> CookPhase:
        """The cook phase (kept by the detector: nothing to compute)."""
        return self._detector.phase

    @cached_property
    def rate_per_hour(self) -> float | None:
        """The rate of change, probe units per hour (``None`` rather than a non-finite one)."""
        rate = self._detector.rate_per_hour
        return rate if rate is not None and math.isfinite(rate) else None

    @cached_property
    def estimate(self) -> Estimate | None:
        """When the probe reaches its target (``None`` without a target or enough data)."""
        detector = self._detector
        return estimate_for(detector, self._eta) if detector.target is not None else None


@dataclass(frozen=True, kw_only=True)
class StallChange:
    """A stall began or ended on a probe."""

    type: str
    serial: str
    probe: str
    probe_name: str
    temperature: float
    unit: str


def pit_reading(device: Device, channel_number: str, devices: Mapping[str, Device]) -> float | None:
    """The pit temperature (in the probe's unit) the probe heats against (see module doc)."""
    channel = device.channels[channel_number]
    others = [
        reading
        for n, c in device.channels.items()
        if n != channel_number and (reading := _reading(c, channel.unit)) is not None
    ]
    for other, value in others:
        if is_pit(other):
            return value
    if device.gateway and (gateway := devices.get(device.gateway)) is not None:
        for other in gateway.channels.values():
            if (reading := _reading(other, channel.unit)) is not None:
                return reading[1]
    hottest = max((value for _, value in others), default=None)
    margin = convert_delta(PIT_MARGIN_F, Unit.FAHRENHEIT, channel.unit)
    if hottest is not None and channel.temperature is not None:
        return hottest if hottest >= channel.temperature + margin else None
    return None


def _reading(channel: Channel, unit: Unit) -> tuple[Channel, float] | None:
    """A temperature channel's reading in ``unit`` (``None`` without one, or humidity)."""
    if channel.temperature is None or channel.is_humidity:
        return None
    return channel, convert(channel.temperature, channel.unit, unit)


class CookTracker:
    """One stall detector per meat probe; pits, loggers and humidity are not tracked."""

    def __init__(self, eta: EtaSettings | None = None) -> None:
        """Nothing is tracked until readings arrive; ``eta`` tunes the estimates.

        Without ``eta``: the defaults the Home Assistant integration uses.
        """
        self._eta = eta or EtaSettings()
        self._detectors: dict[ProbeKey, StallDetector] = {}
        self._targets: dict[ProbeKey, Threshold] = {}
        self._saved: dict[ProbeKey, Mapping[str, object]] = {}
        self._insights: dict[ProbeKey, ProbeInsight] = {}
        """Each probe's insight until its detector changes (then made again when asked)."""
        self.changed = False
        """Whether :meth:`state_dict` has changed since the owner last cleared this (when it
        wrote the state): a reading taken in, a target changed, a probe forgotten."""

    def restore(self, data: object) -> None:
        """Stored detector states (see :meth:`state_dict`), used as their probes report."""
        if isinstance(data, Mapping):
            for key, state in data.items():
                serial, _, channel = str(key).rpartition("/")
                if serial and isinstance(state, Mapping):
                    self._saved[(serial, channel)] = state

    def state_dict(self) -> dict[str, dict[str, object]]:
        """Every detector's state, so a restart mid-cook keeps the stall and the estimate."""
        states = {"/".join(key): dict(state) for key, state in self._saved.items()}
        states.update(
            {"/".join(key): detector.state_dict() for key, detector in self._detectors.items()}
        )
        return states

    def _detector(self, key: ProbeKey, unit: Unit) -> StallDetector:
        detector = self._detectors.get(key)
        if detector is None or detector.unit is not unit:
            # A stored state in another unit is refused by from_state: a fresh cook.
            detector = StallDetector.from_state(
                self._saved.pop(key, None), target=self._target(key, unit), unit=unit
            )
            self._detectors[key] = detector
            self._insights.pop(key, None)
        return detector

    def set_target(self, key: ProbeKey, target: Threshold | None) -> None:
        """The probe's target changed (in the unit it was set in; ``None``: off)."""
        if self._targets.get(key) == target:
            return
        if target is None:
            self._targets.pop(key, None)
        else:
            self._targets[key] = target
        if (detector := self._detectors.get(key)) is not None:
            detector.target = self._target(key, detector.unit)  # may end ``done``
            self._insights.pop(key, None)
            self.changed = True

    def _target(self, key: ProbeKey, unit: Unit) -> float | None:
        """The target in the probe's unit (the detector compares readings with it)."""
        target = self._targets.get(key)
        return None if target is None else convert(target.value, target.unit, unit)

    def update(self, devices: Mapping[str, Device], now: datetime) -> list[StallChange]:
        """Feed every new reading; return the stalls that began or ended.

        ``devices`` maps serial to thermometer, as the client reads them; ``now`` (aware) is
        when a reading without a time of its own was taken. Only meat is tracked (see
        :func:`~grillstats.analytics.roles.cook_view`). A probe no longer on the account (its
        thermometer or its channel gone, or now labelled as a pit) is forgotten, stored state
        included; an unplugged one is kept.
        """
        meat = {serial: cook_view(device) for serial, device in devices.items()}
        tracked = [
            (serial, number)
            for serial, device in meat.items()
            for number, channel in device.channels.items()
            if is_meat_probe(channel)
        ]
        for key in (self._detectors.keys() | self._saved.keys()) - set(tracked):
            self._detectors.pop(key, None)
            self._saved.pop(key, None)
            self._insights.pop(key, None)
            self.changed = True
        changes: list[StallChange] = []
        for key in tracked:
            changes.extend(self._take_reading(key, meat, now))
        return changes

    def _take_reading(
        self, key: ProbeKey, devices: Mapping[str, Device], now: datetime
    ) -> Iterator[StallChange]:
        """One probe's new reading into its detector (nothing when the cloud has none)."""
        serial, number = key
        device = devices[serial]
        channel = device.channels[number]
        if channel.temperature is None:
            return
        when = channel.last_seen or device.last_seen or now
        detector = self._detector(key, channel.unit)
        if (seen := detector.last_seen) is not None and when <= seen:
            return  # the cloud has nothing new for this probe: skip the pit too
        events = detector.update(when, channel.temperature, pit_reading(device, number, devices))
        if detector.last_seen == when:  # taken in (not a non-finite reading)
            self._insights.pop(key, None)
            self.changed = True
        for event in events:
            yield StallChange(
                type=event.type.value,
                serial=serial,
                probe=number,
                probe_name=channel.name,
                temperature=event.temperature,
                unit=channel.unit.value,
            )

    def phase(self, key: ProbeKey) -> CookPhase | None:
        """The probe's cook phase, once it has readings (cheaper than :meth:`insight`)."""
        detector = self._detectors.get(key)
        return None if detector is None else detector.phase

    def insight(self, key: ProbeKey) -> ProbeInsight | None:
        """Phase, rate and estimate for a probe, once it has readings.

        The same object until a new reading or target changes them.
        """
        insight = self._insights.get(key)
        if insight is None and (detector := self._detectors.get(key)) is not None:
            insight = self._insights[key] = ProbeInsight(detector, self._eta)
        return insight
