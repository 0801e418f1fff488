"""Snapshots for the patched client, parsed from recorded simulator documents."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from grillstats.thermoworks import Account, Device, Snapshot, Unit
from grillstats.thermoworks.parse import parse_device

_RECORDED = Path(__file__).with_name("fixtures") / "documents.json"


@cache
def _recorded() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_RECORDED.read_text(encoding="utf-8"))
    return data


ACCOUNT = Account(
    uid=_recorded()["account"]["uid"],
    account_id=_recorded()["account"]["account_id"],
    email="cook@example.com",
    preferred_units=Unit.FAHRENHEIT,
    time_zone="America/Chicago",
)
CLOUD_TIME = datetime.fromisoformat(_recorded()["cloud_time"])


def load_devices(cloud_time: datetime = CLOUD_TIME) -> dict[str, Device]:
    """Every recorded device, parsed by the library as of ``cloud_time``."""
    return {
        serial: parse_device(entry["device"], entry["channels"], cloud_time=cloud_time)
        for serial, entry in _recorded()["devices"].items()
    }


def load_snapshot(devices: dict[str, Device] | None = None, requests: int = 1) -> Snapshot:
    """A poll's result, from the recorded devices (or the ones given)."""
    return Snapshot(
        account=ACCOUNT,
        devices=load_devices() if devices is None else devices,
        cloud_time=CLOUD_TIME,
        requests=requests,
    )


def with_probe(devices: dict[str, Device], serial: str, number: str, **changes: Any) -> None:
    """Replace one channel of one device in ``devices``."""
    device = devices[serial]
    channels = dict(device.channels)
    channels[number] = dataclasses.replace(channels[number], **changes)
    devices[serial] = dataclasses.replace(device, channels=channels)
