"""The terminal at 80 and 120 columns: tables fit, words whole, help readable (golden)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCREENS = {
    "status": ["status", "--as-of", "2016-05-18"],
    "status-figures": ["status", "--as-of", "2016-05-18", "--figures"],
    "status-kelurahan": ["status", "--as-of", "2016-05-18", "--kelurahan", "Keramat"],
    "list": ["list"],
    "followups": ["followups", "--all", "--as-of", "2016-06-02"],
    "config": ["config"],
    "help": ["--help"],
    "status-help": ["status", "--help"],
}


def screen(root: Path, args: list[str], width: int) -> str:
    """What a person sees: kbik run as a program (help wraps to the real width only so)."""
    result = subprocess.run(
        [sys.executable, "-m", "kbik", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": str(width)},
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout
    if result.stderr:
        text += "--- stderr\n" + result.stderr
    # Trailing spaces, which rich pads lines with, are not part of what one sees.
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", sorted(SCREENS))
def test_screen_matches_golden(multi: Path, golden, name: str, width: int) -> None:
    text = screen(multi, SCREENS[name], width)
    text = text.replace(str(multi), "<workspace>")
    for line in text.split("--- stderr")[0].splitlines():
        assert len(line) <= width, line
    golden(f"terminal/{name}-{width}.txt", text)


def test_no_header_is_cut_and_nothing_is_silently_dropped(run, multi: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run("status", "--as-of", "2016-05-18", cwd=multi)
    assert "…" not in result.stdout
    header = result.stdout.splitlines()[1].split()
    assert header == ["kelurahan", "tim", "status", "dilaporkan", "lama", "catatan"]
    assert "tidak ditampilkan agar muat 80 kolom: sebelumnya, sejak (lihat dengan --format md)" in (
        result.stderr
    )


def test_figures_have_a_legend_in_the_report_language(run, multi: Path) -> None:
    out = run("status", "--figures", "--as-of", "2016-05-18", cwd=multi).stdout
    assert "Keterangan: ✓ memuaskan  ~ memadai  ✗ tidak memadai" in out
    config = multi / "kbik.toml"
    config.write_text('language = "en"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    out = run("status", "--figures", "--as-of", "2016-05-18", cwd=multi).stdout
    assert "Legend: ✓ good  ~ adequate  ✗ poor" in out


@pytest.mark.parametrize(
    "args, env, coloured",
    [
        ([], {}, False),  # not a terminal
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the option wins
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color_option(run, multi: Path, monkeypatch, args, env, coloured) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = run(*args, "status", "--as-of", "2016-05-18", cwd=multi).stdout
    assert ("\x1b[" in out) is coloured


def test_every_command_summary_is_whole_in_help(run) -> None:
    out = run("--help").stdout
    commands = out.split("Sessions:")[1]
    assert "..." not in commands
    for panel in ("Sessions:", "Reports:", "Workspace:"):
        assert panel in out


def test_help_placeholders_are_uniform(run) -> None:
    import re

    from kbik.cli import app

    del app  # every command's help, through the CLI
    seen: set[str] = set()
    for command in (
        ["status"],
        ["list"],
        ["followups"],
        ["report"],
        ["new"],
        ["validate"],
        ["init"],
        ["templates", "copy"],
    ):
        out = run(*command, "--help").stdout
        assert "<str>" not in out and "<int" not in out and "{" not in out, command
        seen |= set(re.findall(r"\s(?:--[\w-]+|-\w) ([A-Z][A-Z=.\[\]]*)", out))
    assert seen <= {"NAME", "N", "DATE", "WORD", "PATH", "MONTH", "KEY=VALUE"}, seen


def test_the_readme_pictures_are_current() -> None:
    """docs/*.svg are kbik's output as it is now (python docs/pictures.py redraws them)."""
    root = Path(__file__).resolve().parent.parent
    finished = subprocess.run(
        [sys.executable, str(root / "docs" / "pictures.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr
