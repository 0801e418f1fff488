"""The simulated devices: building them from seeded recipes, finding them, stepping them in time.

Models advance lazily: :meth:`Fleet.step_to` steps every device in fixed ``STEP_SECONDS`` steps
up to a moment, so what a client sees depends only on the seed and sim time, never on when
requests arrive.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .catalog import DeviceRecipe, build_device
from .devices import STEP_SECONDS, Family, SimDevice
from .errors import ControlError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime


class Fleet:
    """Every device by serial, in creation order, with the recipe each was built from."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._devices: dict[str, SimDevice] = {}
        self._recipes: dict[str, DeviceRecipe] = {}
        self._built = 0
        """Devices built so far (a serial clash builds another): the next creation index."""
        self._per_family: Counter[Family] = Counter()

    def __iter__(self) -> Iterator[SimDevice]:
        return iter(self._devices.values())

    def __contains__(self, serial: object) -> bool:
        return serial in self._devices

    def get(self, serial: str) -> SimDevice | None:
        """A device by serial, or ``None``."""
        return self._devices.get(serial)

    def by_serial(self) -> dict[str, SimDevice]:
        """Every device by serial (a copy)."""
        return dict(self._devices)

    def recipe(self, serial: str) -> DeviceRecipe:
        """What a device was built from."""
        return self._recipes[serial]

    def add(
        self,
        family: Family,
        *,
        account_id: str,
        created: datetime,
        units: str = "F",
        gateway: str | None = None,
    ) -> SimDevice:
        """Build the family's next device and add it (only the first signals has a fan).

        An RFX meat probe joins ``gateway`` or, if not given, the account's newest gateway.
        """
        if family == "rfx meat":
            gateway = self._gateway_for(gateway, account_id)
        elif gateway is not None:
            raise ControlError("only an 'rfx meat' probe has a gateway")
        variant = self._per_family[family]
        while True:  # a serial already taken (one in 10^5 for RFX meat): the next seed index
            recipe = DeviceRecipe(
                family=family,
                index=self._built,
                variant=variant,
                account_id=account_id,
                units=units,
                gateway=gateway,
                fan=family == "signals" and variant == 0,
            )
            device = build_device(recipe, seed=self.seed, created=created)
            self._built += 1
            if device.serial not in self._devices:
                break
        self._per_family[family] += 1
        self._devices[device.serial] = device
        self._recipes[device.serial] = recipe
        return device

    def replace(self, device: SimDevice) -> None:
        """Put a rebuilt device in the place of the one with its serial."""
        self._devices[device.serial] = device

    def remove(self, serial: str) -> None:
        """Forget a device."""
        del self._devices[serial]
        del self._recipes[serial]

    def _gateway_for(self, gateway: str | None, account_id: str) -> str:
        if gateway is not None:
            found = self._devices.get(gateway)
            if found is None or found.family != "rfx gateway":
                raise ControlError(f"{gateway!r} is not an rfx gateway")
            return gateway
        gateways = [
            d.serial
            for d in self._devices.values()
            if d.family == "rfx gateway" and d.account_id == account_id
        ]
        if not gateways:
            raise ControlError("add an 'rfx gateway' before an 'rfx meat' probe")
        return gateways[-1]

    def step_to(self, now: datetime) -> None:
        """Step every device's models in whole ``STEP_SECONDS`` steps up to ``now``."""
        for device in self._devices.values():
            steps = int((now - device.sim_time).total_seconds() // STEP_SECONDS)
            for _ in range(steps):
                device.step(STEP_SECONDS)
