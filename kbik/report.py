"""The rangkuman: which sessions a report covers, and what its templates receive."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from kbik.config import Config
from kbik.errors import InvalidSessions, NothingToDo, UsageError
from kbik.followups import track
from kbik.i18n import N_, message, plural
from kbik.indicators import grade_word
from kbik.model import Absence, Followup, KelurahanEntry, Section, Session
from kbik.names import name_key
from kbik.sessions import body_sections
from kbik.status import (
    FINISHED,
    Report,
    ReportGroup,
    StatusRow,
    flatten,
    is_revival,
    prior_status,
    session_reports,
    stale_from,
    status_rows,
    statuses_before,
)

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Period:
    """The dates a report covers."""

    start: dt.date
    end: dt.date
    month: str | None = None  # "YYYY-MM" when chosen with --month

    __plain_extras__ = ("single",)

    @property
    def single(self) -> bool:
        """True for a report on one day."""
        return self.start == self.end


@dataclass(frozen=True)
class Selection:
    """How the user chose sessions: at most one way."""

    date: dt.date | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    month: str | None = None
    today: dt.date | None = None  # where --since alone ends


def select(
    sessions: Sequence[Session],
    choice: Selection,
    invalid: Sequence[tuple[str, dt.date | None]] = (),
    language: str = "en",
) -> tuple[tuple[Session, ...], Period]:
    """Return the chosen sessions (oldest first) and their period; the latest by default.

    ``invalid`` names the files that are not valid sessions, with the date each was
    meant for where it can be told: a report never quietly leaves out one that falls
    in its period, nor falls back to an older session when the latest is invalid.
    """
    ordered = sorted(sessions, key=lambda s: (s.date, s.path))
    if choice.date and (choice.since or choice.until or choice.month):
        raise UsageError(
            message(language, "--date cannot be combined with --since, --until or --month")
        )
    if choice.month and (choice.since or choice.until):
        raise UsageError(message(language, "--month cannot be combined with --since or --until"))
    if choice.date:
        period = Period(choice.date, choice.date)
    elif choice.month:
        period = _month(choice.month)
    elif choice.since or choice.until:
        if not ordered:
            raise NothingToDo(message(language, "no sessions in this workspace"))
        end = choice.until or choice.today or ordered[-1].date
        period = Period(choice.since or ordered[0].date, end)
        if period.start > period.end:
            later = (
                "--until"
                if choice.until
                else message(language, "today ({date})", date=end.isoformat())
            )
            raise UsageError(message(language, "--since is after {later}", later=later))
    else:
        latest = ordered[-1].date if ordered else None
        newer = [path for path, day in invalid if day is not None and (not latest or day >= latest)]
        if newer:
            raise _invalid(newer, message(language, "the latest session"), language)
        if latest is None:
            raise NothingToDo(
                message(language, "no sessions in this workspace; write one with 'kbik new'")
            )
        period = Period(latest, latest)
    inside = [
        path for path, day in invalid if day is not None and period.start <= day <= period.end
    ]
    if inside:
        what = (
            message(language, "a session of this period")
            if not period.single
            else message(language, "the session")
        )
        raise _invalid(inside, what, language)
    chosen = tuple(s for s in ordered if period.start <= s.date <= period.end)
    if not chosen:
        raise NothingToDo(_nothing_in(period, ordered, language))
    return chosen, period


def _nothing_in(period: Period, ordered: Sequence[Session], language: str) -> str:
    """Say that no session falls in the period, and which sessions are nearest it."""
    when = (
        message(language, "on {date}", date=period.start)
        if period.single
        else message(language, "between {start} and {end}", start=period.start, end=period.end)
    )
    before = [s.date for s in ordered if s.date < period.start][-1:]
    after = [s.date for s in ordered if s.date > period.end][:1]
    nearest = [
        message(language, "{date} (before)", date=day)
        if day < period.start
        else message(language, "{date} (after)", date=day)
        for day in before + after
    ]
    if not nearest:
        return message(language, "no session {when}", when=when)
    return message(
        language,
        "no session {when}; the nearest: {nearest} (kbik list shows them all)",
        when=when,
        nearest=", ".join(nearest),
    )


def unfilled(session: Session) -> bool:
    """Tell whether a session is as `kbik new` left it: no status written, no follow-up
    closed or written new, no topic, and a body of headings and reminders only (its body
    read)."""
    text = _COMMENT.sub("", session.body)
    words = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return not (
        session.reported
        or session.topics
        or words
        # kbik new carries each open follow-up with its id written and done: false.
        or any(f.done or not f.explicit_id for f in session.followups)
    )


def _invalid(paths: Sequence[str], what: str, language: str) -> InvalidSessions:
    return InvalidSessions(
        plural(
            language,
            "{paths} is not valid, and would be {what}: fix it first (see 'kbik validate {first}')",
            "{paths} are not valid, and would be {what}: fix them first (see 'kbik validate "
            "{first}')",
            len(paths),
            paths=", ".join(paths),
            what=what,
            first=paths[0],
        )
    )


def _month(text: str) -> Period:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise UsageError(N_("--month takes YYYY-MM, not '{value}'"), value=text)
    year, month = int(match[1]), int(match[2])
    last = calendar.monthrange(year, month)[1]
    return Period(dt.date(year, month, 1), dt.date(year, month, last), text.strip())


@dataclass(frozen=True)
class EntryView:
    """What a session said about one kelurahan, with what it was before."""

    name: str  # official name
    written: str
    status: str
    previous: str | None  # the status before this session, where it changed; else None
    revived: bool  # vakum/terhenti → bergulir in this session
    note: str | None
    team: int | None
    figures: Mapping[str, float]
    date: dt.date | None = None  # the session's, where entries of several sessions are listed

    __plain_extras__ = ("shown",)

    @property
    def shown(self) -> str:
        """As the team wrote it, with the official name after it where that differs."""
        return as_written(self.written, self.name)


@dataclass(frozen=True)
class TeamView:
    """One team in one session: who came, or why not, and what it reported."""

    number: int
    members: tuple[str, ...]
    present: tuple[str, ...]
    absence: Absence | None
    entries: tuple[EntryView, ...]
    text: str | None  # its "## Tim N" section, or the one it shares ("## Tim 6 dan 7")


@dataclass(frozen=True)
class StatusGroup:
    """Kelurahan that were written with the same change, for a one-line summary."""

    names: tuple[str, ...]
    previous: str | None
    status: str
    revived: bool
    figures: Mapping[str, float]  # of the one kelurahan, when it has figures


@dataclass(frozen=True)
class TeamPart:
    """One team report of a session: a ``## Tim`` section, which may cover several
    teams, with the statuses its teams wrote; or the statuses alone."""

    numbers: tuple[int, ...]
    members: tuple[str, ...]  # the faskel of its teams who came
    absent: bool  # none of its teams came
    entries: tuple[EntryView, ...]
    statuses: tuple[StatusGroup, ...]
    text: str | None
    notes: tuple[EntryView, ...] = ()  # with a narrative: the entries whose note it does not say


@dataclass(frozen=True)
class AbsenceGroup:
    """Teams that stayed away for the same reason, with the same hand-over."""

    numbers: tuple[int, ...]
    reason: str | None
    handover: str | None


@dataclass(frozen=True)
class Assignment:
    """A team that takes on an action, and for which kelurahan."""

    team: int | None
    kelurahan: tuple[str, ...]


@dataclass(frozen=True)
class RktlLine:
    """One action of the RKTL as readers see it: said once, with every team on it."""

    action: str
    who: tuple[Assignment, ...]
    due: dt.date | None = None
    done: bool = False
    overdue: bool = False
    closed: dt.date | None = None


def rktl(
    items: Iterable[Followup | FollowupItem], as_of: dt.date | None = None
) -> tuple[RktlLine, ...]:
    """Join follow-ups that ask the same thing of several teams into one line each;
    a session's own follow-up is overdue when it is not done and was due before
    ``as_of``, the session's date."""
    lines: dict[tuple[Any, ...], list[Assignment]] = {}
    for item in items:
        f = item.followup if isinstance(item, FollowupItem) else item
        if isinstance(item, FollowupItem):
            overdue = item.overdue
        else:
            overdue = as_of is not None and f.due is not None and f.due < as_of and not f.done
        closed = item.closed if isinstance(item, FollowupItem) else None
        key = (" ".join(f.action.split()), f.due, f.done, overdue, closed)
        who = lines.setdefault(key, [])
        if f.team is not None or f.kelurahan:
            who.append(Assignment(f.team, f.kelurahan))
    return tuple(
        RktlLine(action, tuple(who), due, done, overdue, closed)
        for (action, due, done, overdue, closed), who in lines.items()
    )


@dataclass(frozen=True)
class SessionView:
    """A session prepared for the report templates."""

    session: Session
    intro: str
    teams: tuple[TeamView, ...]
    sections: tuple[Section, ...]  # the body's other sections, but the closing one
    others: tuple[str, ...]  # attendees in no team, but the facilitator and note-taker
    unassigned: tuple[EntryView, ...]  # reported entries with no team
    parts: tuple[TeamPart, ...] = ()  # the team reports, in team order
    absences: tuple[AbsenceGroup, ...] = ()
    closing: Section | None = None  # "## Penutup" (or "## Closing"), shown last
    rktl: tuple[RktlLine, ...] = ()  # the session's follow-ups, each action once

    # Templates may write s.date, s.attendees, ... as well as s.session.date.
    __plain_extras__ = (
        "path",
        "date",
        "attendees",
        "absent",
        "kelurahan",
        "reported",
        "followups",
        "topics",
        "title",
        "place",
        "facilitator",
        "notetaker",
        "note",
        "body",
    )

    def __getattr__(self, name: str) -> Any:
        if name in SessionView.__plain_extras__:
            return getattr(self.session, name)
        raise AttributeError(name)


@dataclass(frozen=True)
class Step:
    """One change of a kelurahan's status."""

    before: str | None
    after: str
    date: dt.date
    revived: bool


@dataclass(frozen=True)
class Change:
    """A kelurahan's status at the start and end of a period, and each change."""

    kelurahan: str
    team: int | None
    start: str | None
    end: str | None
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class FollowupItem:
    """A follow-up as a report shows it: its state as of the report's end."""

    followup: Followup
    opened_in: str
    closed: dt.date | None
    closed_in: str | None
    is_open: bool
    overdue: bool  # still open after its due date, as of the period's end


@dataclass(frozen=True)
class TeamAttendance:
    """How often a team was absent over a period, and why."""

    number: int
    sessions: int
    absences: tuple[tuple[dt.date, Absence], ...]


@dataclass(frozen=True)
class Handover:
    """What a team that missed the session(s) needs to know."""

    team: int
    kelurahan: tuple[str, ...]
    absences: tuple[tuple[dt.date, Absence], ...]
    entries: tuple[EntryView, ...]
    followups: tuple[FollowupItem, ...]
    rktl: tuple[RktlLine, ...] = ()  # the open follow-ups, each action once


@dataclass(frozen=True)
class FigureChange:
    """An indicator's first and last value in a period, for one kelurahan."""

    kelurahan: str
    label: str
    start: float
    end: float
    grade: str  # of the last value, in the report's language


@dataclass(frozen=True)
class PeriodFacts:
    """What only a period of several sessions shows."""

    attendance: tuple[TeamAttendance, ...]
    changes: tuple[Change, ...]
    went_stale: tuple[StatusRow, ...]
    opened: tuple[FollowupItem, ...]
    closed: tuple[FollowupItem, ...]
    still_open: tuple[FollowupItem, ...]
    overdue: tuple[FollowupItem, ...] = ()
    figure_changes: tuple[FigureChange, ...] = ()
    # The RKTL as it stands at the end of the period, each action once.
    rktl_open: tuple[RktlLine, ...] = ()
    rktl_closed: tuple[RktlLine, ...] = ()
    # Every kelurahan no session of the period reported (but those the programme left):
    # whom the coordinator chases first.
    unreported: tuple[StatusRow, ...] = ()


@dataclass(frozen=True)
class BoardGroup:
    """The board's rows of one team (None: kelurahan of no team)."""

    team: int | None
    rows: tuple[tuple[str, tuple[str | None, ...]], ...]
    absent: tuple[bool, ...] = ()  # per session: the team was absent


@dataclass(frozen=True)
class Board:
    """The status board: kelurahan × sessions, grouped by team."""

    dates: tuple[dt.date, ...]
    rows: tuple[tuple[str, tuple[str | None, ...]], ...]
    groups: tuple[BoardGroup, ...] = ()
    any_absent: bool = False  # some team missed some session of the period


@dataclass(frozen=True)
class ReportInput:
    """Everything a report is made from."""

    config: Config
    sessions: tuple[Session, ...]  # every valid session in the workspace
    selected: tuple[Session, ...]
    period: Period
    language: str
    for_team: int | None = None
    skipped: tuple[str, ...] = field(default_factory=tuple)
    # What every session reported, as the catalogue already holds it (by date then
    # path); made from ``sessions`` when not given.
    groups: tuple[ReportGroup, ...] | None = None

    # Computed once here, since the period facts, the hand-over and the context all
    # read them.
    @cached_property
    def reports(self) -> list[ReportGroup]:
        """What every session reported, by date then path."""
        if self.groups is not None:
            return list(self.groups)
        return session_reports(self.sessions)

    @cached_property
    def selected_reports(self) -> list[Report]:
        """Each status the selected sessions wrote, by date then path."""
        paths = {session.path for session in self.selected}
        return flatten(group for group in self.reports if group[1] in paths)

    @cached_property
    def status(self) -> tuple[StatusRow, ...]:
        """The rows of ``kbik status`` as of the end of the period."""
        return status_rows(self.reports, self.config, self.period.end)

    @cached_property
    def followups(self) -> tuple[FollowupItem, ...]:
        """Every follow-up as it stands at the end of the period."""
        end = self.period.end
        return tuple(
            FollowupItem(s.followup, s.opened_in, s.closed, s.closed_in, s.is_open, s.overdue(end))
            for s in track(self.sessions, end)
        )

    @cached_property
    def before(self) -> dict[tuple[str, str], str | None]:
        """The status of each kelurahan before each session that reported it."""
        return statuses_before(self.reports)


def entry_view(entry: KelurahanEntry | Report, earlier: str | None) -> EntryView:
    """A status written in a session, with its before-state: the earlier sessions'
    status, else the entry's own ``previous:``; a Report also brings its date."""
    assert entry.status is not None
    before = prior_status(earlier, entry.previous)
    return EntryView(
        name=entry.name,
        written=entry.written if isinstance(entry, KelurahanEntry) else entry.name,
        status=entry.status,
        previous=before if before != entry.status else None,
        revived=is_revival(before, entry.status),
        note=entry.note,
        team=entry.team,
        figures=dict(entry.figures),
        date=entry.date if isinstance(entry, Report) else None,
    )


def as_written(written: str, official: str) -> str:
    """A kelurahan as a session wrote it, with its official name where that differs:
    "Bukit Merapen (Bukit Merapin)"; the official name alone where they are one."""
    written = " ".join(written.split())
    return official if name_key(written) == name_key(official) else f"{written} ({official})"


def session_view(
    session: Session, config: Config, before: Mapping[tuple[str, str], str | None] | None = None
) -> SessionView:
    """Split a session into the parts a rangkuman shows.

    ``before`` gives each kelurahan's status before this session (see
    ``statuses_before``); without it, only the entries' own ``previous:`` count.
    """
    earlier = before or {}
    # HTML comments are reminders for the note-taker (kbik new writes some), not minutes.
    body = _COMMENT.sub("", session.body)
    sections = body_sections(body)
    team_text: dict[int, str] = {}
    for section in sections:
        for number in section.teams:
            team_text.setdefault(number, section.text)
    present = {name_key(name) for name in session.attendees}
    numbers = sorted(
        {team.number for team in config.teams}
        | set(session.absent_teams)
        | {entry.team for entry in session.reported if entry.team is not None}
        | set(team_text)
    )
    absences: dict[int, Absence] = {}
    for absence in session.absent:
        absences.setdefault(absence.team, absence)
    views = [entry_view(e, earlier.get((session.path, e.name))) for e in session.reported]
    entries: dict[int | None, list[EntryView]] = {}
    for view in views:
        entries.setdefault(view.team, []).append(view)
    teams = []
    for number in numbers:
        roster = config.team(number)
        members = roster.members if roster else ()
        teams.append(
            TeamView(
                number=number,
                members=members,
                present=tuple(m for m in members if name_key(m) in present),
                absence=absences.get(number),
                entries=tuple(entries.get(number, ())),
                text=team_text.get(number),
            )
        )
    in_teams = {name_key(m) for team in config.teams for m in team.members}
    shown_above = {name_key(n) for n in (session.facilitator, session.notetaker) if n}
    intro = "" if body.startswith("## ") else body.split("\n## ", 1)[0].strip()
    other_sections = [s for s in sections if not s.teams]
    closing = next((s for s in other_sections if s.title.lower() in _CLOSING), None)
    return SessionView(
        session=session,
        intro=intro,
        teams=tuple(teams),
        sections=tuple(s for s in other_sections if s is not closing and s.text),
        others=tuple(
            name
            for name in session.attendees
            if name_key(name) not in in_teams and name_key(name) not in shown_above
        ),
        unassigned=tuple(entries.get(None, ())),
        parts=team_parts(teams, sections),
        absences=absence_groups(session.absent),
        closing=closing,
        rktl=rktl(session.followups, session.date),
    )


_CLOSING = ("penutup", "closing")


def team_parts(teams: Sequence[TeamView], sections: Sequence[Section]) -> tuple[TeamPart, ...]:
    """The team reports of a session, each said once: a section shared by several
    teams ("## Tim 6 dan 7") is one part; a team with statuses but no section, too."""
    by_number = {team.number: team for team in teams}
    parts: list[TeamPart] = []
    covered: set[int] = set()
    for section in sections:
        numbers = tuple(n for n in section.teams if n not in covered)
        if numbers:
            covered.update(numbers)
            parts.append(_part([by_number[n] for n in numbers if n in by_number], section.text))
    for team in teams:
        if team.number not in covered and team.entries:
            parts.append(_part([team], None))
    parts.sort(key=lambda part: part.numbers)
    # A heading kbik new wrote and nobody filled in has nothing to say: left out.
    return tuple(part for part in parts if part.text or part.entries)


def _part(teams: Sequence[TeamView], text: str | None) -> TeamPart:
    entries = tuple(entry for team in teams for entry in team.entries)
    return TeamPart(
        numbers=tuple(team.number for team in teams),
        # Those who came: a heading names no faskel who stayed away.
        members=tuple(member for team in teams for member in team.present),
        absent=all(team.absence is not None for team in teams),
        entries=entries,
        statuses=status_groups(entries),
        text=text or None,
        notes=tuple(e for e in entries if e.note and not said_in(e.note, text)) if text else (),
    )


_WORD = re.compile(r"[^\W\d]{3,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
SAID_FROM = 2 / 3  # of a note's words the narrative must hold for the note to be said


def said_in(note: str, narrative: str | None) -> bool:
    """Tell whether a team's narrative already says a kelurahan's note: every number of
    the note stands in the narrative, and at least two thirds of its words of three
    letters or more, in any case and as part of a longer word ("ikut" in "mengikuti")."""
    text = (narrative or "").casefold()
    numbers = set(_NUMBER.findall(note))
    if numbers - set(_NUMBER.findall(text)):
        return False
    words = _WORD.findall(note.casefold())
    return sum(word in text for word in words) >= SAID_FROM * len(words)


def status_groups(entries: Iterable[EntryView]) -> tuple[StatusGroup, ...]:
    """Join kelurahan written with the same change (and no figures) into one group,
    in the order they were written: "Opas Indah, Keramat: bermasalah"."""
    groups: list[StatusGroup] = []
    index: dict[tuple[str | None, str, bool], int] = {}
    for entry in entries:
        key = (entry.previous, entry.status, entry.revived)
        if key in index and not entry.figures:
            group = groups[index[key]]
            groups[index[key]] = replace(group, names=(*group.names, entry.shown))
            continue
        if not entry.figures:
            index[key] = len(groups)
        groups.append(
            StatusGroup(
                (entry.shown,),
                entry.previous,
                entry.status,
                entry.revived,
                dict(entry.figures),
            )
        )
    return tuple(groups)


def absence_groups(absences: Iterable[Absence]) -> tuple[AbsenceGroup, ...]:
    """Join teams absent for the same reason with the same hand-over: "Tim 6 dan 7"."""
    groups: dict[tuple[str | None, str | None], list[int]] = {}
    for absence in absences:
        numbers = groups.setdefault((absence.reason, absence.handover), [])
        if absence.team not in numbers:
            numbers.append(absence.team)
    return tuple(
        AbsenceGroup(tuple(numbers), reason, handover)
        for (reason, handover), numbers in groups.items()
    )


def period_facts(source: ReportInput) -> PeriodFacts:
    """Attendance, status changes, staleness and follow-ups over the period."""
    selected, config, period = source.selected, source.config, source.period
    start_rows = {}
    if period.start > dt.date.min:
        before = period.start - dt.timedelta(days=1)
        start_rows = {row.kelurahan: row for row in status_rows(source.reports, config, before)}
    end_rows = source.status
    steps: dict[str, list[Step]] = {}
    for report in source.selected_reports:
        earlier = source.before.get((report.path, report.name))
        previous = prior_status(earlier, report.previous)
        # A first report is no change: the board shows it.
        if previous is not None and previous != report.status:
            steps.setdefault(report.name, []).append(
                Step(previous, report.status, report.date, is_revival(previous, report.status))
            )
    changes = tuple(
        Change(
            row.kelurahan,
            row.team,
            start_rows[row.kelurahan].status if row.kelurahan in start_rows else None,
            row.status,
            tuple(steps.get(row.kelurahan, ())),
        )
        for row in end_rows
        if row.kelurahan in steps
    )
    # Went stale during the period: the day it passed the limit falls inside it.
    weeks = config.stale_after_weeks
    went_stale = tuple(
        row
        for row in end_rows
        if row.stale
        and row.last_reported is not None
        and period.start <= stale_from(row.last_reported, weeks) <= period.end
    )
    states = source.followups
    paths = {session.path for session in selected}
    attendance = tuple(
        TeamAttendance(
            number=team.number,
            sessions=len(selected),
            absences=tuple(
                (s.date, a) for s in selected for a in s.absent if a.team == team.number
            ),
        )
        for team in config.teams
    )
    return PeriodFacts(
        overdue=tuple(s for s in states if s.overdue),
        figure_changes=figure_changes(source.selected_reports, config, source.language),
        attendance=attendance,
        changes=changes,
        went_stale=went_stale,
        unreported=tuple(
            row
            for row in end_rows
            if row.status != FINISHED
            and row.kelurahan not in {r.name for r in source.selected_reports}
        ),
        opened=tuple(s for s in states if s.opened_in in paths),
        closed=tuple(s for s in states if s.closed and period.start <= s.closed <= period.end),
        still_open=tuple(s for s in states if s.is_open),
        rktl_open=rktl(s for s in states if s.is_open),
        rktl_closed=rktl(s for s in states if s.closed and period.start <= s.closed <= period.end),
    )


def figure_changes(
    reports: Iterable[Report], config: Config, language: str
) -> tuple[FigureChange, ...]:
    """Each indicator that changed in the reports, per kelurahan: first → last value."""
    first: dict[tuple[str, str], float] = {}
    last: dict[tuple[str, str], float] = {}
    for report in reports:
        for name, value in report.figures:
            if name in config.indicators:
                first.setdefault((report.name, name), value)
                last[(report.name, name)] = value
    changes = []
    for (kelurahan, name), end in last.items():
        start = first[(kelurahan, name)]
        if start != end:
            indicator = config.indicators[name]
            grade = grade_word(indicator.grade(end), language)
            changes.append(FigureChange(kelurahan, indicator.label, start, end, grade))
    return tuple(changes)


def handover(source: ReportInput, team: int) -> Handover:
    """What concerns one team in the selected sessions, and its open follow-ups."""
    roster = source.config.team(team)
    names = roster.kelurahan if roster else ()
    keys = {name_key(name) for name in names}

    def concerns(followup: Followup) -> bool:
        return followup.team == team or any(name_key(k) in keys for k in followup.kelurahan)

    followups = tuple(
        state for state in source.followups if state.is_open and concerns(state.followup)
    )
    return Handover(
        team=team,
        kelurahan=names,
        absences=tuple((s.date, a) for s in source.selected for a in s.absent if a.team == team),
        entries=tuple(
            entry_view(report, source.before.get((report.path, report.name)))
            for report in source.selected_reports
            if report.team == team or name_key(report.name) in keys
        ),
        followups=followups,
        rktl=rktl(followups),
    )


def _board_row(
    name: str, selected: Sequence[Session], reported: Mapping[tuple[dt.date, str], str | None]
) -> tuple[str, tuple[str | None, ...]]:
    return name, tuple(reported.get((s.date, name)) for s in selected)


def board(selected: Sequence[Session], rows: Sequence[StatusRow]) -> Board:
    """Lay out kelurahan × sessions, in status-table order: every kelurahan, so those no
    session of the period reported show as such, with each absent team's weeks."""
    reported = {(s.date, e.name): e.status for s in selected for e in s.reported}
    cells = {row.kelurahan: _board_row(row.kelurahan, selected, reported) for row in rows}
    teams: dict[int | None, list[tuple[str, tuple[str | None, ...]]]] = {}
    for row in sorted(rows, key=lambda row: (row.team is None, row.team or 0)):
        teams.setdefault(row.team, []).append(cells[row.kelurahan])
    absent = {(s.date, a.team) for s in selected for a in s.absent}
    return Board(
        dates=tuple(s.date for s in selected),
        rows=tuple(cells[row.kelurahan] for row in rows),
        groups=tuple(
            BoardGroup(team, tuple(group), tuple((s.date, team) in absent for s in selected))
            for team, group in teams.items()
        ),
        any_absent=any(team in teams for _, team in absent),
    )


def context(source: ReportInput) -> dict[str, Any]:
    """Build what the report templates receive (documented in the README)."""
    config = source.config
    status = source.status
    views = tuple(session_view(session, config, source.before) for session in source.selected)
    unknown = config.unknown_team(source.for_team) if source.for_team is not None else None
    if unknown:
        raise UsageError(unknown)  # said in the config's language already
    return {
        "config": config,
        "language": source.language,
        "period": source.period,
        "sessions": views,
        "status": status,
        "status_by_name": {row.kelurahan: row for row in status},
        "facts": None if len(views) == 1 else period_facts(source),
        "followups": source.followups,
        "handover": handover(source, source.for_team) if source.for_team is not None else None,
        "board": board(source.selected, status),
        "same": {} if len(views) == 1 else same_throughout(source.selected),
        "statuses": config.statuses,
        "roles": {person.name: person.role for person in config.people if person.role},
        "display": {person.name: person.display for person in config.people if person.display},
        "skipped": source.skipped,
    }


def same_throughout(sessions: Sequence[Session]) -> dict[str, str]:
    """The place, facilitator and note-taker that every session of a period shares, said
    once for the period instead of in each session."""
    same = {}
    for key in ("place", "facilitator", "notetaker"):
        values = {getattr(session, key) for session in sessions}
        if len(values) == 1 and (value := values.pop()):
            same[key] = value
    return same


def template_names(output: str, language: str) -> list[str]:
    """Templates to try, most specific first: report.en.md.j2, then report.md.j2."""
    return [f"report.{language}.{output}.j2", f"report.{output}.j2"]
