"""The simulator's clock: sim time runs at ``speed`` times wall-clock time, plus manual jumps."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SimClock:
    """Sim time = start + real elapsed x speed + manual advances.

    ``speed`` may be 0 (paused): then only :meth:`advance` moves time, which is how tests stay
    deterministic. ``monotonic`` is injectable so the clock itself can be tested without sleeping.
    """

    def __init__(
        self,
        start: datetime | None = None,
        speed: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        _check_speed(speed)
        self._monotonic = monotonic
        self._anchor_sim = (start or datetime.now(UTC)).astimezone(UTC)
        self._anchor_real = monotonic()
        self._speed = float(speed)

    @property
    def speed(self) -> float:
        """How many sim seconds pass per wall-clock second."""
        return self._speed

    def now(self) -> datetime:
        """The current sim time (aware, UTC)."""
        elapsed = (self._monotonic() - self._anchor_real) * self._speed
        return self._anchor_sim + timedelta(seconds=elapsed)

    def advance(self, seconds: float) -> datetime:
        """Jump forward by ``seconds`` of sim time; return the new now."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("the clock only moves forward, by a finite number of seconds")
        self._rebase()
        self._anchor_sim += timedelta(seconds=seconds)
        return self._anchor_sim

    def set_speed(self, speed: float) -> None:
        """Change the speed from now on (0 pauses)."""
        _check_speed(speed)
        self._rebase()
        self._speed = float(speed)

    def _rebase(self) -> None:
        now = self.now()
        self._anchor_real = self._monotonic()
        self._anchor_sim = now


def wall_seconds() -> float:
    """The system clock, looked up at each call (so a test's frozen clock applies too)."""
    return time.time()


def _check_speed(speed: float) -> None:
    if not math.isfinite(speed) or speed < 0:
        raise ValueError("speed must be a finite number >= 0")
