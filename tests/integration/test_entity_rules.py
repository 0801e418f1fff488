"""Which entities each probe gets, and how they are categorised, for a cook."""

from __future__ import annotations

from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grill_stats.const import DOMAIN

SMOKER = "A4:CF:12:22:96:BA"
"""A °F Signals: 1 Pit, 2 and 3 meat, 4 an empty socket."""
KAMADO = "FC:E8:C0:15:EE:2D"
"""A °C Signals: 1 Pit."""
MEAT = "M100083898"
"""An RFX Meat probe: four points, one core."""
NODE = "FC:E8:C0:3C:AE:98"
"""A NODE: 1 temperature, 2 humidity."""


def _ids(registry: er.EntityRegistry, entry: MockConfigEntry, prefix: str) -> set[str]:
    entries = er.async_entries_for_config_entry(registry, entry.entry_id)
    return {e.unique_id for e in entries if e.unique_id.startswith(prefix)}


def _native(hass: HomeAssistant, unique_id: str) -> float | None:
    """A threshold in the probe's own unit (what the alerts compare)."""
    entity_id = er.async_get(hass).async_get_entity_id(Platform.NUMBER, DOMAIN, unique_id)
    assert entity_id, unique_id
    entity = hass.data[Platform.NUMBER].get_entity(entity_id)
    assert entity is not None
    value: float | None = entity.native_value
    return value


async def test_a_pit_starts_at_pit_thresholds_and_meat_at_the_options(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    expected = {
        f"{SMOKER}_1_high": 300.0,  # a °F pit, not the options' 250 / 32 for meat
        f"{SMOKER}_1_low": 200.0,
        f"{SMOKER}_2_high": 250.0,  # meat: the options' defaults
        f"{SMOKER}_2_low": 32.0,
        f"{KAMADO}_1_high": 150.0,  # a °C pit: round °C numbers
        f"{KAMADO}_1_low": 95.0,
        f"{NODE}_1_high": None,  # a logger's channel: no default fits a fridge and a smoker
        f"{NODE}_1_low": None,
    }
    assert {key: _native(hass, key) for key in expected} == expected


async def test_what_each_channel_gets(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, init_integration: MockConfigEntry
) -> None:
    cook = {"cook_phase", "rate_of_change", "time_to_target"}
    # A humidity channel: no thresholds, no cook sensors.
    humidity = {
        uid.removeprefix(f"{NODE}_2_")
        for uid in _ids(entity_registry, init_integration, f"{NODE}_2_")
    }
    assert not humidity & ({"target", "high", "low"} | cook)
    # A NODE's temperature: high and low, no target, no cook.
    node = {
        uid.removeprefix(f"{NODE}_1_")
        for uid in _ids(entity_registry, init_integration, f"{NODE}_1_")
    }
    assert {"high", "low"} <= node
    assert not node & ({"target"} | cook)
    # A pit: a target and high / low, no cook sensors.
    pit = {
        uid.removeprefix(f"{SMOKER}_1_")
        for uid in _ids(entity_registry, init_integration, f"{SMOKER}_1_")
    }
    assert {"target", "high", "low"} <= pit
    assert not pit & cook
    # Meat: everything.
    meat = {
        uid.removeprefix(f"{SMOKER}_2_")
        for uid in _ids(entity_registry, init_integration, f"{SMOKER}_2_")
    }
    assert {"target", "high", "low"} | cook <= meat
    # An RFX Meat probe: the core is the meat; its points are readings with high / low.
    for number in "1234":
        point = _ids(entity_registry, init_integration, f"{MEAT}_{number}_")
        assert {uid.removeprefix(f"{MEAT}_{number}_") for uid in point} & (
            cook | {"target"}
        ) == set()
    core = _ids(entity_registry, init_integration, f"{MEAT}_core_")
    assert core == {f"{MEAT}_core_{key}" for key in cook | {"target", "temperature"}}


async def test_categories_and_disabled_by_default(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, init_integration: MockConfigEntry
) -> None:
    def entry(platform: Platform, unique_id: str) -> er.RegistryEntry:
        entity_id = entity_registry.async_get_entity_id(platform, DOMAIN, unique_id)
        assert entity_id, unique_id
        found = entity_registry.async_get(entity_id)
        assert found is not None
        return found

    hidden = [
        (Platform.BINARY_SENSOR, f"{SMOKER}_2_cloud_alarm_high"),
        (Platform.BINARY_SENSOR, f"{SMOKER}_2_cloud_alarm_low"),
        (Platform.SENSOR, f"{SMOKER}_2_alarm_high_setpoint"),
        (Platform.SENSOR, f"{SMOKER}_2_alarm_low_setpoint"),
    ]
    for platform, unique_id in hidden:
        found = entry(platform, unique_id)
        assert found.entity_category is EntityCategory.DIAGNOSTIC, unique_id
        assert found.disabled_by is er.RegistryEntryDisabler.INTEGRATION, unique_id
    for platform, unique_id in [
        (Platform.BINARY_SENSOR, f"{SMOKER}_2_connected"),
        (Platform.BINARY_SENSOR, f"{SMOKER}_battery_charging"),
    ]:
        found = entry(platform, unique_id)
        assert found.entity_category is EntityCategory.DIAGNOSTIC, unique_id
        assert found.disabled_by is None, unique_id
    # What a cook looks at first stays on the main card.
    for unique_id in (
        f"{SMOKER}_2_temperature",
        f"{SMOKER}_2_cook_phase",
        f"{MEAT}_core_temperature",
    ):
        found = entry(Platform.SENSOR, unique_id)
        assert found.entity_category is None
        assert found.disabled_by is None


async def test_the_model_is_the_product_name(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    registry = dr.async_get(hass)
    models = {
        serial: (device.model, device.model_id)
        for serial in (SMOKER, MEAT, NODE)
        if (
            device := registry.async_get_device_by_identifier(
                (DOMAIN, serial), init_integration.entry_id
            )
        )
        is not None
    }
    assert models == {
        SMOKER: ("Signals", None),
        MEAT: ("RFX Meat", None),
        NODE: ("NODE", None),
    }
