"""``kbik import``: rangkuman already written, read into session files, never guessed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbik.config import load_config
from kbik.documents import parse_document
from kbik.importing import extract, session_text
from kbik.sessions import build_session

SEED = Path(__file__).resolve().parent / "assets" / "seed-rangkuman-2016-05-11.txt"


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A workspace with the example roster and no sessions, and the seed beside it."""
    root = tmp_path / "fresh"
    (root / "meetings").mkdir(parents=True)
    shutil.copy(ROOT / "kbik.toml", root / "kbik.toml")
    shutil.copy(SEED, tmp_path / "rangkuman.txt")
    return root


def test_the_seed_end_to_end(run, fresh: Path, monkeypatch) -> None:
    monkeypatch.setenv("KBIK_TODAY", "2016-05-12")
    result = run("import", "../rangkuman.txt", cwd=fresh)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "meetings/2016-05-11.md\n"
    assert "1 rangkuman ditemukan, 1 ditulis, 0 dilewati" in result.stderr
    assert run("validate", cwd=fresh).exit_code == 0
    rows = {
        row["kelurahan"]: row
        for row in json.loads(run("status", "--format", "json", "--figures", cwd=fresh).stdout)
    }
    assert (rows["Tua Tunu Indah"]["status"], rows["Tua Tunu Indah"]["previous"]) == (
        "persiapan",
        "vakum",
    )
    assert (rows["Air Salemba"]["status"], rows["Air Salemba"]["previous"]) == (
        "bergulir",
        "terhenti",
    )
    figures = {name: f["value"] for name, f in rows["Tua Tunu Indah"]["figures"].items()}
    assert figures == {"peserta_pwk": 12, "layak_pinjaman": 11}
    text = (fresh / "meetings" / "2016-05-11.md").read_text(encoding="utf-8")
    assert "facilitator: Iwan\nnotetaker: Hendra Putra\n" in text
    assert "  - {team: 6, reason: jarak}\n  - {team: 7, reason: jarak}\n" in text
    # The writer's words, word for word, spelling and all.
    assert SEED.read_text(encoding="utf-8").strip() in text
    for word in ("vacuum", "dampngan", "Alhamdullilah"):
        assert word in text
    report = run("report", "--format", "txt", cwd=fresh).stdout
    for fact in (
        "Rabu, 11 Mei 2016",
        "Dipandu oleh: Pak Iwan (TA MK)",
        "Notulis: Hendra Putra",
        "*Tidak hadir*: Tim 6 dan 7 (jarak)",
        "- Tuatunu (Tua Tunu Indah): vakum → *persiapan* (Peserta PWK 12, layak pinjaman 11)",
        "- Air Salemba: terhenti → *bergulir* (bergulir kembali)",
        "- Bukit Merapen (Bukit Merapin): *bermasalah*",
        "silaturrahmi",
    ):
        assert fact in report, fact


def test_importing_twice_writes_nothing_new(run, fresh: Path) -> None:
    assert run("import", "../rangkuman.txt", cwd=fresh).exit_code == 0
    written = (fresh / "meetings" / "2016-05-11.md").read_bytes()
    again = run("import", "../rangkuman.txt", cwd=fresh)
    assert again.exit_code == 0 and again.stdout == ""
    assert "sudah diimpor, tidak ada yang baru" in again.stderr
    assert "0 ditulis, 1 dilewati" in again.stderr
    assert (fresh / "meetings" / "2016-05-11.md").read_bytes() == written


def test_an_existing_session_of_that_date_is_left_alone(run, fresh: Path) -> None:
    own = fresh / "meetings" / "2016" / "kbik-11-mei.md"
    own.parent.mkdir()
    own.write_text("---\ndate: 2016-05-11\nattendees: []\n---\nMine.\n", encoding="utf-8")
    result = run("import", "../rangkuman.txt", cwd=fresh)
    assert "sesi tanggal 2016-05-11 sudah ada: meetings/2016/kbik-11-mei.md; dibiarkan" in (
        result.stderr
    )
    assert own.read_text(encoding="utf-8").endswith("Mine.\n")
    assert not (fresh / "meetings" / "2016-05-11.md").exists()


def test_dry_run_prints_and_writes_nothing(run, fresh: Path) -> None:
    result = run("import", "--dry-run", "../rangkuman.txt", cwd=fresh)
    assert result.exit_code == 0
    assert result.stdout.startswith("# meetings/2016-05-11.md\n---\ndate: 2016-05-11\n")
    assert "uji coba: 1 rangkuman ditemukan" in result.stderr
    assert list((fresh / "meetings").iterdir()) == []


@pytest.mark.parametrize(
    "name, message",
    [
        ("chat.zip", "chat.zip: bukan berkas .zip"),
        ("rangkuman.docx", "rangkuman.docx: bukan dokumen Word (.docx)"),
        ("rangkuman.pdf", "kbik import membaca teks (.txt, .md), ekspor WhatsApp, dan Word"),
    ],
)
def test_a_source_it_cannot_read_spoils_only_itself(run, fresh: Path, name, message) -> None:
    (fresh.parent / name).write_bytes(b"PK\x03\x04")
    result = run("import", f"../{name}", "../rangkuman.txt", cwd=fresh)
    assert result.exit_code == 1
    assert message in result.stderr
    assert (fresh / "meetings" / "2016-05-11.md").exists()


def test_a_text_without_a_date_is_skipped(run, fresh: Path) -> None:
    (fresh.parent / "undated.txt").write_text("Tim 1 : Tuatunu mulai berproses.", "utf-8")
    result = run("import", "../undated.txt", cwd=fresh)
    assert "tidak ada tanggal tertulis di teks" in result.stderr
    assert list((fresh / "meetings").iterdir()) == []


# Precision before recall: the rules, on small texts.

CONFIG = load_config(ROOT)


def statuses(text: str) -> dict[str, tuple[str | None, str | None]]:
    draft = extract(text, CONFIG)
    return {entry.written: (entry.status, entry.previous) for entry in draft.kelurahan}


def test_a_status_word_about_something_else_is_no_status() -> None:
    text = (
        "Rabu, 18 Mei 2016. Tim 3 : kelurahan Bacang, identifikasi pinjaman bermasalah "
        "sudah selesai."
    )
    assert statuses(text) == {"Bacang": ("bermasalah", None)}
    assert "selesai" not in session_text(extract(text, CONFIG), CONFIG).split("---")[1]


def test_what_is_not_said_for_certain_is_a_comment_never_data() -> None:
    text = (
        "Rabu, 18 Mei 2016. Tim 2 : kelurahan Keramat mulai berproses, dan Keramat sudah "
        "bergulir kembali. Tim 6 : sedang berjalan untuk penagihan."
    )
    draft = extract(text, CONFIG)
    assert draft.kelurahan == ()
    written = session_text(draft, CONFIG)
    assert "# kbik import: Keramat: teks menyebut bergulir, persiapan; statusnya?" in written
    assert "penagihan untuk kelurahan mana?" in written


def test_kelurahan_as_people_type_them() -> None:
    text = "Rabu, 18 Mei 2016. Tim 2 : kelurahan bukit merapen, KERAMAT sudah dapat bergulir."
    assert statuses(text) == {"bukit merapen": ("bergulir", None), "KERAMAT": ("bergulir", None)}


def test_teams_present_and_absent_as_written() -> None:
    for said in ("Tim 1 s/d 5", "tim 1-5", "Tim 1 sampai dengan Tim 5"):
        draft = extract(f"Rabu, 18 Mei 2016. KBIK dihadiri oleh {said}.", CONFIG)
        assert draft.attendees[:2] == ("Yuri", "Deevan"), said
    draft = extract("Rabu, 18 Mei 2016. Tim 7 berhalangan karena sakit.", CONFIG)
    assert draft.absent == ((7, "sakit"),)
    draft = extract("Rabu, 18 Mei 2016. Tim 9 tidak hadir karena jarak.", CONFIG)
    assert draft.absent == ()  # no team the roster does not have


_WORDS = st.sampled_from(
    [
        "Tim 1 :",
        "Tim 2",
        ":",
        "kelurahan",
        "Tuatunu",
        "Opas",
        "Bukit",
        "Bukit Merapen",
        "vacuum",
        "selama ini",
        "mulai berproses",
        "bergulir kembali",
        "terhenti",
        "identifikasi pinjaman bermasalah",
        "sedang berjalan untuk penagihan",
        "12 orang",
        "yang mengikuti PWK",
        "layak",
        "tidak hadir",
        "karena",
        "jarak",
        ",",
        ".",
        "dan",
        "Rabu, 11 Mei 2016",
        "( Hendra Putra )",
        "TA MK ( Pak Iwan )",
        "di pandu oleh TA MK",
        "Tim 1 sampai dengan 5",
        "dihadiri",
        "\n",
        "'",
        '"',
        "#",
        ":",
        "- ",
        "{x}",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, max_size=40))
def test_every_file_import_writes_validates(words: list[str]) -> None:
    text = " ".join(words)
    draft = extract(text, CONFIG)
    if draft.date is None:
        return
    content = session_text(draft, CONFIG)
    session, problems = build_session(parse_document(content.encode(), "x.md"), CONFIG)
    assert session is not None, [p.message for p in problems]
    assert text.strip() in content  # the writer's words, kept


# Other sources: WhatsApp exports from both kinds of phone, and Word.

CORPUS = Path(__file__).resolve().parent / "assets" / "import"


def test_an_android_chat_in_indonesian_gives_its_rangkuman_only(run, fresh: Path) -> None:
    shutil.copy(CORPUS / "chat-android-id.txt", fresh.parent)
    result = run("import", "../chat-android-id.txt", cwd=fresh)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "meetings/2016-06-08.md\nmeetings/2016-06-15.md\n"
    assert "2 rangkuman ditemukan, 2 ditulis" in result.stderr
    assert run("validate", cwd=fresh).exit_code == 0
    later = (fresh / "meetings" / "2016-06-15.md").read_text(encoding="utf-8")
    # No date in the text: the meeting day on or before the message, said as a comment.
    assert "# kbik import: date: hari pertemuan pada atau sebelum pesan tanggal 2016-06-16" in later
    assert "notetaker: Hendra Putra" in later  # the sender, who is on the roster
    # The body is the message, without the chat's date-and-sender prefix.
    assert "Rangkuman KBIK kemarin: dihadiri tim 1-7" in later
    assert "07.30 - Hendra Putra" not in later and "👍" not in later


def test_an_ios_export_zip_with_media_in_english(run, fresh: Path) -> None:
    shutil.copy(CORPUS / "chat-ios-en.zip", fresh.parent)
    result = run("import", "../chat-ios-en.zip", cwd=fresh)
    assert result.exit_code == 0, result.stderr
    text = (fresh / "meetings" / "2016-06-22.md").read_text(encoding="utf-8")
    assert "  - action: Penagihan di Bacang (Tim 3)\n    team: 3\n    kelurahan: [Bacang]\n" in text
    assert "  - {team: 7, reason: sakit}" in text
    assert run("validate", cwd=fresh).exit_code == 0


def test_a_word_rangkuman(run, fresh: Path) -> None:
    shutil.copy(CORPUS / "c-2016-06-29.docx", fresh.parent)
    result = run("import", "../c-2016-06-29.docx", cwd=fresh)
    assert result.exit_code == 0, result.stderr
    text = (fresh / "meetings" / "2016-06-29.md").read_text(encoding="utf-8")
    assert "Bukit Merapen:\n    status: persiapan\n" in text
    assert "Tim 1 : Tuatunu sudah mulai bergulir, 14 orang yang mengikuti PWK." in text
    assert run("validate", cwd=fresh).exit_code == 0


def test_the_corpus_is_read_with_none_wrong_and_nine_in_ten_read() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "import_accuracy", ROOT / "bench" / "import_accuracy.py"
    )
    assert spec and spec.loader
    accuracy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(accuracy)
    tally = accuracy.score(CORPUS)
    assert sum(counts["wrong"] for counts in tally.values()) == 0
    facts = sum(sum(counts.values()) for counts in tally.values())
    right = sum(counts["right"] for counts in tally.values())
    assert facts >= 100 and right >= 0.9 * facts


def test_chat_lines_of_both_phones_and_languages() -> None:
    from kbik.chats import messages

    text = (
        "25/05/16 19.21 - Hendra Putra: satu\ndua\n"
        "[25/05/16 19.22.10] Yuri: tiga\n"
        "25/05/2016, 19:23 - Deevan: <Media omitted>\n"
        "[25/05/2016, 19:24:00] Indah: empat\n"
        "25/05/16 19.25 - Hendra Putra menambahkan Yuri\n"
    )
    found = [(m.sent.strftime("%H:%M"), m.sender, m.text) for m in messages(text)]
    assert found == [
        ("19:21", "Hendra Putra", "satu\ndua"),
        ("19:22", "Yuri", "tiga"),
        ("19:24", "Indah", "empat"),
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789/[]:.,- \nabcKBIKtim", max_size=200))
def test_any_text_reads_as_a_chat_without_error(text: str) -> None:
    from kbik.chats import is_chat, messages

    is_chat(text)
    for message in messages(text):
        assert message.text


def test_a_name_slip_is_a_comment_and_a_team_may_pass_the_results_on() -> None:
    text = (
        "Rabu, 18 Mei 2016. Tim 3 : kelurahan Ketapan identifikasi pinjaman bermasalah. "
        "Tim 7 tidak hadir karena jarak, hasil akan disampaikan oleh Tim 6."
    )
    draft = extract(text, CONFIG)
    assert draft.kelurahan == ()  # not guessed
    assert "'Ketapan' mungkin Ketapang; kelurahan yang mana?" in draft.comments
    assert (draft.absent, draft.handover) == (((7, "jarak"),), "Tim 6")
    content = session_text(draft, CONFIG)
    assert "  - {team: 7, reason: jarak, handover: Tim 6}" in content
    assert build_session(parse_document(content.encode(), "x.md"), CONFIG)[0] is not None


def test_an_rktl_item_names_the_longest_spelling_only() -> None:
    text = "Rabu, 18 Mei 2016.\nRKTL\n1. Pembukuan di Bukit Merapen dan Keramat (Tim 2)\n"
    [action] = extract(text, CONFIG).followups
    assert (action.team, action.kelurahan) == (2, ("Bukit Merapin", "Keramat"))
