"""Alerts from consecutive polls: thresholds, stalls, probe health and the cloud's alarms.

:class:`AlertTracker` compares each poll with the one before and returns the alerts it
brings. It owns everything that decides them: the thresholds, one hysteresis engine and one
trend per probe, the health tracker and the cook tracker. Its state serializes to plain JSON
(:meth:`AlertTracker.state_dict`, and the larger cooks apart), so a restart never fires a
crossing twice and keeps a stall's phase and estimate.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Final

from ..thermoworks import Device, Unit
from .alert_events import Alert, above_low, cloud_alarms, crossing_alert, health_alert, stall_alert
from .approach import ApproachSettings, Trend, approaching
from .cook import CookTracker, ProbeInsight
from .eta import EtaSettings
from .health import HealthTracker
from .roles import ProbeKey, Role, role, with_core, without_readings
from .stall import CookPhase
from .threshold_settings import ThresholdSettings
from .thresholds import Threshold, ThresholdEngine, ThresholdKind

FAST_DISTANCE_F: Final = 10.0
"""A probe this many °F from a threshold it has not crossed, heading for it, needs attention
(see :func:`~grillstats.analytics.approach.approaching`: there within 30 minutes)."""


class AlertTracker:
    """Turns consecutive polls of one account into alerts."""

    def __init__(self, eta: EtaSettings | None = None) -> None:
        """Nothing is known until the first poll (or a restored state); ``eta``: estimates."""
        self.thresholds = ThresholdSettings()
        self.cook = CookTracker(eta)
        self._engines: dict[ProbeKey, ThresholdEngine] = {}
        self._saved: dict[str, dict[str, bool]] = {}
        """Stored engine states, used as their probes report."""
        self._trends: dict[ProbeKey, Trend] = {}
        self._warm: set[ProbeKey] = set()
        """Pits that have been above their low: only those can fall below it."""
        self._health = HealthTracker()
        self._previous: dict[str, Device] | None = None
        self._thresholds_changed = False
        self.steady = False
        """The last poll equalled the one before: no alert, and no stored state changed."""

    def restore(self, state: object) -> None:
        """Take up :meth:`state_dict` output (anything malformed is skipped)."""
        stored = state if isinstance(state, Mapping) else {}
        engines = stored.get("engines", {})
        self._saved = dict(engines) if isinstance(engines, Mapping) else {}
        self._health = HealthTracker.from_state(stored.get("health"))
        warm = stored.get("warm_pits", [])
        self._warm = (
            {
                (serial, channel)
                for serial, _, channel in (str(key).rpartition("/") for key in warm)
                if serial
            }
            if isinstance(warm, list)
            else set()
        )
        # The thresholds too: the first poll after a restart may run before whoever sets them
        # (Home Assistant's number entities) has, and an engine without them would forget
        # what has fired.
        self.thresholds = ThresholdSettings.from_state(stored.get("limits"))
        for key in self.thresholds.probes():
            self.cook.set_target(key, self.thresholds.get(key, ThresholdKind.TARGET))

    def state_dict(self) -> dict[str, Any]:
        """What has fired, the health seen, the thresholds and the warm pits (not the cooks)."""
        engines = dict(self._saved)
        engines.update(
            {"/".join(key): engine.state_dict() for key, engine in self._engines.items()}
        )
        return {
            "engines": engines,
            "health": self._health.state_dict(),
            "limits": self.thresholds.state_dict(),
            "warm_pits": sorted("/".join(key) for key in self._warm),
        }

    def set_threshold(self, key: ProbeKey, kind: ThresholdKind, value: Threshold | None) -> None:
        """Set one of a probe's thresholds; ``None`` switches it off."""
        self._thresholds_changed = True
        self.thresholds.set(key, kind, value)
        if kind is ThresholdKind.TARGET:
            self.cook.set_target(key, value)
        if (engine := self._engines.get(key)) is not None:
            engine.reconfigure(self.thresholds.config(key, engine.config.unit))

    def threshold(self, key: ProbeKey, kind: ThresholdKind) -> Threshold | None:
        """A probe's threshold as the alerts see it (``None``: off)."""
        return self.thresholds.get(key, kind)

    def insight(self, key: ProbeKey) -> ProbeInsight | None:
        """A meat probe's phase, rate and estimate, once it has readings."""
        return self.cook.insight(key)

    def process(
        self,
        devices: Mapping[str, Device],
        cloud_time: datetime,
        unreadable: frozenset[str] = frozenset(),
    ) -> list[Alert]:
        """Compare this poll with the last one; return the alerts it brings.

        The first poll is the baseline (no transitions yet), but a battery already low is
        news. A thermometer in ``unreadable`` is still on the account, only its documents
        could not be read: it neither leaves (no health change, its cook and trends are kept)
        nor alerts until it is read again, compared then with how it was last seen.
        """
        devices = dict(devices)
        if devices == self._previous and not unreadable and not self._thresholds_changed:
            # Nothing new: the same readings cross nothing, move no cook and change no
            # stored state, so a steady poll costs one comparison here.
            self.steady = True
            return []
        self._thresholds_changed = self.steady = False
        previous = self._previous or {}
        held = {s: d for s, d in previous.items() if s in unreadable and s not in devices}
        for serial in previous.keys() - devices.keys() - held.keys():
            # Its events are dropped: a thermometer taken off the account is not an outage.
            self._health.update(serial, None)
        for key in [key for key in self._trends if key[0] not in devices | held]:
            del self._trends[key]
        alerts: list[Alert] = []
        for serial, device in devices.items():
            alerts.extend(health_alert(serial, e) for e in self._health.update(serial, device))
            if self._previous is not None:
                alerts.extend(cloud_alarms(device, previous.get(serial)))
            alerts.extend(self._crossings(device, cloud_time))
        # The cook tracker keeps a probe it sees without a reading (like an unplugged one).
        seen = devices | {serial: without_readings(device) for serial, device in held.items()}
        alerts.extend(
            stall_alert(seen.get(change.serial), change)
            for change in self.cook.update(seen, cloud_time)
        )
        self._previous = devices | held
        return alerts

    def replay(self, devices: Mapping[str, Device], cloud_time: datetime) -> None:
        """A poll from before anyone watched (a history): for the cooks only.

        It alerts nothing and is no baseline: the first live poll is still compared with none.
        """
        self.cook.update(devices, cloud_time)

    def needs_attention(self, devices: Mapping[str, Device]) -> bool:
        """A probe heading for a threshold it has not crossed yet, or in a stall."""
        for serial, device in devices.items():
            for number, channel in with_core(device).items():
                key = (serial, number)
                if channel.temperature is None or channel.is_humidity:
                    continue
                if self.cook.phase(key) is CookPhase.STALL:
                    return True
                engine, trend = self._engines.get(key), self._trends.get(key)
                if engine and trend and approaching(engine, trend):
                    return True
        return False

    def _crossings(self, device: Device, cloud_time: datetime) -> Iterator[Alert]:
        for number, channel in with_core(device).items():
            if channel.is_humidity:
                continue
            key = (device.serial, number)
            engine = self._engine(key, channel.unit)
            self._trend(key, channel.unit).add(
                channel.last_seen or device.last_seen or cloud_time, channel.temperature
            )
            cold = role(device, channel) is Role.PIT and key not in self._warm
            for crossing in engine.update(channel.temperature, channel.unit):
                if cold and crossing.kind is ThresholdKind.LOW:
                    continue  # a pit heating up is not a fire going out
                yield crossing_alert(device, number, channel, crossing)
            if cold and above_low(self.thresholds.get(key, ThresholdKind.LOW), channel):
                self._warm.add(key)

    def _trend(self, key: ProbeKey, unit: Unit) -> Trend:
        """The probe's recent readings (afresh when it switches unit)."""
        trend = self._trends.get(key)
        if trend is None or trend.unit is not unit:
            trend = self._trends[key] = Trend(unit, ApproachSettings(distance_f=FAST_DISTANCE_F))
        return trend

    def _engine(self, key: ProbeKey, unit: Unit) -> ThresholdEngine:
        engine = self._engines.get(key)
        if engine is None:
            config = self.thresholds.config(key, unit)
            engine = ThresholdEngine.from_state(config, self._saved.get("/".join(key)))
            self._engines[key] = engine
        elif engine.config.unit is not unit:
            # The probe switched unit: the same thresholds, reported in the new unit; the live
            # state carries over, so nothing that has fired fires again.
            engine.reconfigure(self.thresholds.config(key, unit))
        return engine
