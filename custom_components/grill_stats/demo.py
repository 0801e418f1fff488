"""The demo provider: a simulated ThermoWorks Cloud on loopback, a cook under way from the start.

The simulator's ``demo`` scenario begins at a moment kept in the entry (set when the entry is
first set up) and its sim time is wall time, so a reload or an options change resumes the same
cook rather than lighting a cold grill. What the cook did before Home Assistant watched it is
replayed into the cook tracker as 2-minute polls, so the phases, the stall and the estimates
are there from the first poll; the meat probes start with their cuts' targets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from grillstats.analytics import StallDetector, Threshold, ThresholdKind
from grillstats.simulator import CloudSimulator
from grillstats.thermoworks import Unit

from .const import CONF_DEMO_START, DEMO_DEVICES, DEMO_SEED, DEMO_SPEED
from .cook import ProbeKey
from .probes import CORE, RFX_MEAT

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .alerts import AlertManager
    from .coordinator import GrillStatsConfigEntry, GrillStatsCoordinator

REPLAY_POLL_SECONDS = 120.0
"""The replayed history's poll interval: fine enough for the stall fits, cheap to replay."""
REPLAY_HORIZON = timedelta(hours=12)
"""No more than the cook tracker keeps."""


def demo_start(hass: HomeAssistant, entry: GrillStatsConfigEntry) -> datetime:
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


async def async_start_demo(hass: HomeAssistant, entry: GrillStatsConfigEntry) -> CloudSimulator:
    """Start the entry's demo simulator on a free loopback port (built in the executor)."""
    simulator = await hass.async_add_executor_job(_simulator, demo_start(hass, entry))
    await simulator.start("127.0.0.1", 0)
    return simulator


def demo_targets(simulator: CloudSimulator) -> dict[ProbeKey, Threshold]:
    """Each meat probe's intended target (an RFX meat probe's under its core)."""
    models = {serial: device.family for serial, device in simulator.devices_by_serial().items()}
    targets: dict[ProbeKey, Threshold] = {}
    for (serial, number), (value, unit) in simulator.targets().items():
        key = (serial, CORE) if models.get(serial) == RFX_MEAT else (serial, number)
        targets[key] = Threshold(value=value, unit=Unit(unit))
    return targets


def _replay(alerts: AlertManager, start: datetime, since: datetime, until: datetime) -> None:
    """Feed the cooks what polls every 2 minutes from ``since`` to ``until`` would have seen.

    In the executor: a day's cook takes about a second, and until the first refresh nothing
    else touches the cook tracker.
    """
    for when, devices in _simulator(start, now=since).replay(until, REPLAY_POLL_SECONDS):
        alerts.replay(devices, when)


def _last_seen(states: Mapping[str, Mapping[str, object]], key: ProbeKey) -> datetime | None:
    """When the stored cook of a probe last took a reading (``None``: no usable state)."""
    state = states.get("/".join(key))
    if state is None or state.get("unit") not in (Unit.FAHRENHEIT.value, Unit.CELSIUS.value):
        return None
    return StallDetector.from_state(state, unit=Unit(str(state["unit"]))).last_seen


async def async_replay_history(
    hass: HomeAssistant,
    coordinator: GrillStatsCoordinator,
    simulator: CloudSimulator,
) -> None:
    """Feed the cook tracker what it missed of the current cooks (all of it, the first time).

    Only the time no stored cook covers is replayed, so a reload replays seconds to minutes.
    """
    now = simulator.now()
    alerts = coordinator.alerts
    states = alerts.cook.state_dict()
    # A probe with no stored cook (its meat not on yet) needs only the gap the others need.
    seen = [
        moment
        for key in coordinator.initial_targets
        if (moment := _last_seen(states, key)) is not None
    ]
    since = max(simulator.cook_started(), now - REPLAY_HORIZON)
    if seen:
        since = max(since, min(seen))
    if now - since < timedelta(seconds=REPLAY_POLL_SECONDS):
        return
    for key, target in coordinator.initial_targets.items():
        if alerts.limit(key, ThresholdKind.TARGET) is None:
            alerts.cook.set_target(key, target)
    await hass.async_add_executor_job(_replay, alerts, simulator.scenario_start, since, now)
