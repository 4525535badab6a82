"""The rangkuman as people send it: compact, every fact of the seed, nothing said twice."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kbik.model import Absence, Followup
from kbik.report import Assignment, EntryView, absence_groups, rktl, status_groups

SEED = Path(__file__).resolve().parent / "assets" / "seed-rangkuman-2016-05-11.txt"

# Every fact of the hand-written rangkuman, as the WhatsApp text must carry it.
FACTS = (
    "Rabu, 11 Mei 2016",
    "Kota Pangkalpinang",
    "Dipandu oleh: Pak Iwan (TA MK)",
    "Notulis: Hendra Putra",
    "Tim 1 (Yuri), Tim 2 (Deevan), Tim 3 (Kiswan, Dhona), Tim 4 (Indah, Derry), "
    "Tim 5 (Niar, Alimin)",
    "*Tidak hadir*: Tim 6 dan 7 (jarak)",
    "Diskusi permasalahan sesuai kondisi di lapangan; Pembukuan usaha KSM",
    "Tuatunu (Tua Tunu Indah) vakum → *persiapan* (Peserta PWK 12, layak pinjaman 11)",
    "Opas (Opas Indah), Keramat, dan Bukit Merapen (Bukit Merapin) *bermasalah*",
    "Bacang, Ketapang, dan Ampui *bermasalah*",
    "Air Salemba terhenti → *bergulir* (bergulir kembali)",
    "Sriwijaya dan Bukit *bermasalah*",
    "*Tim 6 dan 7* (tidak hadir)\nPaparan Tim 6 dan 7 juga disampaikan",
    "sering berganti-ganti. (Kiswan, Dhona)",
    "Sekilas tentang pembukuan usaha KSM",
    "Perbaikan pembukuan (faskel ekonomi selama ini sering berganti-ganti) (Tim 3: Bacang",
    "Sampaikan hasil KBIK ini kepada Tim 6 dan Tim 7",
    "ada atau tidak pendanaan",
    "(Hendra Putra)",
)


def test_whatsapp_text_is_at_most_1_3_times_the_hand_written_one(run, example: Path) -> None:
    text = run("report", "--format", "txt", cwd=example).stdout
    limit = 1.3 * len(SEED.read_bytes())
    assert len(text.encode("utf-8")) <= limit, (len(text.encode("utf-8")), limit)
    for fact in FACTS:
        assert fact in text, fact


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_nothing_is_said_twice_and_no_section_is_empty(run, example: Path, fmt: str) -> None:
    text = run("report", "--format", fmt, cwd=example).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(lines) == len(set(lines)), [line for line in lines if lines.count(line) > 1]
    # The three teams that reported the same work have one RKTL line between them.
    assert text.count("sosialisasi pinjaman bergulir (Tim 2") == 1
    heading = re.compile(r"^(\*[^*]+\*|#+ .+)$")
    blocks = [block.strip().splitlines() for block in re.split(r"\n\s*\n", text) if block.strip()]
    for block in blocks:
        assert not (len(block) == 1 and heading.match(block[0]) and fmt == "txt"), block
    assert "Materi" in text and "Pembukaan" not in text


def test_a_period_lists_the_open_rktl_once_at_the_end(run, four_weeks: Path) -> None:
    text = run("report", "--month", "2016-05", "--format", "txt", cwd=four_weeks).stdout
    assert text.count("Sampaikan hasil KBIK ini kepada Tim 6 dan Tim 7") == 1
    assert text.rstrip().endswith("4. Sampaikan hasil KBIK ini kepada Tim 6 dan Tim 7")
    assert "*Tindak lanjut masih terbuka*" in text
    assert "Rencana kerja tindak lanjut" not in text


def test_readers_see_labels_and_names_never_keys_or_ids(run, example: Path) -> None:
    for fmt in ("md", "txt", "html"):
        text = run("report", "--format", fmt, cwd=example).stdout
        for key in ("peserta_pwk", "layak_pinjaman", "2016-05-11#"):
            assert key not in text, (fmt, key)
        assert "Pak Iwan (TA MK)" in text


def test_status_groups_join_the_same_change_and_keep_figures_apart() -> None:
    def entry(name: str, status: str, previous: str | None = None, **figures: float) -> EntryView:
        return EntryView(name, name, status, previous, False, None, 1, figures)

    groups = status_groups(
        [
            entry("A", "bermasalah"),
            entry("B", "bergulir", "terhenti"),
            entry("C", "bermasalah"),
            entry("D", "bermasalah", par=12),
            entry("E", "bergulir", "terhenti"),
        ]
    )
    assert [(g.names, g.previous, g.status, dict(g.figures)) for g in groups] == [
        (("A", "C"), None, "bermasalah", {}),
        (("B", "E"), "terhenti", "bergulir", {}),
        (("D",), None, "bermasalah", {"par": 12}),
    ]


def test_rktl_joins_one_action_taken_by_several_teams() -> None:
    def followup(action: str, team: int | None, *kelurahan: str) -> Followup:
        return Followup(f"{action}{team}", action, dt.date(2016, 5, 11), 1, team, kelurahan)

    lines = rktl(
        [
            followup("Identifikasi  pinjaman", 2, "Opas"),
            followup("Perbaikan pembukuan", 3),
            followup("Identifikasi pinjaman", 5, "Bukit", "Sriwijaya"),
            followup("Sampaikan hasil", None),
        ]
    )
    both = (Assignment(2, ("Opas",)), Assignment(5, ("Bukit", "Sriwijaya")))
    assert [(line.action, line.who) for line in lines] == [
        ("Identifikasi pinjaman", both),
        ("Perbaikan pembukuan", (Assignment(3, ()),)),
        ("Sampaikan hasil", ()),
    ]


def test_absent_teams_with_one_reason_are_one_group() -> None:
    groups = absence_groups(
        [Absence(6, "jarak"), Absence(7, "jarak"), Absence(3, "sakit"), Absence(6, "jarak")]
    )
    assert [(g.numbers, g.reason) for g in groups] == [((6, 7), "jarak"), ((3,), "sakit")]


class _Languages(HTMLParser):
    """Collects the lang of the page and of each element that says one."""

    def __init__(self) -> None:
        super().__init__()
        self.page: str | None = None
        self.marked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        lang = dict(attrs).get("lang")
        if tag == "html":
            self.page = lang
        elif lang:
            self.marked.append(lang)


def test_html_says_which_text_is_indonesian(run, example: Path) -> None:
    english = _Languages()
    english.feed(run("report", "--format", "html", "--lang", "en", cwd=example).stdout)
    assert english.page == "en"
    # The people's own words: intro, each team's narrative, notes, topics, actions.
    assert english.marked.count("id") >= 10 and set(english.marked) == {"id"}
    indonesian = _Languages()
    indonesian.feed(run("report", "--format", "html", cwd=example).stdout)
    assert indonesian.page == "id"
