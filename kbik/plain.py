"""Plain data for templates: strings, numbers, dates, tuples, mappings and records.

Templates come from other people's repositories. Whatever they can reach must be
data, never an object whose methods touch files or processes (a ``Path`` can write
a file): every context is passed through ``plain`` before a template sees it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import namedtuple
from collections.abc import Mapping
from enum import Enum
from functools import cache
from pathlib import PurePath
from types import MappingProxyType
from typing import Any

SCALARS = (str, int, float, bool, type(None), dt.date)


@cache
def _record_type(name: str, fields: tuple[str, ...]) -> type:
    """A named, immutable record class with these fields (one per shape)."""
    return namedtuple(name, fields, module=__name__)


def is_record(value: object) -> bool:
    """Tell whether a value is a record made by ``plain``."""
    return isinstance(value, tuple) and type(value).__module__ == __name__


def plain(value: Any) -> Any:
    """Return ``value`` as plain, immutable data; raise TypeError for anything else.

    Dataclasses and named tuples become records of their fields (plus the names a
    class lists in ``__plain_extras__``, for computed properties); paths become
    strings; mappings read-only mappings; other sequences tuples.
    """
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, SCALARS):
        return value
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, Mapping):
        return MappingProxyType({plain(key): plain(item) for key, item in value.items()})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = tuple(field.name for field in dataclasses.fields(value))
        return _record(type(value).__name__, value, names)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        if is_record(value):
            return value
        return _record(type(value).__name__, value, tuple(value._fields))
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(plain(item) for item in value)
    raise TypeError(f"{type(value).__name__} is not plain data")


def _record(name: str, value: Any, names: tuple[str, ...]) -> Any:
    extras = tuple(getattr(type(value), "__plain_extras__", ()))
    fields = names + tuple(extra for extra in extras if extra not in names)
    values = [plain(getattr(value, field)) for field in fields]
    return _record_type(name, fields)(*values)
