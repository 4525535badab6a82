"""The YAML slips people make by hand, each said in kbik's words at its own line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbik.documents import parse_document

HEAD = "---\ndate: 2016-05-18\nattendees: [Iwan]\n"


def problem(front: str) -> tuple[int | None, int | None, str]:
    """The one problem of a session whose front matter ends with ``front``."""
    document = parse_document((HEAD + front + "\n---\n").encode(), "x.md")
    [found] = document.problems
    assert found.code == "yaml-syntax"
    return found.line, found.column, found.message


@pytest.mark.parametrize(
    "front, line, message",
    [
        # A note added under a status written on the same line.
        (
            "kelurahan:\n  Kota: penagihan\n    note: 3 KSM menunggak",
            6,
            "'Kota: penagihan' (line 5) already has its value, so 'note' cannot go under it: "
            "write 'Kota:' alone on its line, with 'status: penagihan' and 'note: …' under it",
        ),
        (
            "kelurahan:\n  Kota: penagihan\n    # why\n    note: 3 KSM menunggak\n  Opas: vakum",
            7,
            "'Kota: penagihan' (line 5) already has its value",
        ),
        # No space after the colon, and no colon at all, reported on their own line.
        (
            "kelurahan:\n  Bacang:bergulir\n  # a comment\n  Opas: vakum",
            5,
            "put a space after the colon: 'Bacang: bergulir'",
        ),
        (
            "kelurahan:\n  Mandonga pencairan\n  # a comment\n  Opas: vakum",
            5,
            "'Mandonga pencairan' has no colon: put a colon and a space after the name, "
            "e.g. 'Mandonga: pencairan'",
        ),
        ("place Aula\nfacilitator: Iwan", 4, "'place Aula' has no colon"),
        ("date:2016-05-18", 4, "put a space after the colon: 'date: 2016-05-18'"),
        # Lists: an item without its dash, a dash without its space.
        ("topics:\n  - satu\n  dua", 6, "a list item needs '- ' before it: '- dua'"),
        ("topics:\n  - satu\n  -dua", 6, "put a space after the dash: '- dua'"),
        # An indent that matches none of the lines above.
        (
            "kelurahan:\n  Opas:\n    status: bergulir\n   note: x",
            7,
            "this line is indented by 3 spaces, but the lines under 'Opas' (line 5) by 4: "
            "indent it like line 6",
        ),
        # What is opened and never closed, at the place it opens.
        ('place: "Aula', 4, 'the quote (") opened here is never closed'),
        ("attendees2: [Iwan, Yuri\ntopics: []", 4, "the '[' opened here is never closed with ']'"),
        ("kelurahan:\n  Opas: {status: bergulir", 5, "the '{' opened here is never closed"),
        # ': ' inside a value.
        ("place: Aula: Kantor", 4, 'put it in quotes, place: "Aula: Kantor"'),
        ("place: @aula", 4, "a value cannot start with '@' in YAML: put the value in quotes"),
        # A tab keeps its own message.
        ("kelurahan:\n\tOpas: bergulir", 5, "(a tab: YAML indents with spaces only)"),
    ],
)
def test_a_slip_is_said_at_its_line(front: str, line: int, message: str) -> None:
    found_line, _, found_message = problem(front)
    assert found_line == line
    assert message in found_message


def test_an_unknown_shape_keeps_the_parsers_words() -> None:
    _, _, message = problem("a: b\n- c")
    assert message.startswith("YAML syntax error: ")


@given(st.lists(st.text(alphabet=" -:#ab\"'[]{}\t", max_size=12), max_size=8))
def test_any_broken_front_matter_gets_one_message_with_a_line(lines: list[str]) -> None:
    document = parse_document((HEAD + "\n".join(lines) + "\n---\n").encode(), "x.md")
    for found in document.problems:
        if found.code == "yaml-syntax":
            assert found.line is not None and found.message
