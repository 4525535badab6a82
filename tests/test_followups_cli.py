"""kbik followups (rktl): open, closed, overdue, filters; and validate's follow-up checks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

KEYS = [
    "id",
    "action",
    "team",
    "kelurahan",
    "due",
    "session",
    "path",
    "done",
    "closed",
    "closed_in",
    "overdue",
]


def followups(run, root: Path, *options: str) -> list[dict]:
    result = run("followups", "--format", "json", *options, cwd=root)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_open_followups_with_their_origin(run, multi: Path) -> None:
    [row] = followups(run, multi, "--as-of", "2016-05-20")
    assert list(row) == KEYS
    assert row == {
        "id": "2016-05-18#2",
        "action": "Penagihan di Keramat",
        "team": 2,
        "kelurahan": ["Keramat"],
        "due": "2016-06-01",
        "session": "2016-05-18",
        "path": "meetings/2016/2016-05-18.md",
        "done": False,
        "closed": None,
        "closed_in": None,
        "overdue": False,
    }


def test_overdue_at_the_boundary(run, multi: Path) -> None:
    assert followups(run, multi, "--as-of", "2016-06-01")[0]["overdue"] is False
    assert followups(run, multi, "--as-of", "2016-06-02")[0]["overdue"] is True


def test_all_shows_closed_ones_with_when(run, multi: Path) -> None:
    rows = followups(run, multi, "--all", "--as-of", "2016-06-02")
    assert [(r["id"], r["closed"], r["closed_in"]) for r in rows] == [
        ("2016-05-04#1", "2016-05-18", "meetings/2016/2016-05-18.md"),
        ("pwk-tuatunu", "2016-05-10", "meetings/2016/2016-05-11.md"),
        ("2016-05-18#2", None, None),
    ]


def test_as_of_sees_only_earlier_sessions(run, multi: Path) -> None:
    rows = followups(run, multi, "--as-of", "2016-05-05")
    assert [r["id"] for r in rows] == ["2016-05-04#1", "pwk-tuatunu"]


def test_filters(run, multi: Path) -> None:
    options = ("--all", "--as-of", "2016-06-02")
    assert [r["id"] for r in followups(run, multi, *options, "--team", "1")] == ["pwk-tuatunu"]
    assert [r["id"] for r in followups(run, multi, *options, "--kelurahan", "tuatunu")] == [
        "pwk-tuatunu"
    ]


def test_rktl_is_the_same_command(run, multi: Path) -> None:
    a = run("followups", "--format", "csv", "--as-of", "2016-06-02", cwd=multi).stdout
    b = run("rktl", "--format", "csv", "--as-of", "2016-06-02", cwd=multi).stdout
    assert a == b and a.startswith("id,action,team,kelurahan,due,session,path,done,closed,")
    table = run("rktl", "--as-of", "2016-06-02", cwd=multi).stdout
    assert "lewat batas waktu" in table and "Penagihan di Keramat" in table


def test_validate_warns_about_followups_across_sessions(run, example: Path) -> None:
    later = example / "meetings" / "2016-05-18.md"
    later.write_text(
        "---\ndate: 2016-05-18\nattendees: [Iwan, Yuri, Deevan, Kiswan, Indah, Niar]\n"
        "absent: [6, 7]\nfollowups:\n"
        "  - {id: 2016-05-11#1, action: Identifikasi, team: 2, done: true}\n"
        "  - {id: 2016-05-11#9, action: Tidak pernah dibuka, done: true}\n"
        "  - {action: Penagihan, team: 4, due: 2016-05-01}\n"
        "  - {id: 2016-05-11#3, action: Perbaikan pembukuan, team: 3, due: 2016-05-13}\n"
        "---\n",
        encoding="utf-8",
    )
    result = run("validate", "--format", "json", cwd=example)
    problems = [(p["code"], p["line"]) for p in json.loads(result.stdout)["problems"]]
    assert problems == [("closed-unopened", 7), ("due-before-session", 8)]
    only = run("validate", "--format", "json", "meetings/2016-05-18.md", cwd=example)
    assert [p["code"] for p in json.loads(only.stdout)["problems"]] == [
        "closed-unopened",
        "due-before-session",
    ]


def test_new_carries_what_followups_lists(run, multi: Path, monkeypatch) -> None:
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()
    open_ids = [r["id"] for r in followups(run, multi, "--as-of", "2016-05-24")]
    monkeypatch.setenv("KBIK_TODAY", "2016-05-23")
    assert run("new", cwd=multi).exit_code == 0
    text = (multi / "meetings" / "2016-05-25.md").read_text(encoding="utf-8")
    assert [
        line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("  - id: ")
    ] == open_ids


def test_csv_and_md_say_when_and_where_a_followup_was_closed(run, multi: Path) -> None:
    args = ("followups", "--all", "--as-of", "2016-06-02")
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv", cwd=multi).stdout)))
    closed = next(row for row in rows if row["id"] == "2016-05-04#1")
    assert (closed["done"], closed["closed"], closed["closed_in"]) == (
        "yes",
        "2016-05-18",
        "meetings/2016/2016-05-18.md",
    )
    assert {row["overdue"] for row in rows} <= {"yes", "no"}
    md = run(*args, "--format", "md", cwd=multi).stdout
    assert md.splitlines()[0] == (
        "| id | action | team | kelurahan | due | session | path | done | closed | closed_in "
        "| overdue |"
    )
    assert "| yes | 2016-05-18 | meetings/2016/2016-05-18.md |" in md
    assert "True" not in md and "False" not in md


def test_the_table_has_a_header_on_every_column(run, multi: Path) -> None:
    out = run("followups", "--all", "--as-of", "2016-06-02", cwd=multi).stdout
    header = next(line for line in out.splitlines() if line.strip().startswith("id"))
    assert header.split() == ["id", "tim", "batas", "waktu", "keadaan", "tindakan", "(kelurahan)"]


def test_an_unknown_team_is_one_usage_error_everywhere(run, multi: Path) -> None:
    for args in (
        ["status", "--team", "9"],
        ["list", "--team", "9"],
        ["followups", "--team", "9"],
        ["report", "--for-team", "9", "--date", "2016-05-18"],
    ):
        result = run(*args, cwd=multi)
        assert result.exit_code == 2, args
        assert "tim 9 tidak ada di daftar (tim: 1, 2, 4)" in result.stderr


def test_empty_results_say_which_filter_emptied_them(run, multi: Path) -> None:
    result = run("status", "--team", "2", "--status", "vakum", cwd=multi)
    assert result.exit_code == 0
    assert "Tidak ada kelurahan di tim 2 dan berstatus vakum." in result.stderr
    result = run("list", "--since", "2017-01-01", "--team", "4", cwd=multi)
    assert "Tidak ada sesi sejak 2017-01-01 dan untuk tim 4." in result.stderr
