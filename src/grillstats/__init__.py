"""Grill Stats: ThermoWorks Cloud client, local cloud simulator and cook analytics."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("grill-stats")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
