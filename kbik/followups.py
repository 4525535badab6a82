"""Follow-up (RKTL) identity across sessions: which are open, which were closed and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kbik.model import Followup, Session
from kbik.names import name_key


@dataclass(frozen=True)
class FollowupState:
    """A follow-up as first written, where it came from, and when it was closed."""

    followup: Followup
    opened_in: str  # path of the session that first listed it
    closed: dt.date | None = None
    closed_in: str | None = None

    @property
    def is_open(self) -> bool:
        """True until a session lists it as done."""
        return self.closed is None

    @property
    def id(self) -> str:
        """The follow-up's identity: its own id, else ``<session date>#<n>``."""
        return self.followup.id


def _same(state: FollowupState, followup: Followup) -> bool:
    """Tell whether a later listing is the same follow-up, by the identity rule."""
    if followup.explicit_id:
        return state.id == followup.id
    return (
        state.is_open
        and name_key(state.followup.action) == name_key(followup.action)
        and state.followup.team == followup.team
    )


def track(sessions: Iterable[Session], as_of: dt.date | None = None) -> tuple[FollowupState, ...]:
    """Follow every follow-up through the sessions (up to ``as_of``), oldest first."""
    states: list[FollowupState] = []
    for session in sorted(sessions, key=lambda s: (s.date, s.path)):
        if as_of is not None and session.date > as_of:
            continue
        for followup in session.followups:
            index = next((i for i, s in enumerate(states) if _same(s, followup)), None)
            if index is None:
                states.append(FollowupState(followup, session.path))
                index = len(states) - 1
            if followup.done and states[index].is_open:
                closed = followup.done_on or session.date
                states[index] = replace(states[index], closed=closed, closed_in=session.path)
    return tuple(states)


def open_followups(
    sessions: Iterable[Session], as_of: dt.date | None = None
) -> tuple[Followup, ...]:
    """Return the follow-ups still open after the sessions up to ``as_of``."""
    return tuple(state.followup for state in track(sessions, as_of) if state.is_open)
