"""The workspace: its config, its session files, and loading them all."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbik import cache, records
from kbik.config import Config, find_root, load_config
from kbik.problems import UNREADABLE, Problem
from kbik.records import Detail, Head, ReportGroup, ReportRow

if TYPE_CHECKING:
    from kbik.model import Loaded, Session
    from kbik.status import StatusRow

MEETINGS = "meetings"
Clock = Callable[[], int]  # the time now, in nanoseconds
PATH_PROBLEMS = ("unreadable-folder", "link-loop", "broken-link", "outside-link", "not-a-file")


@dataclass(frozen=True)
class Catalogue:
    """Every loaded file's head, in path order, plus problems across files.

    The rows ``kbik status`` reads, the details, and the sessions built from them are
    fetched only when asked for, from the index or this run's own parsing: a cold
    ``status`` of a large archive never holds every file in memory.
    """

    heads: tuple[Head, ...]
    problems: tuple[Problem, ...] = ()  # across files: paths that are no session, same dates
    source: Source | None = field(default=None, repr=False, compare=False)

    @cached_property
    def files(self) -> tuple[Loaded, ...]:
        """Every file's outcome, in path order."""
        found = self.source.details() if self.source is not None else {}
        return records.decode((head, found[head.path]) for head in self.heads)

    @cached_property
    def sessions(self) -> tuple[Session, ...]:
        """Valid sessions (without their bodies), by date then path."""
        counted = {head.path for head in self.heads if head.day is not None}
        valid = (item.session for item in self.files if item.session and item.path in counted)
        return tuple(sorted(valid, key=lambda session: (session.date, session.path)))

    @property
    def invalid(self) -> tuple[tuple[str, str | None], ...]:
        """Files that could not be read as a session, with the first error of each."""
        return tuple((h.path, h.first_error) for h in self.heads if h.day is None)

    def invalid_dates(self, root: Path) -> tuple[tuple[str, dt.date | None], ...]:
        """Each invalid file with the date it was meant for, where that can be told."""
        return tuple((path, intended_date(root / path)) for path, _ in self.invalid)

    def reports(self) -> Reports:
        """What each valid session reported, by date then path; read afresh each time it
        is iterated."""
        valid = sorted((h.day, h.path) for h in self.heads if h.day is not None)
        return Reports(valid, self.source)

    def status_rows(self, config: Config, as_of: dt.date) -> tuple[StatusRow, ...]:
        """Where each kelurahan stands on ``as_of`` (see ``status.status_rows``).

        When every session counts (none is after ``as_of``), the kelurahan's tracks
        depend on the files' contents alone: the index keeps them, those before the
        latest session too, so that an unchanged workspace, a new latest session or
        an edit of the latest (this week's minutes) reads one session's rows at most.
        """
        from kbik import status

        source = self.source
        reports = self.reports()
        order = reports.order
        if (
            source is None
            or source.index is None
            or source.index.connection is None
            or not source.whole
            or not order
            or order[-1][0] > as_of.toordinal()
        ):
            return status.status_rows(reports, config, as_of)
        before, key = _contents_keys(order, source.digests)
        kept = cache.result(source.index, "status")  # (key, (key before, before, all))
        if kept is not None and kept[0] == key:
            return status.rows_from(status.tracks_from(kept[1][2]), as_of, config.stale_after_weeks)
        if kept is not None and kept[0] == before:  # a session added after the others
            base = status.tracks_from(kept[1][2])
        elif kept is not None and kept[1][0] == before:  # the latest session changed
            base = status.tracks_from(kept[1][1])
        else:
            base = status.track(Reports(order[:-1], source), config, as_of)
        plain_before = status.plain_tracks(base)
        tracks = status.track(Reports(order[-1:], source), config, as_of, base)
        cache.keep_result(
            source.index, "status", key, (before, plain_before, status.plain_tracks(tracks))
        )
        return status.rows_from(tracks, as_of, config.stale_after_weeks)

    @property
    def path_problems(self) -> tuple[Problem, ...]:
        """Paths under meetings/ that could not be read as files (links, folders)."""
        return tuple(p for p in self.problems if p.code in PATH_PROBLEMS)

    def unreadable(self) -> tuple[str, ...]:
        """What keeps the workspace from being read whole: folders, loops, unreadable files."""
        found = [p.path for p in self.path_problems if p.severity == "error"]
        found += [
            h.path
            for h in self.heads
            if h.first_error is not None and h.first_error.startswith(UNREADABLE)
        ]
        return tuple(found)

    @property
    def all_problems(self) -> tuple[Problem, ...]:
        """Every problem, per file and across files, in path then line order."""
        problems = [p for item in self.files for p in item.problems] + list(self.problems)
        return tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.column or 0)))


def _contents_keys(
    order: Sequence[tuple[int, str]], digests: Mapping[str, bytes | None]
) -> tuple[bytes, bytes]:
    """One hash of which sessions there are (day and path) and what each holds: of all
    but the latest, and of all (one pass over them)."""
    from hashlib import blake2b

    key = blake2b(digest_size=16)

    def add(day: int, path: str) -> None:
        key.update(f"{day}\0{path}\0".encode("utf-8", "surrogateescape"))
        key.update(digests.get(path) or b"-")

    for day, path in order[:-1]:
        add(day, path)
    before = key.digest()  # digest() leaves the hash open to more
    for day, path in order[-1:]:
        add(day, path)
    return before, key.digest()


@dataclass
class Source:
    """Where this run finds each file's rows and detail: the index, what it parsed and
    could not store, or, failing both, the file parsed again."""

    files: dict[str, str]  # name → path
    digests: dict[str, bytes | None]  # name → the content hash this run saw
    config: Config
    index: cache.Index | None = None
    kept: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # name → rows, detail
    whole: bool = True  # the files are the whole workspace, not some named on the command line

    def details(self, names: Iterable[str] | None = None) -> dict[str, Detail]:
        """The details of these files (all by default)."""
        wanted = list(self.files if names is None else names)
        found = self._fetch("details", wanted)
        return {name: found[name] for name in wanted}

    def rows(self, names: Sequence[str]) -> dict[str, tuple[ReportRow, ...]]:
        """The rows of these files."""
        return self._fetch("status_rows", names)

    def _fetch(self, table: str, names: Sequence[str]) -> dict[str, Any]:
        at = 0 if table == "status_rows" else 1
        found = {name: cache.loads(self.kept[name][at]) for name in names if name in self.kept}
        missing = {name: self.digests.get(name) for name in names if name not in found}
        if self.index is not None and missing:
            found.update(cache.fetch(self.index, table, missing))
        for name in names:
            if name not in found:  # another kbik run changed the index meanwhile: parse again
                parsed = parse_file(Path(self.files[name]), name, self.config)
                found[name] = cache.loads(parsed.rows if at == 0 else parsed.detail)
        return found


@dataclass(frozen=True)
class Reports:
    """The rows of the valid sessions, by date then path: re-iterable, and streamed from
    the index when it holds the whole workspace."""

    order: list[tuple[int, str]]  # (day, path) of each valid session, sorted
    source: Source | None

    def __iter__(self) -> Iterator[ReportGroup]:
        source = self.source
        if source is None:
            return
        day_of = dt.date.fromordinal
        if source.index is None or not source.whole or len(self.order) <= 64:
            for batch in cache.batches(self.order):
                found = source.rows([path for _, path in batch])
                yield from ((day_of(day), path, found[path]) for day, path in batch)
            return
        digests = source.digests
        stream = cache.rows_by_date(source.index)
        stored = next(stream, None)
        for day, path in self.order:
            # The index's rows come in the same order: skip those of files not read now.
            while stored is not None and (
                stored[0] < day or (stored[0] == day and stored[1] < path)
            ):
                stored = next(stream, None)
            if stored is not None and stored[1] == path and stored[2] == digests[path]:
                rows = stored[3]
                stored = next(stream, None)
            else:  # kept by this run, or changed by another meanwhile
                rows = source.rows([path])[path]
            yield day_of(day), path, rows


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
                if entry.name.endswith(".md") and entry.is_file(follow_symlinks=False):
                    files.append((name, entry.path))  # a regular file: nearly every entry
                elif entry.is_dir(follow_symlinks=False):
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
        clock: Clock = time.time_ns,
    ) -> Catalogue:
        """Read the given files, or every session file, into a Catalogue.

        Files unchanged since the last run come from the index; the others are
        parsed, on every core when there are many of them, and written to the index
        as they come. ``clock`` stamps when each was read: a stamp within the racy
        window of the file's own times is checked again next time.
        """
        problems: tuple[Problem, ...] = ()
        if paths is None:
            files, problems = self.session_files()
        else:
            files = [(self.display(path), str(path)) for path in paths]
        index = cache.load(self.root, cache.cache_key(self.config.digest)) if use_cache else None
        heads: dict[str, Head] = {}
        source = Source(dict(files), {}, self.config, index, whole=paths is None)
        todo: list[tuple[str, str]] = []
        if index is None:
            todo = [(path, name) for name, path in files]
        else:
            for name, path, stat in cache.unchanged(index, files, heads, source.digests):
                known = _same_content(index, path, name, stat, clock)
                if known is None:
                    todo.append((path, name))
                else:
                    heads[name], source.digests[name] = known
        for batch in _parse_all(todo, self.config, progress, clock):
            stored = index is not None and cache.store(index, batch)
            for item in batch:
                heads[item.name] = item.head
                source.digests[item.name] = item.stamp.digest if item.stamp else None
                if not stored or item.stamp is None:
                    source.kept[item.name] = (item.rows, item.detail)
        if index is not None:
            if paths is None:
                cache.prune(index, source.files)
            if not cache.commit(index):
                source.index = None  # what it wrote is gone: parse again what is asked for
        found = tuple(heads[name] for name, _ in files if name in heads)
        clashes = duplicate_dates(found) + far_ahead(found)
        return Catalogue(_without(found, clashes), problems + clashes, source)

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


def _same_content(
    index: cache.Index, path: str, name: str, stat: os.stat_result | None, clock: Clock
) -> tuple[Head, bytes] | None:
    """Return the indexed head and content hash of a file whose stamp changed but whose
    content did not (a checkout, a copy); None when it must be parsed."""
    if stat is None:
        return None
    try:
        with open(path, "rb") as stream:
            return cache.lookup_content(index, name, stat, stream.read(), clock())
    except OSError:
        return None


def parse_file(path: Path, name: str, config: Config, clock: Clock = time.time_ns) -> cache.Parsed:
    """Parse one file into what the index stores of it (no stamp when it was unreadable),
    stamped with ``clock``'s time before it was read."""
    # Imported here: a warm run, served from the index, never needs the YAML parser.
    from kbik.documents import Document, parse_document, read_stat
    from kbik.model import Loaded
    from kbik.sessions import build_session

    started = clock()
    raw, stat = read_stat(path, name)
    document = raw if isinstance(raw, Document) else parse_document(raw, name)
    session, problems = build_session(document, config)
    position = document.position(("date",))
    head, rows, detail = records.encode(
        Loaded(name, session, problems, position[0] if position else None)
    )
    stamp = None
    if stat is not None and not isinstance(raw, Document):
        stamp = cache.stamp_of(stat, cache.digest(raw), started)
    return cache.Parsed(name, head, stamp, cache.dumps(rows), cache.dumps(detail))


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 200
# From this many files to parse, a progress callback is told how far along it is.
PROGRESS_FROM = 300
Progress = Callable[[int, int], None]  # (files done, files in all)
_worker: tuple[Config, Clock] | None = None


def _init_worker(config: Config, clock: Clock) -> None:
    global _worker  # one config and clock per worker process
    _worker = config, clock


def _parse_in_worker(jobs: list[tuple[str, str]]) -> list[cache.Parsed]:
    assert _worker is not None
    return [parse_file(Path(path), name, *_worker) for path, name in jobs]


def _parse_all(
    jobs: list[tuple[str, str]],
    config: Config,
    progress: Progress | None = None,
    clock: Clock = time.time_ns,
) -> Iterator[list[cache.Parsed]]:
    """Parse files in batches, in worker processes on every core when there are many;
    each batch is handed on as it is done, so that none waits for all the others."""
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    total, done = len(jobs), 0
    if total < PARALLEL_FROM or not workers or workers < 2:
        batches: Iterable[list[cache.Parsed]] = (
            [parse_file(Path(path), name, config, clock) for path, name in batch]
            for batch in cache.batches(jobs, 64)
        )
    else:
        batches = _in_workers(jobs, config, workers, clock)
    for batch in batches:
        done += len(batch)
        if progress is not None and total >= PROGRESS_FROM:
            progress(done, total)
        yield batch


def _in_workers(
    jobs: list[tuple[str, str]], config: Config, workers: int, clock: Clock
) -> Iterator[list[cache.Parsed]]:
    from concurrent.futures import ProcessPoolExecutor

    import kbik.documents
    import kbik.sessions  # noqa: F401 - imported once here, inherited by forked workers

    # Batches of at most 200 files: few round trips, yet results stream in steadily
    # and the workers finish close together.
    size = max(16, min(200, len(jobs) // (workers * 8)))
    batches = list(cache.batches(jobs, size))
    done = 0
    try:
        with ProcessPoolExecutor(
            workers, initializer=_init_worker, initargs=(config, clock)
        ) as pool:
            for result in pool.map(_parse_in_worker, batches):
                yield result
                done += 1
            return
    except (OSError, RuntimeError):
        pass  # no processes to be had here (a sandbox, a frozen app), or they broke
    for batch in batches[done:]:
        yield [parse_file(Path(path), name, config, clock) for path, name in batch]


def duplicate_dates(found: Iterable[Head]) -> tuple[Problem, ...]:
    """Report every session that shares its date with another, naming the others."""
    by_day: dict[int, list[Head]] = {}
    for head in found:
        if head.day is not None:
            by_day.setdefault(head.day, []).append(head)
    problems = []
    for day, heads in by_day.items():
        if len(heads) < 2:
            continue
        iso = dt.date.fromordinal(day).isoformat()
        for head in heads:
            others = ", ".join(other.path for other in heads if other is not head)
            message = (
                f"another session has the same date {iso}: {others}; neither counts until "
                "one of them has its own date"
            )
            problems.append(Problem(head.path, "error", "duplicate-date", message, head.date_line))
    return tuple(problems)


AHEAD_WEEKS = 8  # a session dated further after today is a typo (2062 for 2026)


def far_ahead(found: Iterable[Head]) -> tuple[Problem, ...]:
    """Report every session dated more than AHEAD_WEEKS weeks after today. (Checked for
    the whole workspace on each run, not with each file: it changes with the day.)"""
    from kbik.dates import today

    now = today()
    limit = now.toordinal() + 7 * AHEAD_WEEKS
    return tuple(
        Problem(
            head.path,
            "error",
            "far-future",
            f"the date {dt.date.fromordinal(head.day)} is more than {AHEAD_WEEKS} weeks after "
            f"today ({now}): a typo? Write the date the session was held",
            head.date_line,
        )
        for head in found
        if head.day is not None and head.day > limit
    )


def _without(found: tuple[Head, ...], clashes: Sequence[Problem]) -> tuple[Head, ...]:
    """The heads, with every file the workspace-wide checks found wrong made no valid
    session, its problem as the reason: a file that shares its date with another (which
    is right only a person can tell), or one dated far after today."""
    if not clashes:
        return found
    reasons = {problem.path: problem.message for problem in clashes}
    return tuple(
        head._replace(day=None, first_error=reasons[head.path]) if head.path in reasons else head
        for head in found
    )
