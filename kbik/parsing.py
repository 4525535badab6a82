"""Parsing session files into the index's rows: one at a time, or on every core."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from kbik.config import Config
from kbik.documents import Document, parse_document, read_stat
from kbik.index import Head, Rows, Stamp, batches, digest, session_rows
from kbik.problems import Problem
from kbik.sessions import build_session

Clock = Callable[[], int]  # the time now, in nanoseconds
Progress = Callable[[int, int], None]  # (files done, files in all)
PARALLEL_FROM = 200  # below this many files, worker processes cost more than they save
PROGRESS_FROM = 300  # from this many files to parse, progress is told


class Parsed(NamedTuple):
    """One file as parsed: its head, stamp (None when it could not be read), problems,
    and its rows for the index."""

    head: Head
    stamp: Stamp | None
    problems: Sequence[Problem]
    rows: Rows


def parse_file(path: Path, name: str, config: Config, clock: Clock = time.time_ns) -> Parsed:
    """Parse one file, stamped with ``clock``'s time before it was read."""
    started = clock()
    raw, stat = read_stat(path, name, config.language)
    document = raw if isinstance(raw, Document) else parse_document(raw, name, config.language)
    session, problems = build_session(document, config)
    position = document.position(("date",))
    date_line = position[0] if position else None
    stamp = None
    if stat is not None and not isinstance(raw, Document):
        stamp = Stamp(
            stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, digest(raw), started
        )
    first_error = next((p.message for p in problems if p.severity == "error"), None)
    day = session.date.toordinal() if session is not None else None
    rows = session_rows(name, stamp, date_line, problems, session)
    return Parsed(Head(name, date_line, day, first_error), stamp, problems, rows)


_worker: tuple[Config, Clock] | None = None  # one config and clock per worker process


def _init_worker(config: Config, clock: Clock) -> None:
    global _worker
    _worker = config, clock


def _parse_in_worker(jobs: list[tuple[str, str]]) -> list[Parsed]:
    assert _worker is not None
    return [parse_file(Path(path), name, *_worker) for path, name in jobs]


def parse_all(
    jobs: list[tuple[str, str]], config: Config, progress: Progress | None, clock: Clock
) -> Iterator[list[Parsed]]:
    """Parse (path, name) pairs in batches, in worker processes on every core when there
    are many; each batch is handed on as it is done, so that none waits for the others."""
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    total, done = len(jobs), 0
    if total < PARALLEL_FROM or not workers or workers < 2:
        parsed: Iterable[list[Parsed]] = (
            [parse_file(Path(path), name, config, clock) for path, name in batch]
            for batch in batches(jobs, 64)
        )
    else:
        parsed = _in_workers(jobs, config, workers, clock)
    for batch in parsed:
        done += len(batch)
        if progress is not None and total >= PROGRESS_FROM:
            progress(done, total)
        yield batch


def _in_workers(
    jobs: list[tuple[str, str]], config: Config, workers: int, clock: Clock
) -> Iterator[list[Parsed]]:
    # Batches of at most 200 files: few round trips, yet results stream in steadily
    # and the workers finish close together.
    size = max(16, min(200, len(jobs) // (workers * 8)))
    chunked = list(batches(jobs, size))
    done = 0
    try:
        with ProcessPoolExecutor(
            workers, initializer=_init_worker, initargs=(config, clock)
        ) as pool:
            for result in pool.map(_parse_in_worker, chunked):
                yield result
                done += 1
            return
    except (OSError, RuntimeError):
        pass  # no processes to be had here (a sandbox, a frozen app), or they broke
    for batch in chunked[done:]:
        yield [parse_file(Path(path), name, config, clock) for path, name in batch]
