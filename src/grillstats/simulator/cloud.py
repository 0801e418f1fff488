"""``SimulatedCloud``: a ThermoWorks Cloud's devices and cooks in sim time, and its control API.

The Python methods here (and those of :class:`~.project.CloudProject`: accounts, tokens,
faults, stats) are the control API; the ``/_sim/*`` routes (see :mod:`.control`) call them.
No HTTP here: :mod:`.server` serves a simulated cloud. Every read or change first steps the
devices up to :meth:`SimulatedCloud.now` (see :mod:`.fleet`).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..thermoworks.providers import THERMOWORKS
from .auth import Accounts
from .catalog import DEFAULT_ROTATION, extra_channel
from .clock import SimClock, wall_seconds
from .devices import FAMILIES, STEP_SECONDS
from .errors import ControlError, UnknownError
from .fleet import Fleet
from .project import CloudProject
from .scenarios import SCENARIOS, DemoScenario, Scenario
from .views import device_state, iso, meat_targets, parsed_devices

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..thermoworks.models import Device
    from .devices import SimChannel, SimDevice


def _channel_of(device: SimDevice, channel_number: str | int) -> SimChannel:
    channel = device.channel(str(channel_number))
    if channel is None:
        raise UnknownError(f"device {device.serial!r} has no channel {channel_number!r}")
    return channel


class SimulatedCloud(CloudProject):
    """A local ThermoWorks Cloud's state: a project's accounts, its devices and their cooks.

    ``devices=N`` builds the first N devices of :data:`~.catalog.DEFAULT_ROTATION` (repeated)
    for the ``email``/``password`` account. ``speed`` is sim seconds per wall second (0 pauses;
    drive time with :meth:`advance`). The same ``seed`` gives the same serials, labels and cooks.

    ``scenario="demo"`` (see :mod:`.scenarios`) starts mid-cook at ``scenario_start`` (default:
    the start time) and starts a new cook every 12 h after it. ``wall_clock=True`` reads the
    system clock rather than the monotonic one, so sim time is wall time at speed 1.
    """

    def __init__(
        self,
        *,
        devices: int = 2,
        seed: int = 0,
        speed: float = 1.0,
        email: str = "pitmaster@example.com",
        password: str = "smoke-ring",  # noqa: S107 - the simulator's documented demo login
        project_id: str = THERMOWORKS.project_id or "thermoworks-cloud-production",
        api_key: str = THERMOWORKS.api_key,
        start_time: datetime | None = None,
        token_lifetime: int = 3600,
        scenario: Scenario = "default",
        scenario_start: datetime | None = None,
        wall_clock: bool = False,
    ) -> None:
        if devices < 0:
            raise ValueError("devices must be >= 0")
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS)}")
        accounts = Accounts(project_id=project_id, seed=seed, token_lifetime=token_lifetime)
        super().__init__(accounts, api_key=api_key, email=email, password=password)
        self.clock = (
            SimClock(start_time, speed, wall_seconds) if wall_clock else SimClock(start_time, speed)
        )
        self.seed = seed
        self.started_at = self.clock.now()
        self.fleet = Fleet(seed)
        self.scenario: Scenario = scenario
        self.scenario_start = (scenario_start or self.started_at).astimezone(UTC)
        self._demo = (
            DemoScenario(self.fleet, self.scenario_start, self.started_at)
            if scenario == "demo"
            else None
        )
        for index in range(devices):
            family, units = DEFAULT_ROTATION[index % len(DEFAULT_ROTATION)]
            serial = self.add_device(family, units=units)
            if self._demo is not None:
                self._demo.adopt(serial)

    @property
    def base_url(self) -> str:
        """Where the cloud is served: nowhere (``""``); a :class:`.CloudSimulator` serves itself."""
        return ""

    # --- time ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The current sim time."""
        return self.clock.now()

    def sync(self) -> datetime:
        """Step every device's models up to now (the demo's new cooks first); return now."""
        now = self.clock.now()
        if self._demo is not None:
            self._demo.catch_up(now)
        self.fleet.step_to(now)
        return now

    def advance(self, seconds: float) -> datetime:
        """Move sim time forward by ``seconds``; return the new now."""
        try:
            self.clock.advance(seconds)
        except ValueError as err:
            raise ControlError(str(err)) from err
        return self.sync()

    def set_speed(self, speed: float) -> None:
        """Set sim seconds per wall second (0 pauses)."""
        self.sync()
        try:
            self.clock.set_speed(speed)
        except ValueError as err:
            raise ControlError(str(err)) from err

    # --- devices ------------------------------------------------------------------------------

    def devices(self, account_id: str | None = None) -> list[SimDevice]:
        """Devices (of one account, if given), in creation order, stepped up to now."""
        self.sync()
        return [d for d in self.fleet if account_id in (None, d.account_id)]

    def devices_by_serial(self) -> dict[str, SimDevice]:
        """Every device by serial, stepped up to now (a copy)."""
        self.sync()
        return self.fleet.by_serial()

    def device(self, serial: str) -> SimDevice:
        """One device, stepped up to now."""
        self.sync()
        device = self.fleet.get(serial)
        if device is None:
            raise UnknownError(f"no device {serial!r}")
        return device

    def channel(self, serial: str, channel_number: str | int) -> SimChannel:
        """One channel of a device."""
        return _channel_of(self.device(serial), channel_number)

    def add_device(
        self,
        family: str,
        *,
        gateway: str | None = None,
        units: str = "F",
        email: str | None = None,
    ) -> str:
        """Add a device of a family (RFX meat joins ``gateway`` or the newest gateway)."""
        if family not in FAMILIES:
            raise ControlError(f"unknown family {family!r}; use one of {', '.join(FAMILIES)}")
        if units not in ("F", "C"):
            raise ControlError("units must be 'F' or 'C'")
        account = self.owner if email is None else self.accounts.get(email)
        if account is None:
            raise ControlError(f"no account {email!r}")
        now = self.sync()
        device = self.fleet.add(
            family, account_id=account.account_id, created=now, units=units, gateway=gateway
        )
        return device.serial

    def remove_device(self, serial: str) -> None:
        """Remove a device (its documents answer 404 from now on)."""
        self.device(serial)
        self.fleet.remove(serial)

    def add_channel(self, serial: str, *, meat: str | None = None) -> SimChannel:
        """Plug a new probe into a device: it appears as the next channel number."""
        device = self.device(serial)
        try:
            channel = extra_channel(device, meat)
        except ValueError as err:
            raise ControlError(str(err)) from err
        device.channels.append(channel)
        device.refresh_channel(channel)
        return channel

    def set_channel(
        self,
        serial: str,
        channel_number: str | int,
        *,
        value: float | None = None,
        unplugged: bool | None = None,
        auto: bool = False,
    ) -> SimChannel:
        """Hold a channel at ``value``, unplug/plug its probe, or hand it back to the model."""
        given = sum((value is not None, unplugged is not None, auto))
        if given != 1:
            raise ControlError("give exactly one of 'value', 'unplugged' or 'auto': true")
        if value is not None and not math.isfinite(value):
            raise ControlError("a probe's value must be a finite number")
        device = self.device(serial)
        channel = _channel_of(device, channel_number)
        if value is not None:
            channel.hold(float(value))
        elif unplugged is not None:
            channel.set_unplugged(unplugged)
        else:
            channel.release()
        device.refresh_channel(channel)
        return channel

    def set_device(
        self,
        serial: str,
        *,
        online: bool | None = None,
        battery: float | None = None,
        charging: bool | None = None,
        corrupt: bool | None = None,
    ) -> SimDevice:
        """Take a device offline/online, set its battery percent or charging, corrupt it."""
        device = self.device(serial)
        if corrupt is not None:
            device.corrupt = corrupt
        if battery is not None and not 0 <= battery <= 100:
            raise ControlError("battery must be 0..100")
        if battery is not None:
            device.battery = float(battery)
        if charging is not None:
            device.charging = charging
        if online is not None and online != device.online:
            device.online = online
            if online:
                device.publish()
        if device.online:
            device.publish_status()
        return device

    # --- what a client sees -------------------------------------------------------------------

    def targets(self) -> dict[tuple[str, str], tuple[float, str]]:
        """Each meat channel's intended target, ``(serial, channel number) → (value, unit)``.

        What a cook would set, so a demo can start with its targets set (see
        :func:`~.views.meat_targets`).
        """
        return meat_targets(self.fleet)

    def cook_started(self) -> datetime:
        """When the earliest of the devices' current cooks began (their creation)."""
        self.sync()
        return min((d.created for d in self.fleet), default=self.now())

    def snapshot(self) -> dict[str, Device]:
        """The owner's devices as a client polling now would parse them (no HTTP)."""
        now = self.sync()
        mine = [d for d in self.fleet if d.account_id == self.owner.account_id]
        return parsed_devices(self.project_id, mine, now)

    def replay(self, until: datetime, every: float) -> Iterator[tuple[datetime, dict[str, Device]]]:
        """Advance to ``until`` in ``every``-second polls, yielding what each poll would see.

        For a paused simulator (the history of a cook that began before anyone watched).
        """
        if every <= 0:
            raise ControlError("a replay needs a positive poll interval")
        while (left := (until - self.now()).total_seconds()) > 0:
            self.advance(min(every, left))
            yield self.now(), self.snapshot()

    def state(self) -> dict[str, Any]:
        """Everything in plain JSON (``/_sim/state``)."""
        now = self.sync()
        emails = {a.account_id: a.email for a in self.accounts.all()}
        return {
            "now": iso(now),
            "speed": self.clock.speed,
            "step_seconds": STEP_SECONDS,
            "base_url": self.base_url,
            "accounts": [a.email for a in self.accounts.all()],
            "devices": [device_state(d, emails.get(d.account_id)) for d in self.fleet],
            "faults": [f.as_dict() for f in self.faults.pending()],
        }
