"""A file's outcome as plain tuples: cheap to cache, to send between processes, and
to aggregate without building an object per kelurahan entry.

Each file has three parts:

- a *head*, ``(path, date_line, day, first_error)``, what every command needs of
  every file, and all that is kept in memory for each: ``day`` is the session's day
  ordinal (None for an invalid file) and ``first_error`` the message that makes an
  invalid file invalid;
- its *rows*, the statuses it wrote as ``(name, status, previous, note, team,
  figures)``, all that ``kbik status`` reads besides;
- a *detail*, ``(problems, session)``, the rest, for the other commands.

The body is in neither: it is read back from the file only for the sessions a
report shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from sys import intern
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from kbik.problems import Problem

if TYPE_CHECKING:
    # Imported where sessions are made: a warm run that reads no session's detail
    # never needs their classes.
    from kbik.model import Loaded, Session

Detail = tuple[Any, ...]  # (problems, session fields): written by encode, read by decode
ReportRow = tuple[str, str, str | None, str | None, int | None, tuple[tuple[str, float], ...]]
# What one session reported: its date, its path and its rows.
ReportGroup = tuple[dt.date, str, tuple[ReportRow, ...]]


class Head(NamedTuple):
    """What every command needs of one file."""

    path: str
    date_line: int | None  # where 'date' stands, for problems across files
    day: int | None  # the session's day ordinal; None for a file that is no valid session
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


def ordinal(day: dt.date | None) -> int | None:
    """A date as its day ordinal, as the index keeps dates (None stays None)."""
    return day.toordinal() if day is not None else None


def from_ordinal(number: int | None) -> dt.date | None:
    """A day ordinal back as a date (None stays None)."""
    return dt.date.fromordinal(number) if number is not None else None


# Names and status words recur in every session: interned, one pickle stores each
# string once however often it comes (the official name and the name as written, say).
def _names(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(intern(value) for value in values)


def _maybe(value: str | None) -> str | None:
    return intern(value) if value is not None else None


def report_rows(session: Session) -> tuple[ReportRow, ...]:
    """Return the statuses a session wrote, as rows."""
    return _rows(_entries(session))


def _entries(session: Session) -> tuple[tuple[Any, ...], ...]:
    """Each kelurahan entry as the detail keeps it: (name, written, status, previous,
    note, team, figures)."""
    return tuple(
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
    )


def _rows(entries: tuple[tuple[Any, ...], ...]) -> tuple[ReportRow, ...]:
    """The entries that have a status, as rows: (name, status, previous, note, team,
    figures)."""
    return tuple(
        (name, status, previous, note, team, figures)
        for name, _, status, previous, note, team, figures in entries
        if status is not None
    )


def encode(loaded: Loaded) -> tuple[Head, tuple[ReportRow, ...], Detail]:
    """Split a file's outcome into its head, its rows and its detail."""
    session = loaded.session
    first_error = next((p.message for p in loaded.problems if p.severity == "error"), None)
    head = Head(
        loaded.path,
        loaded.date_line,
        session.date.toordinal() if session is not None else None,
        first_error,
    )
    problems = tuple(
        (p.path, p.severity, p.code, p.message, p.line, p.column) for p in loaded.problems
    )
    if session is None:
        return head, (), (problems, None)
    entries = _entries(session)
    return (
        head,
        _rows(entries),
        (
            problems,
            (
                session.path,
                session.date.toordinal(),
                _names(session.attendees),
                tuple((a.team, _maybe(a.reason), _maybe(a.handover)) for a in session.absent),
                entries,
                tuple(
                    (
                        f.id,
                        f.action,
                        f.session.toordinal(),
                        f.position,
                        f.team,
                        _names(f.kelurahan),
                        ordinal(f.due),
                        f.done,
                        ordinal(f.done_on),
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
        ),
    )


def decode(files: Iterable[tuple[Head, Detail]]) -> tuple[Loaded, ...]:
    """Turn files' heads and details back into their outcomes."""
    # Imported here, once for all the files: a run that reads no file's detail never
    # needs the classes sessions are made of.
    from kbik import model

    return tuple(
        model.Loaded(
            head.path,
            _session(model, detail[1]),
            tuple(Problem(*fields) for fields in detail[0]),
            head.date_line,
        )
        for head, detail in files
    )


# The index's tables of the sessions, which search filters on: the columns
# of each, and each file's rows in them (valid sessions only).
TABLES = {
    "sessions": ("name", "date", "title", "place", "facilitator", "notetaker"),
    "kelurahan_reports": (
        "name",
        "position",
        "kelurahan",
        "written",
        "status",
        "previous",
        "note",
        "team",
    ),
    "figures": ("name", "kelurahan", "label", "value"),
    "followups": (
        "name",
        "position",
        "id",
        "action",
        "team",
        "kelurahan",
        "due",
        "done",
        "done_on",
    ),
}


def table_rows(name: str, detail: Detail) -> dict[str, list[tuple[Any, ...]]]:
    """A file's rows in each of TABLES, from its detail (none for an invalid file)."""
    session = detail[1]
    if session is None:
        return {table: [] for table in TABLES}
    _, day, _, _, kelurahan, followups, _, title, place, facilitator, notetaker = session

    def iso(ordinal: int | None) -> str | None:
        return dt.date.fromordinal(ordinal).isoformat() if ordinal is not None else None

    return {
        "sessions": [(name, iso(day), title, place, facilitator, notetaker)],
        "kelurahan_reports": [
            (name, position, official, written, status, previous, note, team)
            for position, (official, written, status, previous, note, team, _) in enumerate(
                kelurahan, start=1
            )
        ],
        "figures": [
            (name, entry[0], label, value) for entry in kelurahan for label, value in entry[6]
        ],
        "followups": [
            (name, f[3], f[0], f[1], f[4], "; ".join(f[5]) or None, iso(f[6]), f[7], iso(f[8]))
            for f in followups
        ],
    }


def _session(model: ModuleType, fields: tuple[Any, ...] | None) -> Session | None:
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
    session: Session = model.Session(
        path=path,
        date=dt.date.fromordinal(day),
        attendees=attendees,
        absent=tuple(model.Absence(*a) for a in absent),
        kelurahan=tuple(
            model.KelurahanEntry(name, written, status, previous, note, team, dict(figures))
            for name, written, status, previous, note, team, figures in kelurahan
        ),
        followups=tuple(
            model.Followup(
                f[0],
                f[1],
                dt.date.fromordinal(f[2]),
                f[3],
                f[4],
                f[5],
                from_ordinal(f[6]),
                f[7],
                from_ordinal(f[8]),
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
    return session
