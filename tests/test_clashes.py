"""The checks across session files, on heads alone: one date twice, a date far ahead."""

from __future__ import annotations

import datetime as dt

import pytest

from kbik.clashes import AHEAD_WEEKS, duplicate_dates, far_ahead, without
from kbik.index import Head

DAY = dt.date(2016, 5, 11)


def head(path: str, day: dt.date | None, line: int | None = 2) -> Head:
    return Head(path, line, day.toordinal() if day else None, None if day else "broken")


def test_each_session_of_a_shared_date_names_the_others() -> None:
    found = [head("a.md", DAY), head("b.md", DAY, 3), head("c.md", DAY), head("d.md", None)]
    found.append(head("e.md", DAY + dt.timedelta(days=7)))
    problems = duplicate_dates(found, "en")
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("a.md", 2, "duplicate-date"),
        ("b.md", 3, "duplicate-date"),
        ("c.md", 2, "duplicate-date"),
    ]
    assert "2016-05-11: b.md, c.md;" in problems[0].message
    assert "a.md, c.md" in problems[1].message
    assert all(p.severity == "error" for p in problems)


def test_a_date_more_than_eight_weeks_ahead_is_a_typo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KBIK_TODAY", DAY.isoformat())
    limit = DAY + dt.timedelta(weeks=AHEAD_WEEKS)
    found = [head("edge.md", limit), head("over.md", limit + dt.timedelta(days=1))]
    [problem] = far_ahead(found, "id")
    assert (problem.path, problem.code, problem.line) == ("over.md", "far-future", 2)
    assert "lebih dari 8 minggu sesudah" in problem.message
    assert AHEAD_WEEKS == 8


def test_a_file_found_so_is_no_valid_session_its_problem_the_reason() -> None:
    found = (head("a.md", DAY), head("b.md", DAY), head("c.md", DAY - dt.timedelta(days=7)))
    problems = duplicate_dates(found, "en")
    kept = without(found, problems)
    assert [(h.path, h.day) for h in kept] == [
        ("a.md", None),
        ("b.md", None),
        ("c.md", found[2].day),
    ]
    assert kept[0].first_error == problems[0].message
    assert without(found, ()) is found
