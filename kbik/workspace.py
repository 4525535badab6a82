"""The workspace: its config, its session files, and loading them all."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kbik.config import Config, find_root, load_config
from kbik.documents import read_document
from kbik.model import Problem, Session
from kbik.sessions import build_session

MEETINGS = "meetings"


@dataclass(frozen=True)
class Loaded:
    """One file's outcome: its session (None when invalid) and its problems."""

    path: str
    session: Session | None
    problems: tuple[Problem, ...]
    date_line: int | None = None  # where 'date' stands, for problems across files


@dataclass(frozen=True)
class Catalogue:
    """Every loaded file, in path order, plus problems about the set of files."""

    files: tuple[Loaded, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def sessions(self) -> tuple[Session, ...]:
        """Valid sessions, by date then path."""
        valid = (item.session for item in self.files if item.session is not None)
        return tuple(sorted(valid, key=lambda session: (session.date, session.path)))

    @property
    def invalid(self) -> tuple[Loaded, ...]:
        """Files that could not be read as a session."""
        return tuple(item for item in self.files if item.session is None)

    @property
    def all_problems(self) -> tuple[Problem, ...]:
        """Every problem, per file and across files, in path then line order."""
        problems = [p for item in self.files for p in item.problems] + list(self.problems)
        return tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.column or 0)))


@dataclass(frozen=True)
class Workspace:
    """A folder holding kbik.toml (optional) and a meetings/ folder."""

    root: Path
    config: Config

    @classmethod
    def open(cls, start: Path, explicit: Path | None = None) -> Workspace:
        """Find the workspace from ``start`` (or take ``explicit``) and read its config."""
        root = find_root(start, explicit)
        return cls(root, load_config(root))

    @property
    def meetings(self) -> Path:
        """The folder that holds the session files."""
        return self.root / MEETINGS

    def display(self, path: Path) -> str:
        """Name a file relative to the workspace, with / separators."""
        try:
            return path.absolute().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def session_files(self) -> tuple[tuple[Path, ...], tuple[Problem, ...]]:
        """Every ``*.md`` under meetings/, sorted, and warnings about links left out."""
        files: list[Path] = []
        problems: list[Problem] = []
        if not self.meetings.is_dir():
            return (), ()
        for folder, dirs, names in os.walk(self.meetings):
            dirs.sort()
            for name in sorted(names):
                if not name.endswith(".md"):
                    continue
                path = Path(folder, name)
                if path.is_symlink() and not self._inside(path):
                    problems.append(
                        Problem(
                            self.display(path),
                            "warning",
                            "outside-link",
                            "a link to a file outside the workspace; not followed",
                        )
                    )
                    continue
                files.append(path)
        return tuple(sorted(files, key=lambda path: path.as_posix())), tuple(problems)

    def _inside(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.root.resolve())

    def load(self, paths: Sequence[Path] | None = None) -> Catalogue:
        """Read the given files, or every session file, into a Catalogue."""
        problems: tuple[Problem, ...] = ()
        if paths is None:
            paths, problems = self.session_files()
        loaded = tuple(self.load_file(path) for path in paths)
        return Catalogue(loaded, problems + duplicate_dates(loaded))

    def load_file(self, path: Path) -> Loaded:
        """Read one file into a Loaded outcome."""
        display = self.display(path)
        document = read_document(path, display)
        session, problems = build_session(document, self.config)
        position = document.position(("date",))
        return Loaded(display, session, problems, position[0] if position else None)


def duplicate_dates(files: Iterable[Loaded]) -> tuple[Problem, ...]:
    """Report every session whose date an earlier file (in path order) already has."""
    first: dict[object, str] = {}
    problems = []
    for item in files:
        if item.session is None:
            continue
        day = item.session.date
        if day in first:
            problems.append(
                Problem(
                    item.path,
                    "error",
                    "duplicate-date",
                    f"another session has the same date {day.isoformat()}: {first[day]}",
                    item.date_line,
                )
            )
        else:
            first[day] = item.path
    return tuple(problems)
