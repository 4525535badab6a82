"""Where each kelurahan stands: pure aggregation of sessions into status rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kbik.config import Config
from kbik.model import KelurahanEntry, Session
from kbik.palette import is_revival

JSON_KEYS = ("kelurahan", "team", "status", "since", "previous", "last_reported", "stale", "note")


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
    note: str | None

    @property
    def revived(self) -> bool:
        """True when the latest change is vakum/terhenti → bergulir."""
        return is_revival(self.previous, self.status)

    def as_dict(self) -> dict[str, object]:
        """Return the JSON shape, dates as ``YYYY-MM-DD``."""
        return {
            "kelurahan": self.kelurahan,
            "team": self.team,
            "status": self.status,
            "since": self.since.isoformat() if self.since else None,
            "previous": self.previous,
            "last_reported": self.last_reported.isoformat() if self.last_reported else None,
            "stale": self.stale,
            "note": self.note,
        }


@dataclass(frozen=True)
class HistoryLine:
    """What one session said about one kelurahan."""

    date: dt.date
    status: str
    note: str | None
    path: str
    team: int | None


@dataclass
class _Track:
    """Running state of one kelurahan while sessions are read in date order."""

    team: int | None = None
    status: str | None = None
    since: dt.date | None = None
    previous: str | None = None
    last: dt.date | None = None
    note: str | None = None

    def add(self, day: dt.date, entry: KelurahanEntry) -> None:
        if entry.status != self.status:
            # An earlier session's status beats what the entry says came before.
            self.previous = self.status if self.status is not None else entry.previous
            self.status = entry.status
            self.since = day
        self.team = entry.team
        self.last = day
        if entry.note:
            self.note = entry.note


def reports(
    sessions: Iterable[Session], as_of: dt.date | None = None
) -> Iterable[tuple[Session, KelurahanEntry]]:
    """Yield every reported entry (status given) of sessions up to ``as_of``, by date."""
    for session in sorted(sessions, key=lambda s: (s.date, s.path)):
        if as_of is not None and session.date > as_of:
            continue
        for entry in session.reported:
            yield session, entry


def status_rows(
    sessions: Sequence[Session], config: Config, as_of: dt.date
) -> tuple[StatusRow, ...]:
    """Return one row per kelurahan (roster and reported), sorted by team then name."""
    tracks: dict[str, _Track] = {
        name: _Track(team=config.roster_team(name)) for name in config.roster_kelurahan
    }
    for session, entry in reports(sessions, as_of):
        tracks.setdefault(entry.name, _Track()).add(session.date, entry)
    limit = dt.timedelta(weeks=config.stale_after_weeks)
    rows = (
        StatusRow(
            kelurahan=name,
            team=track.team,
            status=track.status,
            since=track.since,
            previous=track.previous,
            last_reported=track.last,
            stale=track.last is None or as_of - track.last > limit,
            note=track.note,
        )
        for name, track in tracks.items()
    )
    return tuple(sorted(rows, key=_row_order))


def _row_order(row: StatusRow) -> tuple[int, str]:
    return (row.team if row.team is not None else 1_000_000, row.kelurahan.casefold())


def history(sessions: Sequence[Session], name: str) -> tuple[HistoryLine, ...]:
    """Return every report of one kelurahan (official name), oldest first."""
    return tuple(
        HistoryLine(session.date, entry.status or "", entry.note, session.path, entry.team)
        for session, entry in reports(sessions)
        if entry.name == name
    )


def summary(rows: Iterable[StatusRow]) -> tuple[dict[str, int], int]:
    """Count rows per status (None for never reported) and the stale ones."""
    rows = list(rows)
    counts = Counter(row.status or "-" for row in rows)
    return dict(sorted(counts.items())), sum(row.stale for row in rows)
