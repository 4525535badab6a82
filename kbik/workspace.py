"""The workspace: its config, its session files, and loading them all."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from kbik import cache, records
from kbik.config import Config, find_root, load_config
from kbik.model import UNREADABLE, Loaded, Problem, Session
from kbik.records import Detail, ReportGroup, Summary

MEETINGS = "meetings"
PATH_PROBLEMS = ("unreadable-folder", "link-loop", "broken-link", "outside-link", "not-a-file")


@dataclass(frozen=True)
class Catalogue:
    """Every loaded file, in path order, plus problems across files.

    It holds each file's summary; the details, and the sessions built from them,
    are fetched only when asked for: ``kbik status`` needs neither.
    """

    summaries: tuple[Summary, ...]
    problems: tuple[Problem, ...] = ()  # across files: paths that are no session, same dates
    fetch_details: Callable[[], Mapping[str, Detail]] = field(
        default=lambda: {}, repr=False, compare=False
    )
    # The index these came from (for kbik search); None when it was not used.
    index: cache.Cache | None = field(default=None, repr=False, compare=False)

    @cached_property
    def files(self) -> tuple[Loaded, ...]:
        """Every file's outcome, in path order."""
        found = self.fetch_details()
        return tuple(records.decode(summary, found[summary.path]) for summary in self.summaries)

    @cached_property
    def sessions(self) -> tuple[Session, ...]:
        """Valid sessions (without their bodies), by date then path."""
        valid = (item.session for item in self.files if item.session is not None)
        return tuple(sorted(valid, key=lambda session: (session.date, session.path)))

    @property
    def invalid(self) -> tuple[tuple[str, str | None], ...]:
        """Files that could not be read as a session, with the first error of each."""
        return tuple((s.path, s.first_error) for s in self.summaries if s.day is None)

    def invalid_dates(self, root: Path) -> tuple[tuple[str, dt.date | None], ...]:
        """Each invalid file with the date it was meant for, where that can be told."""
        return tuple((path, intended_date(root / path)) for path, _ in self.invalid)

    def reports(self) -> list[ReportGroup]:
        """What each valid session reported, by date then path."""
        valid = sorted((s.day, s.path, s.rows) for s in self.summaries if s.day is not None)
        return [(dt.date.fromordinal(day), path, rows) for day, path, rows in valid]

    @property
    def path_problems(self) -> tuple[Problem, ...]:
        """Paths under meetings/ that could not be read as files (links, folders)."""
        return tuple(p for p in self.problems if p.code in PATH_PROBLEMS)

    def unreadable(self) -> tuple[str, ...]:
        """What keeps the workspace from being read whole: folders, loops, unreadable files."""
        found = [p.path for p in self.path_problems if p.severity == "error"]
        found += [
            s.path
            for s in self.summaries
            if s.first_error is not None and s.first_error.startswith(UNREADABLE)
        ]
        return tuple(found)

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

    def session_files(self) -> tuple[list[tuple[str, str]], tuple[Problem, ...]]:
        """Every ``*.md`` under meetings/ as (name, path), sorted, and links left out."""
        files: list[tuple[str, str]] = []
        problems: list[Problem] = []
        # os.scandir, not Path.rglob: its entries know links and folders without a
        # system call each, which matters for an archive of tens of thousands of files.
        pending = [(self.meetings, MEETINGS)]
        while pending:
            folder, shown = pending.pop()
            try:
                entries = list(os.scandir(folder))
            except FileNotFoundError:
                continue  # no meetings/ yet
            except OSError as error:
                problems.append(
                    Problem(
                        shown,
                        "error",
                        "unreadable-folder",
                        f"cannot read the folder: {error.strerror}; the sessions in it are "
                        "left out (fix its permissions)",
                    )
                )
                continue
            for entry in entries:
                name = f"{shown}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), name))
                elif entry.name.endswith(".md"):
                    problem = self._link_problem(entry, name) if entry.is_symlink() else None
                    if problem is not None:
                        problems.append(problem)
                    elif entry.is_file():
                        files.append((name, entry.path))
                    else:  # a pipe, a socket or a device: reading it could wait forever
                        problems.append(
                            Problem(name, "warning", "not-a-file", "not a regular file; skipped")
                        )
        files.sort()
        return files, tuple(problems)

    def protected(self, path: Path) -> str | None:
        """Say why kbik must never write over ``path``; None when it may.

        Session files (anywhere), everything under meetings/, kbik.toml and the
        cache belong to the workspace, not to an output.
        """
        real = Path(os.path.realpath(path))
        root = Path(os.path.realpath(self.root))
        if real.is_relative_to(root / MEETINGS):
            return "lies under meetings/, which holds the session files"
        if real == root / "kbik.toml":
            return "is the workspace's kbik.toml"
        if real.is_relative_to(root / ".kbik-cache"):
            return "lies in the cache folder .kbik-cache/"
        if real.suffix == ".md" and real.is_file() and _looks_like_session(real):
            return "is a session file"
        return None

    def _link_problem(self, entry: os.DirEntry[str], name: str) -> Problem | None:
        """What is wrong with a link under meetings/, if anything."""
        try:
            target = Path(entry.path).resolve(strict=True)
        except RuntimeError:  # Python 3.11 reports a loop so
            return Problem(name, "error", "link-loop", "a link that loops back on itself")
        except OSError as error:
            if error.errno == errno.ELOOP:
                return Problem(name, "error", "link-loop", "a link that loops back on itself")
            return Problem(
                name,
                "warning",
                "broken-link",
                f"a link to a missing file: {os.readlink(entry.path)}",
            )
        if not target.is_relative_to(self.root.resolve()):
            return Problem(
                name,
                "warning",
                "outside-link",
                "a link to a file outside the workspace; not followed",
            )
        return None

    def load(
        self,
        paths: Sequence[Path] | None = None,
        *,
        use_cache: bool = True,
        progress: Progress | None = None,
    ) -> Catalogue:
        """Read the given files, or every session file, into a Catalogue.

        Files unchanged since the last run come from the cache; the others are
        parsed, on every core when there are many of them.
        """
        problems: tuple[Problem, ...] = ()
        if paths is None:
            files, problems = self.session_files()
        else:
            files = [(self.display(path), str(path)) for path in paths]
        store = cache.load(self.root, cache.cache_key(self.config.digest)) if use_cache else None
        summaries: list[Summary | None] = [None] * len(files)
        todo: list[int] = []
        for index, (name, path) in enumerate(files):
            summaries[index] = _cached(store, path, name)
            if summaries[index] is None:
                todo.append(index)
        fresh: dict[str, Detail] = {}
        parsed = _parse_all([(files[i][1], files[i][0]) for i in todo], self.config, progress)
        for index, (summary, detail, entry) in zip(todo, parsed, strict=True):
            summaries[index] = summary
            fresh[summary.path] = detail
            if store is not None and entry is not None:
                cache.store(store, files[index][0], entry, detail)
        if store is not None:
            if paths is None:
                cache.prune(store, {name for name, _ in files})
            cache.save(store)
        found = tuple(summary for summary in summaries if summary is not None)
        return Catalogue(
            found,
            problems + duplicate_dates(found),
            _detail_fetcher(files, fresh, store, self.config),
            store,
        )

    def with_bodies(self, sessions: Iterable[Session]) -> tuple[Session, ...]:
        """Return the sessions with their bodies read back from their files."""
        from kbik.documents import read_body

        return tuple(
            replace(session, body=read_body(self.root / session.path)) for session in sessions
        )


_DATE_LINE = re.compile(r"""^date:\s*["']?(\d{4}-\d{2}-\d{2})\b""", re.MULTILINE)
_DATE_IN_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")


def _head(path: Path) -> str:
    """The first 64 KiB of a file as text ('' when it cannot be read): enough for its
    front matter's first keys, without reading a large file whole."""
    try:
        with open(path, "rb") as stream:
            return stream.read(64 * 1024).decode("utf-8", "replace")
    except OSError:
        return ""


def intended_date(path: Path) -> dt.date | None:
    """The date a file that is no valid session was meant for: its 'date:', else its name."""
    line = _DATE_LINE.search(_head(path))
    named = _DATE_IN_NAME.search(path.name)
    for text in (line[1] if line else None, named[0] if named else None):
        if text is not None:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                continue
    return None


def _looks_like_session(path: Path) -> bool:
    """Tell whether a file starts with front matter that has a date, as sessions do."""
    from kbik.documents import is_fence

    lines = _head(path).lstrip("\ufeff").splitlines()
    if not lines or not is_fence(lines[0]):
        return False
    for line in lines[1:]:
        if is_fence(line):
            return False
        if line.startswith("date:"):
            return True
    return False


def _cached(store: cache.Cache | None, path: str, name: str) -> Summary | None:
    """Return the cached summary of a file if it still holds."""
    if store is None or name not in store.entries:
        return None
    try:
        stat = os.stat(path)
        hit = cache.lookup(store, name, stat)
        if hit is not None:
            return hit
        with open(path, "rb") as stream:
            return cache.lookup_content(store, name, stat, stream.read())
    except OSError:
        return None


def _detail_fetcher(
    files: list[tuple[str, str]],
    fresh: dict[str, Detail],
    store: cache.Cache | None,
    config: Config,
) -> Callable[[], Mapping[str, Detail]]:
    """Make the function that gives every file's detail: parsed now, cached, or parsed again."""

    def fetch() -> Mapping[str, Detail]:
        found = dict(fresh)
        missing = [name for name, _ in files if name not in found]
        if store is not None and missing:
            found.update(cache.details(store, missing))
        for name, path in files:
            if name not in found:  # the cache lost it (another kbik rewrote it): parse again
                found[name] = parse_file(Path(path), name, config)[1]
        return found

    return fetch


def parse_file(path: Path, name: str, config: Config) -> tuple[Summary, Detail, cache.Entry | None]:
    """Parse one file; also return its cache entry (None when it could not be read)."""
    # Imported here: a warm run, served from the cache, never needs the YAML parser.
    from kbik.documents import Document, parse_document, read_bytes
    from kbik.sessions import build_session

    started = time.time_ns()
    try:
        stat = path.stat()
    except OSError:
        stat = None
    raw = read_bytes(path, name)
    document = raw if isinstance(raw, Document) else parse_document(raw, name)
    session, problems = build_session(document, config)
    position = document.position(("date",))
    summary, detail = records.encode(
        Loaded(name, session, problems, position[0] if position else None)
    )
    if stat is None or isinstance(raw, Document):
        return summary, detail, None
    entry = cache.Entry(
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ctime_ns,
        stat.st_ino,
        cache.digest(raw),
        started,
        summary,
    )
    return summary, detail, entry


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 200
# From this many files to parse, a progress callback is told how far along it is.
PROGRESS_FROM = 300
Progress = Callable[[int, int], None]  # (files done, files in all)
_T = TypeVar("_T")
_worker_config: Config | None = None


def _init_worker(config: Config) -> None:
    global _worker_config  # one config per worker process
    _worker_config = config
    # Parsing makes no reference cycles; the cyclic collector would only spend time
    # scanning the records that pile up.
    gc.disable()


def _parse_in_worker(job: tuple[str, str]) -> tuple[Summary, Detail, cache.Entry | None]:
    assert _worker_config is not None
    return parse_file(Path(job[0]), job[1], _worker_config)


def _parse_all(
    jobs: list[tuple[str, str]], config: Config, progress: Progress | None = None
) -> list[tuple[Summary, Detail, cache.Entry | None]]:
    """Parse files, in worker processes on every core when there are many."""
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if len(jobs) < PARALLEL_FROM or not workers or workers < 2:
        return _counted(
            (parse_file(Path(path), name, config) for path, name in jobs), len(jobs), progress
        )
    from concurrent.futures import ProcessPoolExecutor

    import kbik.documents
    import kbik.sessions  # noqa: F401 - imported once here, inherited by forked workers

    # Chunks of at most 500 files: fewer round trips, yet no worker holds a huge batch.
    chunk = max(16, min(500, len(jobs) // (workers * 8)))
    try:
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(config,)) as pool:
            return _counted(pool.map(_parse_in_worker, jobs, chunksize=chunk), len(jobs), progress)
    except (OSError, RuntimeError):
        # No processes to be had here (a sandbox, a frozen app): parse in this one.
        return [parse_file(Path(path), name, config) for path, name in jobs]


def _counted(results: Iterable[_T], total: int, progress: Progress | None) -> list[_T]:
    """Collect results, telling ``progress`` how far along it is now and then."""
    if progress is None or total < PROGRESS_FROM:
        return list(results)
    collected = []
    for done, result in enumerate(results, start=1):
        collected.append(result)
        if done % 64 == 0 or done == total:
            progress(done, total)
    return collected


def duplicate_dates(found: Iterable[Summary]) -> tuple[Problem, ...]:
    """Report every session whose date an earlier file (in path order) already has."""
    first: dict[int, str] = {}
    problems = []
    for path, date_line, day, _, _ in found:
        if day is None:
            continue
        if day in first:
            iso = dt.date.fromordinal(day).isoformat()
            message = f"another session has the same date {iso}: {first[day]}"
            problems.append(Problem(path, "error", "duplicate-date", message, date_line))
        else:
            first[day] = path
    return tuple(problems)
