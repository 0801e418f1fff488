"""Threshold numbers per probe: target, high and low, in the probe's unit, kept across restarts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntityDescription,
    NumberExtraStoredData,
    NumberMode,
    RestoreNumber,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util.unit_conversion import TemperatureConverter

from grillstats.analytics import Threshold, ThresholdKind, convert
from grillstats.thermoworks import Channel, Device, Unit

from .const import (
    CONF_DEFAULT_HIGH,
    CONF_DEFAULT_LOW,
    DEFAULT_HIGH_F,
    DEFAULT_LOW_F,
    PIT_DEFAULTS,
    TEMPERATURE_UNITS,
)
from .coordinator import GrillStatsConfigEntry, GrillStatsCoordinator
from .entity import GrillStatsProbeEntity, async_add_dynamic_entities, described_probe_entities
from .probes import CORE, Role, role, with_core

PARALLEL_UPDATES = 1

RANGE_F = (-40.0, 700.0)
"""What ThermoWorks probes can read, roughly: wider than any sensible threshold."""


@dataclass(frozen=True, kw_only=True)
class ThresholdDescription(NumberEntityDescription):
    """One of a probe's thresholds."""

    kind: ThresholdKind
    exists_fn: Callable[[Device, Channel], bool] = lambda _, channel: (
        channel.unit in TEMPERATURE_UNITS and channel.number != CORE
    )
    """High and low: every temperature channel (pits too: "the pit fell below 225 °F"), not
    humidity, not an RFX Meat's core (its points have them)."""


THRESHOLDS: tuple[ThresholdDescription, ...] = (
    ThresholdDescription(
        key="target",
        translation_key="target",
        kind=ThresholdKind.TARGET,
        # Meat is cooked to a target (an RFX Meat probe's core, not its points); a pit is
        # brought up to one ("the smoker is ready"). A logger's channel has none.
        exists_fn=lambda device, channel: role(device, channel) in (Role.MEAT, Role.PIT),
    ),
    ThresholdDescription(key="high", translation_key="high", kind=ThresholdKind.HIGH),
    ThresholdDescription(key="low", translation_key="low", kind=ThresholdKind.LOW),
)


def default_thresholds(options: Mapping[str, Any]) -> dict[ThresholdKind, float | None]:
    """New meat probes' thresholds in °F: the options' (a stored None is off), else 250 / 32."""
    return {
        ThresholdKind.HIGH: options.get(CONF_DEFAULT_HIGH, DEFAULT_HIGH_F),
        ThresholdKind.LOW: options.get(CONF_DEFAULT_LOW, DEFAULT_LOW_F),
    }


def default_threshold(
    options: Mapping[str, Any], probe_role: Role, kind: ThresholdKind, unit: Unit
) -> float | None:
    """A new probe's threshold in its unit, by what it measures.

    Meat starts from the options (converted), a pit from a smoker's range in round numbers of
    its own unit (PIT_DEFAULTS), a logger's channel (a fridge, a curing chamber) from nothing:
    no default fits both.
    """
    if probe_role is Role.PIT:
        return PIT_DEFAULTS[unit].get(kind)
    if probe_role is Role.AMBIENT:
        return None
    default = default_thresholds(options).get(kind)
    return None if default is None else round(convert(default, Unit.FAHRENHEIT, unit), 1)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrillStatsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add threshold numbers for every temperature probe, now and as probes appear."""
    async_add_dynamic_entities(
        entry,
        async_add_entities,
        *described_probe_entities(THRESHOLDS, ThresholdNumber, with_core),
    )


class ThresholdNumber(GrillStatsProbeEntity, RestoreNumber):
    """A threshold the alert engine watches; its value survives restarts."""

    entity_description: ThresholdDescription
    _attr_device_class = NumberDeviceClass.TEMPERATURE
    _attr_entity_category = EntityCategory.CONFIG
    _attr_mode = NumberMode.BOX
    _attr_native_step = 0.5

    def __init__(
        self,
        coordinator: GrillStatsCoordinator,
        serial: str,
        number: str,
        description: ThresholdDescription,
    ) -> None:
        """Start from the default for what the probe measures, in the probe's unit."""
        super().__init__(coordinator, serial, number, description)
        device, channel = self.device, self.channel
        fits = device is not None and channel is not None and description.exists_fn(device, channel)
        self._unit = channel.unit if channel is not None and fits else Unit.FAHRENHEIT
        self._attr_native_unit_of_measurement = TEMPERATURE_UNITS[self._unit]
        low, high = (convert(limit, Unit.FAHRENHEIT, self._unit) for limit in RANGE_F)
        self._attr_native_min_value = round(low)
        self._attr_native_max_value = round(high)
        probe_role = role(device, channel) if device and channel and fits else Role.MEAT
        self._attr_native_value = default_threshold(
            coordinator.config_entry.options, probe_role, description.kind, self._unit
        )
        preset = coordinator.initial_targets.get((serial, number))
        if preset is not None and description.kind is ThresholdKind.TARGET:  # the demo's cuts
            self._attr_native_value = round(convert(preset.value, preset.unit, self._unit), 1)

    @property
    def available(self) -> bool:
        """A threshold can be set while its temperature channel exists (cloud down or not)."""
        device, channel = self.device, self.channel
        return (
            device is not None
            and channel is not None
            and self.entity_description.exists_fn(device, channel)
        )

    async def async_added_to_hass(self) -> None:
        """Restore the last value and hand it to the alert engine."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_number_data()) is not None:
            self._attr_native_value = self._restored(last)
        self._publish()
        # The base class took what is shown before the restore: again, so the first poll
        # does not write the state that is about to be written with the restored value.
        self._shown = self.shown()

    def _restored(self, last: NumberExtraStoredData) -> float | None:
        """The stored value in this entity's unit (the probe may have switched unit)."""
        value, unit = last.native_value, last.native_unit_of_measurement
        if value is None or unit == self._attr_native_unit_of_measurement:
            return value
        if unit not in TEMPERATURE_UNITS.values():
            return self._attr_native_value  # not a temperature: keep the default
        return round(
            TemperatureConverter.convert(value, unit, self._attr_native_unit_of_measurement), 1
        )

    async def async_clear_threshold(self) -> None:
        """The ``grill_stats.clear_threshold`` action: this threshold is off until set again."""
        self._attr_native_value = None
        self._publish()
        self.async_write_ha_state()

    async def async_set_native_value(self, value: float) -> None:
        """A new threshold from the UI or an automation."""
        self._attr_native_value = value
        self._publish()
        self.async_write_ha_state()

    def _publish(self) -> None:
        """Hand the threshold to the alert engine with its unit (the probe's may change)."""
        value = self._attr_native_value
        threshold = None if value is None else Threshold(value=value, unit=self._unit)
        self.coordinator.alerts.set_limit(
            self.serial, self.number, self.entity_description.kind, threshold
        )

    def shown(self) -> object:
        """Availability only: the value changes through the UI, not the cloud."""
        return (self.available, self._attr_native_value)
