"""Alerts: threshold crossings, probe and device health, and the cloud's own alarms.

Each poll is compared with the previous one; every transition becomes one ``grill_stats_alert``
bus event and is handed to the probes' event entities. Threshold state is stored (10 s after
a poll), so a restart never fires a crossing twice, and so is what the stall detectors learnt
about each cook (its last 12 hours of readings, the reference heating constant, the stall
times), so a restart mid-stall keeps the phase and the estimate. The cooks are larger, so they
go to their own file 5 minutes after they first change (a new reading, a target), whatever
else happens meanwhile: at most every 5 minutes, never while nothing changes. Unload writes
them at once, and a stop flushes the pending write (Home Assistant's Store does so at its final
write): only a crash loses a few minutes of readings, far less than the hour without readings
that would start a new cook.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store

from grillstats.analytics import (
    ApproachSettings,
    CookPhase,
    EtaSettings,
    HealthEvent,
    HealthTracker,
    StallExpectation,
    StallPrior,
    Threshold,
    Trend,
    approaching,
    convert,
)
from grillstats.analytics.thresholds import ThresholdEngine, ThresholdKind
from grillstats.thermoworks import Alarm, Channel, Device, Unit

from .const import DOMAIN, EVENT_ALERT, FAST_DISTANCE_F, SIGNAL_ALERT
from .cook import CookTracker, ProbeKey
from .limits import Limits
from .probes import CORE, Role, cook_view, role, with_core

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 10
COOK_SAVE_INTERVAL: Final = timedelta(minutes=5)
"""How long a change of the cook state waits for its write (throttled: a poll every minute
must not write hundreds of kilobytes every minute to an SD card)."""


@dataclass(frozen=True, kw_only=True)
class Alert:
    """One alert, in the probe's own unit; ``probe`` is None for a device-wide alert."""

    type: str
    serial: str
    probe: str | None
    probe_name: str | None
    temperature: float | None
    threshold: float | None
    unit: str | None

    def event_data(self, device_id: str | None) -> dict[str, Any]:
        """The bus event's data (PRODUCT.md's contract)."""
        return {
            "type": self.type,
            "device_id": device_id,
            "serial": self.serial,
            "probe": self.probe,
            "probe_name": self.probe_name,
            "temperature": self.temperature,
            "threshold": self.threshold,
            "unit": self.unit,
        }


class AlertManager:
    """Turns consecutive polls into alerts for one config entry."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        expect_stall: StallExpectation = StallExpectation.AUTO,
    ) -> None:
        """Nothing is known until the first poll and the stored state are in."""
        self._hass = hass
        self._entry_id = entry_id
        self._store = _store(hass, entry_id)
        self._cook_store = _store(hass, entry_id, "cooks")
        self._cook_pending = False
        self._limits = Limits()
        self._engines: dict[ProbeKey, ThresholdEngine] = {}
        self._trends: dict[ProbeKey, Trend] = {}
        self._saved: dict[str, dict[str, bool]] = {}
        self._written: dict[str, Any] | None = None
        self._closed = False
        self._limits_changed = False
        self._warm: set[ProbeKey] = set()
        """Pits that have been above their low: only those can fall below it."""
        self._health = HealthTracker()
        self._previous: dict[str, Device] | None = None
        self.cook = CookTracker(EtaSettings(stall=StallPrior(expect=expect_stall)))

    async def async_load(self) -> None:
        """Read the stored state: which crossings have fired, and the cooks in progress."""
        stored = await self._store.async_load() or {}
        engines = stored.get("engines", {})
        self._saved = engines if isinstance(engines, dict) else {}
        self._health = HealthTracker.from_state(stored.get("health"))
        warm = stored.get("warm_pits", [])
        self._warm = (
            {
                (serial, number)
                for serial, _, number in (str(key).rpartition("/") for key in warm)
                if serial
            }
            if isinstance(warm, list)
            else set()
        )
        self.cook.restore(await self._cook_store.async_load())
        # The limits too: the first poll after a restart runs before the number entities
        # restore theirs, and an engine without its limits would forget what has fired.
        self._limits = Limits.from_state(stored.get("limits"))
        for key in self._limits.probes():
            self.cook.set_target(key, self._limits.get(key, ThresholdKind.TARGET))

    async def async_save(self) -> None:
        """Write everything now (at unload, so a reload never re-fires and keeps the cooks).

        After this the manager is closed: a poll still in flight at unload changes nothing
        and schedules no write that could bring back a store the entry's removal deleted.
        """
        self._closed = True
        await self._store.async_save(self._state())
        await self._cook_store.async_save(self._cook_state())

    def _cook_state(self) -> dict[str, dict[str, object]]:
        """The cooks as they are now, for the write that takes them (none is pending then)."""
        self._cook_pending = self.cook.changed = False
        return self.cook.state_dict()

    @callback
    def set_limit(
        self, serial: str, number: str, kind: ThresholdKind, threshold: Threshold | None
    ) -> None:
        """A threshold number entity changed (or was restored); ``None`` switches it off."""
        key = (serial, number)
        self._limits_changed = True
        self._limits.set(key, kind, threshold)
        if kind is ThresholdKind.TARGET:
            self.cook.set_target(key, threshold)
        if (engine := self._engines.get(key)) is not None:
            engine.reconfigure(self._limits.config(key, engine.config.unit))

    def limit(self, key: ProbeKey, kind: ThresholdKind) -> Threshold | None:
        """A probe's threshold as the alerts see it (``None``: off)."""
        return self._limits.get(key, kind)

    def _trend(self, key: ProbeKey, unit: Unit) -> Trend:
        """The probe's recent readings (afresh when it switches unit)."""
        trend = self._trends.get(key)
        if trend is None or trend.unit is not unit:
            trend = self._trends[key] = Trend(unit, ApproachSettings(distance_f=FAST_DISTANCE_F))
        return trend

    def _engine(self, key: ProbeKey, unit: Unit) -> ThresholdEngine:
        engine = self._engines.get(key)
        if engine is None:
            config = self._limits.config(key, unit)
            engine = ThresholdEngine.from_state(config, self._saved.get("/".join(key)))
            self._engines[key] = engine
        elif engine.config.unit is not unit:
            # The probe switched unit: the same limits, reported in the new unit; the live
            # state carries over, so nothing that has fired fires again.
            engine.reconfigure(self._limits.config(key, unit))
        return engine

    @callback
    def process(
        self,
        devices: dict[str, Device],
        cloud_time: datetime,
        unreadable: frozenset[str] = frozenset(),
    ) -> list[Alert]:
        """Compare this poll with the last one; fire and return the alerts.

        A thermometer in ``unreadable`` is still on the account, only its documents could not
        be read: it neither leaves (no health change, its cook and trends are kept) nor
        fires anything until it is read again, compared then with how it was last seen.
        """
        if self._closed:
            return []
        if devices == self._previous and not unreadable and not self._limits_changed:
            # Nothing new: the same readings cross nothing, move no cook and change no
            # stored state, so a steady poll costs one comparison here.
            return []
        self._limits_changed = False
        previous = self._previous
        held = {s: d for s, d in (previous or {}).items() if s in unreadable and s not in devices}
        alerts: list[Alert] = []
        for serial in (previous or {}).keys() - devices.keys() - held.keys():
            # Its events are dropped: a thermometer taken off the account is not an outage.
            self._health.update(serial, None)
        for key in [key for key in self._trends if key[0] not in devices | held]:
            del self._trends[key]
        for serial, device in devices.items():
            # The first poll is the baseline (no transitions yet), but a battery already low
            # is news: it fires once, and the stored arming keeps a restart from repeating it.
            alerts.extend(
                _health_alert(serial, event) for event in self._health.update(serial, device)
            )
            if previous is not None:
                alerts.extend(_cloud_alarms(device, previous.get(serial)))
            alerts.extend(self._crossings(device, cloud_time))
        # The cook tracker keeps a probe it sees without a reading (like an unplugged one);
        # it sees meat only (probes.cook_view: an RFX Meat's core, no logger).
        seen = devices | {serial: without_readings(device) for serial, device in held.items()}
        stalls = self.cook.update(
            {serial: cook_view(device) for serial, device in seen.items()}, cloud_time
        )
        alerts.extend(
            Alert(
                type=change.type,
                serial=change.serial,
                probe=change.probe,
                probe_name=_probe_name(seen.get(change.serial), change.probe, change.probe_name),
                temperature=change.temperature,
                threshold=None,
                unit=change.unit,
            )
            for change in stalls
        )
        self._previous = devices | held
        if alerts:
            self._fire(alerts)
        # Written only when it changed: a steady cook costs no disk writes.
        state = self._state()
        if state != self._written:
            self._written = state
            self._store.async_delay_save(lambda: state, SAVE_DELAY)
        if self.cook.changed and not self._cook_pending:  # a pending write takes it too
            self._cook_pending = True
            delay = COOK_SAVE_INTERVAL.total_seconds()
            self._cook_store.async_delay_save(self._cook_state, delay)
        return alerts

    def replay(self, devices: dict[str, Device], cloud_time: datetime) -> None:
        """A poll from before Home Assistant watched (the demo's history): for the cooks only.

        It fires nothing and is no baseline: the first live poll is still compared with none.
        """
        self.cook.update(
            {serial: cook_view(device) for serial, device in devices.items()}, cloud_time
        )

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
                yield Alert(
                    type=crossing.type.value,
                    serial=device.serial,
                    probe=number,
                    probe_name=_probe_name(device, number, channel.name),
                    temperature=crossing.temperature,
                    threshold=crossing.threshold,
                    unit=crossing.unit.value,
                )
            if cold and _above_low(self._limits.get(key, ThresholdKind.LOW), channel):
                self._warm.add(key)

    def needs_attention(self, devices: dict[str, Device]) -> bool:
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

    def _state(self) -> dict[str, Any]:
        engines = dict(self._saved)
        engines.update(
            {"/".join(key): engine.state_dict() for key, engine in self._engines.items()}
        )
        return {
            "engines": engines,
            "health": self._health.state_dict(),
            "limits": self._limits.state_dict(),
            "warm_pits": sorted("/".join(key) for key in self._warm),
        }

    def _fire(self, alerts: list[Alert]) -> None:
        registry = dr.async_get(self._hass)
        for alert in alerts:
            device = registry.async_get_device_by_identifier((DOMAIN, alert.serial), self._entry_id)
            data = alert.event_data(device.id if device else None)
            self._hass.bus.async_fire(EVENT_ALERT, data)
            # The event entities get the very same data (PRODUCT.md: "the same types").
            signal = SIGNAL_ALERT.format(entry_id=self._entry_id)
            async_dispatcher_send(self._hass, signal, alert, data)


def _store(hass: HomeAssistant, entry_id: str, what: str = "alerts") -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.{what}")


async def async_remove_store(hass: HomeAssistant, entry_id: str) -> None:
    """Delete an entry's stored alert and cook state (the entry is being deleted)."""
    await _store(hass, entry_id).async_remove()
    await _store(hass, entry_id, "cooks").async_remove()


def _above_low(low: Threshold | None, channel: Channel) -> bool:
    """Whether a pit is above its low by more than the band (where the engine re-arms it).

    Until then a pit's low stays silent: lighting a smoker at 70 °F must not fire "pit low"
    against a 200 °F default; a fire dying later does.
    """
    if low is None or channel.temperature is None:
        return False
    return convert(channel.temperature, channel.unit, low.unit) > low.value + low.band


def _probe_name(device: Device | None, number: str, name: str) -> str:
    """An RFX Meat's core goes by the probe's own name ("Pork Butt reached 203 °F")."""
    return device.name if number == CORE and device is not None else name


def _health_alert(serial: str, event: HealthEvent) -> Alert:
    return Alert(
        type=event.type.value,
        serial=serial,
        probe=event.probe,
        probe_name=event.probe_name,
        temperature=event.value,
        threshold=event.threshold,
        unit="%" if event.value is not None else None,
    )


def _cloud_alarms(device: Device, before: Device | None) -> Iterator[Alert]:
    """The cloud's own alarms, as they start going off (kept apart from our high/low)."""
    if before is None:
        return
    for number, channel in device.channels.items():
        then = before.channels.get(number)
        if then is None:
            continue
        for word, alarm, was in (
            ("high", channel.alarm_high, then.alarm_high),
            ("low", channel.alarm_low, then.alarm_low),
        ):
            if alarm is not None and alarm.alarming and not (was is not None and was.alarming):
                yield Alert(
                    type=f"cloud_alarm_{word}",
                    serial=device.serial,
                    probe=number,
                    probe_name=channel.name,
                    temperature=channel.temperature,
                    threshold=_in_probe_unit(alarm, channel.unit),
                    unit=channel.unit.value,
                )


def _in_probe_unit(alarm: Alarm, unit: Unit) -> float | None:
    """The alarm's set point in the probe's unit (the app may set it in the other one)."""
    if alarm.value is None or alarm.units is None or unit is Unit.HUMIDITY:
        return alarm.value
    return round(convert(alarm.value, alarm.units, unit), 1)


def without_readings(device: Device) -> Device:
    """The device as last seen, but with no reading: what is known of it, nothing shown."""
    channels = {
        number: dataclasses.replace(channel, temperature=None)
        for number, channel in device.channels.items()
    }
    return dataclasses.replace(device, channels=channels)
