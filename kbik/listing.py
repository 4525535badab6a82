"""The rows of ``kbik list``: a pure selection over sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kbik.config import Config
from kbik.errors import UsageError
from kbik.i18n import N_
from kbik.model import Session
from kbik.names import hint, name_key
from kbik.sessions import TOP_KEYS


@dataclass(frozen=True)
class ListFilter:
    """Which sessions ``kbik list`` keeps; None means no limit."""

    since: dt.date | None = None
    until: dt.date | None = None
    team: int | None = None
    kelurahan: str | None = None
    where: tuple[tuple[str, str], ...] = ()  # (front-matter key, value) pairs, all must match


@dataclass(frozen=True)
class ListRow:
    """One session as listed."""

    path: str
    date: dt.date
    attendees: tuple[str, ...]
    absent_teams: tuple[int, ...]
    kelurahan: Mapping[str, str]  # official name -> status, reported entries only

    def as_dict(self) -> dict[str, object]:
        """Return the JSON shape of ``kbik list --format json``."""
        return {
            "path": self.path,
            "date": self.date.isoformat(),
            "attendees": list(self.attendees),
            "absent_teams": list(self.absent_teams),
            "kelurahan": dict(self.kelurahan),
        }


def involves_team(session: Session, config: Config, team: int) -> bool:
    """Tell whether a team attended, was absent, or reported a kelurahan in a session."""
    if team in session.absent_teams:
        return True
    if any(entry.team == team for entry in session.reported):
        return True
    roster = config.team(team)
    members = {name_key(member) for member in roster.members} if roster else set()
    return any(name_key(name) in members for name in session.attendees)


def listing_rows(
    sessions: Sequence[Session], config: Config, selection: ListFilter
) -> tuple[ListRow, ...]:
    """Return the listed sessions, oldest first."""
    wanted = config.official(selection.kelurahan) if selection.kelurahan else None
    rows = []
    for session in sessions:
        if selection.since and session.date < selection.since:
            continue
        if selection.until and session.date > selection.until:
            continue
        if selection.team is not None and not involves_team(session, config, selection.team):
            continue
        reported = {entry.name: entry.status or "" for entry in session.reported}
        if wanted is not None and wanted not in reported:
            continue
        if not all(matches(session, config, key, value) for key, value in selection.where):
            continue
        rows.append(
            ListRow(session.path, session.date, session.attendees, session.absent_teams, reported)
        )
    return tuple(sorted(rows, key=lambda row: (row.date, row.path)))


WHERE_KEYS = (*TOP_KEYS, "kelurahan.<name>")


def check_where(key: str) -> None:
    """Refuse a --where key that is no front-matter key."""
    if key not in TOP_KEYS and not key.startswith("kelurahan."):
        raise UsageError(
            N_("--where: unknown key '{key}'{hint}; keys: {keys}"),
            key=key,
            hint=hint(key, TOP_KEYS),
            keys=", ".join(WHERE_KEYS),
        )


def matches(session: Session, config: Config, key: str, value: str) -> bool:
    """Tell whether a session's front matter has ``value`` under ``key``.

    Text compares without regard to case or extra spaces; a list matches when one
    of its items does; ``kelurahan=NAME`` matches a session that reports NAME and
    ``kelurahan.NAME=WORD`` one that reports NAME with that status.
    """
    wanted = name_key(value)
    if key.startswith("kelurahan."):
        name = config.official(key.removeprefix("kelurahan."))
        return any(e.name == name and e.status == wanted for e in session.reported)
    if key == "kelurahan":
        return config.official(value) in {entry.name for entry in session.reported}
    if key == "date":
        return session.date.isoformat() == value.strip()
    if key == "absent":
        return any(str(team) == value.strip() for team in session.absent_teams)
    if key == "followups":
        return any(wanted in (name_key(f.id), name_key(f.action)) for f in session.followups)
    found = getattr(session, key)
    values = found if isinstance(found, tuple) else (found,)
    return any(item is not None and name_key(str(item)) == wanted for item in values)
