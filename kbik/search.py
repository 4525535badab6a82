"""Full-text search over the sessions: what a file says, in chunks with their line,
and the query against the index's FTS5 table."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from kbik.cache import WORDS_TABLE
from kbik.errors import UsageError
from kbik.sessions import ABSENT_KEYS, ENTRY_KEYS, FOLLOWUP_KEYS, TOP_KEYS

Chunk = tuple[int, str]
START, END = "\x02", "\x03"  # around each match in a snippet
# Front-matter keys that are field names, not words of the minutes; a key that is
# none of these (a kelurahan's name) is searched with its value.
_FIELDS = frozenset((*TOP_KEYS, *ENTRY_KEYS, *ABSENT_KEYS, *FOLLOWUP_KEYS))
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
            elif block == "kelurahan" and key and name.lower() not in _FIELDS:
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
    return value if key.lower() in _FIELDS else f"{key} {value}".strip()


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


def find(
    connection: sqlite3.Connection,
    query: str,
    keep: Callable[[str], bool],
    dates: Mapping[str, dt.date | None],
) -> list[Hit]:
    """Run an FTS5 query; keep the hits in the files ``keep`` accepts, best first."""
    if not query.strip():
        raise UsageError("give something to search for, e.g. kbik search pembukuan")
    try:
        rows = connection.execute(
            "SELECT name, line, highlight(words, 2, ?, ?), snippet(words, 2, ?, ?, '…', 16), "
            "rank FROM words WHERE words MATCH ? ORDER BY rank",
            (START, END, START, END, query),
        ).fetchall()
    except sqlite3.OperationalError as error:
        raise UsageError(_explain(query, str(error))) from None
    hits = []
    for name, line, marked, snippet, rank in rows:
        if not keep(name):
            continue
        offset = marked[: marked.find(START)].count("\n") if START in marked else 0
        hits.append(Hit(name, int(line) + offset, dates.get(name), " ".join(snippet.split()), rank))
    return hits


def _explain(query: str, error: str) -> str:
    """Say what is wrong with a query in the user's terms, not SQLite's."""
    reason = "a quote is not closed" if query.count('"') % 2 else "it is not a valid search"
    if "no such column" in error:
        reason = "a word followed by ':' reads as a column name; put it in quotes"
    return (
        f'cannot search for {query!r}: {reason}. Write words, "a phrase", prefix*, '
        "and AND, OR, NOT between them"
    )


def index_in_memory(files: Iterable[tuple[str, str]]) -> sqlite3.Connection:
    """An index of these (name, text) files for this run only: when the cache is off."""
    connection = sqlite3.connect(":memory:")
    connection.execute(WORDS_TABLE)
    connection.executemany(
        "INSERT INTO words VALUES (?, ?, ?)",
        ((name, line, text) for name, content in files for line, text in chunks(content)),
    )
    return connection
