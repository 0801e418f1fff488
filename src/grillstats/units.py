"""Temperature units: °F and °C converted both ways, for readings and for differences."""

from __future__ import annotations

from grillstats.thermoworks.models import Unit


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
