"""What a period report and a team's hand-over hold, as pure functions of sessions.

One small history, built by hand: a month of sessions around the period 5–18 May 2016,
with a kelurahan going stale on the period's first day and another on its last, a
follow-up closed on each of those days, and a team absent once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kbik.config import Config, Team
from kbik.model import Absence, Followup, KelurahanEntry, Session
from kbik.report import Period, ReportInput, handover, period_facts

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
