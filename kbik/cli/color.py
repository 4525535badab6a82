"""What this run chose: the global ``--color`` option, and the language the terminal
speaks (the workspace's: set when it is opened, looked up when something is said
before; outside a workspace, the environment's).

Set by the app's callback and by opening a workspace, read when output is written;
kept in a module of its own so that neither the commands nor the console import each
other.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from pathlib import Path

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
    workspace: Path | None = None  # -C: whose language a message before opening it takes
    chosen: str | None = None  # the language, once a workspace is opened or asked for

    @property
    def language(self) -> str:
        """The workspace's language; looked up only when something is said before the
        workspace is opened (a wrong option), else the environment's."""
        if self.chosen is None:
            self.chosen = language_of(self.workspace)
        return self.chosen

    @language.setter
    def language(self, value: str) -> None:
        self.chosen = value


def language_of(workspace: Path | None) -> str:
    """The language of the workspace ``workspace`` names (else the one around the
    current folder), or the environment's where there is none."""
    # Imported here: kbik.locate and tomllib, 4 ms, are not for --version.
    from kbik.locate import workspace_language  # noqa: PLC0415

    return workspace_language(Path.cwd(), workspace) or environment_language()


settings = Settings()


def _(text: str, /, **values: object) -> str:
    """A message of the CLI in the terminal's language, its placeholders filled."""
    return message(settings.language, text, **values)


def n_(one: str, many: str, count: int, /, **values: object) -> str:
    """A message about ``count`` things in the terminal's language."""
    return plural(settings.language, one, many, count, **values)
