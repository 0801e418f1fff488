"""The shipped blueprints, loaded into Home Assistant and run by a simulated cook."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.grill_stats.const import DOMAIN
from grillstats.simulator import CloudSimulator

from .conftest import Signals, setup_entry

BLUEPRINTS = Path(__file__).resolve().parents[2] / "blueprints" / "automation" / "grill_stats"


@pytest.fixture
async def cook(
    hass: HomeAssistant, tmp_path: Path, cloud: CloudSimulator, cloud_entry: MockConfigEntry
) -> Signals:
    """Blueprints copied into a private config folder; the integration on the simulator.

    Returns the °F Signals (with its Home Assistant device id).
    """
    hass.config.config_dir = str(tmp_path)
    hass.config.units = US_CUSTOMARY_SYSTEM
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints" / "automation" / "grill_stats")
    await setup_entry(hass, cloud_entry)
    return Signals.find(hass, cloud, cloud_entry)


async def _automation(
    hass: HomeAssistant, blueprint: str, inputs: dict[str, Any]
) -> list[ServiceCall]:
    calls: list[ServiceCall] = async_mock_service(hass, "test", "notify")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {
                    "path": f"grill_stats/{blueprint}",
                    "input": {
                        **inputs,
                        "actions": [
                            {
                                "action": "test.notify",
                                "data": {
                                    "type": "{{ trigger.event.data.type }}",
                                    "probe": "{{ trigger.event.data.probe_name }}",
                                },
                            }
                        ],
                    },
                }
            }
        },
    )
    await hass.async_block_till_done()
    return calls


async def test_probe_reached_target(hass: HomeAssistant, cook: Signals) -> None:
    calls = await _automation(hass, "probe_reached_target.yaml", {"thermometer": cook.device_id})
    target = er.async_get(hass).async_get_entity_id("number", DOMAIN, f"{cook.serial}_2_target")
    await hass.services.async_call(
        "number", "set_value", {"entity_id": target, "value": 195}, blocking=True
    )
    for value in (180.0, 196.0, 197.0):
        await cook.read("2", value=value)
        await hass.async_block_till_done()
    assert [call.data["type"] for call in calls] == ["target_reached"]


async def test_pit_out_of_range(hass: HomeAssistant, cook: Signals) -> None:
    calls = await _automation(
        hass,
        "pit_out_of_range.yaml",
        {"thermometer": cook.device_id, "probe_name": "Pit", "include_cleared": True},
    )
    for value in (305.0, 306.0, 290.0):  # a pit's default high: 300 °F
        await cook.read("1", value=value)
        await hass.async_block_till_done()
    assert [(call.data["type"], call.data["probe"]) for call in calls] == [
        ("high", "Pit"),
        ("cleared", "Pit"),
    ]


@pytest.mark.parametrize(("pit_only", "runs"), [(None, ["Pit"]), (False, ["Brisket Flat", "Pit"])])
async def test_pit_out_of_range_ignores_meat_probes_by_default(
    hass: HomeAssistant, cook: Signals, pit_only: bool | None, runs: list[str]
) -> None:
    inputs = {} if pit_only is None else {"pit_only": pit_only}
    calls = await _automation(hass, "pit_out_of_range.yaml", inputs)
    await cook.read("2", value=20.0)  # a frozen brisket: under the 32 °F default low
    await cook.read("1", value=305.0)  # the pit over its 300 °F default high
    await hass.async_block_till_done()
    assert [call.data["probe"] for call in calls] == runs


async def test_probe_disconnected_or_battery_low(
    hass: HomeAssistant, cloud: CloudSimulator, cook: Signals
) -> None:
    calls = await _automation(hass, "probe_disconnected_or_battery_low.yaml", {})
    await cook.read("3", unplugged=True)
    cloud.set_device(cook.serial, battery=10, charging=False)
    await cook.refresh()
    await hass.async_block_till_done()
    assert [call.data["type"] for call in calls] == ["probe_disconnected", "battery_low"]
