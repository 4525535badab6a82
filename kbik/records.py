"""A file's outcome as plain tuples: cheap to cache, to send between processes, and
to aggregate without building an object per kelurahan entry.

Each file has two parts:

- a *summary*, ``(path, date_line, date, rows, first_error)``, all that ``kbik status``
  reads: ``date`` is the session's day ordinal (None for an invalid file), ``rows``
  the statuses it wrote as ``(name, status, previous, note, team)``, and
  ``first_error`` the message that makes an invalid file invalid;
- a *detail*, ``(problems, session)``, the rest, for the other commands.

The body is in neither: it is read back from the file only for the sessions a
report shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from sys import intern
from typing import Any, NamedTuple

from kbik.model import Absence, Followup, KelurahanEntry, Loaded, Problem, Session

Detail = tuple[Any, ...]  # (problems, session fields): written by encode, read by decode
ReportRow = tuple[str, str, str | None, str | None, int | None, tuple[tuple[str, float], ...]]
# What one session reported: its date, its path and its rows.
ReportGroup = tuple[dt.date, str, tuple[ReportRow, ...]]


class Summary(NamedTuple):
    """What ``kbik status`` reads of one file."""

    path: str
    date_line: int | None  # where 'date' stands, for problems across files
    day: int | None  # the session's day ordinal; None for a file that is no valid session
    rows: tuple[ReportRow, ...]  # the statuses it wrote
    first_error: str | None  # why it is no valid session


class Report(NamedTuple):
    """One kelurahan status written in one session, with named fields."""

    date: dt.date
    path: str
    name: str
    status: str
    previous: str | None
    note: str | None
    team: int | None
    figures: tuple[tuple[str, float], ...] = ()


def flatten(groups: Iterable[ReportGroup]) -> list[Report]:
    """Return each row of the groups as a Report."""
    return [Report(day, path, *row) for day, path, rows in groups for row in rows]


def _ordinal(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _day(ordinal: int | None) -> dt.date | None:
    return dt.date.fromordinal(ordinal) if ordinal is not None else None


def _names(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(intern(value) for value in values)


def _maybe(value: str | None) -> str | None:
    return intern(value) if value is not None else None


def report_rows(session: Session) -> tuple[ReportRow, ...]:
    """Return the statuses a session wrote, as rows."""
    return tuple(
        (
            intern(e.name),
            intern(e.status),
            _maybe(e.previous),
            e.note,
            e.team,
            tuple(e.figures.items()),
        )
        for e in session.kelurahan
        if e.status is not None
    )


def encode(loaded: Loaded) -> tuple[Summary, Detail]:
    """Split a file's outcome into its summary and its detail.

    Names and status words recur in every session: interned, a pickle stores each
    once per batch, which halves the cache and the time to read it.
    """
    session = loaded.session
    first_error = next((p.message for p in loaded.problems if p.severity == "error"), None)
    summary = Summary(
        loaded.path,
        loaded.date_line,
        session.date.toordinal() if session is not None else None,
        report_rows(session) if session is not None else (),
        first_error,
    )
    problems = tuple(
        (p.path, p.severity, p.code, p.message, p.line, p.column) for p in loaded.problems
    )
    if session is None:
        return summary, (problems, None)
    return summary, (
        problems,
        (
            session.path,
            session.date.toordinal(),
            _names(session.attendees),
            tuple((a.team, _maybe(a.reason), _maybe(a.handover)) for a in session.absent),
            tuple(
                (
                    intern(e.name),
                    intern(e.written),
                    _maybe(e.status),
                    _maybe(e.previous),
                    e.note,
                    e.team,
                    tuple(e.figures.items()),
                )
                for e in session.kelurahan
            ),
            tuple(
                (
                    f.id,
                    f.action,
                    f.session.toordinal(),
                    f.position,
                    f.team,
                    _names(f.kelurahan),
                    _ordinal(f.due),
                    f.done,
                    _ordinal(f.done_on),
                    f.explicit_id,
                    f.line,
                )
                for f in session.followups
            ),
            session.topics,
            session.title,
            session.place,
            session.facilitator,
            session.notetaker,
        ),
    )


def decode(summary: Summary, detail: Detail) -> Loaded:
    """Turn a file's summary and detail back into its outcome."""
    problems = tuple(Problem(*fields) for fields in detail[0])
    return Loaded(summary.path, _session(detail[1]), problems, summary.date_line)


def _session(fields: tuple[Any, ...] | None) -> Session | None:
    if fields is None:
        return None
    (
        path,
        day,
        attendees,
        absent,
        kelurahan,
        followups,
        topics,
        title,
        place,
        facilitator,
        notetaker,
    ) = fields
    return Session(
        path=path,
        date=dt.date.fromordinal(day),
        attendees=attendees,
        absent=tuple(Absence(*a) for a in absent),
        kelurahan=tuple(
            KelurahanEntry(name, written, status, previous, note, team, dict(figures))
            for name, written, status, previous, note, team, figures in kelurahan
        ),
        followups=tuple(
            Followup(
                f[0],
                f[1],
                dt.date.fromordinal(f[2]),
                f[3],
                f[4],
                f[5],
                _day(f[6]),
                f[7],
                _day(f[8]),
                f[9],
                f[10],
            )
            for f in followups
        ),
        topics=topics,
        title=title,
        place=place,
        facilitator=facilitator,
        notetaker=notetaker,
    )
