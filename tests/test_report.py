"""kbik report: golden files for each format, selection, languages, escaping, templates."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kbik.dates import long_date

SEED_FACTS = [
    "Rabu, 11 Mei 2016",
    "Kota Pangkalpinang",
    "Iwan (TA MK)",
    "Hendra Putra",
    "Yuri",
    "Deevan",
    "Kiswan",
    "Dhona",
    "Indah",
    "Derry",
    "Niar",
    "Alimin",
    "Tua Tunu Indah",
    "Opas Indah",
    "Keramat",
    "Bukit Merapin",
    "Bacang",
    "Ketapang",
    "Ampui",
    "Air Salemba",
    "Sriwijaya",
    "Bukit",
    "12 orang",
    "11 orang",
    "jarak",
    "akan disampaikan",
    "Pembukuan usaha KSM",
    "bergulir kembali",
    "vakum",
    "terhenti",
    "penagihan serta",
    "ada atau tidak",
    "silaturahmi",
]


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_example_report_matches_golden(run, example: Path, golden, fmt: str) -> None:
    result = run("report", "--date", "2016-05-11", "--format", fmt, cwd=example)
    assert result.exit_code == 0, result.stderr
    golden(f"example-2016-05-11.{fmt}", result.stdout)
    for fact in SEED_FACTS:
        assert fact in result.stdout, fact


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_period_report_matches_golden(run, multi: Path, golden, fmt: str) -> None:
    result = run("report", "--month", "2016-05", "--for-team", "4", "--format", fmt, cwd=multi)
    assert result.exit_code == 0, result.stderr
    golden(f"multi-2016-05-team4.{fmt}", result.stdout)
    assert "2016-06-01.md" in result.stdout  # the skipped file is named in the report
    assert "dilewati" in result.stderr


def test_english_report_matches_golden(run, multi: Path, golden) -> None:
    result = run(
        "report", "--since", "2016-05-10", "--until", "2016-05-31", "--lang", "en", cwd=multi
    )
    golden("multi-since-en.md", result.stdout)
    assert "Wednesday, 11 May 2016" in result.stdout
    assert "# KBIK Uji summary of a period, Kota Pangkalpinang" in result.stdout
    assert "(2 sessions)" in result.stdout and "absent 1 time (" in result.stdout
    # Status words stay Indonesian, glossed; no fixed Indonesian label is left.
    assert "terhenti (stalled) → **bergulir** (revolving again)" in result.stdout
    for word in ("Tim ", "Hadir", "tidak hadir", "Rangkuman", "sesi", "Tindak lanjut"):
        assert word not in result.stdout, word


def test_english_whatsapp_text_matches_golden(run, example: Path, golden) -> None:
    result = run("report", "--format", "txt", "--lang", "en", cwd=example)
    golden("example-2016-05-11.en.txt", result.stdout)
    assert result.stdout.startswith("*KBIK Tim MK summary, Kota Pangkalpinang*\nWednesday")
    assert "*Teams 6 and 7* (absent)" in result.stdout
    assert "(PWK participants 12, eligible for a loan 11)" in result.stdout


def test_one_of_a_thing_is_singular_in_both_languages(run, multi: Path) -> None:
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()
    for lang, text in (("en", "(1 session)"), ("id", "(1 sesi)")):
        args = ("report", "--since", "2016-05-15", "--until", "2016-05-20", "--lang", lang)
        assert text in run(*args, "--format", "txt", cwd=multi).stdout, lang


def test_dates_in_both_languages() -> None:
    assert long_date(dt.date(2016, 5, 11), "id") == "Rabu, 11 Mei 2016"
    assert long_date(dt.date(2016, 5, 11), "en") == "Wednesday, 11 May 2016"
    assert long_date(dt.date(2016, 8, 17), "id") == "Rabu, 17 Agustus 2016"


def test_default_is_the_latest_session(run, multi: Path) -> None:
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()  # the invalid one
    result = run("report", "--format", "txt", cwd=multi)
    assert "Rabu, 18 Mei 2016" in result.stdout.splitlines()[1]


def test_an_invalid_latest_session_is_never_replaced_by_an_older_one(run, multi: Path) -> None:
    for args in (
        [],
        ["--date", "2016-06-01"],
        ["--month", "2016-06"],
        ["--since", "2016-05-20", "--until", "2016-06-30"],
    ):
        result = run("report", *args, cwd=multi)
        assert result.exit_code == 1, args
        assert result.stdout == ""
        assert (
            "meetings/2016/2016-06-01.md tidak valid, padahal akan menjadi "
            in result.stderr.splitlines()[-1]
        )
        assert "lihat 'kbik validate meetings/2016/2016-06-01.md'" in result.stderr
    # A period that does not hold it is reported, with the usual note.
    assert run("report", "--month", "2016-05", cwd=multi).exit_code == 0


def test_since_alone_runs_until_today(run, multi: Path, monkeypatch) -> None:
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()
    monkeypatch.setenv("KBIK_TODAY", "2016-07-10")
    result = run("report", "--since", "2016-05-10", "--format", "txt", cwd=multi)
    assert result.exit_code == 0
    assert "10 Mei 2016 – 10 Juli 2016 (2 sesi)" in result.stdout
    result = run("report", "--since", "2016-08-01", cwd=multi)
    assert result.exit_code == 2 and "--since jatuh sesudah hari ini (2016-07-10)" in result.stderr


def test_a_revival_shows_in_the_week_it_happens_in_every_format(run, multi: Path) -> None:
    """2016-05-04 said terhenti; 2016-05-11 says bergulir and writes no previous:."""
    shown = {
        "md": "Air Salemba: terhenti → **bergulir** (bergulir kembali)",
        "txt": "Air Salemba terhenti → *bergulir* (bergulir kembali)",
        "html": "terhenti → <span class=",
    }
    for fmt, text in shown.items():
        result = run("report", "--date", "2016-05-11", "--format", fmt, cwd=multi)
        assert text in result.stdout, fmt
        assert "bergulir kembali" in result.stdout


def test_language_from_config(run, multi: Path) -> None:
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()
    config = multi / "kbik.toml"
    config.write_text('language = "en"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert "Wednesday, 18 May 2016" in run("report", cwd=multi).stdout


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--date", "2016-05-12"], 1, "tidak ada sesi pada 2016-05-12; yang terdekat: 2016-05-11"),
        (["--month", "2017-01"], 1, "tidak ada sesi antara 2017-01-01 dan 2017-01-31"),
        (["--date", "2016-05-11", "--month", "2016-05"], 2, "tidak bisa digabung"),
        (["--since", "2016-05-20", "--until", "2016-05-01"], 2, "--since jatuh sesudah --until"),
        (["--date", "2016-05-18", "--for-team", "9"], 2, "tim 9 tidak ada di daftar"),
    ],
)
def test_selection_errors(run, multi: Path, args: list[str], code: int, message: str) -> None:
    result = run("report", *args, cwd=multi)
    assert result.exit_code == code
    assert message in result.stderr


def test_empty_workspace_has_nothing_to_report(run, tmp_path: Path) -> None:
    (tmp_path / "meetings").mkdir()
    result = run("report", cwd=tmp_path)
    assert result.exit_code == 1 and "belum ada sesi" in result.stderr
    on_a_day = run("report", "--date", "2016-05-11", cwd=tmp_path)
    assert on_a_day.exit_code == 1
    assert on_a_day.stderr == "kbik: tidak ada sesi pada 2016-05-11\n"


@pytest.mark.parametrize(
    "args, nearest",
    [
        # Of three sessions before, the last; of three after, the first.
        (
            ["--month", "2016-07"],
            "antara 2016-07-01 dan 2016-07-31; yang terdekat: 2016-05-18 (sebelumnya)",
        ),
        (["--date", "2016-04-01"], "pada 2016-04-01; yang terdekat: 2016-05-04 (sesudahnya)"),
    ],
)
def test_an_empty_period_names_only_the_nearest_session_on_each_side(
    run, multi: Path, args: list[str], nearest: str
) -> None:
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()  # 4, 11 and 18 May are left
    result = run("report", *args, cwd=multi)
    assert result.exit_code == 1
    assert result.stderr == f"kbik: tidak ada sesi {nearest} (kbik list menampilkan semuanya)\n"


def test_session_text_is_data_never_template_code(run, multi: Path) -> None:
    # Under a section that is not the team's, the team's notes are shown, not summed up.
    path = multi / "meetings" / "2016" / "2016-05-18.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## Tim 2", "## Catatan"))
    md = run("report", "--date", "2016-05-18", cwd=multi).stdout
    assert "Catatan dengan {{ kurung }}" in md
    assert "{% raw %} tetap teks {{ x }}" in md
    html = run("report", "--date", "2016-05-18", "--format", "html", cwd=multi).stdout
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class _Checker(HTMLParser):
    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") or (value and re.search(r"url\(|https?://", value)):
                self.external.append(f"{tag} {name}={value}")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected </{tag}> at {self.getpos()}")

    def handle_data(self, data: str) -> None:
        if "http://" in data or "https://" in data or "@import" in data:
            self.external.append(data.strip()[:60])


@pytest.mark.parametrize("args", [["--date", "2016-05-11"], ["--month", "2016-05"]])
def test_html_is_well_formed_and_self_contained(
    run, example: Path, multi: Path, args: list[str]
) -> None:
    where = example if "--date" in args else multi
    page = run("report", *args, "--format", "html", cwd=where).stdout
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert checker.external == []
    assert page.startswith("<!DOCTYPE html>")
    assert "@page" in page and "A4" in page


def test_html_status_board_has_colour_and_codes(run, multi: Path) -> None:
    page = run("report", "--month", "2016-05", "--format", "html", cwd=multi).stdout
    assert 'class="board"' in page
    assert 'style="background:#2e7d32" title="bergulir">BG</td>' in page
    assert 'style="background:#c62828" title="terhenti">TH</td>' in page


def test_whatsapp_text_has_no_markdown_tables_or_headings(run, example: Path) -> None:
    text = run("report", "--format", "txt", cwd=example).stdout
    assert "|" not in text
    assert not any(line.startswith("#") for line in text.splitlines())
    assert "*Hadir*: Tim 1 (Yuri)" in text


def test_workspace_template_override_and_language_variant(run, multi: Path) -> None:
    templates = multi / "templates"
    templates.mkdir()
    (templates / "report.txt.j2").write_text(
        "{{ sessions | length }} sesi, {{ period.end }}, {{ status | length }} kelurahan\n",
        encoding="utf-8",
    )
    (templates / "report.en.txt.j2").write_text(
        "English {{ period.end | long_date }}\n", encoding="utf-8"
    )
    assert (
        run("report", "--format", "txt", "--month", "2016-05", cwd=multi).stdout
        == "3 sesi, 2016-05-31, 4 kelurahan\n"
    )
    assert (
        run("report", "--format", "txt", "--lang", "en", "--date", "2016-05-18", cwd=multi).stdout
        == "English Wednesday, 18 May 2016\n"
    )


def test_template_option_and_sandbox(run, multi: Path, tmp_path: Path) -> None:
    own = tmp_path / "mine.j2"
    own.write_text("{% for s in sessions %}{{ s.date }} {% endfor %}.\n", encoding="utf-8")
    result = run("report", "--month", "2016-05", "--template", str(own), cwd=multi)
    assert result.stdout == "2016-05-04 2016-05-11 2016-05-18 .\n"
    evil = tmp_path / "evil.j2"
    evil.write_text("{{ config.__class__.__init__.__globals__ }}\n", encoding="utf-8")
    result = run("report", "--template", str(evil), "--date", "2016-05-18", cwd=multi)
    assert result.exit_code == 2 and "templat gagal" in result.stderr
    missing = run(
        "report", "--template", str(tmp_path / "none.j2"), "--month", "2016-05", cwd=multi
    )
    assert missing.exit_code == 2 and "tidak bisa dibaca" in missing.stderr


def test_output_file_is_written_whole(run, example: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "rangkuman.html"
    result = run("report", "--format", "html", "-o", str(target), cwd=example)
    assert result.exit_code == 0 and result.stdout.strip() == str(target)
    first = target.read_text(encoding="utf-8")
    assert first.rstrip().endswith("</html>")
    run("report", "--format", "md", "-o", str(target), cwd=example)
    assert target.read_text(encoding="utf-8").startswith("# Rangkuman")
    assert [p.name for p in target.parent.iterdir()] == ["rangkuman.html"]


# Issue 24: nothing dropped, nothing invented.


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_the_handover_carries_the_whole_rktl_of_the_session(run, example: Path, fmt) -> None:
    text = run("report", "--date", "2016-05-11", "--for-team", "6", "--format", fmt, cwd=example)
    assert text.exit_code == 0
    assert "Sampaikan hasil KBIK ini kepada Tim 6 dan Tim 7" in text.stdout
    assert "Perbaikan pembukuan" in text.stdout
    assert "tidak ada" not in text.stdout


def test_the_whatsapp_handover_stands_apart_from_the_header(run, example: Path) -> None:
    text = run("report", "--date", "2016-05-11", "--for-team", "6", "--format", "txt", cwd=example)
    assert "- Rabu, 11 Mei 2016: tidak hadir (jarak)\n\nDipandu oleh" in text.stdout


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_a_handover_is_said_only_where_the_file_records_one(run, example: Path, fmt) -> None:
    path = example / "meetings" / "2016-05-11.md"
    text = path.read_text(encoding="utf-8")
    without = run("report", "--format", fmt, cwd=example).stdout
    assert "disampaikan kepada" not in without.split("Topik")[0]
    path.write_text(
        text.replace(
            "{team: 6, reason: jarak}", "{team: 6, reason: jarak, handover: Iwan}"
        ).replace("{team: 7, reason: jarak}", "{team: 7, reason: jarak, handover: Iwan}"),
        encoding="utf-8",
    )
    recorded = run("report", "--format", fmt, cwd=example).stdout
    assert "hasil KBIK disampaikan kepada Tim 6 dan 7 oleh Pak Iwan" in recorded


@pytest.mark.parametrize(
    "note, narrative, said",
    [
        ("UPK tidak aktif sejak pergantian pengurus", "Air Saga terhenti.", False),
        (
            "Identifikasi pinjaman bermasalah (UPK-KSM) dan sosialisasi pinjaman bergulir",
            "Difokuskan ke Kelurahan Opas: identifikasi pinjaman bermasalah mulai dari UPK "
            "sampai KSM, serta sosialisasi pinjaman bergulir.",
            True,
        ),
        ("12 orang ikut PWK, 11 layak", "Terkumpul 12 orang yang mengikuti PWK.", False),
        ("12 orang ikut PWK, 11 layak", "12 orang mengikuti PWK; 11 orang layak.", True),
    ],
)
def test_a_note_is_shown_unless_the_narrative_says_it(note, narrative, said) -> None:
    from kbik.report import said_in

    assert said_in(note, narrative) is said


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_a_note_the_narrative_does_not_say_is_in_the_report(run, example: Path, fmt) -> None:
    config = example / "kbik.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'kelurahan = ["Air Salemba"]', 'kelurahan = ["Air Salemba", "Air Saga"]'
        ),
        encoding="utf-8",
    )
    path = example / "meetings" / "2016-05-11.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "  Air Salemba:\n",
            "  Air Saga:\n    status: terhenti\n"
            "    note: UPK tidak aktif sejak pergantian pengurus\n  Air Salemba:\n",
        ),
        encoding="utf-8",
    )
    report = run("report", "--format", fmt, cwd=example).stdout
    assert "UPK tidak aktif sejak pergantian pengurus" in report
    # The notes the narratives already say stay out.
    assert report.count("Identifikasi pinjaman bermasalah (UPK-KSM)") == 0


@pytest.mark.parametrize(
    "fmt, mark",
    [
        ("md", "**lewat batas waktu**"),
        ("txt", "*lewat batas waktu*"),
        ("html", "lewat batas waktu"),
    ],
)
def test_a_one_session_report_marks_what_is_overdue_on_its_date(
    run, example: Path, fmt, mark
) -> None:
    path = example / "meetings" / "2016-05-11.md"
    text = path.read_text(encoding="utf-8")
    late = "followups:\n  - action: Kumpulkan laporan UPK\n    due: 2016-05-04\n"
    on_time = "  - action: Rapat BKM Ampui\n    due: 2016-05-25\n"
    path.write_text(text.replace("followups:\n", late + on_time, 1), encoding="utf-8")
    report = run("report", "--date", "2016-05-11", "--format", fmt, cwd=example).stdout
    late_line = next(line for line in report.splitlines() if "Kumpulkan laporan UPK" in line)
    on_time_line = next(line for line in report.splitlines() if "Rapat BKM Ampui" in line)
    assert mark in late_line
    assert "lewat batas waktu" not in on_time_line


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_a_partly_filled_session_shows_no_empty_heading(
    run, example: Path, monkeypatch, fmt
) -> None:
    monkeypatch.setenv("KBIK_TODAY", "2016-05-18")
    assert run("new", cwd=example).exit_code == 0
    path = example / "meetings" / "2016-05-18.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  Tua Tunu Indah:\n", "  Tua Tunu Indah: pencairan\n"), "utf-8")
    report = run("report", "--format", fmt, cwd=example).stdout
    assert "pencairan" in report
    for team in ("Tim 2", "Tim 3", "Tim 6", "Tim 7", "Materi", "Penutup"):
        assert f"*{team}*" not in report and f"## {team}" not in report and f">{team}" not in report
    assert not re.search(r"<ul[^>]*>\s*</ul>", report)


def test_a_status_line_names_the_kelurahan_as_the_team_wrote_it(run, example: Path) -> None:
    text = run("report", "--format", "txt", cwd=example).stdout
    assert (
        "*Tim 2*: Opas (Opas Indah), Keramat, dan Bukit Merapen (Bukit Merapin) *bermasalah*"
        in (text)
    )
    assert "*Tim 4*: Air Salemba terhenti → *bergulir* (bergulir kembali)" in text
    board = run("report", "--month", "2016-05", "--format", "html", cwd=example).stdout
    assert "Bukit Merapin" in board  # boards and tables keep the official names


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_english_says_revived_once_and_translates_known_headings(run, example, fmt) -> None:
    text = run("report", "--lang", "en", "--format", fmt, cwd=example).stdout
    assert "(revolving) (revolving again)" not in text
    assert "revolving again" in text
    assert "Closing" in text and "Material" in text
    assert "Penutup" not in text and "Materi<" not in text and "*Materi*" not in text


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_a_period_says_once_who_guided_and_wrote_when_it_stays_the_same(
    run, four_weeks: Path, fmt
) -> None:
    text = run("report", "--month", "2016-05", "--format", fmt, cwd=four_weeks).stdout
    assert text.count("Dipandu oleh: Pak Iwan (TA MK)") == 1
    assert text.count("Notulis: Hendra Putra") == 1
    assert text.index("Dipandu oleh") < text.index("Rabu, 4 Mei 2016")
    path = four_weeks / "meetings" / "2016-05-18.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("facilitator: Iwan", "facilitator: Yuri"),
        encoding="utf-8",
    )
    changed = run("report", "--month", "2016-05", "--format", fmt, cwd=four_weeks).stdout
    assert changed.count("Dipandu oleh: Pak Iwan (TA MK)") == 3  # no longer the same
    assert changed.count("Notulis: Hendra Putra") == 1


def test_a_team_heading_names_only_those_who_came(run, example: Path) -> None:
    path = example / "meetings" / "2016-05-11.md"
    text = path.read_text(encoding="utf-8").replace("Kiswan, Dhona, ", "Kiswan, ", 1)
    path.write_text(text, encoding="utf-8")
    report = run("report", "--format", "md", cwd=example).stdout
    assert "## Tim 3: Kiswan\n" in report
    assert "Dhona" not in report.split("## Tim 3")[1].split("\n")[0]


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_the_title_says_the_city_once(run, example: Path, fmt: str) -> None:
    config = example / "kbik.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'group = "KBIK Tim MK"', 'group = "KBIK Tim MK Pangkalpinang"'
        ),
        encoding="utf-8",
    )
    text = run("report", "--format", fmt, cwd=example).stdout
    assert "Rangkuman KBIK Tim MK Pangkalpinang" in text
    assert "Kota Pangkalpinang" not in text.split("11 Mei 2016")[0]
