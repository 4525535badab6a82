"""The command line: validate, list, status, global options and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kbik import __version__
from kbik.cli import app

COMMANDS = [
    "search",
    "import",
    "export",
    "validate",
    "list",
    "status",
    "new",
    "report",
    "init",
    "config",
    "schema",
    "followups",
    "rktl",
]
GROUPS = {"cache": ["clear"], "templates": ["list", "copy"]}


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"kbik {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(run, command: str) -> None:
    result = run(command, "-h")
    assert result.exit_code == 0
    assert "Example: kbik" in result.stdout


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    registered = {command.name or command.callback.__name__ for command in app.registered_commands}
    assert registered == set(COMMANDS)
    assert {group.name for group in app.registered_groups} == set(GROUPS)
    for command in COMMANDS:
        assert f"kbik {command}" in readme
    for group, subcommands in GROUPS.items():
        for subcommand in subcommands:
            assert f"{group} {subcommand}" in readme


@pytest.mark.parametrize("group, command", [(g, c) for g, cs in GROUPS.items() for c in cs])
def test_every_subcommand_has_help_with_an_example(run, group: str, command: str) -> None:
    result = run(group, command, "-h")
    assert result.exit_code == 0
    assert "Example: kbik" in result.stdout


def test_validate_example_is_clean(run, example: Path) -> None:
    result = run("validate", cwd=example)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert "1 berkas diperiksa: 0 kesalahan, 0 peringatan" in result.stderr


def test_validate_reports_file_line_col(run, multi: Path) -> None:
    result = run("validate", cwd=multi / "meetings")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "meetings/2016/2016-06-01.md:3:12: error: '[' yang dibuka di sini tidak pernah "
        "ditutup dengan ']'"
    ]


def test_validate_json_shape(run, multi: Path) -> None:
    result = run("-C", str(multi), "validate", "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) == {"files", "errors", "warnings", "problems"}
    assert (data["files"], data["errors"]) == (4, 1)
    assert data["problems"][0] == {
        "path": "meetings/2016/2016-06-01.md",
        "line": 3,
        "column": 12,
        "severity": "error",
        "code": "yaml-syntax",
        "message": "'[' yang dibuka di sini tidak pernah ditutup dengan ']'",
    }


def test_validate_strict_fails_on_warnings(run, workspace) -> None:
    root = workspace(
        None, {"meetings/2016-05-12.md": "---\ndate: 2016-05-12\nattendees: []\n---\n"}
    )
    assert run("validate", cwd=root).exit_code == 0
    strict = run("validate", "--strict", cwd=root)
    assert strict.exit_code == 1
    assert "bukan hari pertemuan" in strict.stdout


def test_validate_duplicate_dates_across_files(run, workspace) -> None:
    text = "---\ndate: 2016-05-11\nattendees: []\n---\n"
    root = workspace(None, {"meetings/a.md": text, "meetings/2016/b.md": text})
    result = run("validate", cwd=root)
    assert result.exit_code == 1
    assert (
        "meetings/a.md:2: error: ada sesi lain dengan tanggal yang sama 2016-05-11: "
        "meetings/2016/b.md" in result.stdout
    )


def test_validate_given_files_and_missing_file(run, example: Path) -> None:
    assert run("validate", "meetings/2016-05-11.md", cwd=example).exit_code == 0
    missing = run("validate", "meetings/nope.md", cwd=example)
    assert missing.exit_code == 2 and "berkas tidak ada" in missing.stderr


def test_list_json_shape_and_filters(run, multi: Path) -> None:
    result = run("list", "--format", "json", cwd=multi)
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [row["date"] for row in rows] == ["2016-05-04", "2016-05-11", "2016-05-18"]
    assert rows[1] == {
        "path": "meetings/2016/2016-05-11.md",
        "date": "2016-05-11",
        "attendees": ["Iwan", "Yuri", "Indah"],
        "absent_teams": [2],
        "kelurahan": {"Tua Tunu Indah": "persiapan", "Air Salemba": "bergulir"},
    }
    assert "2016-06-01.md: dilewati" in result.stderr and "kbik validate" in result.stderr

    def dates(*options: str) -> list[str]:
        out = run("list", "--format", "json", *options, cwd=multi).stdout
        return [row["date"] for row in json.loads(out)]

    assert dates("--since", "2016-05-10") == ["2016-05-11", "2016-05-18"]
    assert dates("--until", "2016-05-11") == ["2016-05-04", "2016-05-11"]
    assert dates("--kelurahan", "keramat") == ["2016-05-04", "2016-05-18"]
    assert dates("--team", "4") == ["2016-05-04", "2016-05-11", "2016-05-18"]
    assert dates("--team", "2", "--until", "2016-05-11") == ["2016-05-04", "2016-05-11"]


def test_list_table_and_csv(run, example: Path) -> None:
    table = run("list", cwd=example)
    assert "2016-05-11" in table.stdout and "meetings/2016-05-11.md" in table.stdout
    csv_out = run("list", "--format", "csv", cwd=example).stdout.splitlines()
    assert csv_out[0] == "date,file,attendees,absent teams,kelurahan reported"
    assert csv_out[1].startswith("2016-05-11,meetings/2016-05-11.md,10,6; 7,")


def test_empty_workspace_lists_nothing_successfully(run, tmp_path: Path) -> None:
    (tmp_path / "meetings").mkdir()
    result = run("list", cwd=tmp_path)
    assert result.exit_code == 0 and result.stdout == ""
    assert run("list", "--format", "json", cwd=tmp_path).stdout.strip() == "[]"


def test_status_json_keys_and_values(run, multi: Path) -> None:
    result = run("status", "--as-of", "2016-05-18", "--format", "json", cwd=multi)
    rows = json.loads(result.stdout)
    assert all(
        list(row)
        == [
            "kelurahan",
            "team",
            "status",
            "since",
            "previous",
            "last_reported",
            "stale",
            "note",
            "noted",
        ]
        for row in rows
    )
    by_name = {row["kelurahan"]: row for row in rows}
    assert by_name["Air Salemba"] == {
        "kelurahan": "Air Salemba",
        "team": 4,
        "status": "bergulir",
        "since": "2016-05-11",
        "previous": "terhenti",
        "last_reported": "2016-05-11",
        "stale": False,
        "note": None,
        "noted": None,
    }
    assert by_name["Bukit Sari"]["stale"] is True and by_name["Bukit Sari"]["status"] is None
    assert [row["kelurahan"] for row in rows] == [
        "Bukit Sari",
        "Tua Tunu Indah",
        "Keramat",
        "Air Salemba",
    ]


def test_status_filters(run, multi: Path) -> None:
    def names(*options: str) -> list[str]:
        out = run("status", "--as-of", "2016-06-08", "--format", "json", *options, cwd=multi)
        return [row["kelurahan"] for row in json.loads(out.stdout)]

    assert names("--team", "1") == ["Bukit Sari", "Tua Tunu Indah"]
    assert names("--status", "bergulir", "--status", "PENAGIHAN") == ["Keramat", "Air Salemba"]
    assert names("--stale") == ["Bukit Sari", "Tua Tunu Indah", "Keramat", "Air Salemba"]
    assert (
        run(
            "status", "--as-of", "2016-05-26", "--stale", "--format", "json", cwd=multi
        ).stdout.count('"kelurahan"')
        == 2
    )  # Bukit Sari and Air Salemba


def test_status_table_marks_revival_and_summarises(run, multi: Path) -> None:
    result = run("status", "--as-of", "2016-05-18", cwd=multi)
    assert result.exit_code == 0
    assert "bergulir kembali" in result.stdout
    assert (
        "4 kelurahan: bergulir 1, penagihan 1, persiapan 1; 1 belum pernah dilaporkan"
        in result.stdout
    )
    assert "1 lama tidak dilaporkan" in result.stdout


def test_status_csv_has_the_json_columns(run, multi: Path) -> None:
    lines = run("status", "--as-of", "2016-05-18", "--format", "csv", cwd=multi).stdout.splitlines()
    assert lines[0] == "kelurahan,team,status,since,previous,last_reported,stale,note,noted"
    assert "Air Salemba,4,bergulir,2016-05-11,terhenti,2016-05-11,no,," in lines


def test_status_history_of_one_kelurahan(run, multi: Path) -> None:
    result = run(
        "status", "--kelurahan", "tuatunu", "--format", "json", "--as-of", "2016-06-30", cwd=multi
    )
    assert [(r["date"], r["status"]) for r in json.loads(result.stdout)] == [
        ("2016-05-04", "vakum"),
        ("2016-05-11", "persiapan"),
        ("2016-05-18", "persiapan"),
    ]
    table = run("status", "--kelurahan", "Tuatunu", cwd=multi)
    assert table.stdout.splitlines()[0].strip() == "Tua Tunu Indah"
    lines = [line.split("  ")[:2] for line in table.stdout.splitlines()[3:]]
    assert [line for line in lines if line[0].startswith("2016")] == [
        ["2016-05-04", "vakum"],
        ["2016-05-11", "vakum → persiapan"],
    ]
    assert "meetings/2016/2016-05-11.md" in table.stdout
    unknown = run("status", "--kelurahan", "Keramt", cwd=multi)
    assert unknown.exit_code == 1 and "maksudnya 'Keramat'" in unknown.stderr


def test_unknown_status_word_is_a_usage_error(run, multi: Path) -> None:
    result = run("status", "--status", "bergulr", cwd=multi)
    assert result.exit_code == 2 and "maksudnya 'bergulir'" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--since", "2016-13-01"],
        ["status", "--as-of", "kemarin"],
        ["list", "--format", "xml"],
        ["report", "--month", "2016-13"],
        ["nosuchcommand"],
        ["status", "--team", "dua"],
    ],
)
def test_bad_options_exit_2_without_traceback(run, example: Path, args: list[str]) -> None:
    result = run(*args, cwd=example)
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr


def test_bad_config_exits_2_naming_the_line(run, workspace) -> None:
    root = workspace('group = "G"\nstale_after_week = 3\n')
    result = run("status", cwd=root)
    assert result.exit_code == 2
    assert (
        "kbik.toml:2: error: kunci 'stale_after_week' tidak dikenal (maksudnya "
        "'stale_after_weeks'?)" in result.stderr
    )


def test_bad_meeting_day_stops_validate_and_new(run, workspace) -> None:
    root = workspace(
        'meeting_day = "kemarin"\n',
        {"meetings/2016-05-11.md": "---\ndate: 2016-05-11\nattendees: []\n---\n"},
    )
    for args in (["validate"], ["new"]):
        result = run(*args, cwd=root)
        assert result.exit_code == 2
        assert "kbik.toml:1: error: meeting_day harus nama hari" in result.stderr


def test_workspace_option_and_environment(run, multi: Path, tmp_path: Path, monkeypatch) -> None:
    assert "2016-05-04" in run("-C", str(multi), "list", cwd=tmp_path).stdout
    monkeypatch.setenv("KBIK_WORKSPACE", str(multi))
    assert "2016-05-04" in run("list", cwd=tmp_path).stdout
    missing = run("-C", str(tmp_path / "nope"), "list")
    assert missing.exit_code == 2 and "workspace folder not found" in missing.stderr


def test_bad_kbik_today_is_a_usage_error(run, example: Path, monkeypatch) -> None:
    monkeypatch.setenv("KBIK_TODAY", "besok")
    result = run("status", cwd=example)
    assert result.exit_code == 2 and "KBIK_TODAY" in result.stderr


def test_python_dash_m_and_console_script(example: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kbik", "validate"],
        cwd=example,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "args, expected",
    [
        (["status", "--color", "never"], ["--color", "never", "status"]),
        (["status", "-C", "../kota", "--team", "2"], ["-C", "../kota", "status", "--team", "2"]),
        (["-C", "x", "status", "--team", "2"], ["-C", "x", "status", "--team", "2"]),
        (["cache", "clear", "--workspace=/w"], ["--workspace=/w", "cache", "clear"]),
        (["status", "-C."], ["-C.", "status"]),
        (["search", "--", "-C"], ["search", "--", "-C"]),
    ],
)
def test_kbiks_own_options_may_follow_the_command(args: list[str], expected: list[str]) -> None:
    from kbik.cli import global_first

    assert global_first(args) == expected


def test_options_after_the_command_work_as_typed(example: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kbik", "status", "--color", "never", "-C", str(example)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "KBIK_TODAY": "2016-05-12"},
    )
    assert result.returncode == 0, result.stderr
    assert "Tua Tunu Indah" in result.stdout and "\x1b[" not in result.stdout
