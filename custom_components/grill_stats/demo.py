"""The demo provider: a simulated ThermoWorks Cloud on loopback, a cook under way from the start.

The simulator's ``demo`` scenario begins at a moment kept in the entry (set when the entry is
first set up) and its sim time is wall time, so a reload or an options change resumes the same
cook rather than lighting a cold grill. What the cook did before Home Assistant watched it is
replayed into the cook tracker as 2-minute polls, so the phases, the stall and the estimates
are there from the first poll; the meat probes start with their cuts' targets.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from grillstats.analytics import (
    CORE,
    AlertTracker,
    ProbeKey,
    StallDetector,
    Threshold,
    ThresholdKind,
)
from grillstats.analytics.roles import RFX_MEAT
from grillstats.simulator import CloudSimulator
from grillstats.thermoworks import Unit

from .const import (
    CONF_DEMO_START,
    CONF_ENDPOINT,
    CONF_PROVIDER,
    DEMO_DEVICES,
    DEMO_SEED,
    DEMO_SPEED,
    PROVIDER_CUSTOM,
)

REPLAY_POLL_SECONDS = 120.0
"""The replayed history's poll interval: fine enough for the stall fits, cheap to replay."""
REPLAY_HORIZON = timedelta(hours=12)
"""No more than the cook tracker keeps."""


def demo_start(hass: HomeAssistant, entry: ConfigEntry) -> datetime:
    """When the demo's story began; the first setup stores now."""
    stored = entry.data.get(CONF_DEMO_START)
    if isinstance(stored, str) and (start := dt_util.parse_datetime(stored)) is not None:
        return start.astimezone(UTC)
    start = dt_util.utcnow()
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_DEMO_START: start.isoformat()}
    )
    return start


def _simulator(start: datetime, *, now: datetime | None = None) -> CloudSimulator:
    """The demo's simulator, live (wall clock) or, with ``now``, paused there for a replay."""
    simulator = CloudSimulator(
        devices=DEMO_DEVICES,
        seed=DEMO_SEED,
        speed=DEMO_SPEED if now is None else 0,
        start_time=now,
        scenario="demo",
        scenario_start=start,
        wall_clock=now is None,
    )
    simulator.sync()  # the catch-up to now, done here, off the event loop
    return simulator


class DemoCloud:
    """A demo entry's simulated cloud: where the client signs in, and the cook so far."""

    def __init__(self, simulator: CloudSimulator) -> None:
        """Wrap a started simulator."""
        self.simulator = simulator

    @property
    def base_url(self) -> str:
        """The simulator's loopback URL (its control API drives the demo cook)."""
        return self.simulator.base_url

    def entry_data(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The entry's data as a client needs it: the simulator's URL and account."""
        simulator = self.simulator
        return dict(data) | {
            CONF_PROVIDER: PROVIDER_CUSTOM,
            CONF_ENDPOINT: simulator.base_url,
            CONF_EMAIL: simulator.email,
            CONF_PASSWORD: simulator.password,
        }

    def targets(self) -> dict[ProbeKey, Threshold]:
        """Each meat probe's intended target (an RFX meat probe's under its core)."""
        simulator = self.simulator
        models = {serial: device.family for serial, device in simulator.devices_by_serial().items()}
        targets: dict[ProbeKey, Threshold] = {}
        for (serial, channel), (value, unit) in simulator.targets().items():
            key = (serial, CORE) if models.get(serial) == RFX_MEAT else (serial, channel)
            targets[key] = Threshold(value=value, unit=Unit(unit))
        return targets

    async def async_replay_history(
        self, hass: HomeAssistant, tracker: AlertTracker, targets: Mapping[ProbeKey, Threshold]
    ) -> None:
        """Feed the cook tracker what it missed of the current cooks (all of it, the first time).

        Only the time no stored cook covers is replayed, so a reload replays seconds to
        minutes. A probe with no stored cook (its meat not on yet) needs only the gap the
        others need.
        """
        simulator = self.simulator
        now = simulator.now()
        states = tracker.cook.state_dict()
        seen = [moment for key in targets if (moment := _last_seen(states, key)) is not None]
        since = max(simulator.cook_started(), now - REPLAY_HORIZON)
        if seen:
            since = max(since, min(seen))
        if now - since < timedelta(seconds=REPLAY_POLL_SECONDS):
            return
        for key, target in targets.items():
            if tracker.threshold(key, ThresholdKind.TARGET) is None:
                tracker.cook.set_target(key, target)
        await hass.async_add_executor_job(_replay, tracker, simulator.scenario_start, since, now)


async def async_start_demo(hass: HomeAssistant, entry: ConfigEntry) -> DemoCloud:
    """Start the entry's demo simulator on a free loopback port; it stops with the entry."""
    simulator = await hass.async_add_executor_job(_simulator, demo_start(hass, entry))
    await simulator.start("127.0.0.1", 0)
    entry.async_on_unload(simulator.stop)
    return DemoCloud(simulator)


def _replay(tracker: AlertTracker, start: datetime, since: datetime, until: datetime) -> None:
    """Feed the cooks what polls every 2 minutes from ``since`` to ``until`` would have seen.

    In the executor: a day's cook takes about a second, and until the first refresh nothing
    else touches the cook tracker.
    """
    for when, devices in _simulator(start, now=since).replay(until, REPLAY_POLL_SECONDS):
        tracker.replay(devices, when)


def _last_seen(states: Mapping[str, Mapping[str, object]], key: ProbeKey) -> datetime | None:
    """When the stored cook of a probe last took a reading (``None``: no usable state)."""
    state = states.get("/".join(key))
    if state is None or state.get("unit") not in (Unit.FAHRENHEIT.value, Unit.CELSIUS.value):
        return None
    return StallDetector.from_state(state, unit=Unit(str(state["unit"]))).last_seen
