"""The follow-up identity rule across sessions."""

from __future__ import annotations

import datetime as dt

from kbik.followups import open_followups, track
from kbik.model import Followup, Session

D = dt.date


def fu(day: dt.date, n: int, action: str, team: int | None = 2, **extra: object) -> Followup:
    explicit = extra.pop("id", None)
    return Followup(
        id=str(explicit) if explicit else f"{day}#{n}",
        action=action,
        session=day,
        position=n,
        team=team,
        explicit_id=explicit is not None,
        **extra,
    )  # type: ignore[arg-type]


def session(day: dt.date, *followups: Followup) -> Session:
    return Session(path=f"meetings/{day}.md", date=day, followups=followups)


def test_closed_by_id_written_later() -> None:
    first = D(2016, 5, 4)
    sessions = [
        session(first, fu(first, 1, "Identifikasi")),
        session(
            D(2016, 5, 11),
            fu(D(2016, 5, 11), 1, "Identifikasi (ditulis ulang)", id="2016-05-04#1", done=True),
        ),
    ]
    [state] = track(sessions)
    assert (state.id, state.closed, state.closed_in) == (
        "2016-05-04#1",
        D(2016, 5, 11),
        "meetings/2016-05-11.md",
    )


def test_closed_by_same_action_and_team_with_a_date() -> None:
    a, b = D(2016, 5, 4), D(2016, 5, 11)
    sessions = [
        session(a, fu(a, 1, "Penagihan")),
        session(b, fu(b, 1, "penagihan ", done=True, done_on=D(2016, 5, 9))),
    ]
    [state] = track(sessions)
    assert state.closed == D(2016, 5, 9)


def test_same_action_other_team_is_another_followup() -> None:
    a, b = D(2016, 5, 4), D(2016, 5, 11)
    sessions = [
        session(a, fu(a, 1, "Penagihan", team=2)),
        session(b, fu(b, 1, "Penagihan", team=3, done=True)),
    ]
    states = track(sessions)
    assert [(s.id, s.is_open) for s in states] == [("2016-05-04#1", True), ("2016-05-11#1", False)]


def test_carried_forward_copy_is_not_a_new_followup() -> None:
    a, b, c = D(2016, 5, 4), D(2016, 5, 11), D(2016, 5, 18)
    sessions = [
        session(a, fu(a, 1, "Penagihan")),
        session(b, fu(b, 1, "Penagihan", id="2016-05-04#1")),
        session(c, fu(c, 1, "Penagihan", id="2016-05-04#1", done=True)),
    ]
    [state] = track(sessions)
    assert state.opened_in == "meetings/2016-05-04.md" and state.closed == c
    assert open_followups(sessions, as_of=b) == (sessions[0].followups[0],)
    assert open_followups(sessions) == ()
