"""The file ``kbik new`` writes: this week's session, carrying last week forward."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kbik.config import Config
from kbik.dates import holiday_name, last_weekday, next_weekday
from kbik.documents import MAX_BYTES, parse_document
from kbik.editor import EditorError, editor_command
from kbik.errors import ConfigError, InvalidSessions, NothingToDo
from kbik.followups import open_followups
from kbik.i18n import N_, message, plural
from kbik.model import Session
from kbik.sessions import build_session, not_meeting_day
from kbik.status import StatusRow, session_reports, status_rows
from kbik.templating import environment, render
from kbik.workspace import Catalogue

TEMPLATE = "session.md.j2"


@dataclass(frozen=True)
class Plan:
    """What ``kbik new`` will write, and what it should warn about."""

    date: dt.date
    path: Path
    warnings: tuple[str, ...]


def default_date(today: dt.date, config: Config, taken: Collection[dt.date] = ()) -> dt.date:
    """The meeting day a new session is for: the latest one without a session when it is
    at most six days back (`kbik new` typed on Thursday, for Wednesday's meeting), else
    the next meeting day on or after today."""
    latest = last_weekday(today, config.meeting_day)
    if latest != today and latest not in taken:  # at most six days back, by definition
        return latest
    return next_weekday(today, config.meeting_day)


def plan(
    root: Path,
    config: Config,
    catalogue: Catalogue,
    day: dt.date,
    invalid: Sequence[tuple[str, dt.date | None]],
) -> Plan:
    """Decide the new file's path; refuse when that date already has a session (or a
    file meant for it), or the last session before it is invalid. ``invalid``: the
    catalogue's invalid files with the dates they were meant for."""
    blocked = catalogue.unreadable()
    if blocked:
        raise NothingToDo(
            message(
                config.language,
                "cannot read all of the workspace ({paths}): a session for {date} may be "
                "there already; fix that first (see 'kbik validate')",
                paths=", ".join(blocked),
                date=day.isoformat(),
            )
        )
    path = root / "meetings" / f"{day.isoformat()}.md"
    # The file of that name (a link out of the workspace or a pipe, when no session),
    # else a session of that date, else a file meant for it that is no valid session.
    held = [session.path for session in catalogue.sessions if session.date == day]
    held += sorted(name for name, meant in invalid if meant == day)
    existing = path.relative_to(root).as_posix() if path.exists() else next(iter(held), None)
    if existing is not None:
        raise NothingToDo(
            message(
                config.language,
                "a session for {date} exists already: {path}; kbik new never overwrites a "
                "session. Open it in your editor ({editor} {path}), or give another date "
                "with --date",
                date=day.isoformat(),
                path=existing,
                editor=_editor(),
            )
        )
    # Last week's file invalid: this week would lose its follow-ups and standings.
    latest = max((s.date for s in catalogue.sessions if s.date < day), default=None)
    newer = sorted(
        path
        for path, meant in invalid
        if meant is not None and meant < day and (latest is None or meant >= latest)
    )
    if newer:
        raise InvalidSessions(
            plural(
                config.language,
                "{paths} is not valid, and would be the last session before {date}: fix it "
                "first, so that the new file carries its follow-ups and standings (see 'kbik "
                "validate {first}')",
                "{paths} are not valid, and would be the last session before {date}: fix "
                "them first, so that the new file carries its follow-ups and standings (see "
                "'kbik validate {first}')",
                len(newer),
                paths=", ".join(newer),
                date=day.isoformat(),
                first=newer[0],
            )
        )
    other_day = not_meeting_day(day, config)
    warnings = [other_day] if other_day else []
    holiday = holiday_name(day)
    if holiday:
        warnings.append(
            message(
                config.language,
                "{date} is a public holiday in Indonesia: {holiday}",
                date=day.isoformat(),
                holiday=holiday,
            )
        )
    return Plan(day, path, tuple(warnings))


def _editor() -> str:
    """The editor kbik new --edit would run, as the user would type it."""
    try:
        return shlex.join(editor_command())
    except EditorError:
        return "$EDITOR"


def context(config: Config, sessions: Sequence[Session], day: dt.date) -> dict[str, Any]:
    """Build what session.md.j2 receives (documented in the README)."""
    earlier = sorted((s for s in sessions if s.date < day), key=lambda s: (s.date, s.path))
    last = earlier[-1] if earlier else None
    rows = status_rows(session_reports(earlier), config, day)
    reported_or_roster: dict[str, StatusRow] = {row.kelurahan: row for row in rows}
    return {
        "date": day.isoformat(),
        "config": config,
        "title": config.group,
        # Where the group met and who guided and wrote last week: the same, mostly.
        "place": last.place if last else None,
        "facilitator": last.facilitator if last else None,
        "notetaker": last.notetaker if last else None,
        "attendees": list(config.roster_people),
        "teams": [
            {
                "number": team.number,
                "members": list(team.members),
                "kelurahan": list(team.kelurahan),
            }
            for team in config.teams
        ],
        "kelurahan": reported_or_roster,
        "followups": list(open_followups(earlier)),
        "language": config.language,
        "example": _example(config, day),
    }


def _example(config: Config, day: dt.date) -> dict[str, Any]:
    """Names for the scaffold's examples, from the workspace's own roster."""
    kelurahan = next(iter(config.roster_kelurahan), "Keramat")
    people = [person.name for person in config.people] or list(config.roster_people)
    return {
        "kelurahan": kelurahan,
        "team": config.roster_team(kelurahan) or 1,
        "absent_team": config.teams[-1].number if config.teams else 6,
        "due": day + dt.timedelta(days=7) if day <= dt.date.max - dt.timedelta(days=7) else day,
        "person": next(iter(people), "Iwan"),
    }


def render_session(root: Path, config: Config, ctx: dict[str, Any]) -> str:
    """Render the new session file's text; refuse text that ``kbik validate`` would reject."""
    env = environment(root, config.language, config.indicators, config.figures)
    text = render(env, [TEMPLATE], ctx)
    check_scaffold(text, config, ctx["date"])
    return text


def check_scaffold(text: str, config: Config, day: str) -> None:
    """Raise ConfigError when the new file would be an invalid session."""

    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise ConfigError(
            N_(
                "the session for {date} would be {size} bytes, over the 1 MiB a session file "
                "may be: the roster in kbik.toml is too large for one weekly file; nothing was "
                "written"
            ),
            date=day,
            size=f"{size:,}",
        )
    name = f"meetings/{day}.md"
    _, problems = build_session(parse_document(text.encode("utf-8"), name, config.language), config)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise ConfigError(
            N_(
                "{template} makes a session that 'kbik validate' rejects ({problem}); nothing "
                "was written"
            ),
            template=TEMPLATE,
            problem=errors[0].format(),
        )
