"""What this run chose: the global ``--color`` option, and the language the terminal
speaks (the workspace's, once one is opened; before, the environment's).

Set by the app's callback and by opening a workspace, read when output is written;
kept in a module of its own so that neither the commands nor the console import each
other.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum

from kbik.i18n import environment_language, message, plural


class Color(StrEnum):
    """When to colour the output."""

    auto = "auto"
    always = "always"
    never = "never"


@dataclasses.dataclass
class Settings:
    """What the global options chose for this run."""

    color: Color = Color.auto
    language: str = dataclasses.field(default_factory=environment_language)


settings = Settings()


def _(text: str, /, **values: object) -> str:
    """A message of the CLI in the terminal's language, its placeholders filled."""
    return message(settings.language, text, **values)


def n_(one: str, many: str, count: int, /, **values: object) -> str:
    """A message about ``count`` things in the terminal's language."""
    return plural(settings.language, one, many, count, **values)
