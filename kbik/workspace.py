"""The workspace: its config, its session files, and reading them all through the index."""

from __future__ import annotations

import datetime as dt
import errno
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from hashlib import blake2b
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kbik import index as store
from kbik.clashes import duplicate_dates, far_ahead, without
from kbik.config import Config, load_config
from kbik.i18n import LANGUAGES, message
from kbik.index import DAMAGE, Head, Index, Known, Stamp
from kbik.locate import find_root
from kbik.problems import UNREADABLE, Problem

if TYPE_CHECKING:
    from kbik.model import Loaded, Session
    from kbik.parsing import Progress
    from kbik.status import ReportGroup, StatusRow

MEETINGS = "meetings"
Clock = Callable[[], int]  # the time now, in nanoseconds
PATH_PROBLEMS = ("unreadable-folder", "link-loop", "broken-link", "outside-link", "not-a-file")
# A file changed this close to when it was read may change again with the same stamp.
# File systems that keep whole seconds (FAT, HFS+) need two seconds; the others keep
# nanoseconds, with a clock tick of a few milliseconds.
RACY_NS = 2_000_000_000
RACY_FINE_NS = 50_000_000
_T = TypeVar("_T")


def racy(mtime_ns: int, ctime_ns: int, read_ns: int) -> bool:
    """Tell whether a file changed too close to when it was read to trust its stamp."""
    coarse = mtime_ns % 1_000_000 == 0  # whole seconds or milliseconds: a coarse clock
    since = read_ns - (RACY_NS if coarse else RACY_FINE_NS)
    return mtime_ns >= since or ctime_ns >= since


@dataclass
class Source:
    """The files of one run and the index that holds them as they are now."""

    files: dict[str, str]  # name → path
    config: Config
    index: Index
    whole: bool  # the files are the whole workspace, not some named on the command line
    clock: Clock = time.time_ns
    progress: Progress | None = None
    digests: dict[str, bytes] = field(default_factory=dict)  # name → content digest
    unstored: dict[str, tuple[Problem, ...]] = field(default_factory=dict)  # unreadable files

    def read(self, reading: Callable[[Index], _T]) -> _T:
        """What ``reading`` gets from the index; a damaged index is left for the next run
        to rebuild, and this run reads the files again into one in memory."""
        try:
            return reading(self.index)
        except DAMAGE:
            if self.index.path is None:
                raise  # the index of this run alone: a fault of kbik's, not of a file
            self._in_memory(damaged=True)
            self.refresh()
            return reading(self.index)

    def _in_memory(self, *, damaged: bool) -> None:
        """Leave the workspace's index (to be deleted when damaged) for one in memory."""
        self.index.damaged = damaged
        self.index.close()
        self.index = store.memory()
        self.digests.clear()
        self.unstored.clear()

    def refresh(self) -> dict[str, Head]:
        """Bring the index up to date with the files; return their heads. An index that
        cannot be written (another run holds it), that another run wrote over meanwhile,
        or that is damaged, gives way to one in memory; only a damaged one is deleted."""
        damaged = False
        try:
            heads = self._refresh()
            if heads is not None and self.index.commit() and self._consistent():
                return heads
        except DAMAGE:
            if self.index.path is None:
                raise
            damaged = True
        self._in_memory(damaged=damaged)
        return self.refresh()

    def _refresh(self) -> dict[str, Head] | None:
        index = self.index
        known = store.stamps(index) if index.path is not None else {}
        heads: dict[str, Head] = {}
        todo: list[tuple[str, str]] = []
        invalid = []
        # One loop over every file of a warm run, which spends most of its time here.
        for name, path in self.files.items():
            entry = known.get(name)
            if entry is not None:
                try:
                    stat = os.stat(path)
                except OSError:
                    stat = None  # parsed, and so told, below
                if stat is not None and not self._changed(name, path, stat, entry):
                    heads[name] = Head(name, entry.date_line, entry.day, None)
                    self.digests[name] = entry.digest
                    if entry.day is None:
                        invalid.append(name)
                    continue
            todo.append((path, name))
        if todo:
            # Imported here: the parser, 33 ms, is not for a warm run.
            from kbik.parsing import parse_all  # noqa: PLC0415

            for batch in parse_all(todo, self.config, self.progress, self.clock):
                if not store.store(index, [parsed.rows for parsed in batch], known):
                    return None
                for parsed in batch:
                    name = parsed.head.path
                    heads[name] = parsed.head
                    if parsed.stamp is not None:
                        self.digests[name] = parsed.stamp.digest
                    else:
                        self.unstored[name] = tuple(parsed.problems)
        errors = store.first_errors(index, invalid)
        for name in invalid:
            heads[name] = heads[name]._replace(first_error=errors.get(name))
        gone = [name for name in known if name not in self.files] if self.whole else []
        if gone and index.write():
            store.drop(index, gone)
        return heads

    def _changed(self, name: str, path: str, stat: os.stat_result, stored: Known) -> bool:
        """Tell whether a file must be parsed again: its stamp differs from the index's,
        or is too close to when it was read, and so does its content."""
        if (
            stat.st_size == stored.size
            and stat.st_mtime_ns == stored.mtime_ns
            and stat.st_ctime_ns == stored.ctime_ns
            and stat.st_ino == stored.inode
            and not racy(stored.mtime_ns, stored.ctime_ns, stored.read_ns)
        ):
            return False
        try:
            with open(path, "rb") as stream:
                hashed = store.digest(stream.read())
        except OSError:
            return True
        if hashed != stored.digest:
            return True
        # The same content (a checkout, a copy, a racy entry): stamped as of now, so that
        # the next run trusts it without reading it.
        stamp = Stamp(
            stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, hashed, self.clock()
        )
        store.restamp(self.index, name, stamp)
        return False

    def _consistent(self) -> bool:
        """After this run wrote, tell whether the index holds each file as this run read
        it (another run may have written meanwhile)."""
        if not self.index.changed:
            return True
        stored = dict(self.index.read("SELECT path, digest FROM files"))
        return all(stored.get(name) == hashed for name, hashed in self.digests.items())

    def sessions(self, paths: Iterable[str]) -> dict[str, Session]:
        """The sessions stored for these files (without their bodies)."""
        wanted = list(paths)
        return self.read(lambda index: store.sessions(index, wanted))

    def reports(self, counted: set[str]) -> Iterator[ReportGroup]:
        """What each counted session reported, by date then path."""
        done: tuple[dt.date, str] = (dt.date.min, "")
        while True:
            try:
                # A few sessions are asked for by name; many, by reading them all.
                only = sorted(counted) if len(counted) <= 500 else None
                for day, path, rows in store.reports(self.index, only):
                    if path in counted and (day, path) > done:
                        done = (day, path)
                        yield day, path, rows
                return
            except DAMAGE:  # go on from where it was, in an index made afresh
                if self.index.path is None:
                    raise
                self._in_memory(damaged=True)
                self.refresh()


@dataclass(frozen=True)
class Reports:
    """What the counted sessions reported, by date then path: re-iterable."""

    source: Source
    counted: set[str]

    def __iter__(self) -> Iterator[ReportGroup]:
        return self.source.reports(self.counted)


@dataclass(frozen=True)
class Catalogue:
    """Every loaded file's head, in path order, plus problems across files; what the
    files hold is read from the index when asked for."""

    heads: tuple[Head, ...]
    problems: tuple[Problem, ...] = ()  # across files: paths that are no session, same dates
    source: Source | None = field(default=None, repr=False, compare=False)

    @cached_property
    def counted(self) -> set[str]:
        """The paths of the valid sessions."""
        return {head.path for head in self.heads if head.day is not None}

    @cached_property
    def files(self) -> tuple[Loaded, ...]:
        """Every file's outcome, in path order."""
        # Imported here: the session classes, 4 ms, are not for a warm search.
        from kbik.model import Loaded  # noqa: PLC0415

        source = self.source
        if source is None:
            return ()
        paths = [head.path for head in self.heads]
        problems = {**source.read(lambda index: store.problems(index, paths)), **source.unstored}
        found = source.sessions(paths)
        return tuple(
            Loaded(h.path, found.get(h.path), problems.get(h.path, ()), h.date_line)
            for h in self.heads
        )

    @cached_property
    def sessions(self) -> tuple[Session, ...]:
        """Valid sessions (without their bodies), by date then path."""
        if self.source is None:
            return ()
        found = self.source.sessions(self.counted)
        return tuple(sorted(found.values(), key=lambda session: (session.date, session.path)))

    @property
    def invalid(self) -> tuple[tuple[str, str | None], ...]:
        """Files that could not be read as a session, with the first error of each."""
        return tuple((h.path, h.first_error) for h in self.heads if h.day is None)

    def invalid_dates(self, root: Path) -> tuple[tuple[str, dt.date | None], ...]:
        """Each invalid file with the date it was meant for, where that can be told."""
        # Imported here: kbik.documents (YAML), 20 ms, is not for a warm run.
        from kbik.documents import intended_date  # noqa: PLC0415

        return tuple((path, intended_date(root / path)) for path, _ in self.invalid)

    def reports(self) -> Iterable[ReportGroup]:
        """What each valid session reported, by date then path."""
        return Reports(self.source, self.counted) if self.source is not None else ()

    def status_rows(self, config: Config, as_of: dt.date) -> tuple[StatusRow, ...]:
        """Where each kelurahan stands on ``as_of`` (see ``status.status_rows``).

        When every session counts (none is after ``as_of``), the kelurahan's tracks
        depend on the files' contents alone: the index keeps them as of the latest
        session and the one before, so that an unchanged workspace, a new latest
        session or an edit of the latest (this week's minutes) reads one session's
        rows at most.
        """
        # Imported here: kbik.status, 5 ms, is not for a warm search.
        from kbik import status  # noqa: PLC0415

        source = self.source
        order = sorted((h.day, h.path) for h in self.heads if h.day is not None)
        if (
            source is None
            or source.index.path is None
            or not source.whole
            or not order
            or order[-1][0] > as_of.toordinal()
        ):
            return status.status_rows(self.reports(), config, as_of)
        before, key = _contents_keys(order, source.digests)
        kept = source.read(
            lambda index: {s: store.kept_tracks(index, s) for s in ("all", "before")}
        )
        latest = Reports(source, {order[-1][1]})
        everything, all_before = kept["all"], kept["before"]
        if everything is not None and everything.key == key:
            return status.rows_from(everything.tracks, as_of, config.stale_after_weeks)
        if everything is not None and everything.key == before:  # a session added after
            base = everything.tracks
        elif all_before is not None and all_before.key == before:  # the latest changed
            base = all_before.tracks
        else:
            base = status.track(Reports(source, self.counted - latest.counted), config, as_of)
        result = status.track(latest, config, as_of, base)
        store.keep_tracks(
            source.index, {"before": store.Kept(before, base), "all": store.Kept(key, result)}
        )
        return status.rows_from(result, as_of, config.stale_after_weeks)

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
            # The message begins so in any language (first_error holds it as said).
            if h.first_error is not None
            and h.first_error.startswith(tuple(message(lang, UNREADABLE) for lang in LANGUAGES))
        ]
        return tuple(sorted(found))

    @property
    def all_problems(self) -> tuple[Problem, ...]:
        """Every problem, per file and across files, in path then line order."""
        problems = [p for item in self.files for p in item.problems] + list(self.problems)
        return tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.column or 0)))


def _contents_keys(order: Sequence[tuple[int, str]], digests: dict[str, bytes]) -> tuple[str, str]:
    """One hash of which sessions there are (day and path) and what each holds: of all
    but the latest, and of all."""
    # One line a session, hashed in two updates: 100,000 small updates cost a tenth of
    # a second of every warm status.
    lines = [f"{day}\0{path}\0{(digests.get(path) or b'').hex()}\0" for day, path in order]
    key = blake2b("".join(lines[:-1]).encode("utf-8", "surrogateescape"), digest_size=16)
    before = key.hexdigest()  # hexdigest() leaves the hash open to more
    key.update("".join(lines[-1:]).encode("utf-8", "surrogateescape"))
    return before, key.hexdigest()


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

    def _(self, text: str, /, **values: object) -> str:
        """A message in the workspace's language, its placeholders filled."""
        return message(self.config.language, text, **values)

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
                        self._(
                            "cannot read the folder: {reason}; the sessions in it are left "
                            "out (fix its permissions)",
                            reason=error.strerror,
                        ),
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
                            Problem(
                                name,
                                "warning",
                                "not-a-file",
                                self._("not a regular file; skipped"),
                            )
                        )
        files.sort()
        return files, tuple(problems)

    def _link_problem(self, entry: os.DirEntry[str], name: str) -> Problem | None:
        """What is wrong with a link under meetings/, if anything."""
        try:
            target = Path(entry.path).resolve(strict=True)
        except RuntimeError:  # Python 3.11 reports a loop so
            return Problem(name, "error", "link-loop", self._("a link that loops back on itself"))
        except OSError as error:
            if error.errno == errno.ELOOP:
                loop = self._("a link that loops back on itself")
                return Problem(name, "error", "link-loop", loop)
            return Problem(
                name,
                "warning",
                "broken-link",
                self._("a link to a missing file: {target}", target=os.readlink(entry.path)),
            )
        if not target.is_relative_to(self.root.resolve()):
            return Problem(
                name,
                "warning",
                "outside-link",
                self._("a link to a file outside the workspace; not followed"),
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

        Files unchanged since the last run are read from the index; the others are
        parsed, on every core when there are many of them, and written to it as they
        come. ``clock`` stamps when each was read: a stamp within the racy window of
        the file's own times is checked again next time.
        """
        problems: tuple[Problem, ...] = ()
        if paths is None:
            files, problems = self.session_files()
        else:
            files = [(self.display(path), str(path)) for path in paths]
        key = store.key_of(self.config.digest)
        index = store.open_index(self.root, key) if use_cache else store.memory()
        _opened.append(index)
        source = Source(dict(files), self.config, index, paths is None, clock, progress)
        heads = source.refresh()
        found = tuple(heads[name] for name, _ in files if name in heads)
        language = self.config.language
        clashes = duplicate_dates(found, language) + far_ahead(found, language)
        return Catalogue(without(found, clashes), problems + clashes, source)

    def with_bodies(self, sessions: Iterable[Session]) -> tuple[Session, ...]:
        """Return the sessions with their bodies read back from their files."""
        # Imported here: kbik.documents (YAML), 20 ms, is not for a warm run.
        from kbik.documents import read_body  # noqa: PLC0415

        return tuple(
            replace(session, body=read_body(self.root / session.path)) for session in sessions
        )


# Every index this process opened and has not closed, for close_all(): a connection
# sits in a reference cycle with its statement cache, so only the cyclic collector
# would otherwise close it, and a log left open grows for every later run to read.
_opened: list[Index] = []


def close_all() -> None:
    """Close every index this process opened (a damaged one is deleted)."""
    while _opened:
        _opened.pop().close()
