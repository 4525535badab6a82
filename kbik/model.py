"""The data model: sessions and their parts (problems found in files: ``kbik.problems``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from kbik.problems import Problem


@dataclass(frozen=True)
class Absence:
    """A team that did not attend, why, and who passes the results on."""

    team: int
    reason: str | None = None
    handover: str | None = None


@dataclass(frozen=True)
class KelurahanEntry:
    """What a session says about one kelurahan; ``status`` None means not discussed."""

    name: str  # official name, aliases resolved
    written: str  # the name as written in the file
    status: str | None = None
    previous: str | None = None
    note: str | None = None
    team: int | None = None  # as written in the entry, else from the roster
    figures: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Followup:
    """One action of a session's follow-up plan (RKTL)."""

    id: str  # as written, else "<session date>#<position>"
    action: str
    session: dt.date
    position: int  # 1-based place in the session's list
    team: int | None = None
    kelurahan: tuple[str, ...] = ()
    due: dt.date | None = None
    done: bool = False
    done_on: dt.date | None = None
    explicit_id: bool = False
    line: int | None = None  # where it stands in its file


@dataclass(frozen=True)
class Section:
    """A ``## heading`` of a session body, with the teams of ``## Tim N`` or ``## Tim 6 dan 7``."""

    title: str
    text: str
    teams: tuple[int, ...] = ()


@dataclass(frozen=True)
class Session:
    """One KBIK session, as read from its file."""

    path: str  # relative to the workspace, with / separators
    date: dt.date
    attendees: tuple[str, ...] = ()
    absent: tuple[Absence, ...] = ()
    kelurahan: tuple[KelurahanEntry, ...] = ()
    followups: tuple[Followup, ...] = ()
    topics: tuple[str, ...] = ()
    title: str | None = None
    place: str | None = None
    facilitator: str | None = None
    notetaker: str | None = None
    note: str | None = None  # about the whole session
    body: str = ""  # empty when loaded from a catalogue; see Workspace.with_bodies

    __plain_extras__ = ("reported", "absent_teams")

    @property
    def reported(self) -> tuple[KelurahanEntry, ...]:
        """Entries that carry a status; empty ones were not discussed."""
        return tuple(entry for entry in self.kelurahan if entry.status is not None)

    @property
    def absent_teams(self) -> tuple[int, ...]:
        """Numbers of the absent teams, in file order."""
        return tuple(absence.team for absence in self.absent)


@dataclass(frozen=True)
class Loaded:
    """One file's outcome: its session (None when invalid) and its problems."""

    path: str
    session: Session | None
    problems: tuple[Problem, ...]
    date_line: int | None = None  # where 'date' stands, for problems across files
