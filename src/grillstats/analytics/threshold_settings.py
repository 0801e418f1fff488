"""Every probe's thresholds (high, low, target), each kept in the unit it was set in.

Why its own unit: a probe can switch between °F and °C (in the ThermoWorks app), and a 250 °F
threshold must stay 250 °F, never become 250 °C. The threshold engine compares in the
threshold's unit and reports in the probe's.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..thermoworks import Unit
from .roles import ProbeKey
from .thresholds import ProbeThresholds, Threshold, ThresholdKind


class ThresholdSettings:
    """Per probe, the high, low and target thresholds (a missing one is off)."""

    def __init__(self) -> None:
        """No probe has a threshold until one is set."""
        self._values: dict[ProbeKey, dict[ThresholdKind, Threshold]] = {}

    def set(self, key: ProbeKey, kind: ThresholdKind, threshold: Threshold | None) -> None:
        """Set (or, with ``None``, switch off) one threshold."""
        values = self._values.setdefault(key, {})
        if threshold is None:
            values.pop(kind, None)
        else:
            values[kind] = threshold

    def get(self, key: ProbeKey, kind: ThresholdKind) -> Threshold | None:
        """One threshold, or ``None`` when it is off."""
        return self._values.get(key, {}).get(kind)

    def probes(self) -> list[ProbeKey]:
        """The probes with any threshold."""
        return [key for key, values in self._values.items() if values]

    def config(self, key: ProbeKey, unit: Unit) -> ProbeThresholds:
        """The engine configuration for a probe that reports in ``unit``."""
        return ProbeThresholds(
            unit=unit,
            high=self.get(key, ThresholdKind.HIGH),
            low=self.get(key, ThresholdKind.LOW),
            target=self.get(key, ThresholdKind.TARGET),
        )

    def state_dict(self) -> dict[str, dict[str, dict[str, object]]]:
        """``{"serial/channel": {"high": {"value": 250.0, "unit": "F"}, ...}}``."""
        return {
            "/".join(key): {
                kind.value: {"value": threshold.value, "unit": threshold.unit.value}
                for kind, threshold in values.items()
            }
            for key, values in self._values.items()
        }

    @classmethod
    def from_state(cls, data: object) -> ThresholdSettings:
        """Rebuild from :meth:`state_dict` output; anything malformed is skipped."""
        settings = cls()
        for key, values in (data if isinstance(data, Mapping) else {}).items():
            serial, _, channel = str(key).rpartition("/")
            if not serial or not isinstance(values, Mapping):
                continue
            for kind in ThresholdKind:
                if (threshold := _threshold(values.get(kind.value))) is not None:
                    settings.set((serial, channel), kind, threshold)
        return settings


def _threshold(data: object) -> Threshold | None:
    if not isinstance(data, Mapping):
        return None
    value, unit = data.get("value"), data.get("unit")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if unit not in (Unit.FAHRENHEIT.value, Unit.CELSIUS.value):
        return None
    try:
        return Threshold(value=float(value), unit=Unit(unit))
    except ValueError:  # not finite
        return None
