"""Shell completion through Typer's protocol: multi-word names arrive as one argument."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest


def complete(root: Path, shell: str, line: str) -> str:
    env = {**os.environ, "_KBIK_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        words = shlex.split(line)
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    finished = subprocess.run(
        [sys.executable, "-c", "from kbik.cli import main; main()"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout.strip()


@pytest.mark.parametrize(
    "shell, expected",
    [
        # Bash inserts what it is given: the space must come escaped.
        ("bash", "Air\\ Salemba"),
        # Zsh's _arguments and fish quote what they insert themselves.
        ("zsh", """_arguments '*: :(("Air Salemba"))'"""),
        ("fish", "Air Salemba"),
    ],
)
def test_a_multi_word_kelurahan_completes_as_one_argument(
    example: Path, shell: str, expected: str
) -> None:
    assert complete(example, shell, "kbik status --kelurahan Air") == expected


def test_bash_completes_a_multi_word_name_from_its_first_word(example: Path) -> None:
    # (After an escaped space, Typer's public completion filters the escaped names out:
    # the first word is where completing starts.)
    assert complete(example, "bash", "kbik status --kelurahan Tua").splitlines() == [
        "Tua\\ Tunu\\ Indah",
        "Tuatunu",
    ]
    found = complete(example, "bash", "kbik followups --kelurahan Bukit").splitlines()
    assert {"Bukit\\ Merapin", "Bukit\\ Merapen"} <= set(found)  # Merapen: the seed's alias


def test_status_words_and_teams_complete(example: Path) -> None:
    assert complete(example, "bash", "kbik status --status berg") == "bergulir"
    assert complete(example, "fish", "kbik list --team ").splitlines()[0] == "1\tYuri"


@pytest.mark.parametrize("where", ["before", "after"])
def test_completion_honours_the_workspace_option(example: Path, tmp_path: Path, where) -> None:
    line = (
        f"kbik -C {example} status --kelurahan Ker"
        if where == "before"
        else f"kbik status -C {example} --kelurahan Ker"
    )
    assert complete(tmp_path, "bash", line) == "Keramat"
    assert complete(tmp_path, "zsh", line) == """_arguments '*: :(("Keramat"))'"""


def test_report_date_completes_with_the_sessions_dates(example: Path) -> None:
    (example / "meetings" / "2016-05-18.md").write_text(
        (example / "meetings" / "2016-05-11.md")
        .read_text(encoding="utf-8")
        .replace("date: 2016-05-11", "date: 2016-05-18"),
        encoding="utf-8",
    )
    assert complete(example, "bash", "kbik report --date 2016-05").splitlines() == [
        "2016-05-18",
        "2016-05-11",
    ]


def test_templates_copy_completes_the_template_names(example: Path) -> None:
    assert complete(example, "bash", "kbik templates copy report.").splitlines() == [
        "report.docx",
        "report.html.j2",
        "report.md.j2",
        "report.txt.j2",
    ]
