"""Rules that hand-made mutants showed no test pinned (issue 22), each as a user meets it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

ROSTER = """
[[teams]]
number = 1
members = ["Yuri"]
kelurahan = ["Opas", "Bacang"]
"""


def session(day: str, kelurahan: str = "", extra: str = "") -> str:
    """A small valid session of 2016-05-DAY."""
    block = f"kelurahan:\n{kelurahan}" if kelurahan else ""
    return f"---\ndate: 2016-05-{day}\nattendees: [Yuri]\n{block}{extra}---\n\nBody of {day}.\n"


@pytest.fixture
def weeks(workspace: Callable[..., Path], monkeypatch) -> Callable[..., Path]:
    """A workspace of the given sessions ({day: text}), its clock after the last."""
    monkeypatch.setenv("KBIK_TODAY", "2016-05-31")

    def build(files: dict[str, str]) -> Path:
        return workspace(
            ROSTER, {f"meetings/2016-05-{day}.md": text for day, text in files.items()}
        )

    return build


def status_of(run, root: Path, name: str) -> dict[str, object]:
    rows = json.loads(run("status", "--format", "json", "--figures", cwd=root).stdout)
    return next(row for row in rows if row["kelurahan"] == name)


def test_each_figure_keeps_its_own_latest_value(run, weeks) -> None:
    """A session that reports RR alone leaves the PAR reported before as it was."""
    root = weeks(
        {
            "04": session("04", "  Opas:\n    status: bergulir\n    figures: {rr: 90, par: 10}\n"),
            "11": session("11", "  Opas:\n    status: bergulir\n    figures: {rr: 80}\n"),
        }
    )
    figures = status_of(run, root, "Opas")["figures"]
    assert {name: value["value"] for name, value in figures.items()} == {"rr": 80, "par": 10}


def test_figure_names_in_capitals_are_the_same_figures(run, weeks) -> None:
    root = weeks({"04": session("04", "  Opas:\n    status: bergulir\n    figures: {RR: 95}\n")})
    assert run("validate", cwd=root).exit_code == 0
    figures = status_of(run, root, "Opas")["figures"]
    assert {name: value["value"] for name, value in figures.items()} == {"rr": 95}


@pytest.mark.parametrize("value, valid", [(100, True), (0, True), (100.5, False), (-1, False)])
def test_rr_takes_every_value_from_0_to_100(run, weeks, value: float, valid: bool) -> None:
    figures = f"    figures: {{rr: {value}}}\n"
    root = weeks({"04": session("04", f"  Opas:\n    status: bergulir\n{figures}")})
    result = run("validate", "--format", "json", cwd=root)
    codes = [problem["code"] for problem in json.loads(result.stdout)["problems"]]
    assert ("figure-range" not in codes) is valid


@pytest.mark.parametrize(
    "args, days",
    [
        (["--since", "2016-05-11", "--until", "2016-05-18"], ["11", "18"]),
        (["--since", "2016-05-12", "--until", "2016-05-17"], []),
        (["--month", "2016-05"], ["01", "11", "18", "31"]),
    ],
)
def test_a_period_holds_the_sessions_on_its_edges(run, weeks, args, days) -> None:
    root = weeks({day: session(day) for day in ("01", "11", "18", "31")})
    result = run("report", *args, "--format", "txt", cwd=root)
    shown = [day for day in ("01", "11", "18", "31") if f"Body of {day}." in result.stdout]
    assert shown == days


@pytest.mark.parametrize(
    "args, days",
    [
        (["--since", "2016-05-11"], ["11", "18"]),
        (["--until", "2016-05-11"], ["04", "11"]),
        (["--since", "2016-05-11", "--until", "2016-05-11"], ["11"]),
    ],
)
def test_search_since_and_until_are_inclusive(run, weeks, args, days) -> None:
    root = weeks({day: session(day) for day in ("04", "11", "18")})
    result = run("search", "body", *args, "--format", "json", cwd=root)
    found = sorted(hit["date"][-2:] for hit in json.loads(result.stdout))
    assert found == days


def test_back_filling_a_past_week_carries_only_what_was_open_then(run, weeks) -> None:
    """`kbik new --date` for a week before the latest carries the follow-ups open on
    that day: not those a later session opened, nor its statuses."""
    later = (
        "followups:\n  - action: Kunjungi UPK Bacang\n    team: 1\n"
        "  - action: Rapat BKM Opas\n    team: 1\n"
    )
    root = weeks(
        {
            "04": session("04", "  Opas: vakum\n", "followups:\n  - action: Cek buku kas\n"),
            "18": session("18", "  Opas: bergulir\n", later),
        }
    )
    result = run("new", "--date", "2016-05-11", cwd=root)
    assert result.exit_code == 0, result.stderr
    text = (root / "meetings" / "2016-05-11.md").read_text(encoding="utf-8")
    assert "Cek buku kas" in text
    assert "Kunjungi UPK Bacang" not in text and "Rapat BKM Opas" not in text
    assert "bergulir" not in text.split("---")[1].split("# ")[0]


def test_a_kelurahan_the_programme_has_left_is_never_stale(run, weeks, monkeypatch) -> None:
    root = weeks({"04": session("04", "  Opas: selesai\n  Bacang: bergulir\n")})
    monkeypatch.setenv("KBIK_TODAY", "2016-12-31")  # months later
    rows = {
        r["kelurahan"]: r for r in json.loads(run("status", "--format", "json", cwd=root).stdout)
    }
    assert rows["Opas"]["stale"] is False
    assert rows["Bacang"]["stale"] is True
    stale = run("status", "--stale", "--format", "json", cwd=root).stdout
    assert "Opas" not in stale and "Bacang" in stale
