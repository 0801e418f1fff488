"""Threshold numbers per probe: target, high and low, in the probe's unit, kept across restarts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

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

from grillstats.analytics import CORE, Role, Threshold, ThresholdKind, convert, role
from grillstats.thermoworks import Channel, Device, Unit

from .const import PIT_DEFAULTS, TEMPERATURE_UNITS
from .coordinator import GrillStatsConfigEntry, GrillStatsCoordinator
from .entity import (
    GrillStatsProbeDescription,
    GrillStatsProbeEntity,
    async_add_grill_stats_entities,
)
from .options import GrillStatsOptions

PARALLEL_UPDATES = 1

RANGE_F = (-40.0, 700.0)
"""What ThermoWorks probes can read, roughly: wider than any sensible threshold."""


@dataclass(frozen=True, kw_only=True)
class ThresholdDescription(NumberEntityDescription, GrillStatsProbeDescription):
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


def default_threshold(
    options: GrillStatsOptions, probe_role: Role, kind: ThresholdKind, unit: Unit
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
    meat = {ThresholdKind.HIGH: options.default_high, ThresholdKind.LOW: options.default_low}
    default = meat.get(kind)
    return None if default is None else round(convert(default, Unit.FAHRENHEIT, unit), 1)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrillStatsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add threshold numbers for every temperature probe, now and as probes appear."""
    async_add_grill_stats_entities(entry, async_add_entities, probes={ThresholdNumber: THRESHOLDS})


class ThresholdNumber(GrillStatsProbeEntity, RestoreNumber):
    """A threshold the alert engine watches; its value survives restarts.

    It can be set while its temperature channel exists, whether the cloud answers or not.
    """

    entity_description: ThresholdDescription
    _follows_cloud = False
    _attr_device_class = NumberDeviceClass.TEMPERATURE
    _attr_entity_category = EntityCategory.CONFIG
    _attr_mode = NumberMode.BOX
    _attr_native_step = 0.5

    def __init__(
        self,
        coordinator: GrillStatsCoordinator,
        serial: str,
        channel_number: str,
        description: ThresholdDescription,
    ) -> None:
        """Start from the default for what the probe measures, in the probe's unit."""
        super().__init__(coordinator, serial, channel_number, description)
        device, channel = self.device, self.channel
        fits = device is not None and channel is not None and description.exists_fn(device, channel)
        self._unit = channel.unit if channel is not None and fits else Unit.FAHRENHEIT
        self._attr_native_unit_of_measurement = TEMPERATURE_UNITS[self._unit]
        low, high = (convert(limit, Unit.FAHRENHEIT, self._unit) for limit in RANGE_F)
        self._attr_native_min_value = round(low)
        self._attr_native_max_value = round(high)
        probe_role = role(device, channel) if device and channel and fits else Role.MEAT
        self._attr_native_value = default_threshold(
            coordinator.options, probe_role, description.kind, self._unit
        )
        preset = coordinator.initial_targets.get(self.probe_key)
        if preset is not None and description.kind is ThresholdKind.TARGET:  # the demo's cuts
            self._attr_native_value = round(convert(preset.value, preset.unit, self._unit), 1)

    @override
    async def async_added_to_hass(self) -> None:
        """Restore the last value and hand it to the alert engine."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_number_data()) is not None:
            self._attr_native_value = self._restored(last)
        self._publish()
        # The base class took what is shown before the restore: again, so the first poll
        # does not write the state that is about to be written with the restored value.
        self._shown = self._fingerprint()

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

    @override
    async def async_set_native_value(self, value: float) -> None:
        """A new threshold from the UI or an automation."""
        self._attr_native_value = value
        self._publish()
        self.async_write_ha_state()

    def _publish(self) -> None:
        """Hand the threshold to the alert engine with its unit (the probe's may change)."""
        value = self._attr_native_value
        threshold = None if value is None else Threshold(value=value, unit=self._unit)
        self.coordinator.tracker.set_threshold(
            self.probe_key, self.entity_description.kind, threshold
        )
