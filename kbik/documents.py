"""Read a session file: bytes → text → front matter split → YAML values with positions.

Everything a user can get wrong in the file's form (encoding, fences, YAML
syntax, tags, aliases, duplicate keys) becomes a Problem here, with the line
in the file; what the values mean is checked later, in ``sessions``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from yaml.constructor import SafeConstructor

from kbik.model import Problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 16  # the contract needs 4 levels; deeper nesting is a mistake or an attack

# python-frontmatter's own fence rule, so a file it reads is a file kbik reads.
_FENCE = YAMLHandler.FM_BOUNDARY
_CONFLICT = re.compile(r"^(<{7}|>{7})(\s|$)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_ALLOWED_TAGS = _SCALAR_TAGS | {f"{_YAML}seq", f"{_YAML}map"}
_constructor = SafeConstructor()

Position = tuple[int, int]  # 1-based line and column in the file
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """A file's front matter as plain values, where each value stands, and its body."""

    path: str
    data: Mapping[str, Any] | None  # None when the front matter could not be read
    body: str = ""
    values: Mapping[KeyPath, Position] = field(default_factory=dict)
    keys: Mapping[KeyPath, Position] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def position(self, path: KeyPath, *, key: bool = False) -> Position | None:
        """Return where the value (or the key) at ``path`` stands, else its nearest parent."""
        marks = self.keys if key else self.values
        while True:
            if path in marks:
                return marks[path]
            if not key and path in self.keys:
                return self.keys[path]
            if not path:
                return None
            path = path[:-1]


def read_document(file: Path, display: str) -> Document:
    """Read and split one session file; never raises for bad content."""
    raw = read_bytes(file, display)
    return raw if isinstance(raw, Document) else parse_document(raw, display)


def read_bytes(file: Path, display: str) -> bytes | Document:
    """Read a session file's bytes, or return a failed Document saying why not."""
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            return _failed(
                display, "too-large", f"file is {size:,} bytes; a session file may be at most 1 MiB"
            )
        return file.read_bytes()
    except OSError as error:
        return _failed(display, "unreadable", f"cannot read the file: {error.strerror}")


def parse_document(raw: bytes, display: str) -> Document:
    """Parse a session file's bytes; never raises for bad content."""
    text = _decode(raw, display)
    if isinstance(text, Problem):
        return Document(display, None, problems=(text,))
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if _CONFLICT.match(line):
            return _failed(
                display,
                "merge-conflict",
                "unresolved git merge conflict: keep one side and delete the "
                "<<<<<<<, ======= and >>>>>>> lines",
                number,
            )
    if not lines or not _FENCE.match(lines[0]):
        return _failed(
            display, "no-front-matter", "no front matter: the file must start with a line '---'", 1
        )
    close = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if close is None:
        return _failed(
            display,
            "unclosed-front-matter",
            "the front matter opened on line 1 is never closed by a line '---'",
            1,
        )
    body = "\n".join(lines[close + 1 :])
    return _Builder(display, line_offset=1).document("\n".join(lines[1:close]), body)


def _failed(
    display: str, code: str, message: str, line: int | None = None, column: int | None = None
) -> Document:
    return Document(
        display, None, problems=(Problem(display, "error", code, message, line, column),)
    )


def _decode(raw: bytes, display: str) -> str | Problem:
    """Decode UTF-8 (with or without BOM) and normalise line endings."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Problem(display, "error", "not-utf8", "the file is UTF-16; save it as UTF-8", 1, 1)
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(raw, nul)
        return Problem(
            display,
            "error",
            "nul-byte",
            "the file contains NUL bytes: is it a binary or UTF-16 file? Save it as UTF-8 text",
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
            f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8",
            line,
            column,
        )
    # Windows editors write CRLF, old Mac ones CR, git merges may mix them.
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
    """Turns composed YAML nodes into plain values, recording positions and problems."""

    def __init__(self, display: str, line_offset: int) -> None:
        self.display = display
        self.offset = line_offset
        self.values: dict[KeyPath, Position] = {}
        self.keys: dict[KeyPath, Position] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def where(self, mark: Any) -> Position:
        return mark.line + 1 + self.offset, mark.column + 1

    def error(self, code: str, message: str, position: Position | None) -> None:
        line, column = position if position else (None, None)
        self.problems.append(Problem(self.display, "error", code, message, line, column))

    def document(self, source: str, body: str) -> Document:
        data: Any = None
        # Problems recorded along the way (duplicate keys) leave the rest readable,
        # so later checks still report everything else in one run.
        try:
            root = yaml.compose(source, Loader=_Loader)
            data = {} if root is None else self.build(root, (), 0)
        except yaml.MarkedYAMLError as problem:
            mark = problem.problem_mark or problem.context_mark
            reason = problem.problem or problem.context or "invalid YAML"
            self.error(
                "yaml-syntax", f"YAML syntax error: {reason}", self.where(mark) if mark else None
            )
        except yaml.YAMLError as problem:
            self.error("yaml-syntax", f"YAML syntax error: {problem}", None)
        except _Refused as refused:
            self.error(refused.code, str(refused), refused.position)
        except RecursionError:
            self.error("too-deep", "the front matter is nested too deeply", None)
        if data is not None and not isinstance(data, dict):
            self.error(
                "not-a-mapping",
                "the front matter must be a mapping of keys (date:, attendees:, ...)",
                (self.offset + 1, 1),
            )
            data = None
        return Document(self.display, data, body, self.values, self.keys, tuple(self.problems))

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        here = self.where(node.start_mark)
        if id(node) in self.seen:
            # The composer hands back the anchored node itself; name where it is used.
            used = self.keys.get(path) or self.values.get(path[:-1]) or here
            raise _Refused(
                "yaml-alias",
                "YAML anchors and aliases (&name, *name) are not allowed in "
                "session files; write the value out",
                used,
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Refused(
                "too-deep", f"the front matter is nested more than {MAX_DEPTH} levels deep", here
            )
        if node.tag not in _ALLOWED_TAGS:
            tag = node.tag.replace(_YAML, "!!")
            raise _Refused(
                "yaml-tag",
                f"YAML tag '{tag}' is not allowed: session files hold "
                "plain values, lists and mappings only",
                here,
            )
        self.values[path] = here
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # the only other kind of node
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                raise _Refused(
                    "yaml-syntax",
                    "a key must be a plain word or name",
                    self.where(key_node.start_mark),
                )
            key = str(key_node.value).strip()
            key_path = (*path, key)
            position = self.where(key_node.start_mark)
            if key_path in self.keys:
                first = self.keys[key_path][0]
                self.error(
                    "duplicate-key", f"duplicate key '{key}' (first on line {first})", position
                )
                continue
            self.keys[key_path] = position
            result[key] = self.build(value_node, key_path, depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag.removeprefix(_YAML)
        if tag == "timestamp" and not _ISO_DATE.fullmatch(node.value):
            # Only plain YYYY-MM-DD is a date in a session file; the rest stays text
            # so that the checks can say what is wrong with it.
            return node.value
        construct = SafeConstructor.yaml_constructors[node.tag]
        try:
            return construct(_constructor, node)
        except ValueError:
            return node.value  # e.g. 2016-02-30: kept as text, rejected as a date later
