"""Exceptions that the CLI turns into a message and an exit code."""

from __future__ import annotations

from kbik.i18n import message


class KbikError(Exception):
    """A user-facing error: said in the terminal's language, never as a traceback.

    ``text`` is a catalog message (marked with ``N_``) whose ``{name}`` placeholders
    ``values`` fill (a value may be ``kbik.i18n.Said``, a message of its own);
    ``where`` (``path:line``), when given, leads it as ``where: error: ...``. ``str()``
    is the English.
    """

    exit_code = 2

    def __init__(self, text: str, /, *, where: str | None = None, **values: object) -> None:
        self.text = text
        self.where = where
        self.values = values
        super().__init__(self.message("en"))

    def message(self, language: str) -> str:
        """The message in a language, led by where it is (a value that is ``Said``, a
        did-you-mean say, said in that language too)."""
        said = message(language, self.text, **self.values)
        return f"{self.where}: error: {said}" if self.where else said


class ConfigError(KbikError):
    """The workspace configuration (kbik.toml) cannot be used."""


class UsageError(KbikError):
    """The command line asks for something that cannot be done."""


class InvalidSessions(KbikError):
    """What was asked for depends on session files that are not valid."""

    exit_code = 1


class NothingToDo(KbikError):
    """Nothing matched, or the thing to create exists already."""

    exit_code = 1
