"""Hostile input, round three (issue 23): each case that was seen, with what the user sees."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, in_english

EXAMPLE = (ROOT / "meetings" / "2016-05-11.md").read_text(encoding="utf-8")


# kbik.toml


@pytest.mark.parametrize(
    "nested",
    ["a = " + "[" * 3000 + "]" * 3000, "a = " + "{b = " * 3000 + "1" + "}" * 3000],
)
def test_a_deeply_nested_config_is_a_clean_error(run, example: Path, nested: str) -> None:
    with (example / "kbik.toml").open("a", encoding="utf-8") as config:
        config.write("\n" + nested + "\n")
    for command in (["status"], ["validate"], ["config"]):
        result = run(*command, cwd=example)
        assert result.exit_code == 2, command
        assert "kbik.toml: error: invalid TOML: values are nested too deeply" in result.stderr


def test_config_table_cuts_a_huge_value_on_the_terminal(run, tmp_path: Path) -> None:
    (tmp_path / "meetings").mkdir()
    (tmp_path / "kbik.toml").write_text('group = "' + "x" * 2_000_000 + '"\n', encoding="utf-8")
    result = run("config", cwd=tmp_path)
    assert result.exit_code == 0
    shown = "".join(result.stdout.split())  # the cell wraps at 120 columns
    assert "(2,000,000characters;seeallwith--formatjson)" in shown
    assert len(result.stdout) < 20_000
    whole = run("config", "--format", "json", cwd=tmp_path)
    assert "x" * 2_000_000 in whole.stdout


# Two files, one date


@pytest.fixture
def copied(example: Path) -> Path:
    """Last week's file copied under a name without a date, its date left in, one status
    changed. (Under this week's dated name, the name and date disagree: an error of
    that file alone, tested below.)"""
    text = EXAMPLE.replace("status: persiapan", "status: pencairan", 1)
    (example / "meetings" / "2016-05-18.md").write_text(text, encoding="utf-8")
    (example / "meetings" / "2016-05-18.md").rename(example / "meetings" / "minggu-ini.md")
    return example


def test_a_copy_under_this_weeks_name_with_last_weeks_date_is_an_error(
    run, example: Path, monkeypatch
) -> None:
    monkeypatch.setenv("KBIK_TODAY", "2016-05-19")
    text = EXAMPLE.replace("status: persiapan", "status: pencairan", 1)
    (example / "meetings" / "2016-05-18.md").write_text(text, encoding="utf-8")
    result = run("validate", cwd=example)
    assert result.exit_code == 1
    assert (
        "meetings/2016-05-18.md:2:7: error: nama berkas menyebut 2016-05-18 tetapi 'date' "
        "berisi 2016-05-11: tulis 'date: 2016-05-18', atau beri nama berkas 2016-05-11.md"
    ) in result.stdout
    rows = __import__("json").loads(run("status", "--format", "json", cwd=example).stdout)
    assert {r["kelurahan"]: r["status"] for r in rows}["Tua Tunu Indah"] == "persiapan"


def test_two_files_one_date_are_both_errors(run, copied: Path) -> None:
    result = run("validate", cwd=copied)
    assert result.exit_code == 1
    for path, other in (("2016-05-11", "minggu-ini"), ("minggu-ini", "2016-05-11")):
        assert (
            f"meetings/{path}.md:2: error: ada sesi lain dengan tanggal yang sama 2016-05-11: "
            f"meetings/{other}.md" in result.stdout
        )


@pytest.mark.parametrize("command", [["status"], ["followups"], ["search", "pembukuan"], ["list"]])
def test_neither_file_of_one_date_counts(run, copied: Path, command: list[str]) -> None:
    result = run(*command, "--format", "json", cwd=copied)
    assert "Tuatunu" not in result.stdout and "2016-05-11" not in result.stdout
    assert "pencairan" not in result.stdout and "persiapan" not in result.stdout
    for path in ("2016-05-11", "minggu-ini"):
        assert f"meetings/{path}.md: dilewati, bukan sesi yang valid: ada sesi lain" in (
            result.stderr
        )


@pytest.mark.parametrize(
    "args",
    [["--date", "2016-05-11"], ["--month", "2016-05"], []],
)
def test_a_report_refuses_a_date_two_files_claim(run, copied: Path, args: list[str]) -> None:
    result = run("report", *args, cwd=copied)
    assert result.exit_code == 1
    assert "meetings/2016-05-11.md, meetings/minggu-ini.md tidak valid" in result.stderr
    assert result.stdout == ""


def test_one_date_counts_again_once_the_copy_has_its_own(run, copied: Path, monkeypatch) -> None:
    monkeypatch.setenv("KBIK_TODAY", "2016-05-19")
    copy = copied / "meetings" / "minggu-ini.md"
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("date: 2016-05-11", "date: 2016-05-18"),
        encoding="utf-8",
    )
    result = run("status", "--format", "json", cwd=copied)
    assert result.exit_code == 0 and "skipped" not in result.stderr
    rows = {row["kelurahan"]: row for row in __import__("json").loads(result.stdout)}
    assert rows["Tua Tunu Indah"]["status"] == "pencairan"


# A closed standard output


@pytest.mark.parametrize("command", [["status"], ["new", "--date", "2016-05-18"], ["list"]])
def test_a_closed_standard_output_is_said_and_nothing_is_done(
    example: Path, command: list[str]
) -> None:
    in_english(example)
    result = subprocess.run(
        [sys.executable, "-m", "kbik", *command],
        cwd=example,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),  # the child's stdout, closed
        check=False,
    )
    assert result.returncode == 2
    assert "standard output is closed, so nothing was done" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (example / "meetings" / "2016-05-18.md").exists()


# No raw control character reaches the terminal

OSC52 = "\x1b]52;c;aGVsbG8=\x07"  # a clipboard write


def test_search_escapes_a_file_name_holding_an_escape(run, example: Path) -> None:
    text = EXAMPLE.replace("date: 2016-05-11", "date: 2016-05-04")
    (example / "meetings" / f"evil{OSC52}.md").write_text(text, encoding="utf-8")
    result = run("search", "pembukuan", cwd=example)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "meetings/evil\\x1b]52;c;aGVsbG8=\\x07.md:" in result.stdout


def test_workspace_names_in_messages_and_lists_are_escaped(run, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates" / f"x{OSC52}.md.j2").write_text("{{ broken", encoding="utf-8")
    listed = run("templates", "list", cwd=example)
    assert "\x1b" not in listed.stdout and "x\\x1b]52" in listed.stdout
    failed = run("report", "--template", f"templates/x{OSC52}.md.j2", cwd=example)
    assert failed.exit_code == 2
    assert "\x1b" not in failed.stderr and "x\\x1b]52" in failed.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--kelurahan", "x\x1b[31m"],
        ["report", "--date", "\x1b[31m"],
        ["search", f"pembukuan{OSC52}"],
        ["new", "--date", "2016-05-18\x1b[2J"],
        ["--no-such-option\x1b[31m"],
    ],
)
def test_an_argument_holding_a_control_character_is_refused(example: Path, args) -> None:
    in_english(example)
    result = subprocess.run(
        [sys.executable, "-m", "kbik", *args],
        cwd=example,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "holds a control character; kbik takes none" in result.stderr
    assert "\x1b" not in result.stdout + result.stderr


# kbik export PATH


def test_export_replaces_its_own_export_keeping_its_permissions(run, example: Path) -> None:
    in_english(example)
    first = run("export", "kbik.sqlite", cwd=example)
    assert first.exit_code == 0
    assert first.stdout.startswith("kbik.sqlite: 1 session, 10 attendees, 2 absences,")
    target = example / "kbik.sqlite"
    target.chmod(0o640)
    again = run("export", "kbik.sqlite", cwd=example)
    assert again.exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in example.iterdir() if p.name.endswith(".tmp")] == []


def test_export_never_replaces_a_database_of_the_users_own(run, example: Path) -> None:
    in_english(example)
    own = example / "mine.sqlite"
    connection = sqlite3.connect(own)
    connection.execute("CREATE TABLE money (amount INTEGER)")
    connection.execute("INSERT INTO money VALUES (42)")
    connection.commit()
    connection.close()
    before = own.read_bytes()
    result = run("export", "mine.sqlite", cwd=example)
    assert result.exit_code == 2
    assert "mine.sqlite: exists and is not a kbik export" in result.stderr
    assert own.read_bytes() == before


def test_export_never_replaces_a_link(run, example: Path) -> None:
    in_english(example)
    assert run("export", "kbik.sqlite", cwd=example).exit_code == 0
    (example / "link.sqlite").symlink_to("kbik.sqlite")
    result = run("export", "link.sqlite", cwd=example)
    assert result.exit_code == 2
    assert "link.sqlite: is a link" in result.stderr
    assert (example / "link.sqlite").is_symlink()


@pytest.mark.parametrize("target", ["/dev/null", "/dev/stdout"])
def test_export_never_replaces_a_device_or_a_system_link(run, example: Path, target) -> None:
    before = os.lstat(target)
    result = run("export", target, cwd=example)
    assert result.exit_code == 2
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


def test_export_names_the_users_path_never_its_temporary_file(
    run, example: Path, monkeypatch
) -> None:
    import errno

    def full_disk(source, target):  # what a full disk does to the last step
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), source, target)

    monkeypatch.setattr(os, "replace", full_disk)
    result = run("export", "kbik.sqlite", cwd=example)
    assert result.exit_code == 2
    assert result.stderr == "kbik: kbik.sqlite: No space left on device\n"
    assert not (example / "kbik.sqlite").exists()
    assert [p.name for p in example.iterdir() if p.name.endswith(".tmp")] == []


# The cache's .gitignore, and init on a full disk


def test_the_cache_gitignore_is_written_again_when_it_is_wrong(run, example: Path) -> None:
    assert run("status", cwd=example).exit_code == 0
    ignore = example / ".kbik-cache" / ".gitignore"
    assert ignore.read_text(encoding="utf-8") == "*\n"
    for wrong in ("", "index.sqlite-wal\n"):  # left empty by a full disk; edited by hand
        ignore.write_text(wrong, encoding="utf-8")
        assert run("status", cwd=example).exit_code == 0
        assert ignore.read_text(encoding="utf-8") == "*\n"


def test_init_on_a_full_disk_leaves_nothing_half_made(run, tmp_path: Path, monkeypatch) -> None:
    import errno

    import kbik.init

    real = kbik.init.create_new
    calls = []

    def fills_up(path: Path, data) -> None:
        calls.append(path)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(kbik.init, "create_new", fills_up)
    target = tmp_path / "new-workspace"
    result = run("init", str(target), "--group", "KBIK", "--teams", "2", cwd=tmp_path)
    assert result.exit_code == 2
    assert "No space left on device; kbik init took back what it had made" in result.stderr
    assert not target.exists()
    (tmp_path / "existing").mkdir()
    (tmp_path / "existing" / "mine.txt").write_text("mine", encoding="utf-8")
    calls.clear()
    result = run("init", "existing", "--group", "KBIK", "--teams", "2", cwd=tmp_path)
    assert result.exit_code == 2
    assert sorted(p.name for p in (tmp_path / "existing").iterdir()) == ["mine.txt"]


# kbik search: its filters and its query


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "--kelurahan memerlukan nama kelurahan"),
        ("  ", "--kelurahan memerlukan nama kelurahan"),
        (
            "Bacangg",
            "--kelurahan 'Bacangg': tidak ada kelurahan itu di daftar maupun di sesi mana pun "
            "(maksudnya 'Bacang'?)",
        ),
    ],
)
def test_search_kelurahan_must_be_a_kelurahan(run, example: Path, name: str, message) -> None:
    result = run("search", "pembukuan", "--kelurahan", name, "--format", "json", cwd=example)
    assert result.exit_code == 2
    assert message in result.stderr


def test_search_kelurahan_takes_any_spelling_of_a_known_one(run, example: Path) -> None:
    for name in ("Bacang", "bacang", "Tuatunu", "tua tunu  indah"):
        query = "pembukuan OR persiapan"
        result = run("search", query, "--kelurahan", name, "--format", "json", cwd=example)
        assert result.exit_code == 0, name


@pytest.mark.parametrize(
    "query, found",
    [("UPK-KSM", 3), ("BKM/LKM", 1), ("UPK-K*", 3), ("dampingan.", 1), ("pembukuan", 1)],
)
def test_search_words_with_a_hyphen_or_slash_work_unquoted(run, example, query, found) -> None:
    result = run("search", query, "--format", "json", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert len(__import__("json").loads(result.stdout)) >= found


def test_search_a_leading_minus_says_to_write_not(run, example: Path) -> None:
    result = run("search", "pembukuan -rapat", cwd=example)
    assert result.exit_code == 2
    assert (
        "untuk mengecualikan kata, tulis NOT di depannya (misalnya 'pembukuan NOT rapat')"
        in result.stderr
    )


def test_search_refuses_a_query_too_long_to_answer(run, example: Path) -> None:
    query = " OR ".join(f"w{number}" for number in range(8000))
    result = run("search", query, cwd=example)
    assert result.exit_code == 2
    assert "pencarian berisi 8,000 kata; kbik mencari paling banyak 64 sekaligus" in result.stderr


# Templates: bounded, whatever they do

RUNAWAY = [
    "{{ '{:>999999999}'.format('a') }}",
    "{{ 'a'|center(999999999) }}",
    "{{ 'a'|indent(999999999) }}",
    "{{ '%*d'|format(999999999, 1) }}",
    "{% set s = namespace(v='ab') %}{% for i in range(60) %}{% set s.v = s.v ~ s.v %}"
    "{% endfor %}{{ s.v|length }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% macro m(n) %}{% if n %}{{ m(n-1) }}{{ m(n-1) }}{% endif %}{% endmacro %}{{ m(60) }}",
]


@pytest.fixture
def quick_limits(monkeypatch) -> None:
    """The render's limits, small enough for a test to meet them soon."""
    import kbik.limits

    monkeypatch.setattr(kbik.limits, "SECONDS", 2.0)
    monkeypatch.setattr(kbik.limits, "MEMORY", 256 * 1024 * 1024)


@pytest.mark.parametrize("source", RUNAWAY)
@pytest.mark.parametrize("name", ["report.md.j2", "report.html.j2", "report.txt.j2"])
def test_a_runaway_template_ends_with_a_clean_error(
    run, example: Path, quick_limits, source: str, name: str
) -> None:
    in_english(example)
    (example / "templates").mkdir()
    (example / "templates" / name).write_text(source, encoding="utf-8")
    output = {"report.md.j2": "md", "report.html.j2": "html", "report.txt.j2": "txt"}[name]
    result = run("report", "--format", output, cwd=example)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kbik: templates/{name}")
    assert "error: template failed: " in result.stderr


def test_a_runaway_session_template_writes_nothing(run, example: Path, quick_limits) -> None:
    in_english(example)
    (example / "templates").mkdir()
    (example / "templates" / "session.md.j2").write_text(RUNAWAY[5], encoding="utf-8")
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 2
    assert "templates/session.md.j2: error: template failed: it ran for more than 2" in (
        result.stderr
    )
    assert not (example / "meetings" / "2016-05-18.md").exists()


def test_a_runaway_word_template_ends_with_a_clean_error(run, example: Path, quick_limits) -> None:
    in_english(example)
    import io
    import zipfile

    from kbik.templating import default_templates

    source = (default_templates() / "report.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(out, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"{{ 'a'|center(999999999) }}</w:body>", 1)
            copy.writestr(item, data)
    (example / "templates").mkdir()
    (example / "templates" / "report.docx").write_bytes(out.getvalue())
    result = run("report", "--format", "docx", "-o", "r.docx", cwd=example)
    assert result.exit_code == 2
    assert result.stderr.startswith("kbik: templates/report.docx")
    assert "template failed" in result.stderr
    assert not (example / "r.docx").exists()


def test_a_workspace_template_that_behaves_renders_as_before(run, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates" / "report.md.j2").write_text(
        "{{ sessions|length }} {{ period.start }}\n", encoding="utf-8"
    )
    result = run("report", cwd=example)
    assert (result.exit_code, result.stdout) == (0, "1 2016-05-11\n")


# Templates that are not regular files


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda path: path.mkdir(), "template is not a regular file"),
        (lambda path: os.mkfifo(path), "template is not a regular file"),
        (_loop, "template is a link that loops or leads nowhere"),
        (lambda path: path.symlink_to("/dev/zero"), "template is not a regular file"),
    ],
)
def test_a_template_that_is_no_regular_file_is_an_error(run, example: Path, make, message) -> None:
    in_english(example)
    (example / "templates").mkdir()
    make(example / "templates" / "report.md.j2")
    result = run("report", cwd=example)
    assert result.exit_code == 2
    assert f"templates/report.md.j2: error: {message}" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_template_option_refuses_what_is_no_regular_file(run, example: Path, target) -> None:
    in_english(example)
    if target == "fifo":
        os.mkfifo(example / "fifo")
    result = run("report", "--template", target, cwd=example)
    assert result.exit_code == 2
    assert f"--template {target}: is not a regular file" in result.stderr


def test_a_word_template_linked_outside_the_workspace_is_refused(
    run, example: Path, tmp_path: Path
) -> None:
    in_english(example)
    from kbik.templating import default_templates

    outside = tmp_path / "elsewhere.docx"
    outside.write_bytes((default_templates() / "report.docx").read_bytes())
    (example / "templates").mkdir()
    (example / "templates" / "report.docx").symlink_to(outside)
    result = run("report", "--format", "docx", "-o", "r.docx", cwd=example)
    assert result.exit_code == 2
    assert "templates/report.docx: error: template is a link to a file outside the workspace" in (
        result.stderr
    )
