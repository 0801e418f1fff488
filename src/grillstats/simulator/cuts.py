"""Seeded cook parameters: the cuts of meat a simulated cook holds and the pit they cook in."""

from __future__ import annotations

import random

from .physics import PitParams, ProbeParams, StallParams

MEATS: dict[str, tuple[float, float | None, float]] = {
    # label: (mass kg, stall strength or None for no stall, target °F)
    "Brisket Flat": (6.0, 0.96, 203.0),
    "Brisket Point": (5.0, 0.93, 203.0),
    "Pork Butt": (4.0, 0.95, 203.0),
    "Ribs": (1.5, 0.8, 198.0),
    "Chicken": (1.6, None, 165.0),
    "Turkey": (6.0, None, 165.0),
}


def meat_probe(name: str, rng: random.Random) -> ProbeParams:
    """Seeded parameters for a named cut: mass, start temperature, stall onset and length."""
    mass, strength, target = MEATS[name]
    stall = None
    if strength is not None:
        hours = rng.uniform(1.0, 4.0) if mass >= 2 else rng.uniform(1.0, 1.5)
        stall = StallParams(
            onset_f=rng.uniform(150.0, 166.0), duration_seconds=hours * 3600, strength=strength
        )
    return ProbeParams(
        label=name,
        mass_kg=mass * rng.uniform(0.85, 1.15),
        start_f=rng.uniform(37.0, 42.0),
        target_f=target,
        stall=stall,
    )


def pit_params(rng: random.Random) -> PitParams:
    """A seeded pit: set point 225-275 °F, warm-up time constant 12-30 min."""
    return PitParams(
        ambient_f=rng.uniform(55.0, 78.0),
        set_point_f=float(rng.choice((225, 235, 250, 250, 265, 275))),
        warmup_seconds=rng.uniform(720.0, 1800.0),
        drift_f=rng.uniform(3.0, 7.0),
    )
