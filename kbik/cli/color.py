"""When to colour the output: the global ``--color`` option's choice for this run.

Set once by the app's callback and read by ``console`` when output is written; kept in
a module of its own so that neither the commands nor the console import each other.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum


class Color(StrEnum):
    """When to colour the output."""

    auto = "auto"
    always = "always"
    never = "never"


@dataclasses.dataclass
class Settings:
    """What the global options chose for this run."""

    color: Color = Color.auto


settings = Settings()
