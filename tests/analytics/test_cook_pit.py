"""Which channel a meat probe heats against: a labelled pit, the RFX gateway, or none."""

from __future__ import annotations

import pytest

from grillstats.analytics.cook import pit_reading
from grillstats.thermoworks import Unit

from ..integration.snapshots import load_devices, with_probe

SMOKER = "A4:CF:12:22:96:BA"
"""A Signals in °F: 1 "Pit", 2 "Brisket Flat", 3 "Brisket Point", 4 unplugged."""
MEAT, GATEWAY = "M100083898", "84:F3:EB:C9:9F:4B"


def test_a_labelled_pit() -> None:
    devices = load_devices()
    assert pit_reading(devices[SMOKER], "2", devices) == 167.8


def test_the_rfx_gateway() -> None:
    devices = load_devices()
    assert pit_reading(devices[MEAT], "1", devices) == 180.0  # the gateway's "Ambient"


@pytest.mark.parametrize(
    ("pit_like", "meat", "pit"),
    [
        (150.0, 120.0, None),  # two meats, no labelled pit: the warmer is not a pit
        (165.0, 120.0, None),
        (170.0, 120.0, 170.0),  # 50 °F hotter: a pit
        (250.0, 40.0, 250.0),
    ],
)
def test_an_unlabelled_pit_must_be_much_hotter(
    pit_like: float, meat: float, pit: float | None
) -> None:
    devices = load_devices()
    with_probe(devices, SMOKER, "1", label="Chicken", temperature=pit_like)
    with_probe(devices, SMOKER, "2", temperature=meat)
    with_probe(devices, SMOKER, "3", temperature=None)
    assert pit_reading(devices[SMOKER], "2", devices) == pit


def test_units_are_converted() -> None:
    devices = load_devices()
    with_probe(devices, SMOKER, "1", unit=Unit.CELSIUS, temperature=121.0)
    assert pit_reading(devices[SMOKER], "2", devices) == pytest.approx(249.8)
