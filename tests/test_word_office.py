"""The Word report as the office's own program shows it: LibreOffice prints it to PDF, and
the PDF is read back (pdftotext, pdfinfo). CI installs LibreOffice and makes these run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

# Every fact of the hand-written rangkuman of 11 May 2016, as the Word report says it.
FACTS = (
    "Rabu, 11 Mei 2016",
    "Kota Pangkalpinang",
    "Dipandu oleh: Pak Iwan (TA MK)",
    "Notulis: Hendra Putra",
    "Tim 1 (Yuri), Tim 2 (Deevan), Tim 3 (Kiswan, Dhona), Tim 4 (Indah, Derry),",
    "Tim 5 (Niar, Alimin)",
    "Tidak hadir: Tim 6 dan 7 (jarak)",
    "Diskusi permasalahan sesuai kondisi di lapangan; Pembukuan usaha KSM",
    "vakum → persiapan (Peserta PWK 12, layak pinjaman 11)",
    "Opas (Opas Indah), Keramat, dan Bukit Merapen (Bukit Merapin): bermasalah",
    "Bacang, Ketapang, dan Ampui: bermasalah",
    "Air Salemba: terhenti → bergulir (bergulir kembali)",
    "Sriwijaya dan Bukit: bermasalah",
    "Paparan Tim 6 dan 7 juga disampaikan",
    "sering berganti-ganti. (Kiswan, Dhona)",
    "Sekilas tentang pembukuan usaha KSM",
    "Perbaikan pembukuan (faskel ekonomi selama ini sering berganti-ganti)",
    "Sampaikan hasil KBIK ini kepada Tim 6 dan Tim 7",
    "ada atau tidak pendanaan",
    "(Hendra Putra)",
)
STRAY = 8  # a page with fewer lines than this holds only a few stray lines


@pytest.fixture(scope="module")
def office() -> None:
    missing = [tool for tool in ("soffice", "pdftotext", "pdfinfo") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("KBIK_REQUIRE_OFFICE"):
            pytest.fail(f"KBIK_REQUIRE_OFFICE is set but {', '.join(missing)} is missing")
        pytest.skip(f"no {', '.join(missing)} here (apt-get install libreoffice-writer-nogui)")


def printed(run, root: Path, *args: str) -> tuple[Path, str, dict[str, str]]:
    """The Word report of ``kbik report ARGS`` in ``root``, printed by LibreOffice: the
    document, the PDF's text by page, and what pdfinfo says of it."""
    document = root / "rangkuman.docx"
    result = run("report", *args, "--format", "docx", "-o", str(document), cwd=root)
    assert result.exit_code == 0, result.stderr
    home = root / "office-profile"  # LibreOffice's profile, away from the user's
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={home.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root),
            str(document),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = root / "rangkuman.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    fields = dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in info.stdout.splitlines())
    )
    return document, text, fields


def _pages(text: str) -> list[list[str]]:
    return [[line for line in page.splitlines() if line.strip()] for page in text.split("\f")]


def test_the_example_session_in_libreoffice(run, example: Path, office) -> None:
    document, text, info = printed(run, example, "--date", "2016-05-11")
    flat = " ".join(text.split())
    for fact in FACTS:
        assert " ".join(fact.split()) in flat, fact
    assert int(info["Pages"]) <= 2
    pages = [page for page in _pages(text) if page]
    assert all(len(page) >= STRAY for page in pages), [len(page) for page in pages]
    # The office's own: page numbers, the signature block, the properties, the language.
    assert f"Halaman 1 dari {info['Pages']}" in flat
    assert "Pangkalpinang, 11 Mei 2016 Notulis Hendra Putra" in flat
    assert info["Title"] == "Rangkuman KBIK Tim MK Kota Pangkalpinang"
    assert info["Author"] == "Hendra Putra"
    assert info["Subject"] == "Rabu, 11 Mei 2016"
    with zipfile.ZipFile(document) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
        core = archive.read("docProps/core.xml").decode("utf-8")
        numbering = archive.read("word/numbering.xml").decode("utf-8")
        body = archive.read("word/document.xml").decode("utf-8")
    assert 'w:lang w:val="id-ID"' in styles
    assert "<dcterms:created" in core and "2016-05-11T00:00:00Z" in core
    # The RKTL is Word's own numbering, not typed numbers.
    assert not re.search(r"<w:t[^>]*>\d+\. ", body)
    assert "w:startOverride" in numbering


def test_english_is_marked_english(run, example: Path, office) -> None:
    document, text, _ = printed(run, example, "--date", "2016-05-11", "--lang", "en")
    assert "Page 1 of 2" in text
    with zipfile.ZipFile(document) as archive:
        assert 'w:lang w:val="en-GB"' in archive.read("word/styles.xml").decode("utf-8")


def test_each_numbered_list_starts_at_one(run, multi: Path, office) -> None:
    _, text, _ = printed(run, multi, "--month", "2016-05")
    done = text.split("Tindak lanjut selesai dalam periode ini", 1)[1]
    open_ = done.split("Tindak lanjut masih terbuka", 1)[1]
    assert re.search(r"^\s*1\.\s+Identifikasi pinjaman bermasalah", done, re.MULTILINE)
    assert re.search(r"^\s*1\.\s+Penagihan di Keramat", open_, re.MULTILINE)


def test_four_weeks_print_on_five_pages_with_the_status_board(
    run, four_weeks: Path, monkeypatch, office
) -> None:
    monkeypatch.setenv("KBIK_TODAY", "2016-05-26")
    _, text, info = printed(run, four_weeks, "--month", "2016-05")
    assert int(info["Pages"]) <= 5
    pages = [page for page in _pages(text) if page]
    assert all(len(page) >= STRAY for page in pages), [len(page) for page in pages]
    flat = " ".join(text.split())
    assert "Papan status Kelurahan 4 Mei 11 Mei 18 Mei 25 Mei Tim 1" in flat
    assert "Tua Tunu Indah PS PS PS PS" in flat
    assert "Keterangan: BG = bergulir, BM = bermasalah, PS = persiapan" in flat
    assert "Ketidakhadiran selama periode" in flat and "Perubahan status kelurahan" in flat
    assert flat.count("Dipandu oleh: Pak Iwan (TA MK)") == 1
