"""A file's outcome as plain tuples: cheap to cache, to send between processes, and
to aggregate without building an object per kelurahan entry.

A record is ``(path, date_line, problems, session)``; ``session`` is None for an
invalid file. Dates are day ordinals. The body is not kept: it is read back from
the file only for the sessions a report shows.
"""

from __future__ import annotations

import datetime as dt
from sys import intern
from typing import Any, NamedTuple

from kbik.model import Absence, Followup, KelurahanEntry, Loaded, Problem, Session

Record = tuple[Any, ...]


# One kelurahan status written in one session: what status aggregation reads.
# Aggregation takes plain tuples in this order; Report names the fields for
# templates and tests.
ReportTuple = tuple[dt.date, str, str, str, str | None, str | None, int | None]


class Report(NamedTuple):
    """One kelurahan status written in one session, with named fields."""

    date: dt.date
    path: str
    name: str
    status: str
    previous: str | None
    note: str | None
    team: int | None


def _ordinal(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _day(ordinal: int | None) -> dt.date | None:
    return dt.date.fromordinal(ordinal) if ordinal is not None else None


def _names(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(intern(value) for value in values)


def _maybe(value: str | None) -> str | None:
    return intern(value) if value is not None else None


def encode(loaded: Loaded) -> Record:
    """Turn a file's outcome into a record.

    Names and status words recur in every session: interned, they are stored once
    per batch in a pickle, which halves the cache and the time to read it.
    """
    problems = tuple(
        (p.path, p.severity, p.code, p.message, p.line, p.column) for p in loaded.problems
    )
    session = loaded.session
    if session is None:
        return (loaded.path, loaded.date_line, problems, None)
    return (
        loaded.path,
        loaded.date_line,
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
                    f.kelurahan,
                    _ordinal(f.due),
                    f.done,
                    _ordinal(f.done_on),
                    f.explicit_id,
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


def decode_problems(record: Record) -> tuple[Problem, ...]:
    """Return a record's problems."""
    return tuple(Problem(*fields) for fields in record[2])


def decode_session(record: Record) -> Session | None:
    """Return a record's session (without its body), None for an invalid file."""
    fields = record[3]
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
            )
            for f in followups
        ),
        topics=topics,
        title=title,
        place=place,
        facilitator=facilitator,
        notetaker=notetaker,
    )


def decode(record: Record) -> Loaded:
    """Turn a record back into a file's outcome."""
    return Loaded(record[0], decode_session(record), decode_problems(record), record[1])


def is_valid(record: Record) -> bool:
    """Tell whether the record holds a session."""
    return record[3] is not None


def date_order(record: Record) -> tuple[int, str]:
    """Sort key of a valid record: its date, then its path."""
    return record[3][1], record[0]


def record_date(record: Record) -> dt.date | None:
    """Return the session date of a valid record."""
    return dt.date.fromordinal(record[3][1]) if record[3] is not None else None


def reports(record: Record) -> list[ReportTuple]:
    """Return the statuses a valid record's session wrote, without building a Session."""
    fields = record[3]
    if fields is None:
        return []
    day = dt.date.fromordinal(fields[1])
    path = fields[0]
    return [
        (day, path, name, status, previous, note, team)
        for name, _, status, previous, note, team, _ in fields[4]
        if status is not None
    ]
