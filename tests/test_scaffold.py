"""kbik new: the scaffold, the default date, never overwriting, templates, holidays."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import in_english

from kbik.config import load_config
from kbik.scaffold import default_date


@pytest.mark.parametrize(
    "today, expected",
    [
        # Last week's meeting (4 May) has its session: the next meeting day.
        ("2016-05-09", "2016-05-11"),
        ("2016-05-10", "2016-05-11"),
        ("2016-05-11", "2016-05-11"),
        # Typed after the meeting of 11 May, which has no session yet: that one.
        ("2016-05-12", "2016-05-11"),
        ("2016-05-17", "2016-05-11"),
    ],
)
def test_default_date_is_the_meeting_day_without_a_session(
    example: Path, today: str, expected: str
) -> None:
    config = load_config(example)
    taken = {dt.date(2016, 5, 4)}
    assert default_date(dt.date.fromisoformat(today), config, taken).isoformat() == expected
    # Once it has one, the next meeting day.
    taken.add(dt.date(2016, 5, 11))
    day = dt.date.fromisoformat(today)
    after = default_date(day, config, taken)
    assert after == (dt.date(2016, 5, 11) if day <= dt.date(2016, 5, 11) else dt.date(2016, 5, 18))


def test_new_on_thursday_makes_wednesdays_file_and_says_so(run, example, monkeypatch) -> None:
    (example / "meetings" / "2016-05-11.md").rename(example / "meetings" / "old.md")
    old = example / "meetings" / "old.md"
    old.write_text(
        old.read_text(encoding="utf-8").replace("date: 2016-05-11", "date: 2016-05-04"), "utf-8"
    )
    monkeypatch.setenv("KBIK_TODAY", "2016-05-12")
    result = run("new", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "meetings/2016-05-11.md\n"
    assert "untuk Rabu, 11 Mei 2016, hari pertemuan terakhir yang belum ada sesinya" in (
        result.stderr
    )


def test_new_carries_statuses_and_open_followups(run, multi: Path, monkeypatch) -> None:
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()  # the invalid one
    monkeypatch.setenv("KBIK_TODAY", "2016-05-23")
    result = run("new", cwd=multi)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "meetings/2016-05-25.md"
    text = (multi / "meetings" / "2016-05-25.md").read_text(encoding="utf-8")
    assert "date: 2016-05-25\ntitle: KBIK Uji\n" in text
    assert "  # persiapan sejak 11 Mei 2016\n  Tua Tunu Indah:\n" in text
    assert "  # bergulir sejak 11 Mei 2016\n  Air Salemba:\n" in text
    assert "  # belum pernah dilaporkan\n  Bukit Sari:\n" in text
    assert "  - Yuri\n  - Deevan\n  - Indah\n  - Iwan\n" in text
    # Closed in a later session: not carried again.
    assert "Identifikasi pinjaman bermasalah" not in text
    assert "Siapkan PWK" not in text
    assert "  - id: 2016-05-18#2\n    action: Penagihan di Keramat\n    team: 2\n" in text
    assert "## Tim 1\n\n<!-- Faskel: Yuri. Kelurahan: Tua Tunu Indah, Bukit Sari. -->" in text
    check = run("validate", "--format", "json", cwd=multi)
    assert check.exit_code == 0
    assert json.loads(check.stdout)["errors"] == 0


def test_untouched_scaffold_changes_no_status(run, multi: Path, monkeypatch) -> None:
    before = run("status", "--as-of", "2016-06-30", "--format", "json", cwd=multi).stdout
    monkeypatch.setenv("KBIK_TODAY", "2016-05-23")
    assert run("new", cwd=multi).exit_code == 0
    after = run("status", "--as-of", "2016-06-30", "--format", "json", cwd=multi).stdout
    assert json.loads(after) == json.loads(before)


def test_refuses_to_overwrite_and_leaves_bytes_unchanged(run, example: Path) -> None:
    path = example / "meetings" / "2016-05-11.md"
    original = path.read_bytes()
    result = run("new", "--date", "2016-05-11", cwd=example)
    assert result.exit_code == 1
    assert "meetings/2016-05-11.md" in result.stderr
    assert path.read_bytes() == original


def test_refuses_a_date_held_by_a_file_in_a_subfolder(run, example: Path) -> None:
    folder = example / "meetings" / "2016"
    folder.mkdir()
    (example / "meetings" / "2016-05-11.md").rename(folder / "rabu-kedua.md")
    result = run("new", "--date", "2016-05-11", cwd=example)
    assert result.exit_code == 1
    assert "meetings/2016/rabu-kedua.md" in result.stderr
    assert not (example / "meetings" / "2016-05-11.md").exists()


def test_other_weekday_and_holiday_warn(run, example: Path) -> None:
    result = run("new", "--date", "2016-05-05", cwd=example)
    assert result.exit_code == 0
    assert "2016-05-05 adalah hari Kamis, bukan hari pertemuan (Rabu)" in result.stderr
    assert "hari libur nasional: Kenaikan Yesus Kristus" in result.stderr


def test_workspace_template_overrides_the_default(run, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates" / "session.md.j2").write_text(
        "---\ndate: {{ date }}\nattendees: []\n---\n{{ kelurahan | length }} kelurahan, "
        "{{ followups | length }} open\n",
        encoding="utf-8",
    )
    assert run("new", "--date", "2016-05-18", cwd=example).exit_code == 0
    text = (example / "meetings" / "2016-05-18.md").read_text(encoding="utf-8")
    assert text.endswith("10 kelurahan, 6 open\n")


def test_broken_template_is_a_configuration_error(run, example: Path) -> None:
    in_english(example)
    (example / "templates").mkdir()
    (example / "templates" / "session.md.j2").write_text("{{ nope }}\n", encoding="utf-8")
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 2
    assert "template failed" in result.stderr and "nope" in result.stderr
    assert not (example / "meetings" / "2016-05-18.md").exists()


def test_edit_opens_the_editor(run, example: Path, monkeypatch, tmp_path: Path) -> None:
    log = tmp_path / "edited"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\necho "$1" > {log}\n', encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    assert run("new", "--date", "2016-05-18", "--edit", cwd=example).exit_code == 0
    assert log.read_text(encoding="utf-8").strip().endswith("meetings/2016-05-18.md")


def test_two_processes_at_once_make_one_file(example: Path) -> None:
    in_english(example)
    env = {**os.environ, "KBIK_TODAY": "2016-05-16"}
    command = [sys.executable, "-m", "kbik", "new"]
    processes = [
        subprocess.Popen(
            command, cwd=example, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [(p.wait(), p.communicate()) for p in processes]
    assert sorted(code for code, _ in results) == [0, 1]
    loser = next(err for code, (_, err) in results if code == 1)
    assert "exists already" in loser and "Traceback" not in loser
    files = sorted(p.name for p in (example / "meetings").iterdir())
    assert files == ["2016-05-11.md", "2016-05-18.md"]
    text = (example / "meetings" / "2016-05-18.md").read_text(encoding="utf-8")
    assert text.startswith("---\ndate: 2016-05-18\n") and text.rstrip().endswith("## Penutup")


def test_the_natural_edit_of_the_scaffold_is_read(run, example: Path) -> None:
    """Typing the status at the end of a kelurahan's line sets it."""
    assert run("new", "--date", "2016-05-18", cwd=example).exit_code == 0
    path = example / "meetings" / "2016-05-18.md"
    text = path.read_text(encoding="utf-8").replace("  Keramat:\n", "  Keramat: penagihan\n")
    path.write_text(text, encoding="utf-8")
    assert run("validate", "--strict", str(path), cwd=example).exit_code == 0
    rows = json.loads(
        run("status", "--as-of", "2016-05-18", "--format", "json", cwd=example).stdout
    )
    assert {r["kelurahan"]: r["status"] for r in rows}["Keramat"] == "penagihan"


def test_a_status_typed_into_a_comment_is_never_lost_silently(run, example: Path) -> None:
    path = example / "meetings" / "2016-05-18.md"
    path.write_text(
        "---\ndate: 2016-05-18\nattendees: []\nabsent: [1, 2, 3, 4, 5]\nkelurahan:\n"
        "  Keramat:   # bermasalah sejak 11 Mei 2016\n"  # what kbik new once wrote: fine
        "  Bacang:   # bermasalah sejak 11 Mei 2016 penagihan\n"  # the slip
        "---\n",
        encoding="utf-8",
    )
    result = run("validate", "--strict", str(path), cwd=example)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "meetings/2016-05-18.md:7:3: warning: 'penagihan' ada di dalam komentar (sesudah '#'), "
        "jadi 'Bacang' dihitung tidak dibahas; tulis status sebelum '#': Bacang: penagihan"
    ]


def test_a_status_word_changed_in_kbik_news_comment_is_an_error(run, example: Path) -> None:
    assert run("new", "--date", "2016-05-18", cwd=example).exit_code == 0
    path = example / "meetings" / "2016-05-18.md"
    text = path.read_text(encoding="utf-8")
    changed = text.replace(
        "  # bermasalah sejak 11 Mei 2016\n  Keramat:\n",
        "  # pencairan sejak 11 Mei 2016\n  Keramat:\n",
    )
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    result = run("validate", str(path), cwd=example)
    assert result.exit_code == 1
    line = changed.split("\n").index("  # pencairan sejak 11 Mei 2016") + 1
    assert result.stdout.splitlines() == [
        f"meetings/2016-05-18.md:{line}:3: error: komentar di atas 'Keramat' menyebut "
        "'pencairan', padahal posisinya 'bermasalah': komentar tidak dibaca, jadi 'Keramat' "
        "dihitung tidak dibahas. Untuk melaporkannya, tulis 'Keramat: pencairan'; bila "
        "komentarnya hanya sudah lama, hapus saja"
    ]


def test_the_scaffold_guides_in_the_workspace_language_with_its_own_names(
    run, example: Path
) -> None:
    """The guidance is Indonesian in an Indonesian workspace, and its example of a note
    with figures is a valid entry once the '#' are taken away."""
    assert run("new", "--date", "2016-05-18", cwd=example).exit_code == 0
    path = example / "meetings" / "2016-05-18.md"
    text = path.read_text(encoding="utf-8")
    assert "# Semua orang di daftar: hapus yang tidak hadir." in text
    example_lines = [line[2:] for line in text.split("\n") if line.startswith("#   ")]
    assert example_lines[0] == "  Tua Tunu Indah:"
    entry = "\n".join(example_lines)
    assert text.count("\n  Tua Tunu Indah:\n") == 1
    path.write_text(text.replace("\n  Tua Tunu Indah:\n", f"\n{entry}\n"), encoding="utf-8")
    rows = json.loads(
        run("status", "--as-of", "2016-05-18", "--format", "json", cwd=example).stdout
    )
    row = {r["kelurahan"]: r for r in rows}["Tua Tunu Indah"]
    assert (row["status"], row["note"]) == ("penagihan", "5 KSM sudah lunas")


def test_new_refuses_while_the_weeks_before_it_are_invalid(run, example: Path) -> None:
    """Files meant for the days between the latest valid session and the new date hold
    what the new week would carry: kbik new names them all and writes nothing; a file
    meant for a day before the latest valid session is not in the way."""
    meetings = example / "meetings"
    for day in ("2016-05-10", "2016-05-12", "2016-05-13"):
        (meetings / f"{day}.md").write_text(f"---\ndate: {day}\nplace: [\n---\n", "utf-8")
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] + "\n" == (
        "kbik: meetings/2016-05-12.md, meetings/2016-05-13.md tidak valid, padahal akan "
        "menjadi sesi terakhir sebelum 2016-05-18: perbaiki dulu, agar berkas baru membawa "
        "RKTL dan posisi kelurahannya (lihat 'kbik validate meetings/2016-05-12.md')\n"
    )
    assert not (meetings / "2016-05-18.md").exists()
    # Once they are mended (here: gone), the week is made.
    for day in ("2016-05-12", "2016-05-13"):
        (meetings / f"{day}.md").unlink()
    assert run("new", "--date", "2016-05-18", cwd=example).exit_code == 0


def _broken(path: Path, day: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ndate: {day}\nplace: [\n---\n", encoding="utf-8")


def test_two_invalid_weeks_before_are_named_in_the_plural(run, example: Path) -> None:
    in_english(example)
    for day in ("2016-05-12", "2016-05-13"):
        _broken(example / "meetings" / f"{day}.md", day)
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "kbik: meetings/2016-05-12.md, meetings/2016-05-13.md are not valid, and would be the "
        "last session before 2016-05-18: fix them first, so that the new file carries its "
        "follow-ups and standings (see 'kbik validate meetings/2016-05-12.md')"
    )


def test_a_broken_file_meant_for_the_latest_week_is_in_the_way(run, example: Path) -> None:
    """A second file for the latest session's date may be the one the group meant."""
    _broken(example / "meetings" / "salinan.md", "2016-05-11")
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 1
    assert "meetings/salinan.md tidak valid" in result.stderr


def test_a_broken_file_meant_for_the_day_holds_it(run, example: Path, monkeypatch) -> None:
    """Whatever its name, a file meant for the new date is that date's session: kbik new
    names it rather than make a second one (its editor as the user would type it)."""
    in_english(example)
    _broken(example / "meetings" / "minggu-ini.md", "2016-05-18")
    monkeypatch.setenv("EDITOR", 'code "')  # no command: the variable is named instead
    monkeypatch.delenv("VISUAL", raising=False)
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "kbik: a session for 2016-05-18 exists already: meetings/minggu-ini.md; kbik new never "
        "overwrites a session. Open it in your editor ($EDITOR meetings/minggu-ini.md), or give "
        "another date with --date"
    )


def test_a_link_out_of_the_workspace_holds_its_name(run, example: Path, tmp_path: Path) -> None:
    """meetings/2016-05-18.md, a link to a file outside (skipped by every command), is
    still no name kbik new may take."""
    outside = tmp_path / "elsewhere.md"
    outside.write_text("mine\n", encoding="utf-8")
    (example / "meetings" / "2016-05-18.md").symlink_to(outside)
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 1
    assert "sesi untuk 2016-05-18 sudah ada: meetings/2016-05-18.md" in result.stderr
    assert outside.read_text(encoding="utf-8") == "mine\n"


def test_an_unreadable_workspace_is_named_whole(run, example: Path) -> None:
    in_english(example)
    for name in ("a.md", "b.md"):
        (example / "meetings" / name).symlink_to(name)  # a link to itself
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "kbik: cannot read all of the workspace (meetings/a.md, meetings/b.md): a session for "
        "2016-05-18 may be there already; fix that first (see 'kbik validate')"
    )


def test_a_meeting_day_that_is_no_holiday_warns_of_nothing(run, example: Path) -> None:
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert (result.exit_code, result.stderr) == (0, "")
    holiday = run("new", "--date", "2016-05-05", cwd=example)
    assert "2016-05-05 adalah hari libur nasional: Kenaikan Yesus Kristus" in holiday.stderr


def test_the_examples_without_a_roster(run, workspace) -> None:
    """With no roster the scaffold's examples are the seed's own names; with one, the
    roster's first kelurahan, its team, the last team and the first person listed."""
    root = workspace('language = "en"\n')
    assert run("new", "--date", "2016-05-18", cwd=root).exit_code == 0
    text = (root / "meetings" / "2016-05-18.md").read_text(encoding="utf-8")
    assert "- {team: 6, reason: jarak, handover: Iwan}" in text
    assert '"  Keramat: penagihan"' in text
    assert "team: 1, kelurahan: [Keramat], due: 2016-05-25}" in text


def test_the_examples_from_the_roster(run, workspace) -> None:
    config = (
        'language = "en"\n[[people]]\nname = "Hendra"\n'
        '[[teams]]\nnumber = 3\nmembers = ["Yuri"]\nkelurahan = ["Bacang"]\n'
        '[[teams]]\nnumber = 5\nmembers = ["Sari"]\nkelurahan = ["Air Itam"]\n'
    )
    root = workspace(config)
    assert run("new", "--date", "2016-05-18", cwd=root).exit_code == 0
    text = (root / "meetings" / "2016-05-18.md").read_text(encoding="utf-8")
    assert "- {team: 5, reason: jarak, handover: Hendra}" in text
    assert "team: 3, kelurahan: [Bacang], due: 2016-05-25}" in text


def test_the_context_is_of_the_weeks_before_and_due_dates_stop_at_the_calendars_end() -> None:
    from kbik.config import Config
    from kbik.model import Session
    from kbik.scaffold import context

    config = Config(root=Path("."))
    day = dt.date(2016, 5, 18)
    sessions = [
        Session(path="a.md", date=dt.date(2016, 5, 11), place="Kantor"),
        Session(path="b.md", date=day, place="Lapangan"),
    ]
    made = context(config, sessions, day)
    assert (made["place"], made["language"]) == ("Kantor", "id")
    last = dt.date.max - dt.timedelta(days=7)
    assert context(config, [], last)["example"]["due"] == dt.date.max
    assert context(config, [], last + dt.timedelta(days=1))["example"]["due"] == last + (
        dt.timedelta(days=1)
    )


def test_a_template_that_makes_an_invalid_session_writes_nothing(run, example: Path) -> None:
    in_english(example)
    (example / "templates").mkdir()
    (example / "templates" / "session.md.j2").write_text(
        "---\ndate: {{ date }}\nattendees: 5\nabsent: x\n---\n", encoding="utf-8"
    )
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "kbik: session.md.j2 makes a session that 'kbik validate' rejects "
        "(meetings/2016-05-18.md:3:"
    )
    assert "attendees" in result.stderr and "absent" not in result.stderr
    assert result.stderr.rstrip().endswith("); nothing was written")
    assert not (example / "meetings" / "2016-05-18.md").exists()


def test_a_template_slip_is_told_in_the_workspace_language(run, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates" / "session.md.j2").write_text(
        "---\ndate: {{ date }}\nplace: [\n---\n", encoding="utf-8"
    )
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 2
    assert "session.md.j2 membuat sesi yang ditolak 'kbik validate' (meetings/2016-05-18.md:" in (
        result.stderr
    )
    assert "error: kesalahan penulisan YAML" in result.stderr


def test_a_template_may_write_figures_with_the_workspaces_labels(run, example: Path) -> None:
    with open(example / "kbik.toml", "a", encoding="utf-8") as config:
        config.write(
            '\n[indicators.rr]\ngood = 95\nadequate = 85\n\n[figures]\nksm_aktif = "KSM aktif"\n'
        )
    (example / "templates").mkdir()
    (example / "templates" / "session.md.j2").write_text(
        '---\ndate: {{ date }}\nattendees: []\n---\n{{ {"rr": 90, "ksm_aktif": 4} | figures }}\n',
        encoding="utf-8",
    )
    assert run("new", "--date", "2016-05-18", cwd=example).exit_code == 0
    text = (example / "meetings" / "2016-05-18.md").read_text(encoding="utf-8")
    assert text.endswith("RR 90% (memadai), KSM aktif 4\n")


def test_a_scaffold_may_be_one_mebibyte_not_a_byte_more() -> None:
    from kbik.config import Config
    from kbik.documents import MAX_BYTES
    from kbik.errors import ConfigError
    from kbik.scaffold import check_scaffold

    config = Config(root=Path("."), language="en")
    head = "---\ndate: 2016-05-18\nattendees: []\n---\n"
    fits = head + "x" * (MAX_BYTES - len(head) - 1) + "\n"
    check_scaffold(fits, config, "2016-05-18")
    with pytest.raises(ConfigError) as refused:
        check_scaffold(fits + "x", config, "2016-05-18")
    assert str(refused.value).startswith(
        "the session for 2016-05-18 would be 1,048,577 bytes, over the 1 MiB"
    )
