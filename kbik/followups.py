"""Follow-up (RKTL) identity across sessions: which are open, which were closed and when."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from kbik.config import Config
from kbik.i18n import message
from kbik.model import Followup, Session
from kbik.names import name_key
from kbik.problems import Problem


@dataclass(frozen=True)
class FollowupState:
    """A follow-up as first written, where it came from, and when it was closed."""

    followup: Followup
    opened_in: str  # path of the session that first listed it
    closed: dt.date | None = None
    closed_in: str | None = None

    __plain_extras__ = ("is_open", "id")

    @property
    def is_open(self) -> bool:
        """True until a session lists it as done."""
        return self.closed is None

    @property
    def id(self) -> str:
        """The follow-up's identity: its own id, else ``<session date>#<n>``."""
        return self.followup.id

    def overdue(self, as_of: dt.date) -> bool:
        """True when still open after its due date."""
        due = self.followup.due
        return self.is_open and due is not None and due < as_of

    def as_dict(self, as_of: dt.date) -> dict[str, object]:
        """Return the JSON shape of ``kbik followups --format json``."""
        f = self.followup
        return {
            "id": f.id,
            "action": f.action,
            "team": f.team,
            "kelurahan": list(f.kelurahan),
            "due": f.due.isoformat() if f.due else None,
            "session": f.session.isoformat(),
            "path": self.opened_in,
            "done": not self.is_open,
            "closed": self.closed.isoformat() if self.closed else None,
            "closed_in": self.closed_in,
            "overdue": self.overdue(as_of),
        }


class _Identity:
    """The identity rule, indexed: which earlier follow-up a listing is, if any.

    A listing with an id is the follow-up first listed with that id (open or
    closed); one without is the oldest *open* follow-up with the same action
    (case and spacing aside) and team.
    """

    def __init__(self, states: list[FollowupState]) -> None:
        self.states = states
        self.by_id: dict[str, int] = {}
        self.open_by_action: dict[tuple[str, int | None], deque[int]] = {}

    def find(self, followup: Followup) -> int | None:
        if followup.explicit_id:
            return self.by_id.get(followup.id)
        waiting = self.open_by_action.get(_action_key(followup), deque())
        while waiting and not self.states[waiting[0]].is_open:
            waiting.popleft()  # closed since it was indexed
        return waiting[0] if waiting else None

    def add(self, state: FollowupState) -> int:
        index = len(self.states)
        self.states.append(state)
        self.by_id.setdefault(state.id, index)
        self.open_by_action.setdefault(_action_key(state.followup), deque()).append(index)
        return index


def _action_key(followup: Followup) -> tuple[str, int | None]:
    return name_key(followup.action), followup.team


def _walk(
    sessions: Iterable[Session], as_of: dt.date | None, states: list[FollowupState]
) -> Iterator[tuple[Session, Followup, bool, FollowupState]]:
    """Follow every listing of a follow-up, in date order, keeping ``states`` current.

    Yields the session, the listing, whether it is the first listing of its follow-up
    (it opens it) or a later one, and the follow-up's state before this listing.
    """
    identity = _Identity(states)
    for session in sorted(sessions, key=lambda s: (s.date, s.path)):
        if as_of is not None and session.date > as_of:
            continue
        for followup in session.followups:
            index = identity.find(followup)
            first = index is None
            if index is None:
                index = identity.add(FollowupState(followup, session.path))
            before = states[index]
            if followup.done and before.is_open:
                closed = followup.done_on or session.date
                states[index] = replace(before, closed=closed, closed_in=session.path)
            yield session, followup, first, before


def track(sessions: Iterable[Session], as_of: dt.date | None = None) -> tuple[FollowupState, ...]:
    """Follow every follow-up through the sessions (up to ``as_of``), oldest first."""
    states: list[FollowupState] = []
    for _ in _walk(sessions, as_of, states):
        pass
    return tuple(states)


def open_followups(
    sessions: Iterable[Session], as_of: dt.date | None = None
) -> tuple[Followup, ...]:
    """Return the follow-ups still open after the sessions up to ``as_of``."""
    return tuple(state.followup for state in track(sessions, as_of) if state.is_open)


def followup_problems(sessions: Iterable[Session], language: str) -> list[Problem]:
    """Warnings about follow-ups across sessions (in a language): closed but never opened,
    closed again (a week copied from an earlier one?), due too early."""
    problems: list[Problem] = []
    for session, followup, first, before in _walk(sessions, None, []):
        if not first:
            if followup.done and before.closed_in not in (None, session.path):
                problems.append(
                    Problem(
                        session.path,
                        "warning",
                        "closed-again",
                        message(
                            language,
                            "follow-up '{id}' was closed already, in {path}: is this week "
                            "copied from that one? List only follow-ups still open",
                            id=followup.id,
                            path=before.closed_in,
                        ),
                        followup.line,
                    )
                )
            continue
        if followup.done:
            problems.append(
                Problem(
                    session.path,
                    "warning",
                    "closed-unopened",
                    message(
                        language,
                        "follow-up '{id}' is marked done, but no earlier session opened it: "
                        "check its id, or its action and team",
                        id=followup.id,
                    ),
                    followup.line,
                )
            )
        elif followup.due is not None and followup.due < session.date:
            problems.append(
                Problem(
                    session.path,
                    "warning",
                    "due-before-session",
                    message(
                        language,
                        "follow-up '{id}' is due {due}, before the session that opens it ({date})",
                        id=followup.id,
                        due=followup.due.isoformat(),
                        date=session.date.isoformat(),
                    ),
                    followup.line,
                )
            )
    return problems


def select(
    states: Iterable[FollowupState],
    config: Config,
    *,
    team: int | None = None,
    kelurahan: str | None = None,
    include_closed: bool = False,
) -> tuple[FollowupState, ...]:
    """The follow-ups ``kbik followups`` shows, oldest first."""
    wanted = config.official(kelurahan) if kelurahan else None
    chosen = [
        state
        for state in states
        if (include_closed or state.is_open)
        and (team is None or state.followup.team == team)
        and (wanted is None or wanted in state.followup.kelurahan)
    ]
    return tuple(sorted(chosen, key=lambda s: (s.followup.session, s.followup.position)))
