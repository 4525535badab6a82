"""Full-text search over the sessions: what a file says, in chunks with their line,
kept in the index's ``chunks`` (and so its FTS5 table ``words``) for the files
searched, and the query, its filters, snippets and ranking."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kbik.errors import UsageError
from kbik.i18n import message
from kbik.index import Damaged, Index, batches, digest

if TYPE_CHECKING:
    from kbik.config import Config
    from kbik.workspace import Source

# What search finds at a line of a file: the line, the words, the kelurahan entry they
# are in (as written; None outside one) and the teams of their entry or body section.
Chunk = tuple[int, str, str | None, tuple[int, ...]]
START, END = "\x02", "\x03"  # around each match in a snippet


@lru_cache(maxsize=1)
def _fields() -> frozenset[str]:
    """Front-matter keys that are field names, not words of the minutes; a key that is
    none of these (a kelurahan's name) is searched with its value."""
    # Imported here: kbik.sessions, 12 ms, is not for a search that finds every file indexed.
    from kbik.sessions import ABSENT_KEYS, ENTRY_KEYS, FOLLOWUP_KEYS, TOP_KEYS  # noqa: PLC0415

    return frozenset((*TOP_KEYS, *ENTRY_KEYS, *ABSENT_KEYS, *FOLLOWUP_KEYS))


_KEY = re.compile(r"""^(?:-\s+)?(?:"([^"]*)"|'([^']*)'|([^:#{}\[\]"']+?))\s*:(?:\s+|$)(.*)$""")


def chunks(text: str) -> tuple[Chunk, ...]:
    """Split a session file into what search finds: each front-matter value on its line
    (with its kelurahan's name), each heading and paragraph of the body at its first line;
    each with the kelurahan entry it is in and the teams of its entry or section."""
    # Imported here: with YAML, 30 ms, not before a file's words are read.
    from kbik.documents import is_fence  # noqa: PLC0415
    from kbik.sessions import body_sections  # noqa: PLC0415

    lines = text.lstrip("\ufeff").splitlines()
    found: list[Chunk] = []
    body_from = 0
    if lines and is_fence(lines[0]):
        block, kelurahan = "", ""  # the top-level key, and the kelurahan being written
        item = 0  # where the entry (or list item) being written starts
        teams: tuple[int, ...] = ()  # and its team
        dash: int | None = None  # how far the block's own list items stand in
        for number, line in enumerate(lines[1:], start=2):
            if is_fence(line):
                body_from = number
                break
            indent = len(line) - len(line.lstrip(" "))
            key = _KEY.match(line.strip())
            name = next((g for g in key.groups()[:3] if g), "").strip() if key else ""
            if indent == 0 and key and not _ITEM.match(line):
                block, kelurahan, item, teams, dash = name.lower(), "", len(found), (), None
            elif block == "kelurahan" and key and name.lower() not in _fields():
                kelurahan, item, teams = name, len(found), ()  # a kelurahan's own line
            elif block != "kelurahan" and _ITEM.match(line) and dash in (None, indent):
                # A follow-up, or an absent team: a dash as far in as the block's first
                # (a list inside an item stands further in).
                item, teams, dash = len(found), (), indent
            team = _TEAM.search(line) if block != "topics" else None
            if team is not None:  # the team of the whole entry or item, in any of its lines
                teams = (int(team[1]),)
                found[item:] = [(n, w, k, teams) for n, w, k, _ in found[item:]]
            value = _front_matter_words(line)
            if value:
                # A note or status under a kelurahan is found with the kelurahan's name.
                inside = kelurahan and not value.startswith(kelurahan)
                words = f"{kelurahan}: {value}" if inside else value
                found.append((number, words, kelurahan or None, teams))
        else:
            return tuple(found)  # unclosed front matter: no body
    paragraph: list[str] = []
    start = 0
    section: tuple[int, ...] = ()

    def close() -> None:
        if paragraph:
            found.append((start, "\n".join(paragraph), None, section))
            paragraph.clear()

    for number, line in enumerate(lines[body_from:], start=body_from + 1):
        if not line.strip() or line.startswith("#"):
            close()
            if line.startswith("## "):
                section = next((s.teams for s in body_sections(line)), ())
            elif line.startswith("# "):
                section = ()  # a heading above the teams' sections ends them
            if line.startswith("#"):
                found.append((number, line.lstrip("#").strip(), None, section))
            continue
        if not paragraph:
            start = number
        paragraph.append(line.strip())
    close()
    return tuple(found)


_TEAM = re.compile(r"(?:^|[\s{,])team\s*:\s*(\d+)")
_ITEM = re.compile(r"\s*-(?:\s|$)")  # a list item's dash, its value on the line or under it
_FLOW_KEY = re.compile(r"([\w-]+)\s*:\s*")


def _front_matter_words(line: str) -> str:
    """The words of one front-matter line, without YAML's keys and punctuation."""
    text = line.strip()
    if not text or text.startswith("#") or text == "-":
        return ""
    match = _KEY.match(text)
    if match is None:
        return _flow_words(text.removeprefix("- ").strip())
    key = next(group for group in match.groups()[:3] if group is not None).strip()
    value = _flow_words(match[4].split(" #", 1)[0].strip())
    return value if key.lower() in _fields() else f"{key} {value}".strip()


def _flow_words(value: str) -> str:
    """A flow mapping or list's words, without its keys and brackets: '{status:
    bermasalah, figures: {par: 24}}' is 'bermasalah, par 24'."""
    if not value.startswith(("{", "[")):
        return value
    value = _FLOW_KEY.sub(lambda m: "" if m[1].lower() in _fields() else f"{m[1]} ", value)
    return re.sub(r" ,", ",", " ".join(re.sub(r"[{}\[\]]", " ", value).split())).strip(" ,")


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
    kelurahan: str | None = None  # official name: in its entry, or a paragraph naming it
    names: Collection[str] | None = None  # only these files
    team: int | None = None  # in the team's entries, follow-ups and body section
    spellings: Sequence[str] = ()  # the kelurahan's names as a paragraph may write them


MAX_TERMS = 64  # words a query may hold: FTS5 grows with the square of a long OR chain
_TOKEN = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_BRACKETS = ("(", ")")
_PLAIN = re.compile(r"\w+\*?")


def fts_query(query: str, language: str) -> str:
    """The query as FTS5 reads it: a word with a hyphen, slash or dot in it (Wua-Wua,
    BKM/LKM) becomes a phrase, as people mean it; a leading '-' and a query too long to
    answer are refused with what to write instead."""
    if not query.strip():
        raise UsageError(
            message(language, "give something to search for, e.g. kbik search pembukuan")
        )
    tokens = _TOKEN.findall(query)
    words = [token for token in tokens if token not in _OPERATORS and token not in _BRACKETS]
    if len(words) > MAX_TERMS:
        raise UsageError(
            message(
                language,
                "the search has {count} words; kbik searches for at most {most} at once",
                count=f"{len(words):,}",
                most=MAX_TERMS,
            )
        )
    written = []
    for token in tokens:
        if token in _OPERATORS or token in _BRACKETS or token[0] == '"' or _PLAIN.fullmatch(token):
            written.append(token)
        elif token.startswith("-") and len(token) > 1:
            rest = token.lstrip("-")
            raise UsageError(
                message(
                    language,
                    "cannot search for {query}: to leave out a word, write NOT before it "
                    "(e.g. 'pembukuan NOT {word}'), not '-'",
                    query=repr(query),
                    word=rest,
                )
            )
        else:
            # A word token holds no '"' (_TOKEN stops at one): quoting it needs no escape.
            prefix = token.endswith("*")
            written.append(f'"{token.rstrip("*")}"' + (" *" if prefix else ""))
    return " ".join(written)


def with_aliases(query: str, spellings: Sequence[Sequence[str]]) -> str:
    """The query with each kelurahan name in it (written outside quotes, or quoted alone)
    widened to every spelling of that kelurahan: "Tua Tunu Indah" finds what was written
    under its alias "Tuatunu", and the other way round. ``spellings``: each kelurahan's
    official name and aliases."""
    group_of = {spelling.casefold(): group for group in spellings for spelling in group}
    if not group_of:
        return query

    def either(spelling: str) -> str:
        group = group_of[spelling.strip().casefold()]
        return "(" + " OR ".join('"' + name.replace('"', '""') + '"' for name in group) + ")"

    written = _naming(list(group_of))
    parts = []
    for part in re.split(r'("[^"]*")', query):
        if len(part) > 1 and part[0] == part[-1] == '"':
            inner = part[1:-1].strip().casefold()
            parts.append(either(inner) if inner in group_of else part)
        else:
            parts.append(written.sub(lambda match: either(match[0]), part))
    return "".join(parts)


def _find(index: Index, query: str, where: Where, language: str) -> list[Hit]:
    """Run an FTS5 query over the sessions ``where`` keeps, best first."""
    try:
        rows = index.connection.execute(
            # Only a chunk of several lines needs the whole of it marked, to tell on
            # which of its lines the match stands.
            "SELECT chunks.path, line, CASE WHEN instr(chunks.text, char(10)) "
            "THEN highlight(words, 0, :start, :end) END, "
            "snippet(words, 0, :start, :end, '…', 16), bm25(words), date, "
            "chunks.kelurahan IS NULL AND :kelurahan IS NOT NULL, chunks.text "
            "FROM words JOIN chunks ON chunks.id = words.rowid "
            "JOIN sessions ON sessions.path = chunks.path "
            "WHERE words MATCH :query "
            "AND (:since IS NULL OR date >= :since) AND (:until IS NULL OR date <= :until) "
            # In the kelurahan's entry; or outside any entry, when the text names it.
            "AND (:kelurahan IS NULL OR chunks.kelurahan IS NULL "
            "OR chunks.kelurahan = :kelurahan) "
            "AND (:team IS NULL OR instr(' ' || chunks.teams || ' ', ' ' || :team || ' ')) "
            # bm25 as a column, sorted by SQLite's sorter: the order FTS5's ORDER BY rank
            # gives, a third sooner (12 ms instead of 18 over 10,000 files).
            "ORDER BY 5, words.rowid",
            {
                "start": START,
                "end": END,
                "query": query,
                "since": where.since.isoformat() if where.since else None,
                "until": where.until.isoformat() if where.until else None,
                "kelurahan": where.kelurahan,
                "team": where.team,
            },
        ).fetchall()
    except sqlite3.OperationalError as error:
        # The two ways FTS5 refuses a query: everything else is the index's, not the query's.
        said = str(error)
        if said.startswith("fts5: syntax error") or said == "unterminated string":
            raise UsageError(_explain(query, said, language)) from None
        raise
    named = _naming(where.spellings or ([where.kelurahan] if where.kelurahan else []))
    hits = []
    for name, line, marked, snippet, rank, date, unplaced, text in rows:
        if where.names is not None and name not in where.names:
            continue
        if unplaced and not named.search(text):
            continue  # a paragraph that does not name the kelurahan
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


def _naming(spellings: Sequence[str]) -> re.Pattern[str]:
    """A pattern for any of these names as a word of a text (case aside)."""
    names = "|".join(re.escape(name) for name in sorted(spellings, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{names})(?![\w-])" if names else r"(?!)", re.IGNORECASE)


def _fill(index: Index, names: Collection[str], source: Source) -> None:
    """Put the chunks of these files that have none yet in the index, each from the
    content the index holds of it (a file changed since is left for the next run)."""
    pending = [
        (path, hashed)
        for path, hashed in index.read("SELECT path, digest FROM files WHERE NOT searched")
        if path in names
    ]
    if not pending or not index.write():
        return
    for path, hashed in pending:
        try:
            with open(source.files[path], "rb") as stream:
                raw = stream.read()
        except OSError:
            continue
        if digest(raw) != hashed:
            continue
        text = raw.decode("utf-8", "replace")
        index.connection.executemany(
            "INSERT INTO chunks (path, line, text, kelurahan, teams) VALUES (?, ?, ?, ?, ?)",
            ((path, *_placed(chunk, source.config)) for chunk in chunks(text)),
        )
        index.connection.execute("UPDATE files SET searched = 1 WHERE path = ?", (path,))
    if not index.commit():
        raise sqlite3.OperationalError("cannot write the index")


def _placed(chunk: Chunk, config: Config) -> tuple[int, str, str | None, str]:
    """A chunk's row: its kelurahan by official name, and its teams (a kelurahan entry
    that names none is its roster team's)."""
    line, text, written, teams = chunk
    official = config.official(written) if written else None
    if official and not teams:
        team = config.roster_team(official)
        teams = (team,) if team is not None else ()
    return line, text, official, " ".join(map(str, teams))


def search(source: Source, names: Collection[str], query: str, where: Where) -> list[Hit]:
    """The hits of a query in these sessions, best first."""
    language = source.config.language
    query = fts_query(query, language)

    def run(index: Index) -> list[Hit]:
        try:
            _fill(index, names, source)
            return _find(index, query, where, language)
        except sqlite3.Error as error:  # what a query's own slip is not: the index
            raise Damaged(str(error)) from None

    return source.read(run)


def fill(source: Source, names: Collection[str]) -> None:
    """Put the words of these sessions in the index (for an export, say)."""

    def run(index: Index) -> None:
        try:
            _fill(index, names, source)
        except sqlite3.Error as error:
            raise Damaged(str(error)) from None

    source.read(run)


def reported(source: Source, names: Collection[str]) -> dict[str, list[str]]:
    """The kelurahan each of these sessions reports (official names, in file order)."""

    def run(index: Index) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {name: [] for name in names}
        for batch in batches(list(names)):
            for name, kelurahan in index.read(
                "SELECT session, kelurahan FROM kelurahan_reports WHERE status IS NOT NULL "
                f"AND session IN ({','.join('?' * len(batch))}) ORDER BY session, position",
                batch,
            ):
                found[name].append(kelurahan)
        return found

    return source.read(run)


def _explain(query: str, error: str, language: str) -> str:
    """Say what is wrong with a query in the user's terms, not SQLite's (a word followed
    by ':', which FTS5 would read as a column, never reaches it: fts_query quotes it)."""
    reason = (
        message(language, "a quote is not closed")
        if error == "unterminated string"
        else message(language, "it is not a valid search")
    )
    return message(
        language,
        'cannot search for {query}: {reason}. Write words, "a phrase", prefix*, and AND, OR, '
        "NOT between them",
        query=repr(query),
        reason=reason,
    )
