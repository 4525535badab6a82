"""The rows of ``kbik list``: a pure selection over sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kbik.config import Config
from kbik.model import Session
from kbik.names import name_key


@dataclass(frozen=True)
class ListFilter:
    """Which sessions ``kbik list`` keeps; None means no limit."""

    since: dt.date | None = None
    until: dt.date | None = None
    team: int | None = None
    kelurahan: str | None = None


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
        rows.append(
            ListRow(session.path, session.date, session.attendees, session.absent_teams, reported)
        )
    return tuple(sorted(rows, key=lambda row: (row.date, row.path)))
