"""Bad input, answered: a corpus of nasty files, each with what the user sees."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, in_english
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NASTY = Path(__file__).resolve().parent / "nasty"

# file -> (exit code of `kbik validate FILE`, problem codes in order)
EXPECTED = {
    "empty.md": (1, ["no-front-matter"]),
    "only-dashes.md": (1, ["unclosed-front-matter"]),
    "unclosed.md": (1, ["unclosed-front-matter"]),
    "second-block.md": (0, ["second-front-matter"]),
    "tabs.md": (1, ["yaml-syntax"]),
    "crlf.md": (0, []),
    "mixed-endings.md": (0, []),
    "bom.md": (0, []),
    "utf16.md": (1, ["not-utf8"]),
    "latin1.md": (1, ["not-utf8"]),
    "nul.md": (1, ["nul-byte"]),
    "deep.md": (1, ["too-deep"]),
    "billion-laughs.md": (1, ["yaml-alias"]),
    "python-tag.md": (1, ["yaml-tag"]),
    "binary-tag.md": (1, ["yaml-tag"]),
    "custom-tag.md": (1, ["yaml-tag"]),
    "date-feb-30.md": (1, ["invalid-date"]),
    "date-indonesian.md": (1, ["invalid-date"]),
    "date-short.md": (1, ["invalid-date"]),
    "merge-conflict.md": (1, ["merge-conflict"]),
    "list-front-matter.md": (1, ["not-a-mapping"]),
    "long-integer.md": (1, ["too-long-number"]),
    "tag-bool-on-number.md": (1, ["yaml-tag"]),
    "tag-map-on-scalar.md": (1, ["yaml-tag"]),
    "tag-seq-on-scalar.md": (1, ["yaml-tag"]),
    "tag-map-on-list.md": (1, ["yaml-tag"]),
    "tag-seq-on-map.md": (1, ["yaml-tag"]),
    "tag-int-empty.md": (1, ["yaml-tag"]),
    "tag-float-empty.md": (1, ["yaml-tag"]),
    "null-front-matter.md": (1, ["not-a-mapping"]),
    "tilde-front-matter.md": (1, ["not-a-mapping"]),
    "scalar-front-matter.md": (1, ["not-a-mapping"]),
}


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A workspace with no roster, so only the file's own problems show (in English, as
    the code writes them; test_i18n has them in Indonesian)."""
    (tmp_path / "meetings").mkdir()
    (tmp_path / "kbik.toml").write_text('language = "en"\n', encoding="utf-8")
    return tmp_path


def validate(run, root: Path, name: str) -> tuple[int, list[dict]]:
    result = run("validate", "--format", "json", f"meetings/{name}", cwd=root)
    return result.exit_code, json.loads(result.stdout)["problems"]


def test_every_nasty_file_has_an_expected_outcome() -> None:
    assert {p.name for p in NASTY.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nasty_file(run, bare: Path, name: str) -> None:
    shutil.copy(NASTY / name, bare / "meetings" / name)
    started = time.perf_counter()
    code, problems = validate(run, bare, name)
    assert time.perf_counter() - started < 2
    expected_code, expected_problems = EXPECTED[name]
    assert code == expected_code
    assert [p["code"] for p in problems] == expected_problems
    for problem in problems:
        assert problem["path"] == f"meetings/{name}"
        assert problem["line"] is not None
    assert not Path("/tmp/kbik-pwned").exists()


def test_messages_say_what_to_do(run, bare: Path) -> None:
    for name in ("tabs.md", "utf16.md", "merge-conflict.md", "billion-laughs.md"):
        shutil.copy(NASTY / name, bare / "meetings" / name)
    out = run("validate", cwd=bare).stdout
    assert (
        "meetings/tabs.md:5:1: error: YAML syntax error: found character that cannot "
        "start any token (a tab: YAML indents with spaces only)" in out
    )
    assert "meetings/utf16.md:1:1: error: the file is UTF-16; save it as UTF-8" in out
    assert "meetings/merge-conflict.md:4: error: unresolved git merge conflict" in out
    assert "meetings/billion-laughs.md:5:4: error: YAML anchors and aliases" in out


def test_file_over_a_mebibyte_is_refused_unread(run, bare: Path) -> None:
    big = bare / "meetings" / "big.md"
    big.write_bytes(b"---\ndate: 2016-05-11\nattendees: []\n---\n" + b"x" * (5 * 1024 * 1024))
    code, problems = validate(run, bare, "big.md")
    assert code == 1 and [p["code"] for p in problems] == ["too-large"]


def test_ten_thousand_kelurahan_in_one_file(run, bare: Path, example: Path) -> None:
    lines = [f"  Kelurahan {i}: vakum" for i in range(10_000)]
    text = "---\ndate: 2016-05-18\nattendees: []\nkelurahan:\n" + "\n".join(lines) + "\n---\n"
    (bare / "meetings" / "2016-05-18.md").write_text(text, encoding="utf-8")
    result = run("status", "--as-of", "2016-05-18", "--format", "json", cwd=bare)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 10_000
    assert validate(run, bare, "2016-05-18.md") == (0, [])
    # With a roster, each of them is a slip to fix.
    (example / "meetings" / "2016-05-18.md").write_text(text, encoding="utf-8")
    code, problems = validate(run, example, "2016-05-18.md")
    assert code == 1 and sum(p["code"] == "unknown-kelurahan" for p in problems) == 10_000


def test_link_to_a_file_outside_is_not_followed(run, bare: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text("---\ndate: 2016-05-11\nattendees: []\n---\nsecret\n", encoding="utf-8")
    (bare / "meetings" / "link.md").symlink_to(outside)
    result = run("validate", cwd=bare)
    assert result.exit_code == 0
    assert (
        "meetings/link.md: warning: a link to a file outside the workspace; not followed"
        in result.stdout
    )
    assert json.loads(run("list", "--format", "json", cwd=bare).stdout) == []


def test_unreadable_file_is_named(run, bare: Path, monkeypatch) -> None:
    path = bare / "meetings" / "locked.md"
    path.write_text("---\ndate: 2016-05-11\nattendees: []\n---\n", encoding="utf-8")
    import os

    from kbik import documents

    real_open = os.open

    def denied(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(file).name == "locked.md":
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    # Root reads every file whatever its mode, so the denial is simulated.
    monkeypatch.setattr(documents.os, "open", denied)
    code, problems = validate(run, bare, "locked.md")
    assert code == 1
    assert problems[0]["code"] == "unreadable"
    assert problems[0]["message"] == "cannot read the file: Permission denied"


@pytest.mark.parametrize(
    "config, message",
    [
        ('group = "KBIK\n', "kbik.toml:1:"),
        # No language in the file: Indonesian, the default.
        ("[[teams]]\nnumber = 'satu'\n", "kbik.toml:2: error: setiap [[teams]] perlu number"),
        ("\x00", "kbik.toml:1:1: error: invalid TOML"),
    ],
)
def test_bad_config_is_a_configuration_error(run, bare: Path, config: str, message: str) -> None:
    (bare / "kbik.toml").write_text(config, encoding="utf-8")
    for command in (["validate"], ["list"], ["status"], ["report"], ["new"]):
        result = run(*command, cwd=bare)
        assert result.exit_code == 2, command
        assert message in result.stderr


def test_template_cannot_read_files_outside(run, example: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("rahasia", encoding="utf-8")
    (example / "templates").mkdir()
    for include in (f"{secret}", "../../secret.txt", "../secret.txt"):
        (example / "templates" / "report.txt.j2").write_text(
            f'{{% include "{include}" %}}\n', encoding="utf-8"
        )
        result = run("report", "--format", "txt", cwd=example)
        assert result.exit_code == 2, include
        assert "rahasia" not in result.stdout


def test_template_cannot_run_a_command(run, example: Path, tmp_path: Path) -> None:
    in_english(example)
    marker = tmp_path / "ran"
    (example / "templates").mkdir()
    (example / "templates" / "report.txt.j2").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}"
        f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n",
        encoding="utf-8",
    )
    result = run("report", "--format", "txt", cwd=example)
    assert result.exit_code == 2 and "template failed" in result.stderr
    assert not marker.exists()


def test_names_in_files_never_become_paths(run, example: Path) -> None:
    text = (
        "---\ndate: 2016-05-18\nattendees: []\ntitle: ../../../etc/passwd\n"
        "kelurahan:\n  ../../etc/passwd: vakum\n---\n"
    )
    (example / "meetings" / "2016-05-18.md").write_text(text, encoding="utf-8")
    config = example / "kbik.toml"
    config.write_text(
        config.read_text().replace('"Ampui"]', '"Ampui", "../../etc/passwd"]'), encoding="utf-8"
    )
    before = sorted(p.relative_to(example) for p in example.rglob("*"))
    assert run("report", "--date", "2016-05-18", cwd=example).exit_code == 0
    assert run("new", "--date", "2016-05-25", cwd=example).exit_code == 0
    after = sorted(
        p.relative_to(example) for p in example.rglob("*") if ".kbik-cache" not in p.parts
    )
    assert [p for p in after if p not in before] == [Path("meetings/2016-05-25.md")]


def test_readme_lists_what_kbik_does_with_bad_input() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## What kbik does with bad input" in readme
    for case in (
        "UTF-16",
        "Latin-1",
        "merge conflict",
        "billion laughs",
        "tabs",
        "!!python/object/apply",
        "symlink",
        "Permission denied",
        "5 MiB",
        "symlink loop",
        "FIFO",
        "plain data",
        "not UTF-8",
        "piped into `head`",
    ):
        assert case in readme, case


def test_no_traceback_for_nasty_files_in_every_command(run, bare: Path) -> None:
    for name in EXPECTED:
        shutil.copy(NASTY / name, bare / "meetings" / name)
    for command in (
        ["validate"],
        ["list"],
        ["status"],
        ["report"],
        ["followups"],
        ["search", "body"],
        ["export", "out.sqlite"],
        ["new", "--date", "2016-05-25"],
    ):
        result = run(*command, cwd=bare)
        assert result.exit_code in (0, 1, 2), command
        assert "Traceback" not in result.stdout + result.stderr
    # Invalid files meant for the weeks before: new refuses rather than lose what they hold.
    assert "not valid, and would be the last session before 2016-05-25" in result.stderr
    assert not os.path.exists(bare / "meetings" / "2016-05-25.md")


# Issue 12: each of these printed a traceback.
@pytest.mark.parametrize(
    "args, env, message",
    [
        (["report", "--since", "0001-01-01"], {}, None),
        (["new"], {"KBIK_TODAY": "9999-12-31"}, None),  # the Wednesday two days before
        (["new", "--date", "9999-12-31"], {}, None),
        (["report", "--month", "0000-01"], {}, "--month takes YYYY-MM"),
        (["status", "--as-of", "9999-12-31"], {}, None),
        (["report", "--since", "0001-01-01", "--until", "9999-12-31"], {}, None),
    ],
)
def test_extreme_dates_are_answered(run, example: Path, monkeypatch, args, env, message) -> None:
    in_english(example)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = run(*args, cwd=example)
    assert result.exit_code in (0, 2)
    if message:
        assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize("weeks", ["99999999999999999999", "-3", "0", "521", "1e3", "'4'"])
def test_stale_after_weeks_out_of_range_names_the_line(run, example: Path, weeks: str) -> None:
    in_english(example)
    config = example / "kbik.toml"
    text = config.read_text(encoding="utf-8").replace(
        "stale_after_weeks = 4", f"stale_after_weeks = {weeks}"
    )
    config.write_text(text, encoding="utf-8")
    result = run("status", cwd=example)
    assert result.exit_code == 2
    expected = "kbik.toml:7: error: stale_after_weeks must be a whole number of weeks from 1 to 520"
    assert expected in result.stderr


@pytest.mark.parametrize("value", ["9" * 400, ".nan", ".inf", "-.inf", "1.0e+400", "1.0e+16"])
def test_figures_must_be_finite(run, example: Path, value: str) -> None:
    path = example / "meetings" / "2016-05-11.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("peserta_pwk: 12", f"peserta_pwk: {value}"),
        encoding="utf-8",
    )
    result = run("validate", "--format", "json", cwd=example)
    assert result.exit_code == 1
    problem = json.loads(result.stdout)["problems"][0]
    assert problem["code"] == "figure-range" and problem["line"] is not None
    assert "angka yang wajar" in problem["message"] and len(problem["message"]) < 200
    for command in (["status", "--figures", "--format", "json"], ["list", "--format", "json"]):
        out = run(*command, cwd=example).stdout
        assert "NaN" not in out and "Infinity" not in out


def test_a_malformed_editor_command_is_named(run, example: Path, monkeypatch) -> None:
    in_english(example)
    monkeypatch.setenv("EDITOR", 'vim "')
    monkeypatch.delenv("VISUAL", raising=False)
    result = run("new", "--edit", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 2
    assert "$EDITOR is not a valid command" in result.stderr
    assert "the file was created" in result.stderr
    assert (example / "meetings" / "2016-05-18.md").exists()


def kbik_process(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "kbik", *args],
        cwd=root,
        capture_output=True,
        env={**os.environ, "KBIK_TODAY": "2016-05-12", **env},
    )


def test_init_refuses_text_that_is_not_utf8(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "kbik", "init", "w", b"--group", b"G\xff"],
        cwd=tmp_path,
        capture_output=True,
    )
    assert finished.returncode == 2
    assert b"--group is not valid UTF-8 text" in finished.stderr
    assert b"Traceback" not in finished.stderr
    assert not (tmp_path / "w" / "kbik.toml").exists()


def test_output_in_an_encoding_that_lacks_characters(example: Path) -> None:
    for args in (["config"], ["status"], ["report", "--format", "txt"]):
        finished = kbik_process(example, *args, PYTHONIOENCODING="latin-1")
        assert finished.returncode == 0, finished.stderr
        assert b"Traceback" not in finished.stderr


def test_a_closed_pipe_ends_quietly(example: Path) -> None:
    for week in range(40):
        day = f"2015-{week // 4 + 1:02d}-{week % 4 * 7 + 1:02d}"
        (example / "meetings" / f"{day}.md").write_text(
            f"---\ndate: {day}\nattendees: [Orang Asing]\n---\n", encoding="utf-8"
        )
    for args in (["list", "--format", "jsonl"], ["validate"]):
        process = subprocess.Popen(
            [sys.executable, "-m", "kbik", *args],
            cwd=example,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        error = process.stderr.read()
        code = process.wait()
        assert code in (0, -signal.SIGPIPE, 1), code
        assert b"Broken pipe" not in error and b"Traceback" not in error


def test_control_characters_are_escaped_in_terminal_output(run, example: Path) -> None:
    path = example / "meetings" / "2016-05-11.md"
    hostile = "\\e]52;c;cHduZWQ=\\a\\e[2K\\rLooks fine\\x9b"
    text = path.read_text(encoding="utf-8").replace(
        "attendees: [Iwan,", f'attendees: ["{hostile}", Iwan,', 1
    )
    path.write_text(text, encoding="utf-8")
    for args in (
        ["validate"],
        ["validate", "--format", "github"],
        ["validate", "--format", "json"],
        ["list", "--format", "csv"],
        ["list", "--format", "md"],
        ["list", "--format", "json"],
        ["list", "--where", "attendees=x"],
    ):
        result = run(*args, cwd=example)
        shown = result.stdout + result.stderr
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown), args
    assert "\\x1b]52;c;cHduZWQ=\\x07\\x1b[2K\\x0dLooks fine" in run("validate", cwd=example).stdout


def test_a_link_loop_spoils_only_itself(run, example: Path) -> None:
    (example / "meetings" / "loop.md").symlink_to("loop.md")
    (example / "meetings" / "gone.md").symlink_to("nowhere.md")
    result = run("validate", cwd=example)
    assert result.exit_code == 1
    assert (
        "meetings/loop.md: error: tautan yang berputar kembali ke dirinya sendiri" in result.stdout
    )
    assert "meetings/gone.md: warning: tautan ke berkas yang tidak ada: nowhere.md" in result.stdout
    status = run("status", "--format", "json", cwd=example)
    assert status.exit_code == 0 and json.loads(status.stdout)
    assert (
        "meetings/loop.md: dilewati: tautan yang berputar kembali ke dirinya sendiri"
        in status.stderr
    )
    listed = run("list", "--format", "json", cwd=example)
    assert [row["date"] for row in json.loads(listed.stdout)] == ["2016-05-11"]


def test_an_unreadable_folder_is_reported_and_blocks_new(run, example: Path, monkeypatch) -> None:
    locked = example / "meetings" / "2016"
    locked.mkdir()
    real = os.scandir

    def denied(path):  # root reads every folder whatever its mode: simulate the denial
        if str(path).endswith("meetings/2016"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", denied)
    result = run("validate", cwd=example)
    assert result.exit_code == 1
    assert "meetings/2016: error: folder tidak bisa dibaca: Permission denied" in result.stdout
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 1
    assert "workspace tidak terbaca seluruhnya (meetings/2016)" in result.stderr
    assert not (example / "meetings" / "2016-05-18.md").exists()


def test_the_same_file_named_twice_is_one_file(run, example: Path) -> None:
    name = "meetings/2016-05-11.md"
    result = run("validate", name, f"./{name}", str(example / name), cwd=example)
    assert result.exit_code == 0
    assert "duplicate-date" not in result.stdout and "same date" not in result.stdout
    assert "1 berkas diperiksa" in result.stderr


def test_new_never_writes_a_file_that_validate_rejects(run, workspace) -> None:
    teams = "".join(
        f'[[teams]]\nnumber = {n}\nmembers = ["Fasilitator Kelurahan Nomor {n}"]\n'
        f'kelurahan = ["Kelurahan Dengan Nama Panjang {n}"]\n'
        for n in range(1, 7001)
    )
    root = workspace(teams)
    result = run("new", "--date", "2016-05-18", cwd=root)
    assert result.exit_code == 2
    assert "melebihi 1 MiB batas berkas sesi" in result.stderr
    assert not (root / "meetings" / "2016-05-18.md").exists()


def test_init_checks_every_target_before_writing(run, tmp_path: Path) -> None:
    target = tmp_path / "w"
    target.mkdir()
    (target / "meetings").write_text("a file where a folder belongs\n")
    result = run("init", str(target), "--group", "G", "--teams", "1")
    assert result.exit_code == 2
    assert "meetings is in the way" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["meetings"]
    (target / "meetings").unlink()
    assert run("init", str(target), "--group", "G", "--teams", "1").exit_code == 0


ODD_KINDS = ("session", "loop", "broken", "outside", "fifo", "folder", "folder-link", "empty")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kinds=st.lists(st.sampled_from(ODD_KINDS), min_size=1, max_size=6))
def test_odd_file_system_objects_spoil_only_themselves(run, tmp_path_factory, kinds) -> None:
    root = tmp_path_factory.mktemp("odd")
    meetings = root / "meetings"
    meetings.mkdir()
    outside = tmp_path_factory.mktemp("outside") / "x.md"
    outside.write_text("---\ndate: 2016-05-04\nattendees: []\n---\n", encoding="utf-8")
    for index, kind in enumerate(kinds):
        path = meetings / f"{index:02d}-{kind}.md"
        if kind == "session":
            path.write_text(
                f"---\ndate: 2016-{index + 1:02d}-11\nattendees: []\n---\n", encoding="utf-8"
            )
        elif kind == "loop":
            path.symlink_to(path.name)
        elif kind == "broken":
            path.symlink_to("nowhere.md")
        elif kind == "outside":
            path.symlink_to(outside)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
            (path / "inner.md").write_text("no front matter\n", encoding="utf-8")
        elif kind == "folder-link":
            path.symlink_to(root)
        else:
            path.write_bytes(b"")
    sessions = kinds.count("session")
    for args in (["validate"], ["list", "--format", "json"], ["status"], ["followups"]):
        result = run(*args, cwd=root)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert "Traceback" not in result.stderr
    listed = json.loads(run("list", "--format", "json", cwd=root).stdout)
    assert len(listed) == sessions


def test_validate_changed_reads_names_that_are_not_ascii(run, multi: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=multi, check=True)
    subprocess.run([*git, "add", "."], cwd=multi, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=multi, check=True)
    (multi / "meetings" / "Pertemuan ke-2 – Mei.md").write_text(
        "---\ndate: 2016-05-25\nattendees: [Siapa]\n---\n", encoding="utf-8"
    )
    result = run("validate", "--changed", "--format", "json", cwd=multi)
    paths = {p["path"] for p in json.loads(result.stdout)["problems"]}
    assert paths == {"meetings/Pertemuan ke-2 – Mei.md"}
