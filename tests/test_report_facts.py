"""What a period report and a team's hand-over hold, as pure functions of sessions.

One small history, built by hand: a month of sessions around the period 5–18 May 2016,
with a kelurahan going stale on the period's first day and another on its last, a
follow-up closed on each of those days, and a team absent once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from kbik.config import Config, Team
from kbik.errors import InvalidSessions, NothingToDo, UsageError
from kbik.model import Absence, Followup, KelurahanEntry, Session
from kbik.report import (
    Period,
    ReportInput,
    Selection,
    board,
    context,
    handover,
    period_facts,
    rktl,
    said_in,
    select,
    session_view,
    unfilled,
)
from kbik.status import session_reports, status_rows

D = dt.date
CONFIG = Config(
    root=Path("."),
    stale_after_weeks=4,
    teams=(
        Team(1, ("Yuri",), ("Tua Tunu Indah", "Bukit Sari")),
        Team(4, ("Indah",), ("Air Salemba", "Air Itam", "Bacang")),
    ),
)
PERIOD = Period(D(2016, 5, 5), D(2016, 5, 18))


def entry(
    name: str, status: str | None, team: int | None, previous: str | None = None
) -> KelurahanEntry:
    return KelurahanEntry(name, name, status, previous, team=team)


def followup(
    id: str,
    action: str,
    day: dt.date,
    team: int | None,
    *kelurahan: str,
    due: dt.date | None = None,
    done_on: dt.date | None = None,
    done: bool = False,
) -> Followup:
    return Followup(id, action, day, 1, team, kelurahan, due, done, done_on, explicit_id=True)


def session(day: dt.date, *entries: KelurahanEntry, **parts: object) -> Session:
    return Session(f"meetings/{day}.md", day, kelurahan=entries, **parts)  # type: ignore[arg-type]


C = D(2016, 5, 4)  # the day before the period
MAY_11, MAY_18 = D(2016, 5, 11), D(2016, 5, 18)
SESSIONS = (
    # Last reports 29 days before the period's first and last days: stale from those days.
    session(D(2016, 4, 6), entry("Air Itam", "bergulir", 4)),
    session(D(2016, 4, 19), entry("Bacang", "bergulir", 4)),
    session(
        C,
        entry("Tua Tunu Indah", "vakum", 1),
        entry("Air Salemba", "terhenti", 4),
        followups=(
            followup("f1", "Kunjungi PWK", C, 1, "Tua Tunu Indah", due=D(2016, 5, 10)),
            followup("f2", "Tagih angsuran", C, None, "Air Salemba"),
            followup("f3", "Rapat BKM", C, 1),
        ),
    ),
    session(
        MAY_11,
        entry("Tua Tunu Indah", "persiapan", 1),
        # No team written: the hand-over finds it by the roster.
        entry("Air Salemba", "bergulir", None),
        entry("Bukit Sari", "persiapan", 1, previous="vakum"),
        # On no roster: the hand-over finds it by the team written.
        entry("Kampung Baru", "persiapan", 4, previous="vakum"),
        absent=(Absence(4, "jarak"),),
        followups=(
            followup("f3", "Rapat BKM", MAY_11, 1, done=True, done_on=PERIOD.start),
            followup("f4", "Susun laporan", MAY_11, 4, due=D(2016, 6, 1)),
            followup("f5", "Cek buku kas", MAY_11, 1),
        ),
    ),
    session(
        MAY_18,
        entry("Tua Tunu Indah", "persiapan", 1),
        entry("Air Salemba", None, 4),
        followups=(followup("f5", "Cek buku kas", MAY_18, 1, done=True),),
    ),
)


def source(period: Period = PERIOD) -> ReportInput:
    selected = tuple(s for s in SESSIONS if period.start <= s.date <= period.end)
    return ReportInput(CONFIG, SESSIONS, selected, period, "id")


def ids(items) -> list[str]:
    return [item.followup.id for item in items]


def test_a_change_runs_from_the_status_the_day_before_the_period() -> None:
    changes = {change.kelurahan: change for change in period_facts(source()).changes}
    tua_tunu = changes["Tua Tunu Indah"]
    assert (tua_tunu.team, tua_tunu.start, tua_tunu.end) == (1, "vakum", "persiapan")
    assert [(s.before, s.after, s.date, s.revived) for s in tua_tunu.steps] == [
        ("vakum", "persiapan", MAY_11, False)
    ]
    assert [(s.before, s.after, s.revived) for s in changes["Air Salemba"].steps] == [
        ("terhenti", "bergulir", True)
    ]


def test_a_first_report_changes_from_the_previous_it_writes() -> None:
    changes = {change.kelurahan: change for change in period_facts(source()).changes}
    assert [(s.before, s.after) for s in changes["Bukit Sari"].steps] == [("vakum", "persiapan")]
    # Known to no session before the period, nor to the roster: it starts from nothing.
    assert changes["Kampung Baru"].start is None
    assert set(changes) == {"Tua Tunu Indah", "Air Salemba", "Bukit Sari", "Kampung Baru"}


def test_a_session_on_the_period_s_first_day_is_a_change_within_it() -> None:
    changes = {c.kelurahan: c for c in period_facts(source(Period(MAY_11, MAY_18))).changes}
    assert (changes["Tua Tunu Indah"].start, changes["Tua Tunu Indah"].end) == (
        "vakum",
        "persiapan",
    )


def test_a_period_from_the_first_day_there_is_has_no_start_status() -> None:
    facts = period_facts(source(Period(dt.date.min, MAY_18)))
    assert {change.kelurahan: change.start for change in facts.changes}["Tua Tunu Indah"] is None


def test_going_stale_counts_on_the_period_s_first_and_last_days() -> None:
    facts = period_facts(source())
    assert [row.kelurahan for row in facts.went_stale] == ["Air Itam", "Bacang"]
    assert [row.kelurahan for row in facts.unreported] == ["Air Itam", "Bacang"]


def test_attendance_counts_the_period_s_sessions_and_each_team_s_absences() -> None:
    attendance = {a.number: a for a in period_facts(source()).attendance}
    assert (attendance[1].sessions, attendance[1].absences) == (2, ())
    assert (attendance[4].sessions, attendance[4].absences) == (
        2,
        ((MAY_11, Absence(4, "jarak")),),
    )


def test_follow_ups_opened_closed_open_and_overdue_over_the_period() -> None:
    facts = period_facts(source())
    assert ids(facts.opened) == ["f4", "f5"]
    # Closed on the period's first day (done_on) and on its last (the session's date).
    assert ids(facts.closed) == ["f3", "f5"]
    assert ids(facts.still_open) == ["f1", "f2", "f4"]
    assert ids(facts.overdue) == ["f1"]
    assert [line.action for line in facts.rktl_open] == [
        "Kunjungi PWK",
        "Tagih angsuran",
        "Susun laporan",
    ]
    assert [(line.action, line.closed) for line in facts.rktl_closed] == [
        ("Rapat BKM", PERIOD.start),
        ("Cek buku kas", MAY_18),
    ]


def test_a_handover_holds_what_concerns_the_team_by_number_or_by_roster() -> None:
    team = handover(source(), 4)
    assert team.kelurahan == ("Air Salemba", "Air Itam", "Bacang")
    assert team.absences == ((MAY_11, Absence(4, "jarak")),)
    # Open ones only: f2 names a kelurahan of the team, f4 the team itself.
    assert ids(team.followups) == ["f2", "f4"]
    assert [line.action for line in team.rktl] == ["Tagih angsuran", "Susun laporan"]
    entries = {view.name: view for view in team.entries}
    assert list(entries) == ["Air Salemba", "Kampung Baru"]
    # The status before comes from the earlier session, which the entry does not say.
    assert (entries["Air Salemba"].previous, entries["Air Salemba"].revived) == (
        "terhenti",
        True,
    )


def test_a_team_off_the_roster_gets_only_what_names_its_number() -> None:
    team = handover(source(), 9)
    assert (team.kelurahan, team.followups, team.entries) == ((), (), ())


# -- one session as the report shows it ------------------------------------------------

SCAFFOLD = "## Tim 1\n<!-- Tulis laporan tim 1 di sini. -->\n\n## Penutup\n"
CARRIED = Followup("2016-05-11#1", "Tagih angsuran", MAY_18, 1, (), explicit_id=True)


def test_a_session_as_kbik_new_left_it_is_unfilled() -> None:
    assert unfilled(session(MAY_18, body=SCAFFOLD, followups=(CARRIED,)))


@pytest.mark.parametrize(
    "parts",
    [
        {"body": SCAFFOLD + "Semua tim hadir.\n"},
        {"body": SCAFFOLD, "topics": ("Pembukuan",)},
        {"body": SCAFFOLD, "reported": entry("Bacang", "bergulir", 4)},
        # A carried follow-up closed, or one written new (no id of an earlier week).
        {"body": SCAFFOLD, "followups": (replace(CARRIED, done=True),)},
        {"body": SCAFFOLD, "followups": (replace(CARRIED, id="2016-05-18#1", explicit_id=False),)},
    ],
)
def test_anything_written_makes_a_session_filled(parts: dict[str, object]) -> None:
    written = {key: value for key, value in parts.items() if key != "reported"}
    reported = parts.get("reported")
    entries = (reported,) if isinstance(reported, KelurahanEntry) else ()
    assert not unfilled(session(MAY_18, *entries, **written))


BODY = (
    "Pembukaan oleh TA.\n"
    "## Tim 1\nTua Tunu Indah mulai lagi.\n"
    "## Tim 6 dan 7\nBersama ke Bacang.\n"
    "## Tim 10\nHanya di teks.\n"
)


def test_every_team_a_session_names_has_its_part() -> None:
    view = session_view(
        session(
            MAY_18,
            entry("Tua Tunu Indah", "persiapan", 1),
            entry("Kampung Baru", "bergulir", 9),
            entry("Air Baru", "vakum", None),
            absent=(Absence(8, "sakit"),),
            attendees=("Yuri",),
            body=BODY,
        ),
        CONFIG,
    )
    teams = {team.number: team for team in view.teams}
    # The roster's, the absent, those of an entry, those of a heading.
    assert sorted(teams) == [1, 4, 6, 7, 8, 9, 10]
    assert (teams[1].members, teams[1].present) == (("Yuri",), ("Yuri",))
    assert teams[9].members == ()
    assert teams[1].text == "Tua Tunu Indah mulai lagi."
    assert teams[6].text == teams[7].text == "Bersama ke Bacang."
    assert teams[4].text is None
    assert view.intro == "Pembukaan oleh TA."
    assert [e.name for e in view.unassigned] == ["Air Baru"]
    assert view.date == MAY_18  # a session's fields, as templates write them
    with pytest.raises(AttributeError, match="nothing_here"):
        view.nothing_here  # noqa: B018


def test_a_note_is_checked_against_a_narrative_only_where_there_is_one() -> None:
    noted = KelurahanEntry("Bacang", "Bacang", "bergulir", team=4, note="Rapat ulang")
    view = session_view(session(MAY_18, noted), CONFIG)
    (part,) = view.parts
    assert (part.numbers, part.text, part.notes) == ((4,), None, ())


def test_two_thirds_of_a_note_s_words_say_it() -> None:
    assert said_in("rapat ulang minggu", "Ada rapat minggu depan")
    assert not said_in("rapat ulang minggu depan", "Ada rapat minggu ini")
    # No narrative says no note, whatever its words.
    assert not any(said_in(note, None) for note in ("abc", "xxx", "Rapat ulang"))


def test_the_board_lists_teams_in_order_and_the_team_less_last() -> None:
    rows = status_rows(session_reports(SESSIONS), CONFIG, MAY_18)
    unordered = sorted(rows, key=lambda row: -(row.team or 0))
    teams = [group.team for group in board(SESSIONS[-2:], unordered).groups]
    assert teams == [1, 4, None]


def test_the_context_refuses_a_team_off_the_roster_and_names_its_parts() -> None:
    with pytest.raises(UsageError, match="9"):
        context(replace(source(), for_team=9))
    made = context(source())
    assert made["status_by_name"]["Bacang"].status == "bergulir"
    assert ids(made["followups"]) == ["f1", "f2", "f3", "f4", "f5"]


# -- choosing the sessions -------------------------------------------------------------


@pytest.mark.parametrize("text", ["2016-00", "2016-13", "0000-05", "2016-5", "Mei 2016"])
def test_a_month_is_a_real_one_written_yyyy_mm(text: str) -> None:
    with pytest.raises(UsageError) as raised:
        select(SESSIONS, Selection(month=text))
    assert str(raised.value) == f"--month takes YYYY-MM, not '{text}'"


def test_a_month_runs_from_its_first_day_to_its_last() -> None:
    assert select(SESSIONS, Selection(date=MAY_18))[1] == Period(MAY_18, MAY_18)
    with pytest.raises(NothingToDo):
        select(SESSIONS, Selection(month="0001-12"))  # the first year there is: no error
    with pytest.raises(NothingToDo, match="2016-12-01 and 2016-12-31"):
        select(SESSIONS, Selection(month=" 2016-12 "))
    chosen, period = select(SESSIONS, Selection(month=" 2016-05 "))
    assert period == Period(D(2016, 5, 1), D(2016, 5, 31), "2016-05")
    assert [s.date for s in chosen] == [C, MAY_11, MAY_18]


def test_an_empty_period_names_the_nearest_sessions_on_both_sides() -> None:
    with pytest.raises(NothingToDo) as raised:
        select(SESSIONS, Selection(since=D(2016, 5, 12), until=D(2016, 5, 17)), language="en")
    assert str(raised.value) == (
        "no session between 2016-05-12 and 2016-05-17; the nearest: 2016-05-11 (before), "
        "2016-05-18 (after) (kbik list shows them all)"
    )


def test_invalid_files_of_the_period_are_named_before_anything_is_reported() -> None:
    invalid = [("meetings/a.md", MAY_11), ("meetings/b.md", MAY_18), ("meetings/c.md", None)]
    with pytest.raises(InvalidSessions) as raised:
        select(SESSIONS, Selection(month="2016-05"), invalid, "en")
    assert str(raised.value) == (
        "meetings/a.md, meetings/b.md are not valid, and would be a session of this period: "
        "fix them first (see 'kbik validate meetings/a.md')"
    )
    with pytest.raises(InvalidSessions) as raised:
        select(SESSIONS, Selection(), invalid[1:], "en")
    assert str(raised.value) == (
        "meetings/b.md is not valid, and would be the latest session: fix it first "
        "(see 'kbik validate meetings/b.md')"
    )


def test_the_rktl_says_each_line_done_or_overdue() -> None:
    due = followup("a", "Kunjungi PWK", MAY_18, 1, due=D(2016, 5, 17))
    today = followup("b", "Tagih angsuran", MAY_18, 4, due=MAY_18)
    done = followup("c", "Rapat BKM", MAY_18, 1, due=D(2016, 5, 1), done=True)
    assert [
        (line.action, line.overdue, line.done) for line in rktl([due, today, done], MAY_18)
    ] == [
        ("Kunjungi PWK", True, False),
        ("Tagih angsuran", False, False),  # due on the session's own day: not yet overdue
        ("Rapat BKM", False, True),
    ]
    # Over a period, as each follow-up stands at its end.
    assert [line.overdue for line in period_facts(source()).rktl_open] == [True, False, False]


@pytest.mark.parametrize(
    ("choice", "said"),
    [
        (
            Selection(date=MAY_11, since=C),
            "--date cannot be combined with --since, --until or --month",
        ),
        (
            Selection(date=MAY_11, until=C),
            "--date cannot be combined with --since, --until or --month",
        ),
        (Selection(month="2016-05", since=C), "--month cannot be combined with --since or --until"),
        (Selection(month="2016-05", until=C), "--month cannot be combined with --since or --until"),
    ],
)
def test_one_way_of_choosing_at_a_time(choice: Selection, said: str) -> None:
    with pytest.raises(UsageError) as raised:
        select(SESSIONS, choice)
    assert str(raised.value) == said


def test_since_and_until_run_from_the_first_session_to_the_last_or_today() -> None:
    chosen, period = select(SESSIONS, Selection(since=C))
    assert period == Period(C, MAY_18) and [s.date for s in chosen] == [C, MAY_11, MAY_18]
    assert select(SESSIONS, Selection(until=MAY_11))[1] == Period(D(2016, 4, 6), MAY_11)
    assert select(SESSIONS, Selection(since=C, today=MAY_11))[1] == Period(C, MAY_11)
    chosen, period = select(SESSIONS, Selection(since=MAY_11, until=MAY_11))
    assert period.single and [s.date for s in chosen] == [MAY_11]


@pytest.mark.parametrize(
    ("sessions", "choice", "said"),
    [
        ((), Selection(since=C), "no sessions in this workspace"),
        (SESSIONS, Selection(since=MAY_18, until=MAY_11), "--since is after --until"),
        (SESSIONS, Selection(since=MAY_18, today=MAY_11), "--since is after today (2016-05-11)"),
    ],
)
def test_a_period_that_cannot_be_is_said_so(sessions, choice: Selection, said: str) -> None:
    with pytest.raises((NothingToDo, UsageError)) as raised:
        select(sessions, choice)
    assert str(raised.value) == said


def test_an_invalid_file_of_the_day_asked_for_is_named() -> None:
    with pytest.raises(InvalidSessions) as raised:
        select(SESSIONS, Selection(date=MAY_11), [("meetings/x.md", MAY_11)], "en")
    assert str(raised.value) == (
        "meetings/x.md is not valid, and would be the session: fix it first "
        "(see 'kbik validate meetings/x.md')"
    )
