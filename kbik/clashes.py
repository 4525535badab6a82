"""Problems across session files: two sessions of one date, and a date far after today.

Both are checked for the whole workspace on each run, not with each file: the first
depends on the other files, the second on the day. A file found so is no valid session.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from operator import attrgetter

from kbik.dates import today
from kbik.i18n import message
from kbik.index import Head
from kbik.problems import Problem


def duplicate_dates(found: Iterable[Head], language: str) -> tuple[Problem, ...]:
    """Report every session that shares its date with another, naming the others."""
    found = tuple(found)
    # The days counted first, in C: a workspace seldom has a day held twice, and then
    # only the files of such days are gathered.
    counts = Counter(map(attrgetter("day"), found))
    twice = {day for day, n in counts.items() if n > 1 and day is not None}
    if not twice:
        return ()
    by_day: dict[int, list[Head]] = {}
    for head in found:
        if head.day is not None and head.day in twice:
            by_day.setdefault(head.day, []).append(head)
    problems = []
    for day, heads in by_day.items():
        iso = dt.date.fromordinal(day).isoformat()
        for head in heads:
            others = ", ".join(other.path for other in heads if other is not head)
            said = message(
                language,
                "another session has the same date {date}: {others}; neither counts until "
                "one of them has its own date",
                date=iso,
                others=others,
            )
            problems.append(Problem(head.path, "error", "duplicate-date", said, head.date_line))
    return tuple(problems)


AHEAD_WEEKS = 8  # a session dated further after today is a typo (2062 for 2026)


def far_ahead(found: Iterable[Head], language: str) -> tuple[Problem, ...]:
    """Report every session dated more than AHEAD_WEEKS weeks after today."""
    now = today()
    limit = now.toordinal() + 7 * AHEAD_WEEKS
    return tuple(
        Problem(
            head.path,
            "error",
            "far-future",
            message(
                language,
                "the date {date} is more than {weeks} weeks after today ({today}): a typo? "
                "Write the date the session was held",
                date=dt.date.fromordinal(head.day),
                weeks=AHEAD_WEEKS,
                today=now,
            ),
            head.date_line,
        )
        for head in found
        if head.day is not None and head.day > limit
    )


def without(found: tuple[Head, ...], clashes: Sequence[Problem]) -> tuple[Head, ...]:
    """The heads, with every file the workspace-wide checks found wrong made no valid
    session, its problem as the reason: a file that shares its date with another (which
    is right only a person can tell), or one dated far after today."""
    if not clashes:
        return found
    reasons = {problem.path: problem.message for problem in clashes}
    return tuple(
        head._replace(day=None, first_error=reasons[head.path]) if head.path in reasons else head
        for head in found
    )
