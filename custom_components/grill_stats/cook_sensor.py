"""Cook sensors per meat probe: time to target, cook phase, rate of change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)

from grillstats.analytics import CookPhase, ProbeInsight, Role, role
from grillstats.thermoworks import Channel, Device

from .entity import GrillStatsProbeDescription, GrillStatsProbeEntity

type CookValue = float | str | datetime | None


@dataclass(frozen=True, kw_only=True)
class CookSensorDescription(SensorEntityDescription, GrillStatsProbeDescription):
    """A sensor computed from the probe's cook insight.

    Unavailable without a reading (unplugged, offline, stale): never a frozen value.
    """

    value_fn: Callable[[ProbeInsight], CookValue]
    exists_fn: Callable[[Device, Channel], bool] = lambda device, channel: (
        role(device, channel) is Role.MEAT
    )
    """Meat only: not a pit, a logger's or humidity channel, nor an RFX Meat's points (its
    core is the meat); the cook tracker follows the same rule (roles.cook_view)."""
    available_fn: Callable[[Device, Channel], bool] = lambda _device, channel: (
        channel.temperature is not None
    )


def _rate(insight: ProbeInsight) -> float | None:
    return None if insight.rate_per_hour is None else round(insight.rate_per_hour, 1)


COOK_SENSORS: tuple[CookSensorDescription, ...] = (
    CookSensorDescription(
        key="time_to_target",
        translation_key="time_to_target",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda insight: insight.estimate.eta if insight.estimate else None,
    ),
    CookSensorDescription(
        key="cook_phase",
        translation_key="cook_phase",
        device_class=SensorDeviceClass.ENUM,
        options=[phase.value for phase in CookPhase],
        value_fn=lambda insight: insight.phase.value,
    ),
    CookSensorDescription(
        key="rate_of_change",
        translation_key="rate_of_change",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=_rate,
    ),
)


class CookSensor(GrillStatsProbeEntity, SensorEntity):
    """A value the cook tracker derives from the probe's readings."""

    entity_description: CookSensorDescription

    @property
    def _insight(self) -> ProbeInsight | None:
        return self.coordinator.tracker.insight(self.probe_key)

    @property
    @override
    def native_value(self) -> CookValue:
        """The derived value, or None while there is too little data."""
        insight = self._insight
        return self.entity_description.value_fn(insight) if insight else None

    @property
    @override
    def native_unit_of_measurement(self) -> str | None:
        """Degrees per hour in the probe's unit, for the rate."""
        channel = self.channel
        if self.entity_description.key != "rate_of_change" or channel is None:
            return None
        return f"°{channel.unit.value}/h"

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The estimate's range, for the time to target."""
        insight = self._insight
        if self.entity_description.key != "time_to_target" or not insight or not insight.estimate:
            return None
        return {
            "earliest": insight.estimate.earliest.isoformat(),
            "latest": insight.estimate.latest.isoformat(),
        }
