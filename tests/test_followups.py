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


def test_problems_across_sessions_in_full() -> None:
    from kbik.followups import followup_problems
    from kbik.problems import Problem

    a, b = D(2016, 5, 11), D(2016, 5, 18)
    sessions = [
        session(a, fu(a, 1, "Sosialisasi", due=D(2016, 5, 11), line=9)),  # due that day: fine
        session(a, fu(a, 2, "Penagihan", due=D(2016, 5, 10), line=12)),
        session(b, fu(b, 1, "Belum pernah dibuka", done=True, line=7)),
    ]
    assert followup_problems(sessions, "en") == [
        Problem(
            "meetings/2016-05-11.md",
            "warning",
            "due-before-session",
            "follow-up '2016-05-11#2' is due 2016-05-10, before the session that opens it "
            "(2016-05-11)",
            12,
        ),
        Problem(
            "meetings/2016-05-18.md",
            "warning",
            "closed-unopened",
            "follow-up '2016-05-18#1' is marked done, but no earlier session opened it: "
            "check its id, or its action and team",
            7,
        ),
    ]


def test_a_session_on_the_as_of_date_counts() -> None:
    a, b = D(2016, 5, 4), D(2016, 5, 11)
    sessions = [
        session(a, fu(a, 1, "Penagihan")),
        session(b, fu(b, 1, "Penagihan", done=True)),
    ]
    [state] = track(sessions, as_of=b)
    assert state.closed == b
    [state] = track(sessions, as_of=b - dt.timedelta(days=1))
    assert state.is_open


def test_select_keeps_open_ones_unless_asked(tmp_path) -> None:
    from kbik.config import Config
    from kbik.followups import select

    a, b = D(2016, 5, 4), D(2016, 5, 11)
    sessions = [
        session(a, fu(a, 1, "Penagihan"), fu(a, 2, "Sosialisasi", team=3)),
        session(b, fu(b, 1, "Penagihan", done=True)),
    ]
    config = Config(root=tmp_path)
    states = track(sessions)
    assert [s.id for s in select(states, config)] == ["2016-05-04#2"]
    assert [s.id for s in select(states, config, include_closed=True)] == [
        "2016-05-04#1",
        "2016-05-04#2",
    ]
    assert [s.id for s in select(states, config, team=3, include_closed=True)] == ["2016-05-04#2"]


def test_json_shape_without_a_due_date() -> None:
    a = D(2016, 5, 4)
    [state] = track([session(a, fu(a, 1, "Penagihan", kelurahan=("Keramat",)))])
    assert state.as_dict(D(2016, 5, 5)) == {
        "id": "2016-05-04#1",
        "action": "Penagihan",
        "team": 2,
        "kelurahan": ["Keramat"],
        "due": None,
        "session": "2016-05-04",
        "path": "meetings/2016-05-04.md",
        "done": False,
        "closed": None,
        "closed_in": None,
        "overdue": False,
    }
