"""Dates: "today", ISO parsing, weekday names and Indonesian/English formatting (Babel)."""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import cache

from kbik.errors import UsageError
from kbik.i18n import N_, Said, message

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


NOT_ISO = N_("'{value}' is not a date written YYYY-MM-DD")
NO_SUCH_DAY = N_("'{value}' is not a valid date: no such day or month")


def parse_iso(text: str, language: str = "en") -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly; raise ValueError with a reason in a language."""
    text = text.strip()
    if not _ISO.fullmatch(text):
        raise ValueError(message(language, NOT_ISO, value=text))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(message(language, NO_SUCH_DAY, value=text)) from None


_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def as_iso(text: str) -> str | None:
    """The user's own date written YYYY-MM-DD, where it is a day-first or unpadded date
    ("28-10-2026", "2026-5-11"), for a message to suggest; None otherwise."""
    text = text.strip()
    found = _DAY_FIRST.fullmatch(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
    elif found := _YEAR_FIRST.fullmatch(text):
        year, month, day = (int(part) for part in found.groups())
    else:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def today() -> dt.date:
    """Return today's date, or the one fixed by ``KBIK_TODAY``."""
    fixed = os.environ.get("KBIK_TODAY", "").strip()
    if not fixed:
        return dt.date.today()
    try:
        return parse_iso(fixed)
    except ValueError:
        said = NOT_ISO if not _ISO.fullmatch(fixed) else NO_SUCH_DAY
        reason = Said(said, {"value": fixed})
        raise UsageError(N_("KBIK_TODAY: {reason}"), reason=reason) from None


@cache
def _weekday_names() -> dict[str, int]:
    from babel.dates import get_day_names  # noqa: PLC0415 - Babel, 33 ms: few runs name a day

    names: dict[str, int] = {}
    for locale in ("id", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, locale=locale).items():
                names[_fold(name)] = number
    return names


def _fold(name: str) -> str:
    # "Jum'at" and "Jumat" are both common spellings of Friday.
    return re.sub(r"[^a-z]", "", name.casefold())


def parse_weekday(name: str) -> int | None:
    """Return 0 (Monday) to 6 for an Indonesian or English weekday name."""
    return _weekday_names().get(_fold(name))


def weekday_name(day: int, language: str = "id") -> str:
    """Return the weekday's name in the language, e.g. ``Rabu``."""
    from babel.dates import get_day_names  # noqa: PLC0415 - Babel, 33 ms: few runs name a day

    return str(get_day_names("wide", locale=language)[day])


def last_weekday(end: dt.date, weekday: int) -> dt.date:
    """Return the last date on or before ``end`` that falls on ``weekday``."""
    return end - dt.timedelta(days=(end.weekday() - weekday) % 7)


def next_weekday(start: dt.date, weekday: int) -> dt.date:
    """Return the first date on or after ``start`` that falls on ``weekday``."""
    try:
        return start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    except OverflowError:
        raise UsageError(
            N_(
                "there is no meeting day on or after {date} in the calendar; give the date "
                "with --date"
            ),
            date=start.isoformat(),
        ) from None


def long_date(day: dt.date, language: str = "id") -> str:
    """Format as ``Rabu, 11 Mei 2016`` (or ``Wednesday, 11 May 2016``)."""
    from babel.dates import format_date  # noqa: PLC0415 - Babel, 33 ms: few runs write a date

    return format_date(day, "EEEE, d MMMM y", locale=language)


def medium_date(day: dt.date, language: str = "id") -> str:
    """Format as ``11 Mei 2016``."""
    from babel.dates import format_date  # noqa: PLC0415 - Babel, 33 ms: few runs write a date

    return format_date(day, "d MMMM y", locale=language)


def short_date(day: dt.date, language: str = "id") -> str:
    """Format as ``11 Mei``, for table headers."""
    from babel.dates import format_date  # noqa: PLC0415 - Babel, 33 ms: few runs write a date

    return format_date(day, "d MMM", locale=language)


def holiday_name(day: dt.date) -> str | None:
    """Return the Indonesian public holiday on that date, in Indonesian, if any."""
    import holidays  # noqa: PLC0415 - 54 ms: only kbik new looks for a holiday

    try:
        calendar = holidays.country_holidays("ID", years=day.year, language="id")
        name = calendar.get(day)
    except (TypeError, ValueError, KeyError, NotImplementedError):
        return None  # a year the calendar cannot compute (9999 in older holidays)
    return str(name) if name else None
