"""What a hurried faskel types (issue 26): each slip caught, none become data."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT

from kbik.config import load_config
from kbik.documents import parse_document
from kbik.sessions import build_session

# The messages as the code writes them, in English; test_i18n checks them in Indonesian.
CONFIG = replace(load_config(ROOT), language="en")


def problems_of(front: str) -> list[tuple[str, str]]:
    text = f"---\ndate: 2016-05-18\nattendees: [Iwan]\n{front}---\n"
    _, problems = build_session(parse_document(text.encode(), "meetings/2016-05-18.md"), CONFIG)
    return [(p.code, p.message) for p in problems if p.code != "team-unaccounted"]


@pytest.mark.parametrize(
    "word, done", [("ya", True), ("sudah", True), ("tidak", False), ("belum", False)]
)
def test_yes_and_no_in_indonesian(word: str, done: bool) -> None:
    text = (
        "---\ndate: 2016-05-18\nattendees: [Iwan]\nfollowups:\n"
        f"  - action: x\n    done: {word}\n---\n"
    )
    session, _ = build_session(parse_document(text.encode(), "meetings/2016-05-18.md"), CONFIG)
    assert session is not None and session.followups[0].done is done


def test_a_note_written_as_a_comment_after_a_status_is_said() -> None:
    found = problems_of("kelurahan:\n  Opas: penagihan  # 5 KSM sudah lunas\n")
    assert (
        "note-in-comment",
        "'5 KSM sudah lunas' is a comment, which no report or search sees; to keep it, write "
        "'Opas:' alone, and under it 'status: penagihan' and 'note: 5 KSM sudah lunas'",
    ) in found


@pytest.mark.parametrize(
    "front",
    [
        "absent:\n  - {team: 9, reason: jarak}\n",
        "kelurahan:\n  Opas:\n    status: bergulir\n    team: 9\n",
        "followups:\n  - action: x\n    team: 9\n",
    ],
)
def test_a_team_the_roster_does_not_have_is_an_error(front: str) -> None:
    assert ("unknown-team", "team 9 is not on the roster (teams: 1, 2, 3, 4, 5, 6, 7)") in (
        problems_of(front)
    )


def test_new_refuses_when_last_weeks_file_is_invalid(run, example: Path, monkeypatch) -> None:
    monkeypatch.setenv("KBIK_TODAY", "2016-05-24")
    broken = example / "meetings" / "2016-05-18.md"
    broken.write_text("---\ndate: 2016-05-18\nattendees: [Iwan\n---\n", encoding="utf-8")
    result = run("new", cwd=example)
    assert result.exit_code == 1
    assert (
        "meetings/2016-05-18.md tidak valid, padahal akan menjadi sesi terakhir sebelum 2016-05-25"
        in result.stderr
    )
    assert not (example / "meetings" / "2016-05-25.md").exists()
    broken.write_text(
        (example / "meetings" / "2016-05-11.md")
        .read_text(encoding="utf-8")
        .replace("date: 2016-05-11", "date: 2016-05-18"),
        encoding="utf-8",
    )
    assert run("new", cwd=example).exit_code == 0
    assert json.loads(run("list", "--format", "json", cwd=example).stdout)[-1]["date"] == (
        "2016-05-25"
    )


@pytest.mark.parametrize(
    "written, mended",
    [("28-10-2026", "2026-10-28"), ("28/10/2026", "2026-10-28"), ("2026-5-11", "2026-05-11")],
)
def test_a_date_error_suggests_the_users_own_date(written: str, mended: str) -> None:
    text = f"---\ndate: {written}\nattendees: []\n---\n"
    _, problems = build_session(parse_document(text.encode(), "meetings/x.md"), CONFIG)
    assert any(p.code == "invalid-date" and f"write it as {mended}" in p.message for p in problems)


def test_a_percent_sign_in_a_figure_says_to_drop_it() -> None:
    found = problems_of("kelurahan:\n  Opas:\n    status: bergulir\n    figures: {par: 8%}\n")
    assert ("wrong-type", "'par' must be a number: drop the '%' (par: 8)") in found


def test_a_date_decades_ahead_is_an_error_and_counts_for_nothing(run, example: Path) -> None:
    text = (example / "meetings" / "2016-05-11.md").read_text(encoding="utf-8")
    ahead = example / "meetings" / "minggu-ini.md"
    ahead.write_text(text.replace("date: 2016-05-11", "date: 2062-05-17"), encoding="utf-8")
    result = run("validate", cwd=example)
    assert result.exit_code == 1
    assert (
        "meetings/minggu-ini.md:2: error: tanggal 2062-05-17 lebih dari 8 minggu sesudah "
        "hari ini (2016-05-12): salah ketik?" in result.stdout
    )
    listed = json.loads(run("list", "--format", "json", cwd=example).stdout)
    assert [row["date"] for row in listed] == ["2016-05-11"]


def test_status_says_which_later_sessions_it_left_out(run, example: Path) -> None:
    text = (example / "meetings" / "2016-05-11.md").read_text(encoding="utf-8")
    later = example / "meetings" / "2016-06-01.md"
    later.write_text(text.replace("date: 2016-05-11", "date: 2016-06-01"), encoding="utf-8")
    result = run("status", "--format", "json", cwd=example)  # today: 2016-05-12
    assert result.exit_code == 0
    assert "meetings/2016-06-01.md: bertanggal 2016-06-01, sesudah 2016-05-12; tidak dihitung" in (
        result.stderr
    )


def test_a_report_of_a_session_nobody_filled_in_says_so(run, example: Path, monkeypatch) -> None:
    monkeypatch.setenv("KBIK_TODAY", "2016-05-18")
    assert run("new", cwd=example).exit_code == 0
    result = run("report", cwd=example)
    assert result.exit_code == 1 and result.stdout == ""
    assert "meetings/2016-05-18.md belum diisi" in result.stderr
    path = example / "meetings" / "2016-05-18.md"
    text = path.read_text(encoding="utf-8").replace("  Keramat:\n", "  Keramat: penagihan\n")
    path.write_text(text, encoding="utf-8")
    assert run("report", cwd=example).exit_code == 0


def test_a_week_that_only_closes_a_carried_follow_up_is_filled_in(
    run, example: Path, monkeypatch
) -> None:
    monkeypatch.setenv("KBIK_TODAY", "2016-05-18")
    assert run("new", cwd=example).exit_code == 0
    path = example / "meetings" / "2016-05-18.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    done: false", "    done: true", 1), encoding="utf-8")
    result = run("report", "--format", "txt", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert "18 Mei 2016" in result.stdout


def test_a_heading_for_a_team_the_roster_does_not_have_is_an_error_at_its_line() -> None:
    text = (
        "---\ndate: 2016-05-18\nattendees: [Iwan]\n---\n\n## Tim 2\n\nteks\n\n"
        "## Tim 6 dan 9\n\nteks\n\n## Materi\n\nteks\n"
    )
    session, problems = build_session(
        parse_document(text.encode(), "meetings/2016-05-18.md"), CONFIG
    )
    found = [(p.code, p.line, p.message) for p in problems if p.code == "unknown-team"]
    assert session is None and found == [
        (
            "unknown-team",
            10,
            "the heading '## Tim 6 dan 9': team 9 is not on the roster "
            "(teams: 1, 2, 3, 4, 5, 6, 7)",
        )
    ]


@pytest.mark.parametrize("heading, teams", [("Tim1", (1,)), ("Tim 6 dan Tim7", (6, 7))])
def test_a_team_heading_without_a_space_is_still_that_team(heading: str, teams: tuple) -> None:
    from kbik.sessions import body_sections

    assert body_sections(f"## {heading}\n\nteks\n")[0].teams == teams


def test_new_carries_last_weeks_place_facilitator_and_notetaker(run, example: Path) -> None:
    session = example / "meetings" / "2016-05-11.md"
    session.write_text(
        session.read_text(encoding="utf-8").replace("place:\n", "place: Aula BKM\n", 1)
        if "place:\n" in session.read_text(encoding="utf-8")
        else session.read_text(encoding="utf-8").replace(
            "facilitator:", "place: Aula BKM\nfacilitator:", 1
        ),
        encoding="utf-8",
    )
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 0, result.stderr
    text = (example / "meetings" / "2016-05-18.md").read_text(encoding="utf-8")
    assert "\nplace: Aula BKM\nfacilitator: Iwan\nnotetaker: Hendra Putra\n" in text


def test_new_on_a_date_that_has_a_session_says_how_to_open_it(
    run, example: Path, monkeypatch
) -> None:
    monkeypatch.setenv("EDITOR", "nano")
    monkeypatch.delenv("VISUAL", raising=False)
    result = run("new", "--date", "2016-05-11", cwd=example)
    assert result.exit_code == 1
    assert (
        "sesi untuk 2016-05-11 sudah ada: meetings/2016-05-11.md; kbik new tidak pernah "
        "menimpa sesi. Buka dengan editor (nano meetings/2016-05-11.md), atau beri tanggal "
        "lain dengan --date"
    ) in " ".join(result.stderr.split())


def test_a_report_of_a_day_without_a_session_names_the_nearest(run, multi: Path) -> None:
    result = run("report", "--date", "2016-05-12", cwd=multi)
    assert result.exit_code == 1
    assert (
        "tidak ada sesi pada 2016-05-12; yang terdekat: 2016-05-11 (sebelumnya), 2016-05-18 "
        "(sesudahnya) (kbik list menampilkan semuanya)"
    ) in " ".join(result.stderr.split())


def test_a_note_for_the_whole_session_is_kept_and_shown(run, example: Path) -> None:
    session = example / "meetings" / "2016-05-11.md"
    text = session.read_text(encoding="utf-8")
    session.write_text(
        text.replace("attendees:", "note: Rapat dimajukan ke pagi\nattendees:", 1), "utf-8"
    )
    assert run("validate", cwd=example).exit_code == 0
    for fmt, shown in (
        ("md", "- Catatan: Rapat dimajukan ke pagi"),
        ("txt", "*Catatan*: Rapat dimajukan ke pagi"),
        ("html", '<li>Catatan: <span lang="id">Rapat dimajukan ke pagi</span></li>'),
    ):
        assert shown in run("report", "--format", fmt, cwd=example).stdout, fmt
    assert "Note: Rapat dimajukan ke pagi" in run("report", "--lang", "en", cwd=example).stdout


def test_catatan_at_the_top_is_an_error_never_dropped() -> None:
    found = problems_of("catatan: Rapat dimajukan\n")
    assert (
        "session-note",
        "a note for the whole session is written 'note:' (kbik's keys are English); "
        "rename 'catatan:' to 'note:'",
    ) in found


def test_a_week_copied_from_the_one_before_is_said(run, example: Path) -> None:
    text = (example / "meetings" / "2016-05-11.md").read_text(encoding="utf-8")
    copy = example / "meetings" / "2016-05-18.md"
    copy.write_text(text.replace("date: 2016-05-11", "date: 2016-05-18"), encoding="utf-8")
    result = run("validate", cwd=example)
    assert (
        "meetings/2016-05-18.md: warning: semua status dan catatan sama dengan "
        "meetings/2016-05-11.md (2016-05-11): disalin dari minggu itu? Tulis status hanya "
        "bila ada kabar baru"
    ) in " ".join(result.stdout.split())
    # A week with news of its own is not a copy.
    copy.write_text(
        text.replace("date: 2016-05-11", "date: 2016-05-18").replace(
            "    status: bergulir", "    status: penagihan", 1
        ),
        encoding="utf-8",
    )
    assert "copied" not in run("validate", cwd=example).stdout


def test_a_followup_closed_again_is_said(multi: Path) -> None:
    from dataclasses import replace

    from kbik.followups import followup_problems
    from kbik.workspace import Workspace

    sessions = Workspace.open(multi).load(use_cache=False).sessions
    closing = [(s, f) for s in sessions for f in s.followups if f.done and f.explicit_id]
    assert closing, "the multi workspace closes a follow-up by its id"
    session, followup = closing[0]
    # The closing week again, a year on: its follow-ups are closed a second time.
    again = replace(session, path="meetings/later.md", date=session.date.replace(year=2017))
    found = [p for p in followup_problems([*sessions, again], "en") if p.code == "closed-again"]
    assert (
        "meetings/later.md",
        "warning",
        f"follow-up '{followup.id}' was closed already, in {session.path}: is this week "
        "copied from that one? List only follow-ups still open",
        followup.line,
    ) in [(p.path, p.severity, p.message, p.line) for p in found]
    assert followup.line is not None
    assert not [p for p in followup_problems(sessions, "en") if p.code == "closed-again"]


@pytest.mark.parametrize("indent", ["  ", "    "])
def test_a_status_typed_in_a_comment_under_the_name_is_said(indent: str) -> None:
    found = problems_of(f"kelurahan:\n  Opas:\n{indent}# pencairan\n  Keramat: bergulir\n")
    assert (
        "status-in-comment",
        "'pencairan' is in a comment (after '#'), so 'Opas' counts as not discussed; write "
        "the status before the '#': Opas: pencairan",
    ) in found


def test_the_scaffolds_own_comment_under_an_empty_entry_is_no_slip() -> None:
    found = problems_of("kelurahan:\n  Opas:\n  # bergulir sejak 11 Mei 2016\n  Keramat:\n")
    assert not [code for code, _ in found if code == "status-in-comment"]


def test_a_status_appended_to_kbik_news_comment_is_said_for_the_entry_under_it() -> None:
    # kbik new writes where each kelurahan stood on the line over its empty entry.
    found = problems_of(
        "kelurahan:\n  # bermasalah sejak 11 Mei 2016\n  Opas:\n"
        "  # bermasalah sejak 11 Mei 2016 -> pencairan\n  Keramat:\n"
    )
    assert [message for code, message in found if code == "status-in-comment"] == [
        "'pencairan' is in a comment (after '#'), so 'Keramat' counts as not discussed; "
        "write the status before the '#': Keramat: pencairan"
    ]


def test_kbik_news_comment_with_its_status_word_changed_is_an_error() -> None:
    import datetime as dt

    from kbik.sessions import stood_comments
    from kbik.status import changed_comments

    text = (
        "---\ndate: 2016-05-18\nkelurahan:\n  # bermasalah sejak 11 Mei 2016\n  Opas:\n"
        '  # pencairan sejak 11 Mei 2016\n  "Keramat":\n  # vakum sejak 11 Mei 2016\n'
        "  Bacang: bergulir\n---\n"
    )
    # Only comments over an empty entry are kbik new's; Bacang has its status.
    stood = stood_comments(text)
    assert stood == ((4, 3, "Opas", "bermasalah"), (6, 3, "Keramat", "pencairan"))
    row = ("bermasalah", None, None, 2, ())
    reports = [
        (dt.date(2016, 5, 11), "meetings/a.md", (("Opas Indah", *row), ("Keramat", *row))),
        (dt.date(2016, 5, 18), "meetings/b.md", ()),
    ]
    found = changed_comments(reports, {"meetings/b.md": stood}, CONFIG)
    assert [(p.path, p.severity, p.code, p.line, p.column, p.message) for p in found] == [
        (
            "meetings/b.md",
            "error",
            "changed-comment",
            6,
            3,
            "the comment over 'Keramat' says 'pencairan', but it stood at 'bermasalah': a "
            "comment is not read, so 'Keramat' counts as not discussed. To report it, write "
            "'Keramat: pencairan'; if the comment is only out of date, delete it",
        )
    ]
    # The same comments judged before the first report: neither kelurahan stood anywhere.
    early = changed_comments(reports[1:], {"meetings/b.md": stood}, CONFIG)
    assert [p.line for p in early] == [4, 6]
    assert "says 'bermasalah', but it stood at 'never reported':" in early[0].message


@pytest.mark.parametrize(
    "statuses, copied",
    [
        ("  Opas: bergulir\n  Bacang: vakum\n", True),  # two, all as the week before
        ("  Opas: bergulir\n", False),  # one status alike is news repeated, not a copy
        ("  Opas: bergulir\n  Bacang: bergulir\n", False),
    ],
)
def test_a_copied_week_needs_two_statuses_all_alike(run, workspace, statuses, copied) -> None:
    before = "---\ndate: 2016-05-11\nattendees: [a]\nkelurahan:\n  Opas: bergulir\n"
    before += "  Bacang: vakum\n---\n" if "Bacang" in statuses else "---\n"
    root = workspace(
        'language = "en"\n',
        {
            "meetings/2016-05-11.md": before,
            "meetings/2016-05-18.md": "---\ndate: 2016-05-18\nattendees: [a]\nkelurahan:\n"
            + statuses
            + "---\n",
        },
    )
    problems = json.loads(run("validate", "--format", "json", cwd=root).stdout)["problems"]
    found = [(p["path"], p["severity"], p["line"]) for p in problems if p["code"] == "copied-week"]
    assert found == ([("meetings/2016-05-18.md", "warning", None)] if copied else [])
