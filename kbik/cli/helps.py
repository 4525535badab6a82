"""The help of every command and option in the terminal's language.

Typer builds the help from docstrings and ``help=`` when the app is made, in English;
``translate`` puts a built command tree through the catalogs just before a help page
is shown (``kbik.cli.extractor`` finds those texts for pybabel).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kbik.i18n import message


def texts(command: Any) -> Iterator[str]:
    """Every help text of a command tree: of the commands, then of their parameters."""
    for text in (command.help, command.short_help, command.epilog):
        if text:
            yield text
    for parameter in command.params:
        if getattr(parameter, "help", None):
            yield parameter.help
    for sub in getattr(command, "commands", {}).values():
        yield from texts(sub)


def translate(command: Any, language: str) -> None:
    """Put every help text of a command tree into ``language``, in place (and tell its
    groups the language, for the names of their panels)."""
    if hasattr(command, "language"):
        command.language = language
    if language == "en":
        return  # written in English
    for name in ("help", "short_help", "epilog"):
        text = getattr(command, name)
        if text:
            setattr(command, name, message(language, text))
    for parameter in command.params:
        if getattr(parameter, "help", None):
            parameter.help = message(language, parameter.help)
    for sub in getattr(command, "commands", {}).values():
        translate(sub, language)
