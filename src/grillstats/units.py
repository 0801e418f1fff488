"""Temperature units: °F and °C converted both ways, for readings and for differences."""

from __future__ import annotations

import math
from typing import Final, TypeGuard

from grillstats.thermoworks.models import Unit

PLAUSIBLE_RANGE: Final[dict[Unit, tuple[float, float]]] = {
    Unit.FAHRENHEIT: (-100.0, 1000.0),
    Unit.CELSIUS: (-73.0, 538.0),
    Unit.HUMIDITY: (0.0, 100.0),
}
"""What a reading can be, per unit: ThermoWorks probes measure about -58 to 716 °F (-50 to
380 °C), with a margin. Outside it a value is a fault, not a temperature."""


def plausible(value: float | None, unit: Unit) -> TypeGuard[float]:
    """Whether ``value`` is a reading a probe could give (finite and within its range)."""
    if value is None or not math.isfinite(value):
        return False
    low, high = PLAUSIBLE_RANGE[unit]
    return low <= value <= high


def convert(value: float, from_unit: Unit, to_unit: Unit) -> float:
    """Convert a temperature between °F and °C (humidity only converts to itself)."""
    if from_unit is to_unit:
        return value
    if from_unit is Unit.FAHRENHEIT and to_unit is Unit.CELSIUS:
        return (value - 32.0) * 5.0 / 9.0
    if from_unit is Unit.CELSIUS and to_unit is Unit.FAHRENHEIT:
        return value * 9.0 / 5.0 + 32.0
    raise ValueError(f"cannot convert {from_unit.value} to {to_unit.value}")


def convert_delta(value: float, from_unit: Unit, to_unit: Unit) -> float:
    """Convert a temperature *difference* (a band width) between °F and °C."""
    return convert(value, from_unit, to_unit) - convert(0.0, from_unit, to_unit)
