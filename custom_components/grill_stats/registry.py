"""What the registries know: the account's thermometers as devices, and the probes plugged in."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from grillstats.thermoworks import Device

from .const import DOMAIN, LOGGER, MANUFACTURER

type DeviceFacts = tuple[str, str, str | None, str | None]
"""What the device registry shows of a thermometer: name, model, firmware, gateway."""


class DeviceRegistrySync:
    """Keeps an entry's devices in step with the account: new, changed and gone thermometers."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Nothing synced yet: the first sync also cleans up what a restart left behind."""
        self._hass = hass
        self._entry_id = entry_id
        self._registered: dict[str, DeviceFacts] | None = None

    @callback
    def sync(self, devices: dict[str, Device], unreadable: frozenset[str]) -> None:
        """Register new or changed thermometers (gateways first), remove those that left.

        A thermometer whose documents could not be read this poll is still on the account:
        it keeps its device (its entities are unavailable), it is not removed.
        """
        facts = {
            serial: (device.name, device.model, device.firmware, device.gateway)
            for serial, device in devices.items()
        }
        if facts == self._registered and not unreadable:
            return  # the common case: nothing to do on a steady poll
        registered = self._registered or {}
        registry = dr.async_get(self._hass)
        written: set[str] = set()
        for device in sorted(devices.values(), key=lambda device: device.gateway is not None):
            # A meat probe is written again when its gateway was: that sets its link
            # to a gateway that has just appeared, or come back after leaving.
            unchanged = registered.get(device.serial) == facts[device.serial]
            if unchanged and device.gateway not in written:
                continue
            written.add(device.serial)
            self._register(registry, device)
        for entry in dr.async_entries_for_config_entry(registry, self._entry_id):
            serials = {value for domain, value in entry.identifiers if domain == DOMAIN}
            if serials and not serials & (devices.keys() | unreadable):
                LOGGER.info("Removing %s: it is no longer on the ThermoWorks account", entry.name)
                registry.async_remove_device(entry.id)
        self._registered = facts

    def _register(self, registry: dr.DeviceRegistry, device: Device) -> None:
        via = None
        if device.gateway and (
            parent := registry.async_get_device_by_identifier(
                (DOMAIN, device.gateway), self._entry_id
            )
        ):
            via = parent.id
        registry.async_get_or_create(
            config_entry_id=self._entry_id,
            identifiers={(DOMAIN, device.serial)},
            manufacturer=MANUFACTURER,
            # The product name alone: the cloud's family key ("signals") is no model id,
            # and Home Assistant would show "Signals (signals)".
            model=device.model_name,
            model_id=None,
            name=device.name,
            serial_number=device.serial,
            sw_version=device.firmware,
            via_device_id=via,
        )


class PluggedProbes:
    """Every channel seen with a probe in: an empty socket gets no entities."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing seen yet; the first poll also asks the entity registry."""
        self._hass = hass
        self._plugged: dict[str, frozenset[str]] | None = None

    def channels(self, serial: str) -> frozenset[str]:
        """The channels of a thermometer that have ever had a probe plugged in."""
        return (self._plugged or {}).get(serial, frozenset())

    @callback
    def note(self, devices: dict[str, Device], unreadable: frozenset[str]) -> None:
        """Remember the channels with a probe in now.

        What was plugged before a restart is known from the registry: a probe that has
        entities keeps them (unavailable while unplugged), it does not lose them.
        """
        known = devices.keys() | unreadable
        plugged = {s: n for s, n in (self._plugged or {}).items() if s in known}
        registry = er.async_get(self._hass) if self._plugged is None else None
        for serial, device in devices.items():
            seen = plugged.get(serial, frozenset())
            new = {
                channel_number
                for channel_number, channel in device.channels.items()
                if channel_number not in seen
                and (
                    channel.connected
                    or (registry is not None and _has_entities(registry, serial, channel_number))
                )
            }
            if new or serial not in plugged:
                plugged[serial] = seen | new
        self._plugged = plugged


def _has_entities(registry: er.EntityRegistry, serial: str, channel: str) -> bool:
    """Whether a probe already has entities (its connectivity sensor or its alert event)."""
    return any(
        registry.async_get_entity_id(platform, DOMAIN, f"{serial}_{channel}_{key}") is not None
        for platform, key in ((Platform.BINARY_SENSOR, "connected"), (Platform.EVENT, "alert"))
    )
