"""Status aggregation as a pure function of sessions."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from kbik.config import Config, Team
from kbik.model import KelurahanEntry, Session
from kbik.status import history, rows_from, session_reports, status_rows, summary, track

D = dt.date
CONFIG = Config(
    root=Path("."),
    stale_after_weeks=4,
    aliases={"tuatunu": "Tua Tunu Indah"},
    teams=(
        Team(1, ("Yuri",), ("Tua Tunu Indah", "Bukit Sari")),
        Team(4, ("Indah",), ("Air Salemba",)),
    ),
)


def entry(
    name: str, status: str | None, team: int | None = None, **extra: object
) -> KelurahanEntry:
    return KelurahanEntry(
        name=name,
        written=name,
        status=status,
        team=team if team is not None else CONFIG.roster_team(name),
        **extra,
    )  # type: ignore[arg-type]


def session(day: dt.date, *entries: KelurahanEntry) -> Session:
    return Session(path=f"meetings/{day}.md", date=day, kelurahan=entries)


SESSIONS = [
    session(D(2016, 5, 4), entry("Tua Tunu Indah", "vakum"), entry("Air Salemba", "terhenti")),
    session(
        D(2016, 5, 11),
        entry("Tua Tunu Indah", "persiapan", note="PWK"),
        entry("Air Salemba", "bergulir"),
    ),
    session(D(2016, 5, 18), entry("Tua Tunu Indah", "persiapan"), entry("Air Salemba", None)),
]


def rows_by_name(sessions: list[Session], as_of: dt.date) -> dict[str, object]:
    return {row.kelurahan: row for row in status_rows(session_reports(sessions), CONFIG, as_of)}


def test_tracking_on_from_where_earlier_sessions_left_changes_nothing_given() -> None:
    """The index keeps the tracks of all sessions but the latest and goes on from them:
    going on must not change what was kept, and must come to what one pass gives."""
    reports = session_reports(SESSIONS)
    as_of = D(2016, 6, 1)
    before = track(reports[:-1], CONFIG, as_of)
    kept = copy.deepcopy(before)
    after = track(reports[-1:], CONFIG, as_of, before)
    assert before == kept
    assert rows_from(after, as_of, 4) == status_rows(reports, CONFIG, as_of)
    figured = track(
        session_reports(
            [session(D(2016, 6, 1), entry("Bukit Sari", "bergulir", figures={"RR": 90.0}))]
        ),
        CONFIG,
        as_of,
        before,
    )
    assert figured["Bukit Sari"].figures == {"RR": 90.0}
    assert before["Bukit Sari"].figures == {}


def test_since_is_the_start_of_the_latest_run() -> None:
    row = rows_by_name(SESSIONS, D(2016, 5, 18))["Tua Tunu Indah"]
    assert (row.status, row.since, row.previous, row.last_reported, row.note) == (
        "persiapan",
        D(2016, 5, 11),
        "vakum",
        D(2016, 5, 18),
        "PWK",
    )


def test_empty_entries_change_nothing() -> None:
    row = rows_by_name(SESSIONS, D(2016, 5, 18))["Air Salemba"]
    assert row.last_reported == D(2016, 5, 11)
    assert row.revived and row.previous == "terhenti"


def test_roster_kelurahan_never_reported_is_stale() -> None:
    row = rows_by_name(SESSIONS, D(2016, 5, 18))["Bukit Sari"]
    assert (row.status, row.since, row.last_reported, row.stale, row.team) == (
        None,
        None,
        None,
        True,
        1,
    )


def test_as_of_ignores_later_sessions() -> None:
    row = rows_by_name(SESSIONS, D(2016, 5, 10))["Tua Tunu Indah"]
    assert (row.status, row.since, row.previous) == ("vakum", D(2016, 5, 4), None)


def test_staleness_boundary_is_exactly_the_configured_weeks() -> None:
    last = D(2016, 5, 18)
    assert not rows_by_name(SESSIONS, last + dt.timedelta(weeks=4))["Tua Tunu Indah"].stale
    assert rows_by_name(SESSIONS, last + dt.timedelta(weeks=4, days=1))["Tua Tunu Indah"].stale


def test_entry_previous_is_used_only_without_an_earlier_session() -> None:
    first = [session(D(2016, 5, 11), entry("Air Salemba", "bergulir", previous="terhenti"))]
    assert rows_by_name(first, D(2016, 5, 11))["Air Salemba"].previous == "terhenti"
    both = [
        session(D(2016, 5, 4), entry("Air Salemba", "vakum")),
        session(D(2016, 5, 11), entry("Air Salemba", "bergulir", previous="terhenti")),
    ]
    row = rows_by_name(both, D(2016, 5, 11))["Air Salemba"]
    assert row.previous == "vakum" and row.revived


def test_two_sessions_disagreeing_the_later_wins() -> None:
    sessions = [
        session(D(2016, 5, 11), entry("Tua Tunu Indah", "persiapan")),
        session(D(2016, 5, 12), entry("Tua Tunu Indah", "pencairan")),
    ]
    row = rows_by_name(sessions, D(2016, 5, 12))["Tua Tunu Indah"]
    assert (row.status, row.previous, row.since) == ("pencairan", "persiapan", D(2016, 5, 12))


def test_team_from_entry_beats_roster_and_unknown_names_are_rows() -> None:
    sessions = [
        session(
            D(2016, 5, 11),
            entry("Tua Tunu Indah", "persiapan", team=4),
            entry("Kota Baru", "vakum"),
        )
    ]
    rows = status_rows(session_reports(sessions), CONFIG, D(2016, 5, 11))
    assert [(r.kelurahan, r.team) for r in rows] == [
        ("Bukit Sari", 1),
        ("Air Salemba", 4),
        ("Tua Tunu Indah", 4),
        ("Kota Baru", None),
    ]


def test_history_lists_each_report() -> None:
    lines = history(session_reports(SESSIONS), "Tua Tunu Indah")
    assert [(line.date, line.status) for line in lines] == [
        (D(2016, 5, 4), "vakum"),
        (D(2016, 5, 11), "persiapan"),
        (D(2016, 5, 18), "persiapan"),
    ]


def test_summary_counts_statuses_and_stale() -> None:
    counts, stale = summary(status_rows(session_reports(SESSIONS), CONFIG, D(2016, 5, 18)))
    assert counts == {"-": 1, "bergulir": 1, "persiapan": 1}
    assert stale == 1


def test_the_note_belongs_to_the_current_status() -> None:
    sessions = [
        session(D(2016, 5, 11), entry("Air Salemba", "bermasalah", note="pinjaman bermasalah")),
        session(D(2016, 6, 1), entry("Air Salemba", "bergulir")),
    ]
    (row,) = [
        r
        for r in status_rows(session_reports(sessions), CONFIG, D(2016, 6, 2))
        if r.kelurahan == "Air Salemba"
    ]
    assert (row.status, row.since, row.note, row.noted) == ("bergulir", D(2016, 6, 1), None, None)
    sessions.append(session(D(2016, 6, 8), entry("Air Salemba", "bergulir", note="lancar")))
    sessions.append(session(D(2016, 6, 15), entry("Air Salemba", "bergulir")))
    (row,) = [
        r
        for r in status_rows(session_reports(sessions), CONFIG, D(2016, 6, 20))
        if r.kelurahan == "Air Salemba"
    ]
    assert (row.since, row.note, row.noted) == (D(2016, 6, 1), "lancar", D(2016, 6, 8))


def test_staleness_boundary() -> None:
    sessions = [session(D(2016, 5, 11), entry("Air Salemba", "bergulir"))]
    reports = session_reports(sessions)

    def stale_on(day: dt.date) -> bool:
        return next(
            r for r in status_rows(reports, CONFIG, day) if r.kelurahan == "Air Salemba"
        ).stale

    # Four weeks after the last report it is still fresh; the day after, stale.
    assert stale_on(D(2016, 6, 8)) is False
    assert stale_on(D(2016, 6, 9)) is True


def test_status_before_each_session() -> None:
    from kbik.status import is_revival, statuses_before

    sessions = [
        session(D(2016, 5, 4), entry("Air Salemba", "terhenti")),
        session(D(2016, 5, 11), entry("Air Salemba", "bergulir", previous="vakum")),
    ]
    before = statuses_before(session_reports(sessions))
    assert before[("meetings/2016-05-04.md", "Air Salemba")] is None
    assert before[("meetings/2016-05-11.md", "Air Salemba")] == "terhenti"
    assert is_revival("terhenti", "bergulir") and is_revival("vakum", "bergulir")
    assert not is_revival("bermasalah", "bergulir") and not is_revival("vakum", "persiapan")


def test_history_and_timeline_in_full() -> None:
    from kbik.status import HistoryLine, Stretch, history, timeline

    sessions = [
        session(D(2016, 5, 4), entry("Air Salemba", "bergulir", previous="terhenti", note="a")),
        session(
            D(2016, 5, 11), entry("Air Salemba", "bergulir", note="b"), entry("Bukit Sari", "vakum")
        ),
        session(D(2016, 5, 18), entry("Air Salemba", "bergulir")),
        session(D(2016, 5, 25), entry("Air Salemba", "bermasalah", note="c", team=9)),
    ]
    lines = history(session_reports(sessions), "Air Salemba")
    assert lines[:2] == (
        HistoryLine(D(2016, 5, 4), "bergulir", "a", "meetings/2016-05-04.md", 4, "terhenti"),
        HistoryLine(D(2016, 5, 11), "bergulir", "b", "meetings/2016-05-11.md", 4, None),
    )
    assert len(lines) == 4
    assert timeline(lines) == (
        Stretch(
            since=D(2016, 5, 4),
            before="terhenti",
            status="bergulir",
            revived=True,
            until=D(2016, 5, 18),
            reports=3,
            team=4,
            path="meetings/2016-05-04.md",
            note="b",
        ),
        Stretch(
            since=D(2016, 5, 25),
            before="bergulir",
            status="bermasalah",
            revived=False,
            until=D(2016, 5, 25),
            reports=1,
            team=9,
            path="meetings/2016-05-25.md",
            note="c",
        ),
    )


def test_json_shape_of_a_row_with_a_note() -> None:
    sessions = [session(D(2016, 5, 11), entry("Air Salemba", "bergulir", note="lancar"))]
    rows = status_rows(session_reports(sessions), CONFIG, D(2016, 5, 12))
    row = next(r for r in rows if r.kelurahan == "Air Salemba")
    assert row.as_dict()["noted"] == "2016-05-11" and row.as_dict()["note"] == "lancar"


def test_json_shape_with_graded_figures() -> None:
    from kbik.indicators import DEFAULT_INDICATORS

    sessions = [
        session(D(2016, 5, 11), entry("Air Salemba", "bergulir", figures={"par": 15, "ksm": 3}))
    ]
    rows = status_rows(session_reports(sessions), CONFIG, D(2016, 5, 12))
    row = next(r for r in rows if r.kelurahan == "Air Salemba")
    assert row.as_dict(DEFAULT_INDICATORS)["figures"] == {
        "par": {"value": 15, "grade": "adequate"},
        "ksm": {"value": 3, "grade": None},
    }
    assert "figures" not in row.as_dict()


def test_the_board_shows_every_kelurahan_and_each_absent_teams_week() -> None:
    from dataclasses import replace

    from kbik.model import Absence
    from kbik.report import board

    # Team 4 missed 18 May; Bukit Sari (team 1) was reported by no session at all.
    selected = [SESSIONS[1], replace(SESSIONS[2], absent=(Absence(4, "jarak"),))]
    laid = board(selected, status_rows(session_reports(SESSIONS), CONFIG, D(2016, 5, 18)))
    assert [(g.team, g.rows, g.absent) for g in laid.groups] == [
        (
            1,
            (("Bukit Sari", (None, None)), ("Tua Tunu Indah", ("persiapan", "persiapan"))),
            (False, False),
        ),
        (4, (("Air Salemba", ("bergulir", None)),), (False, True)),
    ]
    assert laid.any_absent
    assert not board(
        SESSIONS[1:], status_rows(session_reports(SESSIONS), CONFIG, D(2016, 5, 18))
    ).any_absent
