"""Shared fixtures: workspaces built in tmp_path, a CLI runner, golden files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kbik.cli import app

ROOT = Path(__file__).resolve().parent.parent
ASSETS = Path(__file__).resolve().parent / "assets"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite golden files from the current output."
    )


@pytest.fixture(autouse=True)
def _stable_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Pin what output depends on: width, today, language, no workspace from the caller
    (not even the folder pytest runs in: this repository is a workspace)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("KBIK_TODAY", "2016-05-12")
    monkeypatch.delenv("KBIK_WORKSPACE", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):  # outside a workspace: English
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def in_english(root: Path) -> Path:
    """The workspace at ``root`` with its kbik.toml switched to English: for the tests
    that pin kbik's refusals as the code writes them (test_i18n checks the Indonesian)."""
    config = root / "kbik.toml"
    text = config.read_text(encoding="utf-8")
    assert 'language = "id"' in text
    config.write_text(text.replace('language = "id"', 'language = "en"'), encoding="utf-8")
    return root


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the repository's example workspace."""
    target = tmp_path / "example"
    target.mkdir()
    shutil.copy(ROOT / "kbik.toml", target / "kbik.toml")
    shutil.copytree(ROOT / "meetings", target / "meetings")
    return target


@pytest.fixture
def four_weeks(tmp_path: Path) -> Path:
    """The example workspace with a session of the seed's length each Wednesday of May 2016."""
    target = tmp_path / "four-weeks"
    (target / "meetings").mkdir(parents=True)
    shutil.copy(ROOT / "kbik.toml", target / "kbik.toml")
    text = (ROOT / "meetings" / "2016-05-11.md").read_text(encoding="utf-8")
    for day in ("04", "11", "18", "25"):
        dated = text.replace("date: 2016-05-11", f"date: 2016-05-{day}", 1)
        (target / "meetings" / f"2016-05-{day}.md").write_text(dated, encoding="utf-8")
    return target


@pytest.fixture
def multi(tmp_path: Path) -> Path:
    """A copy of the small multi-session workspace (with one invalid file)."""
    target = tmp_path / "multi"
    shutil.copytree(ASSETS / "multi", target, ignore=shutil.ignore_patterns(".kbik-cache"))
    return target


@pytest.fixture
def workspace(tmp_path: Path) -> Callable[..., Path]:
    """Build a workspace from a config text and {relative path: text} files."""

    def build(config: str | None = None, files: dict[str, str] | None = None) -> Path:
        root = tmp_path / "ws"
        (root / "meetings").mkdir(parents=True, exist_ok=True)
        if config is not None:
            (root / "kbik.toml").write_text(config, encoding="utf-8")
        for name, text in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return build


class Run:
    """Invoke the CLI in-process; the result has exit_code, stdout and stderr."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, cwd: Path | None = None, input: str | None = None):
        previous = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            result = self.runner.invoke(app, list(args), input=input, catch_exceptions=True)
        finally:
            os.chdir(previous)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result


@pytest.fixture
def run() -> Iterator[Run]:
    yield Run()


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/NAME, or rewrite it with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {name} is missing; run pytest --update-golden")
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert text == path.read_text(encoding="utf-8"), f"{name} differs; see --update-golden"

    return check
