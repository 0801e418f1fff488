"""Every method that overrides a base class's says so with ``@override`` (PEP 698)."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import pkgutil
from types import ModuleType

import custom_components.grill_stats
import grillstats


def _modules() -> list[ModuleType]:
    modules: list[ModuleType] = [custom_components.grill_stats]
    for package in (custom_components.grill_stats, grillstats):
        infos = pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
        modules.extend(importlib.import_module(info.name) for info in infos)
    return modules


def _unmarked(cls: type) -> list[str]:
    """The methods of ``cls`` that override a base's without ``@override``."""
    if issubclass(cls, enum.Enum):
        return []  # the enum machinery's own hooks
    # A dataclass field's default (a description's lambda) is no method.
    fields = (
        {field.name for field in dataclasses.fields(cls)}
        if dataclasses.is_dataclass(cls)
        else set()
    )
    missing = []
    for name, value in vars(cls).items():
        if name.startswith(("__", "_attr_")) or name in fields:
            continue  # dunders by convention; _attr_ are Home Assistant's cached attributes
        function = value.fget if isinstance(value, property) else value
        if isinstance(function, staticmethod | classmethod):
            function = function.__func__
        if not inspect.isfunction(function):
            continue
        if any(name in vars(base) for base in cls.__mro__[1:]) and not getattr(
            function, "__override__", False
        ):
            missing.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    return missing


def test_every_override_is_marked() -> None:
    missing = [
        method
        for module in _modules()
        for cls in vars(module).values()
        if inspect.isclass(cls) and cls.__module__ == module.__name__
        for method in _unmarked(cls)
    ]
    assert missing == []


def test_the_check_finds_an_unmarked_override() -> None:
    class Base:
        def run(self) -> None:
            """Run."""

    class Child(Base):
        def run(self) -> None:
            """Run again."""

    assert _unmarked(Child) == [f"{__name__}.{Child.__qualname__}.run"]
