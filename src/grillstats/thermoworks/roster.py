"""The devices a client knows, how many channels each has, and the reads that find new ones.

Why a channel count per device: a steady-state poll asks in ONE read for every device, its
known channels and the next channel number of each device, so a newly plugged channel is found
without a request of its own; only when that next one exists too does another round ask for
the one after it. A device seen for the first time is asked for as many channels as its model
usually has.
"""

from __future__ import annotations

from collections.abc import Iterable, KeysView, Mapping
from datetime import datetime
from typing import Any, Final

from .documents import DocumentPath, DocumentReader, latest

MAX_CHANNELS: Final = 16
"""No ThermoWorks device has more; a bound on channel discovery."""
EXPECTED_CHANNELS: Final = {"signals": 4, "smoke": 2, "rfx meat": 4, "rfx gateway": 1, "node": 2}
"""Channels to ask for on a device's first read; more are discovered, fewer are dropped."""

type DeviceDocuments = tuple[object, dict[str, object]]
"""A device's document and its channel documents, keyed by channel number."""


class DeviceRoster:
    """The serials on the account, each with its model and its number of channels."""

    def __init__(self) -> None:
        """No devices known until the first device list."""
        self._channel_counts: dict[str, int] = {}
        self._models: dict[str, str] = {}

    @property
    def serials(self) -> KeysView[str]:
        """The serials known, in the order the device list gave them."""
        return self._channel_counts.keys()

    def update(self, listed: Mapping[str, object]) -> None:
        """Take in a fresh device list (documents by serial): forget the gone, add the new."""
        for gone in set(self._channel_counts) - set(listed):
            self.forget(gone)
        for serial, document in listed.items():
            self._models[serial] = _model_of(document)
            self._channel_counts.setdefault(serial, 0)

    def forget(self, serial: str) -> None:
        """Drop a device that left the account."""
        self._channel_counts.pop(serial, None)
        self._models.pop(serial, None)

    async def read(
        self, reader: DocumentReader, listed: Mapping[str, object]
    ) -> tuple[dict[str, DeviceDocuments], datetime | None]:
        """Fetch device documents (unless just listed) and every channel, discovering new ones.

        A device the cloud says is gone is forgotten; one whose answer could not be read stays
        known but is left out of the result. Also returns the cloud's time of the reads.
        """
        devices: dict[str, DeviceDocuments] = {
            serial: (listed[serial], {}) for serial in self._channel_counts if serial in listed
        }
        wanted = {serial: self._channels_to_ask(serial) for serial in self._channel_counts}
        ask_devices = [serial for serial in self._channel_counts if serial not in listed]
        read_time: datetime | None = None
        for _ in range(MAX_CHANNELS):
            fetched = await reader.read(_paths(ask_devices, wanted))
            read_time = latest(read_time, fetched.read_time)
            for serial in ask_devices:
                document = fetched.found.get(("devices", serial))
                if document is not None:
                    devices[serial] = (document, {})
                elif ("devices", serial) in fetched.missing:
                    self.forget(serial)  # the device left the account
                    wanted.pop(serial, None)
                # else: an answer we could not read; the device stays known (unreadable).
            wanted = self._file_channels(devices, wanted, fetched.found)
            if not wanted:
                break
            ask_devices = []
        return devices, read_time

    def _channels_to_ask(self, serial: str) -> list[str]:
        """Every channel known, plus the next one (which finds a newly plugged probe)."""
        count = self._channel_counts.get(serial, 0)
        if count == 0:
            count = EXPECTED_CHANNELS.get(self._models.get(serial, ""), 1)
        return [str(channel) for channel in range(1, min(count, MAX_CHANNELS) + 2)]

    def _file_channels(
        self,
        devices: Mapping[str, DeviceDocuments],
        wanted: Mapping[str, list[str]],
        found: Mapping[DocumentPath, object],
    ) -> dict[str, list[str]]:
        """Put the channel documents found with their devices; return the channels to ask next."""
        more: dict[str, list[str]] = {}
        for serial, channels in wanted.items():
            if serial not in devices:
                continue
            channel_docs = devices[serial][1]
            for channel in channels:
                if (document := found.get(("devices", serial, "channels", channel))) is not None:
                    channel_docs[channel] = document
            count = _contiguous_count(channel_docs)
            self._channel_counts[serial] = count
            # Every channel asked for exists, the "next" one included: look further.
            if channels and count >= int(channels[-1]) and count < MAX_CHANNELS:
                more[serial] = [str(count + 1)]
        return more


def _paths(devices: Iterable[str], channels: Mapping[str, list[str]]) -> list[DocumentPath]:
    paths: list[DocumentPath] = [("devices", serial) for serial in devices]
    paths += [
        ("devices", serial, "channels", channel)
        for serial, wanted in channels.items()
        for channel in wanted
    ]
    return paths


def _model_of(document: object) -> str:
    fields: Any = document.get("fields") if isinstance(document, Mapping) else None
    model = fields.get("device") if isinstance(fields, Mapping) else None
    value = model.get("stringValue") if isinstance(model, Mapping) else None
    return value.strip().lower() if isinstance(value, str) else ""


def _contiguous_count(channel_docs: Mapping[str, object]) -> int:
    """How many channels from 1 up have a document, with no gap."""
    count = 0
    while str(count + 1) in channel_docs:
        count += 1
    return count
