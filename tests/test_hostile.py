"""Hostile input, round three (issue 23): each case that was seen, with what the user sees."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT

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
