"""``CloudSimulator``: a local ThermoWorks Cloud with simulated cooks and a control API.

The Python methods here are the control API; ``/_sim/*`` routes (see :mod:`.control`) call
them. Models advance lazily: whenever anything reads or changes state, every device is stepped
in fixed ``STEP_SECONDS`` steps up to :meth:`CloudSimulator.now`, so what a client sees depends
only on the seed and sim time, never on when requests arrive.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from ..thermoworks.models import Device
from ..thermoworks.parse import parse_device
from ..thermoworks.providers import THERMOWORKS
from .auth import Account, Accounts
from .catalog import DEFAULT_ROTATION, build_device, extra_channel
from .clock import SimClock, wall_seconds
from .devices import FAMILIES, STEP_SECONDS, Family, SimChannel, SimDevice
from .documents import channel_document, device_document
from .errors import ControlError, UnknownError
from .faults import Fault, Faults
from .physics import f_to_c
from .scenarios import SCENARIOS, Scenario, apply_demo, cycle_of, cycle_start, demo_lead
from .stats import Stats


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, kw_only=True)
class _Recipe:
    """How a scenario device was built, so each new cook rebuilds it the same way."""

    family: Family
    index: int
    variant: int
    account_id: str
    units: str
    gateway: str | None
    fan: bool


class CloudSimulator:
    """A local ThermoWorks Cloud answering the real HTTP protocol under one base URL.

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
        self.clock = (
            SimClock(start_time, speed, wall_seconds) if wall_clock else SimClock(start_time, speed)
        )
        self.seed = seed
        self.email = email
        self.password = password
        self.project_id = project_id
        self.api_key = api_key
        self.accounts = Accounts(project_id=project_id, seed=seed, token_lifetime=token_lifetime)
        self.owner: Account = self.accounts.set_password(email, password)
        self.started_at = self.clock.now()
        self.faults = Faults()
        self.counter = Stats()
        self._devices: dict[str, SimDevice] = {}
        self._created = 0
        self._per_family: dict[str, int] = {}
        self.scenario: Scenario = scenario
        self.scenario_start = (scenario_start or self.started_at).astimezone(UTC)
        self._cycle = cycle_of(self.scenario_start, self.started_at)
        self._recipes: dict[str, _Recipe] = {}
        """The demo's devices (rebuilt for every new cook); empty in the default scenario."""
        for index in range(devices):
            family, units = DEFAULT_ROTATION[index % len(DEFAULT_ROTATION)]
            serial = self.add_device(family, units=units)
            if scenario == "demo":
                device = self._devices[serial]
                self._recipes[serial] = _Recipe(
                    family=device.family,
                    index=self._created - 1,
                    variant=self._per_family[device.family] - 1,
                    account_id=device.account_id,
                    units=device.units,
                    gateway=device.gateway,
                    fan=device.fan,
                )
                self._devices[serial] = self._demo_device(self._recipes[serial], self._cycle)
        from .server import create_app  # noqa: PLC0415 - server imports this module

        self.app: web.Application = create_app(self)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # --- serving ------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0: any free port); return the base URL."""
        if self._runner is not None:
            return self.base_url
        runner = web.AppRunner(self.app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound = runner.addresses[0]
        self.base_url = f"http://{host}:{bound[1]}"
        return self.base_url

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- time ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The current sim time."""
        return self.clock.now()

    def sync(self) -> datetime:
        """Step every device's models up to now; return now."""
        now = self.clock.now()
        if self._recipes and (cycle := cycle_of(self.scenario_start, now)) > self._cycle:
            self._cycle = cycle
            for serial, recipe in self._recipes.items():
                if serial in self._devices:  # not removed meanwhile
                    self._devices[serial] = self._demo_device(recipe, cycle)
        for device in self._devices.values():
            steps = int((now - device.sim_time).total_seconds() // STEP_SECONDS)
            for _ in range(steps):
                device.step(STEP_SECONDS)
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
        return [d for d in self._devices.values() if account_id in (None, d.account_id)]

    def devices_by_serial(self) -> dict[str, SimDevice]:
        """Every device by serial, stepped up to now (a copy)."""
        self.sync()
        return dict(self._devices)

    def device(self, serial: str) -> SimDevice:
        """One device, stepped up to now."""
        self.sync()
        try:
            return self._devices[serial]
        except KeyError:
            raise UnknownError(f"no device {serial!r}") from None

    def channel(self, serial: str, number: str | int) -> SimChannel:
        """One channel of a device."""
        channel = self.device(serial).channel(str(number))
        if channel is None:
            raise UnknownError(f"device {serial!r} has no channel {number!r}")
        return channel

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
        fam: Family = family  # narrowed by the FAMILIES check above
        if fam == "rfx meat":
            gateway = self._gateway_for(gateway, account)
        elif gateway is not None:
            raise ControlError("only an 'rfx meat' probe has a gateway")
        variant = self._per_family.get(fam, 0)
        first_signals = fam == "signals" and variant == 0
        while True:
            device = build_device(
                fam,
                index=self._created,
                seed=self.seed,
                variant=variant,
                account_id=account.account_id,
                created=now,
                units=units,
                gateway=gateway,
                fan=first_signals,
            )
            self._created += 1
            if device.serial not in self._devices:
                break
        self._per_family[fam] = variant + 1
        self._devices[device.serial] = device
        return device.serial

    def _demo_device(self, recipe: _Recipe, cycle: int) -> SimDevice:
        """A demo device as it stands when its cook for ``cycle`` began (stepped lazily)."""
        start = cycle_start(self.scenario_start, cycle)
        device = build_device(
            recipe.family,
            index=recipe.index,
            seed=self.seed,
            variant=recipe.variant,
            account_id=recipe.account_id,
            created=start,
            units=recipe.units,
            gateway=recipe.gateway,
            fan=recipe.fan,
        )
        device.created = device.sim_time = start - demo_lead(device.label, cycle)
        apply_demo(device, seed=self.seed, index=recipe.index, cycle=cycle)
        return device

    def _gateway_for(self, gateway: str | None, account: Account) -> str:
        if gateway is not None:
            found = self._devices.get(gateway)
            if found is None or found.family != "rfx gateway":
                raise ControlError(f"{gateway!r} is not an rfx gateway")
            return gateway
        gateways = [
            d.serial
            for d in self._devices.values()
            if d.family == "rfx gateway" and d.account_id == account.account_id
        ]
        if not gateways:
            raise ControlError("add an 'rfx gateway' before an 'rfx meat' probe")
        return gateways[-1]

    def remove_device(self, serial: str) -> None:
        """Remove a device (its documents answer 404 from now on)."""
        self.device(serial)
        del self._devices[serial]

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
        number: str | int,
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
        channel = self.channel(serial, number)
        if value is not None:
            channel.override = float(value)
            channel.unplugged = False
            channel.enabled = True
        elif unplugged is not None:
            channel.unplugged = unplugged
            channel.enabled = channel.enabled or not unplugged
        else:
            channel.override = None
            channel.unplugged = False
            channel.enabled = True
        self._devices[serial].refresh_channel(channel)
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

    # --- accounts, tokens, faults, stats ------------------------------------------------------

    def set_password(self, email: str, password: str) -> bool:
        """Change a password (revoking refresh tokens); unknown e-mail: create an empty account.

        Returns ``True`` when the account was created.
        """
        if not email.strip() or "@" not in email or not password:
            raise ControlError("an account needs an e-mail address and a non-empty password")
        created = self.accounts.get(email) is None
        self.accounts.set_password(email, password)
        if email.strip().lower() == self.email.strip().lower():
            self.password = password
        return created

    def expire_tokens(self, *, refresh: bool = True) -> dict[str, int]:
        """Expire every issued id token and, unless ``refresh`` is false, every refresh token.

        With ``refresh=False`` a client gets in again by refreshing; otherwise only a new
        sign-in with the password works.
        """
        expired = {"expired": self.accounts.expire_id_tokens()}
        if refresh:
            expired["refresh_tokens"] = self.accounts.revoke_refresh_tokens()
        return expired

    def add_fault(
        self,
        status: int | None = None,
        *,
        count: int = 1,
        path_prefix: str = "/",
        retry_after: float | None = None,
        delay_seconds: float = 0.0,
        malformed: bool = False,
        scramble: bool = False,
        body: Any = None,
    ) -> Fault:
        """Make the next ``count`` requests under ``path_prefix`` fail, stall or break."""
        try:
            fault = Fault(
                status=status,
                count=count,
                path_prefix=path_prefix,
                retry_after=retry_after,
                delay_seconds=delay_seconds,
                malformed=malformed,
                scramble=scramble,
                body=body,
            )
        except ValueError as err:
            raise ControlError(str(err)) from err
        self.faults.add(fault)
        return fault

    def clear_faults(self) -> None:
        """Drop every pending fault."""
        self.faults.clear()

    def stats(self) -> dict[str, Any]:
        """Request counts (``/_sim/stats``)."""
        return self.counter.as_dict()

    def reset_stats(self) -> None:
        """Zero the request counts."""
        self.counter.reset()

    # --- what a client sees -------------------------------------------------------------------

    def targets(self) -> dict[tuple[str, str], tuple[float, str]]:
        """Each meat channel's intended target, ``(serial, number) → (value, unit)``.

        In the channel's unit (``"F"``/``"C"``), rounded to 0.1; an RFX meat probe's under its
        tip (the core). What a cook would set, so a demo can start with its targets set.
        """
        targets: dict[tuple[str, str], tuple[float, str]] = {}
        for device in self._devices.values():
            if device.cook is None:
                continue
            for channel in device.channels:
                kind, index = channel.source
                if kind == "probe" or (kind == "point" and index == 0):
                    probe = 0 if kind == "point" else index
                    value = device.cook.params.probes[probe].target_f
                    value = f_to_c(value) if channel.units == "C" else value
                    targets[(device.serial, channel.number)] = (round(value, 1), channel.units)
        return targets

    def cook_started(self) -> datetime:
        """When the earliest of the devices' current cooks began (their creation)."""
        self.sync()
        return min((d.created for d in self._devices.values()), default=self.now())

    def snapshot(self) -> dict[str, Device]:
        """The owner's devices as a client polling now would parse them (no HTTP)."""
        now = self.sync()
        return {
            device.serial: parse_device(
                device_document(self.project_id, device),
                {
                    channel.number: channel_document(self.project_id, device, channel)
                    for channel in device.channels
                },
                cloud_time=now,
            )
            for device in self._devices.values()
            if device.account_id == self.owner.account_id
        }

    def replay(self, until: datetime, every: float) -> Iterator[tuple[datetime, dict[str, Device]]]:
        """Advance to ``until`` in ``every``-second polls, yielding what each poll would see.

        For a paused simulator (the history of a cook that began before anyone watched).
        """
        if every <= 0:
            raise ControlError("a replay needs a positive poll interval")
        while (left := (until - self.now()).total_seconds()) > 0:
            self.advance(min(every, left))
            yield self.now(), self.snapshot()

    # --- state --------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything in plain JSON (``/_sim/state``)."""
        now = self.sync()
        emails = {a.account_id: a.email for a in self.accounts.all()}
        return {
            "now": _iso(now),
            "speed": self.clock.speed,
            "step_seconds": STEP_SECONDS,
            "base_url": self.base_url,
            "accounts": [a.email for a in self.accounts.all()],
            "devices": [
                self._device_state(d, emails.get(d.account_id)) for d in self._devices.values()
            ],
            "faults": [f.as_dict() for f in self.faults.pending()],
        }

    def _device_state(self, device: SimDevice, email: str | None) -> dict[str, Any]:
        cook = device.cook
        probes: list[dict[str, Any]] = []
        if cook is not None:
            for index, params in enumerate(cook.params.probes):
                window = cook.stall_window(index)
                start = device.created + timedelta(seconds=window.start_seconds) if window else None
                end = device.created + timedelta(seconds=window.end_seconds) if window else None
                probes.append(
                    {
                        "label": params.label,
                        "true_f": round(cook.probe_true_f(index), 2),
                        "target_f": params.target_f,
                        "phase": cook.phase(index),
                        "has_stall": params.stall is not None,
                        "stall_start": _iso(start),
                        "stall_end": _iso(end),
                    }
                )
        return {
            "serial": device.serial,
            "device": device.family,
            "label": device.label,
            "account": email,
            "online": device.online,
            "battery": round(device.battery),
            "charging": device.charging,
            "battery_state": device.battery_state,
            "corrupt": device.corrupt,
            "units": device.units,
            "gateway": device.gateway,
            "fan": device.fan,
            "last_seen": _iso(device.last_report),
            "cook": None
            if cook is None
            else {
                "set_point_f": cook.params.pit.set_point_f,
                "pit_f": round(cook.pit_true_f, 2),
                "elapsed_seconds": cook.elapsed,
                "probes": probes,
            },
            "channels": [
                {
                    "number": ch.number,
                    "label": ch.label,
                    "value": ch.value,
                    "units": ch.units,
                    "unplugged": ch.unplugged,
                    "auto": ch.override is None,
                    "enabled": ch.enabled,
                    "status": ch.status,
                    "alarm_high": ch.alarm_high.value if ch.alarm_high.enabled else None,
                    "alarm_low": ch.alarm_low.value if ch.alarm_low.enabled else None,
                }
                for ch in device.channels
            ],
        }
