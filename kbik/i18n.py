"""The words kbik prints for people, from the gettext catalogs under ``kbik/locale``.

Messages are written in English in the code and templates; ``id`` translates them all,
and ``en`` only glosses the Indonesian status and grade words that stay in reports.
Maintainers refresh the catalogs with pybabel (see "Translations" in the README).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

DOMAIN = "kbik"
LOCALES = Path(__file__).parent / "locale"
LANGUAGES = ("id", "en")


def N_(message: str) -> str:  # the name pybabel looks for
    """Mark a message for pybabel without translating it here."""
    return message


def pgettext_noop(context: str, message: str) -> str:
    """Mark a message with a context for pybabel without translating it here."""
    return message


# Status words are Indonesian in every report; English readers get a gloss with each.
STATUS_WORDS = (
    pgettext_noop("status", "vakum"),
    pgettext_noop("status", "persiapan"),
    pgettext_noop("status", "pencairan"),
    pgettext_noop("status", "bergulir"),
    pgettext_noop("status", "bermasalah"),
    pgettext_noop("status", "penagihan"),
    pgettext_noop("status", "terhenti"),
    pgettext_noop("status", "selesai"),
)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Return the catalog of a language; English, the messages as written, for others."""
    return gettext.translation(DOMAIN, LOCALES, [language], fallback=True)


def revived(language: str) -> str:
    """Say that loans roll again after a stall: "bergulir kembali"."""
    return translations(language).gettext("revived")


def status_word(word: str, language: str) -> str:
    """Write a status word for readers: as it is in Indonesian, glossed in English."""
    return translations(language).pgettext("status", word)


def message(language: str, text: str, /, **values: object) -> str:
    """A message in a language, its ``{name}`` placeholders filled (without values, the
    text as it is: braces and all); a value that is itself ``Said`` is said in it too."""
    found = translations(language).gettext(text)
    if not values:
        return found
    return found.format(
        **{
            name: value(language) if isinstance(value, Said) else value
            for name, value in values.items()
        }
    )


class Said(NamedTuple):
    """A message not yet put into a language: its catalog text and its values."""

    text: str
    values: Mapping[str, object]

    def __call__(self, language: str) -> str:
        """The message in a language."""
        return message(language, self.text, **self.values)

    def __str__(self) -> str:
        return self("en")


def plural(language: str, one: str, many: str, count: int, /, **values: object) -> str:
    """A message about ``count`` things in a language, ``{count}`` and the rest filled."""
    found = translations(language).ngettext(one, many, count)
    return found.format(count=count, **values)


def environment_language(environ: Mapping[str, str] = os.environ) -> str:
    """The language the environment asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as
    gettext reads them): Indonesian for id or in (its old code), else English."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            first = value.split(":")[0].casefold()
            return "id" if first[:2] in ("id", "in") and first[2:3] in ("", "_", ".", "@") else "en"
    return "en"
