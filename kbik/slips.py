"""The YAML slips people make by hand, said in kbik's words instead of the parser's.

libyaml names the place where it gave up, often a line after the slip, in its own
terms ("mapping values are not allowed in this context"). ``explain`` looks at the
lines the parser was reading and, when one of them has the shape of a known slip,
says which line it is and what to write instead. It only ever replaces the message:
when no slip is recognised, the parser's own words are kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kbik.i18n import N_, message

# Keys that go under a kelurahan's name; a note typed under "Opas: penagihan" is one.
_ENTRY_KEYS = frozenset({"status", "previous", "note", "catatan", "figures", "team"})
_KEY_LINE = re.compile(r"""^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s#:"'{}\[\]][^:#]*?):(?:\s+(.*))?$""")
_NO_SPACE = re.compile(r"""^(\s*)(?:-\s+)?([^\s#:"'{}\[\]-][^:#]*?):([^\s/].*)$""")
_DASH = re.compile(r"^(\s*)-([^\s-].*)$")
_LOOK_BACK = 30  # lines before the parser's mark that may hold the slip


@dataclass(frozen=True)
class Slip:
    """A recognised slip: where it stands (0-based line and column) and what to do, as a
    message of the catalogs (``text``, marked with N_) and its ``values``."""

    line: int
    column: int
    text: str
    values: Mapping[str, object] = field(default_factory=dict)

    def message(self, language: str = "en") -> str:
        """What to do, in a language."""
        return message(language, self.text, **self.values)


def explain(
    lines: list[str],
    problem: str,
    mark: tuple[int, int],
    context: tuple[int, int] | None = None,
    context_text: str = "",
    offset: int = 0,
) -> Slip | None:
    """Name the slip behind a YAML error at ``mark`` (0-based line and column), if it has
    a known shape; ``context`` is where the parser was reading from, and what. Lines
    named in messages are those of the file: the text's first line is ``offset + 1``."""
    if context is not None and context[0] < len(lines):
        opened = _unclosed(lines, context, context_text)
        if opened is not None:
            return opened
    first = context[0] if context is not None and context[0] <= mark[0] else mark[0] - _LOOK_BACK
    for number in range(max(first, 0), min(mark[0], len(lines) - 1) + 1):
        slip = _slip_at(lines, number, offset)
        if slip is not None:
            return slip
    line = lines[mark[0]] if mark[0] < len(lines) else ""
    if "cannot start any token" in problem and mark[1] < len(line):
        character = line[mark[1]]
        return Slip(
            mark[0],
            mark[1],
            N_("a value cannot start with '{character}' in YAML: put the value in quotes"),
            {"character": character},
        )
    if "mapping values are not allowed" in problem and mark[0] < len(lines):
        return _colon_in_value(lines[mark[0]], mark[0])
    return None


def _unclosed(lines: list[str], context: tuple[int, int], context_text: str) -> Slip | None:
    """A quote or bracket opened at ``context`` and never closed."""
    line, column = context
    if "quoted scalar" in context_text:
        quote = lines[line][column] if column < len(lines[line]) else '"'
        said = N_("the quote ({quote}) opened here is never closed; close it")
        return Slip(line, column, said, {"quote": quote})
    for kind, opening, closing in (("flow mapping", "{", "}"), ("flow sequence", "[", "]")):
        if kind in context_text:
            said = N_("the '{opening}' opened here is never closed with '{closing}'")
            return Slip(line, column, said, {"opening": opening, "closing": closing})
    return None


def _slip_at(lines: list[str], number: int, offset: int) -> Slip | None:
    """The slip a line makes, given the lines above it, or None."""
    line = lines[number]
    text = line.strip()
    if not text or text.startswith("#") or text == "---":
        return None
    indent = len(line) - len(line.lstrip(" "))
    dash = _DASH.match(line)
    if dash:
        said = N_("put a space after the dash: '- {item}' (a list item)")
        return Slip(number, indent, said, {"item": dash[2].strip()})
    no_space = _NO_SPACE.match(line)
    if no_space and not _KEY_LINE.match(line):
        key, value = no_space[2].strip(), no_space[3].strip()
        return Slip(
            number,
            indent + len(key),
            N_("put a space after the colon: '{key}: {value}'"),
            {"key": key, "value": value},
        )
    above = _above(lines, number)
    key = _KEY_LINE.match(line)
    if key is None and not text.startswith("-"):
        if above is not None and above[1].lstrip().startswith("- ") and above[0] == indent:
            said = N_("a list item needs '- ' before it: '- {item}'")
            return Slip(number, indent, said, {"item": text})
        parent = _parent(lines, number, indent)
        # At the top, or under a key with nothing after its colon, a line is a key.
        if (parent is None and indent == 0) or (
            parent is not None and _inline_value(lines[parent]) is None
        ):
            words = text.split()
            example = f"{' '.join(words[:-1])}: {words[-1]}" if len(words) > 1 else f"{text}: …"
            return Slip(
                number,
                indent,
                N_(
                    "'{value}' has no colon: put a colon and a space after the name, "
                    "e.g. '{example}'"
                ),
                {"value": text, "example": example},
            )
        return None
    if key is None:
        return None
    parent = _parent(lines, number, indent)
    if parent is None:
        return None
    parent_key = _KEY_LINE.match(lines[parent])
    value = _inline_value(lines[parent])
    if parent_key is not None and value is not None:
        name, child = parent_key[2].strip("'\""), key[2].strip("'\"")
        said = (
            N_(
                "'{name}: {value}' (line {line}) already has its value, so '{child}' cannot "
                "go under it: write '{name}:' alone on its line, with 'status: {value}' and "
                "'{child}: …' under it"
            )
            if child in _ENTRY_KEYS
            else N_(
                "'{name}: {value}' (line {line}) already has its value, so '{child}' cannot "
                "go under it: write '{name}:' alone on its line, with its fields under it"
            )
        )
        values = {"name": name, "value": value, "line": parent + 1 + offset, "child": child}
        return Slip(number, indent, said, values)
    sibling = _first_child(lines, parent)
    if sibling is not None and sibling[0] != number and sibling[1] != indent:
        name = parent_key[2] if parent_key else lines[parent].strip()
        return Slip(
            number,
            indent,
            N_(
                "this line is indented by {indent} spaces, but the lines under '{name}' "
                "(line {line}) by {spaces}: indent it like line {like}"
            ),
            {
                "indent": indent,
                "name": name,
                "line": parent + 1 + offset,
                "spaces": sibling[1],
                "like": sibling[0] + 1 + offset,
            },
        )
    return None


def _colon_in_value(line: str, number: int) -> Slip | None:
    """``place: Aula: Kantor``: a value holding ': ' needs quotes."""
    key = _KEY_LINE.match(line)
    if key is None or not key[3] or (": " not in key[3] and not key[3].endswith(":")):
        return None
    value = key[3].split(" #", 1)[0].strip().replace('"', '\\"')
    name = key[2]
    return Slip(
        number,
        len(key[1]),
        N_("the value of '{name}' has ': ' in it: put it in quotes, {name}: \"{value}\""),
        {"name": name, "value": value},
    )


def _above(lines: list[str], number: int) -> tuple[int, str] | None:
    """The indent and text of the nearest line above that holds something."""
    for index in range(number - 1, -1, -1):
        text = lines[index].strip()
        if text and not text.startswith("#"):
            return len(lines[index]) - len(lines[index].lstrip(" ")), lines[index]
    return None


def _parent(lines: list[str], number: int, indent: int) -> int | None:
    """The nearest key line above that is indented less: what this line is under."""
    for index in range(number - 1, -1, -1):
        text = lines[index].strip()
        if not text or text.startswith("#"):
            continue
        if len(lines[index]) - len(lines[index].lstrip(" ")) < indent:
            return index if _KEY_LINE.match(lines[index]) else None
    return None


def _first_child(lines: list[str], parent: int) -> tuple[int, int] | None:
    """The first line under a key line, with its indent."""
    for index in range(parent + 1, len(lines)):
        text = lines[index].strip()
        if text and not text.startswith("#"):
            return index, len(lines[index]) - len(lines[index].lstrip(" "))
    return None


def _inline_value(line: str) -> str | None:
    """The plain value written on a key's own line ('penagihan' in 'Opas: penagihan')."""
    key = _KEY_LINE.match(line)
    if key is None or not key[3]:
        return None
    value = key[3].split(" #", 1)[0].strip()
    if not value or value[0] in "{[|>&*!#":
        return None
    return value
