"""Where each kelurahan stands: the status rules, and sessions aggregated into rows.

This module owns the rules every command, report and template follows: what a
kelurahan's status was before a session (``prior_status``), what a revival is
(``is_revival``), when a kelurahan goes stale (``stale_from``), and which note
goes with a status (the latest written since the status began).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from kbik.config import Config
from kbik.i18n import message
from kbik.indicators import Indicator
from kbik.problems import Problem

if TYPE_CHECKING:
    from kbik.model import Session

# One status a session wrote: (official name, status, previous, note, team, figures).
ReportRow = tuple[str, str, str | None, str | None, int | None, tuple[tuple[str, float], ...]]
ReportGroup = tuple[dt.date, str, tuple[ReportRow, ...]]  # a session's date, path and rows


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


def report_rows(session: Session) -> tuple[ReportRow, ...]:
    """Return the statuses a session wrote, as rows."""
    return tuple(
        (e.name, e.status, e.previous, e.note, e.team, tuple(e.figures.items()))
        for e in session.kelurahan
        if e.status is not None
    )


JSON_KEYS = (
    "kelurahan",
    "team",
    "status",
    "since",
    "previous",
    "last_reported",
    "stale",
    "note",
    "noted",
)
REVIVING_FROM = ("vakum", "terhenti")


def is_revival(previous: str | None, status: str | None) -> bool:
    """Tell whether a change is what practitioners call "bergulir kembali"."""
    return status == "bergulir" and previous in REVIVING_FROM


def prior_status(earlier: str | None, written_previous: str | None) -> str | None:
    """The status before a session: the earlier sessions' word, else the entry's own
    ``previous:`` (only where no earlier session recorded one)."""
    return earlier if earlier is not None else written_previous


FINISHED = "selesai"  # the status of a kelurahan the programme has left


def stale_from(last_reported: dt.date, weeks: int) -> dt.date:
    """The first day a kelurahan last reported on ``last_reported`` counts as stale."""
    try:
        return last_reported + dt.timedelta(weeks=weeks, days=1)
    except OverflowError:
        return dt.date.max


def is_stale(last_reported: dt.date | None, as_of: dt.date, weeks: int) -> bool:
    """Tell whether a kelurahan is stale on ``as_of``: never reported, or not for too long."""
    return last_reported is None or as_of >= stale_from(last_reported, weeks)


@dataclass(frozen=True)
class StatusRow:
    """One kelurahan's standing as of a date."""

    kelurahan: str
    team: int | None
    status: str | None
    since: dt.date | None
    previous: str | None
    last_reported: dt.date | None
    stale: bool
    note: str | None  # the latest note written since the status began
    figures: Mapping[str, float] = field(default_factory=dict)  # the latest value of each
    noted: dt.date | None = None  # when the note was written

    __plain_extras__ = ("revived",)

    @property
    def revived(self) -> bool:
        """True when the latest change is vakum/terhenti → bergulir."""
        return is_revival(self.previous, self.status)

    def as_dict(self, indicators: Mapping[str, Indicator] | None = None) -> dict[str, object]:
        """Return the JSON shape, dates as ``YYYY-MM-DD``; with indicators, graded figures."""
        shape: dict[str, object] = {
            "kelurahan": self.kelurahan,
            "team": self.team,
            "status": self.status,
            "since": self.since.isoformat() if self.since else None,
            "previous": self.previous,
            "last_reported": self.last_reported.isoformat() if self.last_reported else None,
            "stale": self.stale,
            "note": self.note,
            "noted": self.noted.isoformat() if self.noted else None,
        }
        if indicators is not None:
            shape["figures"] = {
                name: {
                    "value": value,
                    "grade": indicators[name].grade(value) if name in indicators else None,
                }
                for name, value in self.figures.items()
            }
        return shape


@dataclass(frozen=True)
class HistoryLine:
    """What one session said about one kelurahan."""

    date: dt.date
    status: str
    note: str | None
    path: str
    team: int | None
    previous: str | None = None  # the status the entry says came before


@dataclass(slots=True)
class Track:
    """Running state of one kelurahan while reports are read in date order."""

    team: int | None = None
    status: str | None = None
    since: dt.date | None = None
    previous: str | None = None
    last: dt.date | None = None
    note: str | None = None
    noted: dt.date | None = None
    figures: dict[str, float] = field(default_factory=dict)


def session_reports(sessions: Iterable[Session]) -> list[ReportGroup]:
    """Return what each session reported, by date then path."""
    ordered = sorted(sessions, key=lambda session: (session.date, session.path))
    return [(session.date, session.path, report_rows(session)) for session in ordered]


def status_rows(
    reports: Iterable[ReportGroup], config: Config, as_of: dt.date
) -> tuple[StatusRow, ...]:
    """Return one row per kelurahan (roster and reported), sorted by team then name.

    ``reports`` must come in date order (as ``session_reports`` and
    ``Catalogue.reports`` give them); only sessions on or before ``as_of`` count.
    """
    return rows_from(track(reports, config, as_of), as_of, config.stale_after_weeks)


def track(
    reports: Iterable[ReportGroup],
    config: Config,
    as_of: dt.date,
    start: dict[str, Track] | None = None,
) -> dict[str, Track]:
    """Follow each kelurahan through the reports (in date order) up to ``as_of``, from
    where earlier reports left them (``start``, left as it is) or from the roster."""
    if start is None:
        tracks = {name: Track(team=config.roster_team(name)) for name in config.roster_kelurahan}
    else:
        tracks = {name: replace(t, figures=dict(t.figures)) for name, t in start.items()}
    for day, _, written in reports:
        if day > as_of:
            continue
        # Inlined: this runs once per report, 150,000 times for 10,000 sessions.
        for name, status, previous, note, team, figures in written:
            track = tracks.get(name)
            if track is None:
                track = tracks[name] = Track()
            if status != track.status:
                track.previous = prior_status(track.status, previous)
                track.status = status
                track.since = day
                # A note written under the old status says nothing about the new one.
                track.note = track.noted = None
            track.team = team
            track.last = day
            if note:
                track.note = note
                track.noted = day
            if figures:
                track.figures.update(figures)
    return tracks


def rows_from(tracks: Mapping[str, Track], as_of: dt.date, weeks: int) -> tuple[StatusRow, ...]:
    """Each kelurahan's row on ``as_of``, from where the reports left it."""
    rows = (
        StatusRow(
            kelurahan=name,
            team=track.team,
            status=track.status,
            since=track.since,
            previous=track.previous,
            last_reported=track.last,
            # A kelurahan the programme has left (selesai) is never stale.
            stale=track.status != FINISHED and is_stale(track.last, as_of, weeks),
            note=track.note,
            figures=track.figures,
            noted=track.noted,
        )
        for name, track in tracks.items()
    )
    return tuple(sorted(rows, key=_row_order))


def statuses_before(reports: Iterable[ReportGroup]) -> dict[tuple[str, str], str | None]:
    """The status each kelurahan had before each session that reported it.

    Keyed by (session path, official name); ``reports`` in date order. One pass,
    so a report over thousands of sessions stays linear.
    """
    current: dict[str, str] = {}
    before: dict[tuple[str, str], str | None] = {}
    for _, path, rows in reports:
        for name, status, *_ in rows:
            before[(path, name)] = current.get(name)
            current[name] = status
    return before


def _row_order(row: StatusRow) -> tuple[int, str]:
    return (row.team if row.team is not None else 1_000_000, row.kelurahan.casefold())


def history(reports: Iterable[ReportGroup], name: str) -> tuple[HistoryLine, ...]:
    """Return every report of one kelurahan (official name), in the reports' date order."""
    return tuple(
        HistoryLine(day, status, note, path, team, previous)
        for day, path, rows in reports
        for written, status, previous, note, team, _ in rows
        if written == name
    )


@dataclass(frozen=True)
class Stretch:
    """A run of one status in a kelurahan's history: one line of its timeline."""

    since: dt.date
    before: str | None  # the status it followed
    status: str
    revived: bool
    until: dt.date  # the last session that reported it
    reports: int  # how many sessions reported it
    team: int | None  # the team that reported the change
    path: str  # the session that recorded the change
    note: str | None  # the latest note written during the run


def timeline(lines: Iterable[HistoryLine]) -> tuple[Stretch, ...]:
    """Collapse a kelurahan's history into one line per change of status."""
    stretches: list[Stretch] = []
    for line in lines:
        last = stretches[-1] if stretches else None
        if last is not None and last.status == line.status:
            stretches[-1] = Stretch(
                last.since,
                last.before,
                last.status,
                last.revived,
                line.date,
                last.reports + 1,
                last.team,
                last.path,
                line.note or last.note,
            )
            continue
        before = prior_status(last.status if last else None, line.previous)
        stretches.append(
            Stretch(
                line.date,
                before,
                line.status,
                is_revival(before, line.status),
                line.date,
                1,
                line.team,
                line.path,
                line.note,
            )
        )
    return tuple(stretches)


def summary(rows: Iterable[StatusRow]) -> tuple[dict[str, int], int]:
    """Count rows per status (None for never reported) and the stale ones."""
    rows = list(rows)
    counts = Counter(row.status or "-" for row in rows)
    return dict(sorted(counts.items())), sum(row.stale for row in rows)


COPIED_FROM = 2  # statuses a week must write, all as the week before, to look copied


def copied_weeks(sessions: Iterable[Session], language: str) -> list[Problem]:
    """Warn of a session whose every status (and note) is the week before's: a file
    copied and not brought up to date. (A week with news writes only that news.)"""
    problems = []
    ordered = sorted(sessions, key=lambda session: (session.date, session.path))
    for earlier, later in pairwise(ordered):
        written = {(e.name, e.status, e.note) for e in later.reported}
        if len(written) >= COPIED_FROM and written == {
            (e.name, e.status, e.note) for e in earlier.reported
        }:
            problems.append(
                Problem(
                    later.path,
                    "warning",
                    "copied-week",
                    message(
                        language,
                        "every status and note is as in {path} ({date}): copied from that "
                        "week? Write a status only where there is news",
                        path=earlier.path,
                        date=earlier.date,
                    ),
                )
            )
    return problems


def changed_comments(
    reports: Iterable[ReportGroup],
    stood: Mapping[str, Iterable[tuple[int, int, str, str]]],
    config: Config,
) -> list[Problem]:
    """An error for each of kbik new's "where it stood" comments (``stood``, by session
    path) whose status word is not where the kelurahan stood: a status typed into the
    comment, which no one reads. ``reports`` in date order."""
    current: dict[str, str] = {}
    problems = []
    for _, path, rows in reports:
        for line, column, written, word in stood.get(path, ()):
            name = config.official(written)
            if word in config.statuses and word != current.get(name):
                was = current.get(name) or message(config.language, "never reported")
                said = message(
                    config.language,
                    "the comment over '{name}' says '{word}', but it stood at '{was}': a "
                    "comment is not read, so '{name}' counts as not discussed. To report it, "
                    "write '{name}: {word}'; if the comment is only out of date, delete it",
                    name=written,
                    word=word,
                    was=was,
                )
                problems.append(Problem(path, "error", "changed-comment", said, line, column))
        for name, status, *_ in rows:
            current[name] = status
    return problems
