"""A whole simulated cook through Home Assistant: stall events, phase, rate, time to target."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import DOMAIN, EVENT_ALERT
from custom_components.grill_stats.coordinator import GrillStatsCoordinator
from grillstats.simulator import CloudSimulator

from .conftest import setup_entry


async def test_brisket_cook_stalls_and_gets_an_estimate(
    hass: HomeAssistant, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    await setup_entry(hass, cloud_entry)
    smoker = next(
        d
        for d in cloud.state()["devices"]
        if d["device"] == "signals" and d["channels"][0]["units"] == "F"
    )
    serial = smoker["serial"]
    flat = next(c["number"] for c in smoker["channels"] if c["label"] == "Brisket Flat")
    registry = er.async_get(hass)

    def entity(domain: str, key: str) -> str:
        entity_id = registry.async_get_entity_id(domain, DOMAIN, f"{serial}_{flat}_{key}")
        assert entity_id, key
        return entity_id

    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": entity("number", "target"), "value": 203},
        blocking=True,
    )
    stalls: list[dict[str, Any]] = []

    @callback
    def record(event: Event[dict[str, Any]]) -> None:
        data = event.data
        if data["type"].startswith("stall") and (data["serial"], data["probe"]) == (serial, flat):
            stalls.append(dict(event.data))

    hass.bus.async_listen(EVENT_ALERT, record)
    coordinator: GrillStatsCoordinator = cloud_entry.runtime_data.coordinator
    phases: list[str] = []
    estimates: list[str] = []
    for _ in range(16 * 12):  # sixteen hours of five-minute polls
        cloud.advance(300)
        await coordinator.async_refresh()
        phase = hass.states.get(entity("sensor", "cook_phase"))
        assert phase is not None
        phases.append(phase.state)
        eta = hass.states.get(entity("sensor", "time_to_target"))
        assert eta is not None
        estimates.append(eta.state)
        if phase.state == "done":
            break
    await hass.async_block_till_done()

    assert "heating" in phases
    assert "stall" in phases
    assert phases[-1] == "done"
    assert [event["type"] for event in stalls][:2] == ["stall_started", "stall_ended"]
    assert stalls[0]["unit"] == "F"
    assert 140 < stalls[0]["temperature"] < 180
    # While heating towards 203 °F the estimate is a timestamp with a range around it.
    timestamps = [value for value in estimates if value not in ("unknown", "unavailable")]
    assert timestamps
    datetime.fromisoformat(timestamps[-1])
    rate = hass.states.get(entity("sensor", "rate_of_change"))
    assert rate is not None
    assert rate.attributes["unit_of_measurement"] == "°F/h"
