"""Session checks, as golden files: each case beside its expected problems."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from kbik.config import load_config
from kbik.documents import parse_document, read_document
from kbik.sessions import body_sections, build_session

CASES = Path(__file__).resolve().parent / "cases"
CONFIG = load_config(CASES)


def outcome(path: Path) -> dict[str, object]:
    session, problems = build_session(read_document(path, path.name), CONFIG)
    return {
        "valid": session is not None,
        "problems": [
            {
                "line": p.line,
                "column": p.column,
                "severity": p.severity,
                "code": p.code,
                "message": p.message,
            }
            for p in problems
        ],
    }


@pytest.mark.parametrize(
    "case", sorted(CASES.glob("*/*.md")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_case_matches_its_golden_result(case: Path, request: pytest.FixtureRequest) -> None:
    result = outcome(case)
    assert result["valid"] is (case.parent.name == "valid")
    expected_file = case.with_suffix(".result.json")
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    if request.config.getoption("--update-golden"):
        expected_file.write_text(text, encoding="utf-8")
    assert expected_file.exists(), f"{expected_file.name} missing; run pytest --update-golden"
    assert json.loads(expected_file.read_text(encoding="utf-8")) == result


def session_of(text: str):
    return build_session(parse_document(text.encode(), "meetings/2016-05-11.md"), CONFIG)


def test_aliases_and_case_resolve_to_official_names() -> None:
    session, _ = session_of(
        "---\ndate: 2016-05-11\nattendees: []\nkelurahan:\n  TUATUNU : persiapan\n"
        "  bukit  merapen: bermasalah\n---\n"
    )
    assert session is not None
    assert [(e.name, e.written, e.team) for e in session.kelurahan] == [
        ("Tua Tunu Indah", "TUATUNU", 1),
        ("Bukit Merapin", "bukit  merapen", 2),
    ]


def test_empty_entry_is_not_a_report() -> None:
    session, _ = session_of("---\ndate: 2016-05-11\nattendees: []\nkelurahan:\n  Opas:\n---\n")
    assert session is not None
    assert session.reported == ()
    assert session.kelurahan[0].status is None


def test_followups_get_their_identity() -> None:
    session, _ = session_of(
        "---\ndate: 2016-05-11\nattendees: []\nfollowups:\n  - action: A\n"
        "  - {id: x1, action: B, done: 2016-05-12, kelurahan: Opas}\n---\n"
    )
    assert session is not None
    first, second = session.followups
    assert (first.id, first.explicit_id, first.done) == ("2016-05-11#1", False, False)
    assert (second.id, second.done, second.done_on) == ("x1", True, dt.date(2016, 5, 12))
    assert second.kelurahan == ("Opas Indah",)


def test_body_sections_know_their_team() -> None:
    sections = body_sections(
        "intro\n## Tim 2\nteks\n## Team 10: extra\nlagi\n## Tim 6 dan 7\nbersama\n"
        "## Teams 1, 2 & Team 3\ntiga\n## Timur\nbukan tim\n## Penutup\nakhir"
    )
    assert [(s.title, s.teams, s.text) for s in sections] == [
        ("Tim 2", (2,), "teks"),
        ("Team 10: extra", (10,), "lagi"),
        ("Tim 6 dan 7", (6, 7), "bersama"),
        ("Teams 1, 2 & Team 3", (1, 2, 3), "tiga"),
        ("Timur", (), "bukan tim"),
        ("Penutup", (), "akhir"),
    ]


def test_without_a_roster_of_kelurahan_an_unknown_name_is_a_warning() -> None:
    from pathlib import Path

    from kbik.config import Config, Team
    from kbik.problems import Problem

    config = Config(root=Path("."), teams=(Team(1, ("Yuri",)),), language="en")
    text = (
        "---\ndate: 2016-05-11\nattendees: [Yuri]\nkelurahan:\n"
        "  status: bergulir\n  Kampung Baru: vakum\n---\n"
    )
    session, problems = build_session(
        parse_document(text.encode(), "meetings/2016-05-11.md"), config
    )
    assert problems == (
        Problem(
            "meetings/2016-05-11.md",
            "error",
            "misplaced-field",
            "'status' is a field of a kelurahan entry, not a kelurahan: indent it under the "
            "kelurahan it belongs to",
            5,
            3,
        ),
        Problem(
            "meetings/2016-05-11.md",
            "warning",
            "unknown-kelurahan",
            "kelurahan 'Kampung Baru' is not on the roster",
            6,
            3,
        ),
    )
    assert session is None


def test_an_empty_entry_keeps_its_roster_team() -> None:
    session, _ = session_of("---\ndate: 2016-05-11\nattendees: []\nkelurahan:\n  Keramat:\n---\n")
    assert session is not None
    [entry] = session.kelurahan
    assert (entry.name, entry.status, entry.team) == ("Keramat", None, 2)


def test_a_session_keeps_its_texts_and_body() -> None:
    session, _ = session_of(
        "---\ndate: 2016-05-11\nattendees: []\ntitle: KBIK\nplace: Korkot\n"
        "facilitator: pak iwan\nnotetaker: Hendra  Putra\ntopics: [Pembukuan]\n"
        "---\n## Tim 1\nTeks.\n"
    )
    assert session is not None
    # People as the roster spells them: a display name ("Pak Iwan") is the person.
    assert (session.title, session.place, session.facilitator, session.notetaker) == (
        "KBIK",
        "Korkot",
        "Iwan",
        "Hendra Putra",
    )
    assert session.topics == ("Pembukuan",) and session.body == "## Tim 1\nTeks."


def test_numbers_written_as_text_are_kept_as_text() -> None:
    """YAML reads `place: 12` and `topics: [2016, 1.5]` as numbers; they are text here."""
    text = (
        "---\ndate: 2016-05-11\nattendees: [7]\nplace: 12\ntitle: '  '\n"
        "topics: [2016, 1.5, '  Dana  ']\n---\n"
    )
    # A roster of people would refuse '7' as a person: this workspace has none.
    without_people = replace(CONFIG, people=(), teams=())
    session, problems = build_session(parse_document(text.encode(), "x.md"), without_people)
    assert session is not None and all(p.severity == "warning" for p in problems)
    assert (session.place, session.title, session.attendees) == ("12", None, ("7",))
    assert session.topics == ("2016", "1.5", "Dana")
    _, problems = session_of("---\ndate: 2016-05-11\nattendees: []\nplace: true\n---\n")
    assert [p.code for p in problems if p.severity == "error"] == ["wrong-type"]


def test_followups_know_their_place_and_line() -> None:
    session, _ = session_of(
        "---\ndate: 2016-05-11\nattendees: []\nfollowups:\n"
        "  - action: Satu\n  - action: Dua\n    team: 2\n---\n"
    )
    assert session is not None
    assert [(f.id, f.position, f.line) for f in session.followups] == [
        ("2016-05-11#1", 1, 5),
        ("2016-05-11#2", 2, 6),
    ]
    session, _ = session_of("---\ndate: 2016-05-11\nattendees: []\nabsent: [6]\n---\n")
    assert session is not None and session.absent[0].reason is None


def test_the_date_in_a_file_name_is_read_from_the_name_alone() -> None:
    """A folder named for another day says nothing about the file's own date."""
    text = b"---\ndate: 2016-05-11\nattendees: []\n---\n"

    def codes(path: str) -> list[str]:
        _, problems = build_session(parse_document(text, path), CONFIG)
        return [p.code for p in problems]

    assert "filename-date" not in codes("meetings/2016-05-04 arsip/2016-05-11.md")
    assert "filename-date" not in codes("meetings/2016-05-04/rapat.md")
    assert "filename-date" in codes("meetings/2016/2016-05-04.md")
