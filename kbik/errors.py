"""Exceptions that the CLI turns into a message and an exit code."""

from __future__ import annotations


class KbikError(Exception):
    """A user-facing error: its message is shown as is, never a traceback."""

    exit_code = 2


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
