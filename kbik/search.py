"""Full-text search over the sessions: what a file says, in chunks with their line,
and the query against the index's FTS5 table."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kbik.cache import SEARCH_SCHEMA, batches, indexed
from kbik.errors import UsageError

if TYPE_CHECKING:
    from kbik.workspace import Source

Chunk = tuple[int, str]
START, END = "\x02", "\x03"  # around each match in a snippet


@lru_cache(maxsize=1)
def _fields() -> frozenset[str]:
    """Front-matter keys that are field names, not words of the minutes; a key that is
    none of these (a kelurahan's name) is searched with its value."""
    # Imported here: a search that finds every file indexed never reads a session.
    from kbik.sessions import ABSENT_KEYS, ENTRY_KEYS, FOLLOWUP_KEYS, TOP_KEYS

    return frozenset((*TOP_KEYS, *ENTRY_KEYS, *ABSENT_KEYS, *FOLLOWUP_KEYS))


_KEY = re.compile(r"""^(?:-\s+)?(?:"([^"]*)"|'([^']*)'|([^:#{}\[\]"']+?))\s*:(?:\s+|$)(.*)$""")


def chunks(text: str) -> tuple[Chunk, ...]:
    """Split a session file into what search finds: each front-matter value on its line
    (with its kelurahan's name), each heading and paragraph of the body at its first line."""
    from kbik.documents import is_fence

    lines = text.lstrip("\ufeff").splitlines()
    found: list[Chunk] = []
    body_from = 0
    if lines and is_fence(lines[0]):
        block, kelurahan = "", ""  # the top-level key, and the kelurahan being written
        for number, line in enumerate(lines[1:], start=2):
            if is_fence(line):
                body_from = number
                break
            indent = len(line) - len(line.lstrip(" "))
            key = _KEY.match(line.strip())
            name = next((g for g in key.groups()[:3] if g), "").strip() if key else ""
            if indent == 0 and key:
                block, kelurahan = name.lower(), ""
            elif block == "kelurahan" and key and name.lower() not in _fields():
                kelurahan = name  # a kelurahan's own line: its name is among its words
            value = _front_matter_words(line)
            if value:
                # A note or status under a kelurahan is found with the kelurahan's name.
                inside = kelurahan and not value.startswith(kelurahan)
                found.append((number, f"{kelurahan}: {value}" if inside else value))
        else:
            return tuple(found)  # unclosed front matter: no body
    paragraph: list[str] = []
    start = 0
    for number, line in enumerate(lines[body_from:], start=body_from + 1):
        if not line.strip() or line.startswith("#"):
            if paragraph:
                found.append((start, "\n".join(paragraph)))
                paragraph = []
            if line.startswith("#"):
                found.append((number, line.lstrip("#").strip()))
            continue
        if not paragraph:
            start = number
        paragraph.append(line.strip())
    if paragraph:
        found.append((start, "\n".join(paragraph)))
    return tuple(found)


def _front_matter_words(line: str) -> str:
    """The words of one front-matter line, without YAML's keys and punctuation."""
    text = line.strip()
    if not text or text.startswith("#"):
        return ""
    match = _KEY.match(text)
    if match is None:
        return text.removeprefix("- ").strip()
    key = next(group for group in match.groups()[:3] if group is not None).strip()
    value = match[4].split(" #", 1)[0].strip()
    return value if key.lower() in _fields() else f"{key} {value}".strip()


@dataclass(frozen=True)
class Hit:
    """Where the query was found."""

    path: str
    line: int
    date: dt.date | None
    snippet: str  # with START and END around each match
    rank: float

    def plain_snippet(self) -> str:
        """The snippet without its match marks."""
        return self.snippet.replace(START, "").replace(END, "")


@dataclass(frozen=True)
class Where:
    """Which sessions a search looks in; None means no limit."""

    since: dt.date | None = None
    until: dt.date | None = None
    kelurahan: str | None = None  # official name: sessions that report it
    names: Collection[str] | None = None  # only these files


MAX_TERMS = 64  # words a query may hold: FTS5 grows with the square of a long OR chain
_TOKEN = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_PLAIN = re.compile(r"\w+\*?")


def fts_query(query: str) -> str:
    """The query as FTS5 reads it: a word with a hyphen, slash or dot in it (Wua-Wua,
    BKM/LKM) becomes a phrase, as people mean it; a leading '-' and a query too long to
    answer are refused with what to write instead."""
    if not query.strip():
        raise UsageError("give something to search for, e.g. kbik search pembukuan")
    tokens = _TOKEN.findall(query)
    words = [token for token in tokens if token not in _OPERATORS and token not in "()"]
    if len(words) > MAX_TERMS:
        raise UsageError(
            f"the search has {len(words):,} words; kbik searches for at most {MAX_TERMS} at once"
        )
    written = []
    for token in tokens:
        if token in _OPERATORS or token in "()" or token.startswith('"') or _PLAIN.fullmatch(token):
            written.append(token)
        elif token.startswith("-") and len(token) > 1:
            rest = token.lstrip("-")
            raise UsageError(
                f"cannot search for {query!r}: to leave out a word, write NOT before it "
                f"(e.g. 'pembukuan NOT {rest}'), not '-'"
            )
        else:
            prefix = token.endswith("*")
            phrase = token.rstrip("*").replace('"', '""')
            written.append(f'"{phrase}"' + (" *" if prefix else ""))
    return " ".join(written)


def find(connection: sqlite3.Connection, query: str, where: Where) -> list[Hit]:
    """Run an FTS5 query over the sessions ``where`` keeps, best first."""
    query = fts_query(query)
    since = where.since.isoformat() if where.since else None
    until = where.until.isoformat() if where.until else None
    try:
        rows = connection.execute(
            # Only a chunk of several lines needs the whole of it marked, to tell on
            # which of its lines the match stands.
            "SELECT words.name, line, CASE WHEN instr(text, char(10)) "
            "THEN highlight(words, 2, :start, :end) END, "
            "snippet(words, 2, :start, :end, '…', 16), bm25(words), sessions.date "
            "FROM words JOIN sessions ON sessions.name = words.name "
            "WHERE words MATCH :query "
            "AND (:since IS NULL OR sessions.date >= :since) "
            "AND (:until IS NULL OR sessions.date <= :until) "
            "AND (:kelurahan IS NULL OR EXISTS (SELECT 1 FROM kelurahan_reports AS k "
            "WHERE k.name = words.name AND k.kelurahan = :kelurahan AND k.status IS NOT NULL)) "
            # bm25 as a column, sorted by SQLite's sorter: the order FTS5's ORDER BY rank
            # gives, a third sooner (12 ms instead of 18 over 10,000 files).
            "ORDER BY 5, words.rowid",
            {
                "start": START,
                "end": END,
                "query": query,
                "since": since,
                "until": until,
                "kelurahan": where.kelurahan,
            },
        ).fetchall()
    except sqlite3.OperationalError as error:
        raise UsageError(_explain(query, str(error))) from None
    hits = []
    for name, line, marked, snippet, rank, date in rows:
        if where.names is not None and name not in where.names:
            continue
        offset = marked[: marked.find(START)].count("\n") if marked and START in marked else 0
        hits.append(
            Hit(
                name,
                int(line) + offset,
                dt.date.fromisoformat(date),
                " ".join(snippet.split()),
                rank,
            )
        )
    return hits


def reported(connection: sqlite3.Connection, names: Collection[str]) -> dict[str, list[str]]:
    """The kelurahan each of these sessions reports (official names, in file order)."""
    found: dict[str, list[str]] = {name: [] for name in names}
    for batch in batches(list(names)):
        for name, kelurahan in connection.execute(
            "SELECT name, kelurahan FROM kelurahan_reports WHERE status IS NOT NULL "
            f"AND name IN ({','.join('?' * len(batch))}) ORDER BY name, position",
            batch,
        ):
            found[name].append(kelurahan)
    return found


def _explain(query: str, error: str) -> str:
    """Say what is wrong with a query in the user's terms, not SQLite's."""
    reason = "a quote is not closed" if query.count('"') % 2 else "it is not a valid search"
    if "no such column" in error:
        reason = "a word followed by ':' reads as a column name; put it in quotes"
    return (
        f'cannot search for {query!r}: {reason}. Write words, "a phrase", prefix*, '
        "and AND, OR, NOT between them"
    )


def prepared(source: Source, names: Sequence[str]) -> sqlite3.Connection:
    """A search index whose words and tables are those of these sessions as they are now:
    the workspace's own, brought up to date, or, when it cannot be used or written
    (``--no-cache``), one in memory for this run."""
    from kbik import cache

    files = {name: source.files[name] for name in names}
    digests = {name: source.digests.get(name) for name in names}
    index = source.index.connection if source.index is not None else None
    if index is not None and cache.index_for_search(index, files, digests, chunks, source.details):
        return index
    memory = sqlite3.connect(":memory:", isolation_level=None)
    for statement in SEARCH_SCHEMA:
        memory.execute(statement)
    cache.index_for_search(memory, files, digests, chunks, source.details)
    return memory


class Ahead:
    """The query, run in a thread on the index as it stands while the workspace is
    checked; its hits are taken only when the words it searched were of the files as
    they are now, the check ``prepared`` makes, here on the snapshot the query read.

    Used as a context manager: leaving it waits for the thread and closes what it
    opened, also when the check never came (an error while the files were read).
    """

    def __init__(self, root: Path, config_digest: str, query: str, where: Where) -> None:
        self._connection: sqlite3.Connection | None = None
        self._hits: list[Hit] = []
        self._thread = threading.Thread(
            target=self._run, args=(root, config_digest, query, where), daemon=True
        )
        self._thread.start()

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join()
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _run(self, root: Path, config_digest: str, query: str, where: Where) -> None:
        from kbik import cache

        # Only the query, which runs in SQLite without holding the GIL: work in Python
        # here would slow the checks in the other thread as much as it saves.
        connection = cache.reader(root, cache.cache_key(config_digest), threads=True)
        if connection is None:
            return
        try:
            connection.execute("BEGIN")  # its snapshot stays open for hits() to check
            self._hits = find(connection, query, replace(where, names=None))
            self._connection = connection
        except Exception:
            # A malformed query, a damaged index, whatever it was: the usual way asks
            # again, in the main thread, and says what is wrong there.
            connection.close()

    def hits(self, digests: Mapping[str, bytes | None], where: Where) -> list[Hit] | None:
        """The hits ``where`` keeps, if the words searched were of exactly the files and
        contents of ``digests``; None when they must be searched again."""
        self._thread.join()
        connection, self._connection = self._connection, None  # asked once
        if connection is None:
            return None
        try:
            done = indexed(connection)
        except sqlite3.Error:
            return None
        finally:
            connection.close()
        if done != digests:
            return None
        return [hit for hit in self._hits if where.names is None or hit.path in where.names]


def search(
    source: Source, names: Sequence[str], query: str, where: Where, ahead: Ahead | None = None
) -> tuple[sqlite3.Connection, list[Hit]]:
    """The hits of a query in these sessions, best first, with the index they came from
    (for what else is asked of it): what ``ahead`` found, when it still holds."""
    index = source.index.connection if source.index is not None else None
    if ahead is not None:
        # Every file that was read has a hash: when all are valid, these are the names'.
        every = len(source.digests) == len(names)
        digests = source.digests if every else {name: source.digests.get(name) for name in names}
        hits = ahead.hits(digests, where)
        if hits is not None and index is not None:
            return index, hits
    index = prepared(source, names)
    return index, find(index, query, where)
