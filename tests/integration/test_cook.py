"""A whole simulated cook through Home Assistant: stall events, phase, rate, time to target."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CoreState, Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.storage import Store
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import MockConfigEntry

import grillstats.analytics.cook as cook_module
from custom_components.grill_stats.const import DOMAIN, EVENT_ALERT
from custom_components.grill_stats.coordinator import GrillStatsCoordinator
from grillstats.analytics import Estimate, EtaSettings, StallDetector, Threshold, estimate_for
from grillstats.simulator import CloudSimulator

from .conftest import PollWith, Signals, setup_entry, tick
from .snapshots import CLOUD_TIME, load_devices, with_probe

SMOKER = "A4:CF:12:22:96:BA"
"""The recorded °F Signals: probe 2 is its brisket flat."""


@dataclass
class Cook(Signals):
    """The °F Signals' brisket flat, with a 203 °F target, and its stall events."""

    hass: HomeAssistant
    flat: str
    stalls: list[dict[str, Any]]

    def entity(self, domain: str, key: str) -> str:
        entity_id = er.async_get(self.hass).async_get_entity_id(
            domain, DOMAIN, f"{self.serial}_{self.flat}_{key}"
        )
        assert entity_id, key
        return entity_id

    def state(self, domain: str, key: str) -> str:
        state = self.hass.states.get(self.entity(domain, key))
        assert state is not None
        return state.state

    def truth(self) -> dict[str, Any]:
        """The simulator's ground truth for the flat: true temperature, phase, stall window."""
        probe: dict[str, Any] = next(
            p for p in self.simulated()["cook"]["probes"] if p["label"] == "Brisket Flat"
        )
        return probe


@pytest.fixture
async def cook(hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry) -> Cook:
    """The integration on the simulator, the flat's target set to 203 °F."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    await setup_entry(hass, cloud_entry)
    signals = Signals.find(hass, cloud, cloud_entry)
    flat = signals.channel("Brisket Flat")
    cook = Cook(**vars(signals), hass=hass, flat=flat, stalls=[])
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": cook.entity("number", "target"), "value": 203},
        blocking=True,
    )

    @callback
    def record(event: Event[dict[str, Any]]) -> None:
        data = event.data
        if data["type"].startswith("stall") and (data["serial"], data["probe"]) == (
            cook.serial,
            flat,
        ):
            cook.stalls.append(dict(event.data))

    hass.bus.async_listen(EVENT_ALERT, record)
    return cook


async def test_brisket_cook_stalls_and_gets_an_estimate(hass: HomeAssistant, cook: Cook) -> None:
    alert_entity = cook.entity("event", "alert")
    fired: list[dict[str, Any]] = []

    @callback
    def entity_fired(event: Event[EventStateChangedData]) -> None:
        state = event.data["new_state"]
        if state is not None and state.attributes.get("event_type", "").startswith("stall"):
            fired.append(dict(state.attributes))

    async_track_state_change_event(hass, alert_entity, entity_fired)
    phases: list[str] = []
    # (poll time, estimate, earliest, latest) of every poll with an estimate
    estimates: list[tuple[datetime, datetime, datetime, datetime]] = []
    start = cook.cloud.now()
    # The simulator's ground truth: when the meat truly reached 203 °F, and its stall ended.
    finished: datetime | None = None
    stall_end: datetime | None = None
    for _ in range(16 * 12):  # sixteen hours of five-minute polls
        await cook.poll()
        phases.append(cook.state("sensor", "cook_phase"))
        shown = hass.states.get(cook.entity("sensor", "time_to_target"))
        assert shown is not None
        if shown.state not in ("unknown", "unavailable"):
            estimates.append(
                (
                    cook.cloud.now(),
                    datetime.fromisoformat(shown.state),
                    datetime.fromisoformat(shown.attributes["earliest"]),
                    datetime.fromisoformat(shown.attributes["latest"]),
                )
            )
        truth = cook.truth()
        if truth["true_f"] >= truth["target_f"] and finished is None:
            finished = cook.cloud.now()
            stall_end = datetime.fromisoformat(truth["stall_end"])
        if phases[-1] == "done":
            break
    await hass.async_block_till_done()

    assert "heating" in phases
    assert "stall" in phases
    assert phases[-1] == "done"
    assert [event["type"] for event in cook.stalls][:2] == ["stall_started", "stall_ended"]
    # The flat's alert entity fired the same stall events, with the bus event's data.
    assert [state["event_type"] for state in fired] == [event["type"] for event in cook.stalls]
    for state, event in zip(fired, cook.stalls, strict=True):
        assert {key: state[key] for key in event} == event
    assert cook.stalls[0]["unit"] == "F"
    assert 140 < cook.stalls[0]["temperature"] < 180
    # The estimate against the simulator's ground truth, ``finished``: the first poll whose
    # true temperature was 203 °F, five minutes after the crossing at most (the readings have
    # noise: the phase turns done at that poll or the next).
    assert finished is not None
    assert stall_end is not None
    assert finished <= cook.cloud.now() <= finished + timedelta(minutes=5)
    assert estimates[-1][0] >= finished - timedelta(minutes=5)  # an estimate up to the end
    hour = timedelta(hours=1)
    for now, eta, earliest, latest in estimates:
        assert earliest <= eta <= latest
        assert now <= eta, now  # never in the past while still heating
        if now >= start + 3 * hour:  # warmed up (some 7.5 h to go): within 1.5 h
            assert abs(eta - finished) < 1.5 * hour, now
        if now >= stall_end + hour / 2:  # the stall's end seen: within half an hour
            assert abs(eta - finished) < hour / 2, now
            assert earliest <= finished + timedelta(minutes=5), now
            assert finished - timedelta(minutes=5) <= latest, now
        if now >= finished - 2 * hour:  # the last two hours: within ten minutes
            assert abs(eta - finished) < hour / 6, now
    rate = hass.states.get(cook.entity("sensor", "rate_of_change"))
    assert rate is not None
    assert rate.attributes["unit_of_measurement"] == "°F/h"


async def test_a_reload_mid_stall_keeps_the_stall_and_the_estimate(
    hass: HomeAssistant, cook: Cook
) -> None:
    for _ in range(16 * 12):
        await cook.poll()
        if cook.state("sensor", "cook_phase") == "stall":
            break
    for _ in range(6):  # half an hour into the stall
        await cook.poll()
    assert cook.state("sensor", "cook_phase") == "stall"
    before = datetime.fromisoformat(cook.state("sensor", "time_to_target"))

    assert await hass.config_entries.async_reload(cook.entry.entry_id)
    await hass.async_block_till_done()
    assert cook.state("sensor", "cook_phase") == "stall"  # not "idle": the cook was stored
    after = datetime.fromisoformat(cook.state("sensor", "time_to_target"))
    assert abs(after - before) < timedelta(minutes=30)
    now = cook.cloud.now()
    assert after - now < timedelta(hours=12)  # not the 48 h cap of a fresh detector
    await cook.poll()
    assert cook.state("sensor", "cook_phase") == "stall"
    assert [event["type"] for event in cook.stalls] == ["stall_started"]  # never fired again


@pytest.mark.parametrize("cut_off", ["unplug", "offline"])
async def test_cook_sensors_unavailable_without_a_reading(cook: Cook, cut_off: str) -> None:
    for _ in range(3 * 12):  # three hours in: a rate, a phase and an estimate
        await cook.poll()
    keys = ("rate_of_change", "time_to_target", "cook_phase")
    shown = {key: cook.state("sensor", key) for key in keys}
    assert "unavailable" not in shown.values()
    assert "unknown" not in shown.values()
    if cut_off == "unplug":
        cook.cloud.set_channel(cook.serial, cook.flat, unplugged=True)
    else:
        cook.cloud.set_device(cook.serial, online=False)
    for _ in range(4):  # twenty minutes: the thermometer counts as offline after 15
        await cook.poll()
        if cut_off == "unplug":
            assert all(cook.state("sensor", key) == "unavailable" for key in keys)
    assert all(cook.state("sensor", key) == "unavailable" for key in keys)
    if cut_off == "unplug":
        cook.cloud.set_channel(cook.serial, cook.flat, auto=True)
    else:
        cook.cloud.set_device(cook.serial, online=True)
    await cook.poll()
    assert cook.state("sensor", "rate_of_change") != "unavailable"
    assert cook.state("sensor", "cook_phase") == "heating"


async def test_the_expect_stall_option(hass: HomeAssistant, cook: Cook) -> None:
    for _ in range(2 * 12):  # two hours in: the brisket flat well below its stall
        await cook.poll()
    expecting = datetime.fromisoformat(cook.state("sensor", "time_to_target"))
    result = await hass.config_entries.options.async_init(cook.entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"scan_interval": 300, "expect_stall": "never"}
    )
    assert cook.entry.options["expect_stall"] == "never"
    await hass.async_block_till_done()  # the entry reloads, the cook is restored
    plain = datetime.fromisoformat(cook.state("sensor", "time_to_target"))
    # 203 °F expects a stall by default: 0.9 x the mean 2.5 h stall, gone with "never"
    assert (expecting - plain).total_seconds() / 3600 == pytest.approx(2.25, abs=0.05)
    state = cook.hass.states.get(cook.entity("sensor", "time_to_target"))
    assert state is not None
    assert datetime.fromisoformat(state.attributes["earliest"]) <= plain


async def test_a_removed_probe_is_forgotten(
    hass: HomeAssistant, cook: Cook, hass_storage: dict[str, Any]
) -> None:
    for _ in range(3):
        await cook.poll()
    coordinator: GrillStatsCoordinator = cook.entry.runtime_data.coordinator
    key = (cook.serial, cook.flat)
    assert coordinator.tracker.insight(key) is not None
    cook.cloud.remove_device(cook.serial)
    await cook.poll()
    assert coordinator.tracker.insight(key) is None
    assert await hass.config_entries.async_unload(cook.entry.entry_id)
    await hass.async_block_till_done()
    stored = hass_storage[f"{DOMAIN}.{cook.entry.entry_id}.cooks"]["data"]
    assert not [probe for probe in stored if probe.startswith(cook.serial)]
    assert stored  # the other thermometers' probes are still there


async def test_the_cooks_are_written_at_most_every_five_minutes(
    hass: HomeAssistant,
    cook: Cook,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    key = f"{DOMAIN}.{cook.entry.entry_id}.cooks"
    writes: list[int] = []

    def samples_written() -> int:
        states = hass_storage.get(key, {}).get("data", {}).values()
        return sum(len(state["samples"]) for state in states)

    for _ in range(15):  # a minute apart, as fast polling does
        cook.cloud.advance(60)
        await tick(hass, freezer, 60, entry=cook.entry)
        writes.append(samples_written())
    changes = sum(1 for a, b in itertools.pairwise(writes) if a != b)
    assert changes in (2, 3)  # fifteen polls in fifteen minutes: a write every five


async def test_unchanged_polls_never_write_the_cooks(
    hass: HomeAssistant,
    poll_with: PollWith,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """The cloud has nothing new (the same readings, the same times): no write at all."""
    await setup_entry(hass, mock_config_entry)
    key = f"{DOMAIN}.{mock_config_entry.entry_id}.cooks"
    for _ in range(2):  # the first samples written
        await poll_with(load_devices())
    assert hass_storage[key]["data"]
    writes: list[str] = []
    original = Store._async_write_data

    async def counting(store: Store[Any], data: dict[str, Any]) -> None:
        writes.append(store.key)
        await original(store, data)

    with patch.object(Store, "_async_write_data", counting):
        for _ in range(6):  # half an hour
            await poll_with(load_devices())
        assert writes.count(key) == 0
        # A new reading is written once, five minutes later (it waits for no further poll).
        devices = load_devices()
        with_probe(devices, SMOKER, "2", temperature=150.0, last_seen=CLOUD_TIME + timedelta(1))
        await poll_with(devices)
        assert writes.count(key) == 0
        for _ in range(3):
            await poll_with(devices)
        assert writes.count(key) == 1


async def test_the_cooks_are_written_when_home_assistant_stops(
    hass: HomeAssistant,
    cook: Cook,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Readings since the last write are not lost at a stop (HA stops without unloading)."""
    coordinator: GrillStatsCoordinator = cook.entry.runtime_data.coordinator
    key = f"{DOMAIN}.{cook.entry.entry_id}.cooks"
    for _ in range(7):  # past the first write, then two minutes of unwritten readings
        cook.cloud.advance(60)
        await tick(hass, freezer, 60, entry=cook.entry)
    tracked = json.loads(json.dumps(coordinator.tracker.cook.state_dict()))
    assert hass_storage[key]["data"] != tracked
    hass.set_state(CoreState.stopping)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"] == tracked


async def test_one_estimate_per_poll_per_probe_with_a_target(
    hass: HomeAssistant, cook: Cook
) -> None:
    """The estimate is the costly part: computed once per new reading, only with a target.

    Three sensors per probe show the insight (time to target with its range, phase, rate);
    only the time to target needs the estimate.
    """
    point = cook.channel("Brisket Point")
    point_target = er.async_get(hass).async_get_entity_id(
        "number", DOMAIN, f"{cook.serial}_{point}_target"
    )
    assert point_target
    await hass.services.async_call(
        "number", "set_value", {"entity_id": point_target, "value": 195}, blocking=True
    )
    for _ in range(24):  # two hours in: every probe has enough readings for an estimate
        await cook.poll()
    per_poll: list[Counter[float | None]] = []
    original = estimate_for

    def counting(detector: StallDetector, settings: EtaSettings | None = None) -> Estimate | None:
        per_poll[-1][detector.target] += 1
        return original(detector, settings)

    with patch.object(cook_module, "estimate_for", counting):
        for _ in range(5):
            per_poll.append(Counter())
            await cook.poll()
            await hass.async_block_till_done()
    # One each for the flat (203 °F) and the point (195 °F); none for the targetless probes.
    assert per_poll == [Counter({203.0: 1, 195.0: 1})] * 5
    assert cook.state("sensor", "time_to_target") not in ("unknown", "unavailable")


async def test_a_new_target_gets_a_new_estimate(hass: HomeAssistant, cook: Cook) -> None:
    for _ in range(24):
        await cook.poll()
    tracker = cook.entry.runtime_data.coordinator.tracker.cook
    key = (cook.serial, cook.flat)
    insight = tracker.insight(key)
    assert insight is not None
    assert insight.estimate is not None
    assert tracker.insight(key) is insight  # kept until something changes
    tracker.set_target(key, Threshold(value=180.0))
    sooner = tracker.insight(key)
    assert sooner is not None
    assert sooner.estimate is not None
    assert sooner.estimate.eta < insight.estimate.eta
    tracker.set_target(key, None)
    off = tracker.insight(key)
    assert off is not None
    assert off.estimate is None
