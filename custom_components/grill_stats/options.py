"""The entry's options, read in one place: a frozen object with every default applied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Final, Self

from homeassistant.config_entries import ConfigEntry

from grillstats.analytics import StallExpectation

from .const import (
    CONF_DEFAULT_HIGH,
    CONF_DEFAULT_LOW,
    CONF_EXPECT_STALL,
    CONF_FAST_POLLING,
    CONF_PROVIDER,
    CONF_SCAN_INTERVAL,
    DEFAULT_HIGH_F,
    DEFAULT_LOW_F,
    DEFAULT_SCAN_INTERVAL,
    DEMO_SCAN_INTERVAL,
    PROVIDER_DEMO,
)

DEFAULT_FAST_POLLING: Final = True


@dataclass(frozen=True, kw_only=True)
class GrillStatsOptions:
    """What the options form sets; an entry without options gets these defaults."""

    scan_interval: int
    """Seconds between polls (the demo's default is its upload interval, 30 s)."""
    fast_polling: bool = DEFAULT_FAST_POLLING
    """Poll every minute while a probe nears a threshold or stalls."""
    expect_stall: StallExpectation = StallExpectation.AUTO
    default_high: float | None = DEFAULT_HIGH_F
    """A new meat probe's high in °F (``None``: off)."""
    default_low: float | None = DEFAULT_LOW_F
    """A new meat probe's low in °F (``None``: off)."""

    @classmethod
    def from_entry(cls, entry: ConfigEntry) -> Self:
        """The entry's options; a missing or unreadable one takes its default."""
        options = entry.options
        demo = entry.data.get(CONF_PROVIDER) == PROVIDER_DEMO
        interval = options.get(CONF_SCAN_INTERVAL)
        if isinstance(interval, bool) or not isinstance(interval, int | float):
            interval = DEMO_SCAN_INTERVAL if demo else DEFAULT_SCAN_INTERVAL
        stall = options.get(CONF_EXPECT_STALL)
        return cls(
            scan_interval=int(interval),
            fast_polling=bool(options.get(CONF_FAST_POLLING, DEFAULT_FAST_POLLING)),
            expect_stall=StallExpectation(stall)
            if stall in set(StallExpectation)
            else StallExpectation.AUTO,
            default_high=_temperature(options, CONF_DEFAULT_HIGH, DEFAULT_HIGH_F),
            default_low=_temperature(options, CONF_DEFAULT_LOW, DEFAULT_LOW_F),
        )

    def form_values(self) -> dict[str, Any]:
        """The options form's suggested values (the option keys are the field names)."""
        values = asdict(self)
        values[CONF_EXPECT_STALL] = self.expect_stall.value
        return values


def options_from_form(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """The options to store from the form's answers (its field names are the option keys).

    An empty default threshold is stored as None: off for new probes.
    """
    options: dict[str, Any] = {
        CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL]),
        CONF_FAST_POLLING: bool(user_input.get(CONF_FAST_POLLING, DEFAULT_FAST_POLLING)),
        CONF_EXPECT_STALL: user_input.get(CONF_EXPECT_STALL, StallExpectation.AUTO.value),
    }
    for key in (CONF_DEFAULT_HIGH, CONF_DEFAULT_LOW):
        value = user_input.get(key)
        options[key] = None if value is None else float(value)
    return options


def _temperature(options: Mapping[str, Any], key: str, default: float) -> float | None:
    """A default threshold: a stored None is off, a missing one the default."""
    if key not in options:
        return default
    value = options[key]
    if value is None:
        return None
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )
