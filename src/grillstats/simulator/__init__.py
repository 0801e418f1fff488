"""A local ThermoWorks Cloud: the real HTTP protocol, simulated cooks, a JSON control API.

>>> sim = CloudSimulator(devices=5, seed=1, speed=0)   # doctest: +SKIP
>>> base_url = await sim.start("127.0.0.1", 0)          # doctest: +SKIP

See ``docs/simulator.md`` for the control API and the models.
"""

from .catalog import DEFAULT_ROTATION
from .cloud_simulator import CloudSimulator
from .devices import FAMILIES, STEP_SECONDS
from .errors import ControlError, UnknownError
from .faults import Fault
from .physics import (
    CookModel,
    CookParams,
    EnvironmentModel,
    PitParams,
    ProbeParams,
    StallParams,
    StallWindow,
)

__all__ = [
    "DEFAULT_ROTATION",
    "FAMILIES",
    "STEP_SECONDS",
    "CloudSimulator",
    "ControlError",
    "CookModel",
    "CookParams",
    "EnvironmentModel",
    "Fault",
    "PitParams",
    "ProbeParams",
    "StallParams",
    "StallWindow",
    "UnknownError",
]
