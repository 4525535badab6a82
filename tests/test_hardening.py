"""Bad input, answered: a corpus of nasty files, each with what the user sees."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT

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
}


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A workspace with no roster, so only the file's own problems show."""
    (tmp_path / "meetings").mkdir()
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


def test_ten_thousand_kelurahan_in_one_file(run, example: Path) -> None:
    lines = [f"  Kelurahan {i}: vakum" for i in range(10_000)]
    text = "---\ndate: 2016-05-18\nattendees: []\nkelurahan:\n" + "\n".join(lines) + "\n---\n"
    (example / "meetings" / "2016-05-18.md").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    result = run("status", "--as-of", "2016-05-18", "--format", "json", cwd=example)
    assert time.perf_counter() - started < 10
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 10_010
    code, problems = validate(run, example, "2016-05-18.md")
    assert code == 0 and sum(p["code"] == "unknown-kelurahan" for p in problems) == 10_000


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
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    # Root reads every file whatever its mode, so the denial is simulated.
    monkeypatch.setattr(Path, "read_bytes", denied)
    code, problems = validate(run, bare, "locked.md")
    assert code == 1
    assert problems[0]["code"] == "unreadable"
    assert problems[0]["message"] == "cannot read the file: Permission denied"


@pytest.mark.parametrize(
    "config, message",
    [
        ('group = "KBIK\n', "kbik.toml:1:"),
        ("[[teams]]\nnumber = 'satu'\n", "kbik.toml:2: error: each [[teams]] needs a number"),
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
        ["new", "--date", "2016-05-25"],
    ):
        result = run(*command, cwd=bare)
        assert result.exit_code in (0, 1, 2), command
        assert "Traceback" not in result.stdout + result.stderr
    assert os.path.exists(bare / "meetings" / "2016-05-25.md")
