"""Read a session file: bytes → text → front matter split → YAML values with positions.

Everything a user can get wrong in the file's form (encoding, fences, YAML
syntax, tags, aliases, duplicate keys) becomes a Problem here, with the line
in the file; what the values mean is checked later, in ``sessions``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import operator
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler
from yaml.constructor import SafeConstructor

from kbik.i18n import N_, message
from kbik.problems import UNREADABLE, Problem
from kbik.slips import explain

MAX_BYTES = 1024 * 1024
SCAN_UP_TO = 16  # mappings up to this size are scanned for a key rather than indexed
MAX_DEPTH = 16  # the contract needs 4 levels; deeper nesting is a mistake or an attack
MAX_DIGITS = 4000  # far more than any figure, and under Python's own limit of 4,300

# A fence is a line of three or more dashes: python-frontmatter's rule, kept within one
# line (the library's own `^-{3,}\s*$` runs on across blank lines, which would move
# every line number after it).
_FENCE_LINE = re.compile(r"^-{3,}[^\S\n]*$", re.MULTILINE)
_CONFLICT = re.compile(r"^(<{7}|>{7})(\s|$)", re.MULTILINE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YAML = "tag:yaml.org,2002:"
_STR = f"{_YAML}str"
_BaseLoader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)
# The first characters of the implicit types (bool, int, float, null, date, ...):
# a plain scalar starting with any other character is a string.
_MAYBE_TYPED = frozenset(first for first in _BaseLoader.yaml_implicit_resolvers if first)
_RESOLVER = _BaseLoader("")
_ScalarNode = yaml.ScalarNode


@lru_cache(maxsize=4096)
def _resolve(kind: Any, value: Any, implicit: Any) -> str:
    """PyYAML's tag for a node (a plain scalar's type: str, int, bool, ...), remembered."""
    if kind is _ScalarNode and implicit[0] and value and value[0] not in _MAYBE_TYPED:
        return _STR  # a plain scalar starting with a letter: text, without the generic resolver
    tag: str = _BaseLoader.resolve(_RESOLVER, kind, value, implicit)  # type: ignore[no-untyped-call]
    return tag


# What the remembered tags may hold: every value remembered comes from a front matter
# parsed since the last clearing, so clearing after this many characters bounds it.
_REMEMBER_UP_TO = 16 * 1024 * 1024
_remembered = 0


def _compose(source: str) -> yaml.Node | None:
    """Compose YAML text into nodes with libyaml, clearing the remembered tags now and then."""
    global _remembered  # one count per process, as the lru_cache is
    _remembered += len(source)
    if _remembered > _REMEMBER_UP_TO:
        _resolve.cache_clear()
        _remembered = len(source)
    return yaml.compose(source, Loader=_Loader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader (libyaml's when present), with its per-node hooks in C.

    libyaml calls three Python hooks for every node. Session files use no path
    resolvers, so the two path hooks do nothing: they are C functions that take
    the same arguments and are ignored (a Python frame per node each otherwise).
    A node's tag depends only on its kind, value and implicitness, and keys, names
    and status words recur in every file: ``resolve`` is remembered by lru_cache,
    whose hits never enter Python.
    """

    descend_resolver = staticmethod(operator.is_)  # (parent, index): ignored
    ascend_resolver = staticmethod(tuple)  # (): ignored
    resolve = staticmethod(_resolve)


_SCALAR_TAGS = {f"{_YAML}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP, _SEQ = f"{_YAML}map", f"{_YAML}seq"
_NULL, _TIMESTAMP, _INT = f"{_YAML}null", f"{_YAML}timestamp", f"{_YAML}int"
_FLOAT = f"{_YAML}float"
# The kind of node each tag goes on: a mapping, a list, else a single value.
_NODE_KINDS: dict[str, type[yaml.Node]] = {_MAP: yaml.MappingNode, _SEQ: yaml.SequenceNode}
_KIND_NAMES: dict[type[yaml.Node], str] = {
    yaml.MappingNode: N_("a mapping"),
    yaml.SequenceNode: N_("a list"),
}
_ALLOWED_TAGS = _SCALAR_TAGS | {_SEQ, _MAP}
_constructor = SafeConstructor()

Position = tuple[int, int]  # 1-based line and column in the file
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """A file's front matter as plain values, its YAML nodes for positions, and its body."""

    path: str
    data: Mapping[str, Any] | None  # None when the front matter could not be read
    body: str = ""
    root: yaml.Node | None = None  # the composed front matter
    line_offset: int = 1  # lines of the file before the front matter's first line
    problems: tuple[Problem, ...] = ()
    source: str = ""  # the front matter's text, for checks YAML cannot make (comments)
    body_line: int = 0  # the line of the body's first character (0: no body)

    def line_text(self, line: int) -> str:
        """The text of a line of the file that lies in the front matter ('' elsewhere)."""
        lines = self._source_lines
        index = line - 1 - self.line_offset
        return lines[index] if 0 <= index < len(lines) else ""

    @cached_property
    def _source_lines(self) -> list[str]:
        return self.source.split("\n")

    def position(self, path: KeyPath, *, key: bool = False) -> Position | None:
        """Return where the value (or the key) at ``path`` stands, else its nearest parent.

        Positions are looked up in the nodes only when a problem needs one: most
        files have none, and recording every position costs a third of the parsing.
        """
        node = self.root
        if node is None:
            return None
        best = self._where(node)
        for index, part in enumerate(path):
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                pair = self._pair(node, part)
                if pair is None:
                    return best
                if key and index == len(path) - 1:
                    return self._where(pair[0])
                best, node = self._where(pair[0]), pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return best
                node = node.value[part]
            else:
                return best
            if not (isinstance(node, yaml.ScalarNode) and node.value == "" and node.tag == _NULL):
                best = self._where(node)  # an empty value has no place of its own: keep the key
        return best

    def _pair(self, node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        """The key and value nodes of ``key`` in a mapping node (the first, if written twice).

        A small mapping is scanned; a large one, and the top one that every lookup
        starts from, is indexed once, since a file with many problems asks for many
        positions in it (scanning each time was quadratic).
        """
        if len(node.value) <= SCAN_UP_TO and node is not self.root:
            return next(
                (
                    (k, v)
                    for k, v in node.value
                    if isinstance(k, yaml.ScalarNode) and str(k.value).strip() == key
                ),
                None,
            )
        return self._pairs(node).get(key)

    def _pairs(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping node's key and value nodes by key, indexed once per node."""
        index = self._index.get(id(node))
        if index is None:
            index = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    index.setdefault(str(key.value).strip(), (key, value))
            self._index[id(node)] = index
        return index

    @cached_property
    def _index(self) -> dict[int, dict[str, tuple[yaml.Node, yaml.Node]]]:
        return {}

    def _where(self, node: yaml.Node) -> Position:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1


def read_document(file: Path, display: str, language: str = "en") -> Document:
    """Read and split one session file; never raises for bad content."""
    raw = read_bytes(file, display, language)
    return raw if isinstance(raw, Document) else parse_document(raw, display, language)


def read_bytes(file: Path, display: str, language: str = "en") -> bytes | Document:
    """Read a session file's bytes, or return a failed Document saying why not."""
    return read_stat(file, display, language)[0]


def read_stat(
    file: Path, display: str, language: str = "en"
) -> tuple[bytes | Document, os.stat_result | None]:
    """Read a session file's bytes (or a failed Document saying why not, in a
    language), with the stat of what was read."""
    try:
        # os.open and os.read, not open(): no buffered file object for one read.
        fd = os.open(file, os.O_RDONLY | os.O_CLOEXEC)
        try:
            stat = os.fstat(fd)
            if stat.st_size > MAX_BYTES:
                said = message(
                    language,
                    "file is {size} bytes; a session file may be at most 1 MiB",
                    size=f"{stat.st_size:,}",
                )
                return _failed(display, "too-large", said), stat
            raw = os.read(fd, stat.st_size + 1)
            if len(raw) > stat.st_size:  # it grew since fstat: read on to its end
                with open(fd, "rb", closefd=False) as stream:
                    raw += stream.read()
            return raw, stat
        finally:
            os.close(fd)
    except OSError as error:
        said = message(language, UNREADABLE)
        return _failed(display, "unreadable", f"{said}: {error.strerror}"), None


def parse_document(raw: bytes, display: str, language: str = "en") -> Document:
    """Parse a session file's bytes (problems said in a language); never raises for bad
    content."""
    text = _decode(raw, display, language)
    if isinstance(text, Problem):
        return Document(display, None, problems=(text,))
    # The substring test is much faster than the regex, and almost always false.
    conflict = _CONFLICT.search(text) if "<<<<<<<" in text or ">>>>>>>" in text else None
    if conflict:
        return _failed(
            display,
            "merge-conflict",
            message(
                language,
                "unresolved git merge conflict: keep one side and delete the "
                "<<<<<<<, ======= and >>>>>>> lines",
            ),
            text.count("\n", 0, conflict.start()) + 1,
        )
    if not _opens(text):
        return _failed(
            display,
            "no-front-matter",
            message(language, "no front matter: the file must start with a line '---'"),
            1,
        )
    handler = _Handler(display, language)
    frontmatter.parse(text, handler=handler)
    document = handler.document
    if document is None:
        return _failed(
            display,
            "unclosed-front-matter",
            message(language, "the front matter opened on line 1 is never closed by a line '---'"),
            1,
        )
    if document.data is not None and _FENCE_LINE.match(document.body):
        warning = Problem(
            display,
            "warning",
            "second-front-matter",
            message(
                language,
                "another '---' block follows the front matter; it is read as body "
                "text (put all keys in the first block)",
            ),
            document.body_line,
            1,
        )
        return replace(document, problems=(*document.problems, warning))
    return document


class _Handler(YAMLHandler):
    """python-frontmatter's YAML handler with kbik's fence rule and positional loader.

    The library splits the text and strips the body; the handler notes where the body
    starts, so body lines keep their numbers in the file.
    """

    FM_BOUNDARY = _FENCE_LINE

    def __init__(self, display: str, language: str = "en") -> None:
        super().__init__()
        self.display, self.language = display, language
        self.document: Document | None = None
        self.body = ""
        self.body_line = 0

    def split(self, text: str) -> tuple[str, str]:
        """The front matter between the first two fences, and the body after them."""
        close = _closing_fence(text)
        if close is None:
            raise ValueError("unclosed front matter")  # the library's way to say "no split"
        body = text[close.end() + 1 :]
        self.body = body.strip()
        if self.body:
            lead = len(body) - len(body.lstrip())
            self.body_line = text.count("\n", 0, close.end() + 1 + lead) + 1
        return text[text.find("\n") + 1 : close.start()], body

    def load(self, fm: str, **kwargs: object) -> dict[str, Any]:
        """Compose the front matter with positions; the Document is kept on the handler."""
        builder = _Builder(self.display, line_offset=1, language=self.language)
        self.document = builder.document(fm, self.body, self.body_line)
        return self.document.data if isinstance(self.document.data, dict) else {}


def _opens(text: str) -> bool:
    """Tell whether the text starts with a fence line."""
    return _FENCE_LINE.match(text) is not None


def is_fence(line: str) -> bool:
    """Tell whether one line is a front-matter fence (three or more dashes)."""
    return _FENCE_LINE.fullmatch(line) is not None


def _closing_fence(text: str) -> re.Match[str] | None:
    """The first fence line after the first line, if any."""
    first_end = text.find("\n")
    if first_end < 0:
        return None
    # str.find jumps to each line that starts with dashes; the regex only checks those
    # (searching with it tries every position of the front matter).
    start = first_end
    while (start := text.find("\n---", start)) >= 0:
        fence = _FENCE_LINE.match(text, start + 1)
        if fence is not None:
            return fence
        start += 1
    return None


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


def looks_like_session(path: Path) -> bool:
    """Tell whether a file starts with front matter that has a date, as sessions do."""
    lines = _head(path).lstrip("\ufeff").splitlines()
    if not lines or not is_fence(lines[0]):
        return False
    for line in lines[1:]:
        if is_fence(line):
            return False
        if line.startswith("date:"):
            return True
    return False


def read_body(file: Path) -> str:
    """A session file's body, after its front matter, without parsing the YAML again.

    For a file already read as a valid session: anything unreadable gives ''.
    """
    try:
        raw = file.read_bytes()
    except OSError:
        return ""
    text = _decode(raw, "")
    if isinstance(text, Problem):
        return ""
    try:
        return _Handler("").split(text)[1].strip() if _opens(text) else ""
    except ValueError:  # no closing fence
        return ""


def _failed(
    display: str, code: str, message: str, line: int | None = None, column: int | None = None
) -> Document:
    return Document(
        display, None, problems=(Problem(display, "error", code, message, line, column),)
    )


def _decode(raw: bytes, display: str, language: str = "en") -> str | Problem:
    """Decode UTF-8 (with or without BOM) and normalise line endings."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        said = message(language, "the file is UTF-16; save it as UTF-8")
        return Problem(display, "error", "not-utf8", said, 1, 1)
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(raw, nul)
        return Problem(
            display,
            "error",
            "nul-byte",
            message(
                language,
                "the file contains NUL bytes: is it a binary or UTF-16 file? Save it as UTF-8 text",
            ),
            line,
            column,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _byte_position(raw, error.start)
        byte = raw[error.start]
        return Problem(
            display,
            "error",
            "not-utf8",
            message(
                language,
                "not UTF-8 text (byte 0x{byte}); save the file as UTF-8",
                byte=f"{byte:02x}",
            ),
            line,
            column,
        )
    # Windows editors write CRLF, old Mac ones CR, git merges may mix them.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _byte_position(raw: bytes, offset: int) -> Position:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


class _Refused(Exception):
    """YAML that is refused as a whole (tags, aliases, depth)."""

    def __init__(self, code: str, message: str, position: Position) -> None:
        super().__init__(message)
        self.code = code
        self.position = position


class _Builder:
    """Turns composed YAML nodes into plain values, collecting problems."""

    def __init__(self, display: str, line_offset: int, language: str = "en") -> None:
        self.display = display
        self.language = language
        self.offset = line_offset
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        # An alias (*name) needs an anchor (&name): without either character in the
        # text, no node can come twice, and the nodes need not be remembered.
        self.track = True

    def _(self, text: str, /, **values: object) -> str:
        """A message in the language problems are said in, its placeholders filled."""
        return message(self.language, text, **values)

    def where(self, mark: Any) -> Position:
        return mark.line + 1 + self.offset, mark.column + 1

    def error(self, code: str, message: str, position: Position | None) -> None:
        line, column = position if position else (None, None)
        message = " ".join(message.split())  # one problem, one line
        self.problems.append(Problem(self.display, "error", code, message, line, column))

    def document(self, source: str, body: str = "", body_line: int = 0) -> Document:
        data: Any = None
        root = None
        # Problems recorded along the way (duplicate keys) leave the rest readable,
        # so later checks still report everything else in one run.
        self.track = "&" in source or "*" in source
        try:
            root = _compose(source)
            data = {} if root is None else self.build(root, 0, root.start_mark)
            if data is None:  # '~' or 'null' alone: a value, but no keys
                data = False
        except yaml.MarkedYAMLError as problem:
            self.syntax_error(problem, source)
        except yaml.reader.ReaderError as problem:
            # A control character, typically pasted from a chat or a PDF.
            before = source[: problem.position]
            line = before.count("\n") + 1 + self.offset
            column = problem.position - (before.rfind("\n") + 1) + 1
            code = problem.character if isinstance(problem.character, int) else 0
            self.error(
                "yaml-syntax",
                self._(
                    "YAML syntax error: control character U+{code} is not allowed; delete it",
                    code=f"{code:04X}",
                ),
                (line, column),
            )
        except yaml.YAMLError as problem:
            reason = " ".join(str(problem).split())
            self.error("yaml-syntax", self._("YAML syntax error: {reason}", reason=reason), None)
        except _Refused as refused:
            self.error(refused.code, str(refused), refused.position)
        except RecursionError:
            self.error("too-deep", self._("the front matter is nested too deeply"), None)
        if data is not None and not isinstance(data, dict):
            self.error(
                "not-a-mapping",
                self._("the front matter must be a mapping of keys (date:, attendees:, ...)"),
                (self.offset + 1, 1),
            )
            data = None
        if data is None:
            root = None
        problems = tuple(self.problems)
        return Document(self.display, data, body, root, self.offset, problems, source, body_line)

    def syntax_error(self, problem: yaml.MarkedYAMLError, source: str) -> None:
        """Say a YAML syntax error at its line: in kbik's words when it is a known slip."""
        mark = problem.problem_mark or problem.context_mark
        reason = problem.problem or problem.context or "invalid YAML"
        if mark is None:
            self.error("yaml-syntax", self._("YAML syntax error: {reason}", reason=reason), None)
            return
        lines = source.split("\n")
        if "\t" in lines[mark.line][: mark.column + 1]:
            reason += self._(" (a tab: YAML indents with spaces only)")
        else:
            context = problem.context_mark
            opened = (context.line, context.column) if context else None
            slip = explain(
                lines, reason, (mark.line, mark.column), opened, problem.context or "", self.offset
            )
            if slip is not None:
                where = (slip.line + 1 + self.offset, slip.column + 1)
                self.error("yaml-syntax", slip.message(self.language), where)
                return
        said = self._("YAML syntax error: {reason}", reason=reason)
        self.error("yaml-syntax", said, self.where(mark))

    def build(self, node: yaml.Node, depth: int, used: Any) -> Any:
        """Build a value; ``used`` is the mark of where it is used (its key, else itself)."""
        if self.track:
            if id(node) in self.seen:
                # The composer hands back the anchored node itself; name where it is used.
                raise _Refused(
                    "yaml-alias",
                    self._(
                        "YAML anchors and aliases (&name, *name) are not allowed in "
                        "session files; write the value out"
                    ),
                    self.where(used),
                )
            self.seen.add(id(node))
        tag = node.tag
        if tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value  # most values: no constructor needed
        if depth > MAX_DEPTH:
            raise _Refused(
                "too-deep",
                self._("the front matter is nested more than {depth} levels deep", depth=MAX_DEPTH),
                self.where(node.start_mark),
            )
        if tag not in _ALLOWED_TAGS:
            raise _Refused(
                "yaml-tag",
                self._(
                    "YAML tag '{tag}' is not allowed: session files hold plain values, lists "
                    "and mappings only",
                    tag=tag.replace(_YAML, "!!"),
                ),
                self.where(node.start_mark),
            )
        expected = _NODE_KINDS.get(tag, _ScalarNode)
        if not isinstance(node, expected):
            kind = self._(_KIND_NAMES.get(type(node), N_("a single value")))
            raise _Refused(
                "yaml-tag",
                self._(
                    "YAML tag '{tag}' cannot be put on {kind}; delete the tag",
                    tag=tag.replace(_YAML, "!!"),
                    kind=kind,
                ),
                self.where(node.start_mark),
            )
        if tag == _MAP:
            return self.mapping(node, depth)
        if tag == _SEQ:
            if self.track:
                return [self.build(item, depth + 1, node.start_mark) for item in node.value]
            # Most items are plain text (names, topics): no call to build() for them.
            return [
                item.value
                if item.tag == _STR and isinstance(item, _ScalarNode)
                else self.build(item, depth + 1, node.start_mark)
                for item in node.value
            ]
        return self.scalar(node)

    def mapping(self, node: yaml.Node, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        track = self.track
        for key_node, value_node in node.value:
            if key_node.tag not in _SCALAR_TAGS or not isinstance(key_node, _ScalarNode):
                raise _Refused(
                    "yaml-syntax",
                    self._("a key must be a plain word or name"),
                    self.where(key_node.start_mark),
                )
            key = key_node.value.strip()
            if key in result:
                first = next(k for k, _ in node.value if k.value.strip() == key)
                self.error(
                    "duplicate-key",
                    self._(
                        "duplicate key '{key}' (first on line {line})",
                        key=key,
                        line=self.where(first.start_mark)[0],
                    ),
                    self.where(key_node.start_mark),
                )
                continue
            if value_node.tag == _STR and isinstance(value_node, _ScalarNode) and not track:
                # Most values are plain text: no call to build() for them.
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node, depth + 1, key_node.start_mark)
        return result

    def scalar(self, node: yaml.Node) -> Any:
        tag, value = node.tag, node.value
        # The common cases answered as PyYAML's constructors would, without them:
        # an empty value, a date, a team number.
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:
            # Only plain YYYY-MM-DD is a date in a session file; the rest stays text
            # so that the checks can say what is wrong with it.
            if not _ISO_DATE.fullmatch(value):
                return value
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value  # e.g. 2016-02-30: kept as text, rejected as a date later
        digits = sum(character.isdigit() for character in value) if len(value) > 100 else 0
        if digits > MAX_DIGITS and tag in (_INT, _FLOAT):
            raise _Refused(
                "too-long-number",
                self._(
                    "a number of {digits} digits is too long; write at most {most} digits",
                    digits=f"{digits:,}",
                    most=MAX_DIGITS,
                ),
                self.where(node.start_mark),
            )
        if tag == _INT and value.isascii() and value.isdigit() and value[0] != "0":
            return int(value)  # not 0755, octal in YAML 1.1
        construct = SafeConstructor.yaml_constructors[tag]
        try:
            return construct(_constructor, node)
        except (ValueError, KeyError, IndexError, TypeError) as error:
            if tag == _TIMESTAMP:
                return node.value  # kept as text, rejected as a date later
            # An explicit tag on a value it does not fit: '!!bool 5', '!!int ""'.
            name = tag.replace(_YAML, "!!")
            raise _Refused(
                "yaml-tag",
                self._(
                    "'{value}' is not a valid {name} value; delete the tag or fix the value",
                    value=value,
                    name=name,
                ),
                self.where(node.start_mark),
            ) from error
