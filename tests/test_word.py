"""The rangkuman as a Word document: the Markdown's content, the office's own template."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import in_english

from kbik.word import Block, Run, blocks

ROOT = Path(__file__).resolve().parent.parent


def _text(path: Path) -> list[tuple[str, str]]:
    document = docx.Document(str(path))
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_markdown_blocks() -> None:
    found = blocks(
        "# Judul\n\n**Rabu**\n\n- Hadir: Tim 1\n\nSatu\ndua.\n\n## Tim 1\n\n"
        "A: **bergulir** (x)\n\n1. Aksi\n2. Lain\n\n*Berkas dilewati: a.md*\n"
    )
    assert found == (
        Block("title", (Run("Judul"),)),
        Block("paragraph", (Run("Rabu", bold=True),)),
        Block("bullet", (Run("Hadir: Tim 1"),)),
        Block("paragraph", (Run("Satu dua."),)),
        Block("heading", (Run("Tim 1"),), level=1),
        Block("paragraph", (Run("A: "), Run("bergulir", bold=True), Run(" (x)"))),
        Block("number", (Run("Aksi"),), number=1),
        Block("number", (Run("Lain"),), number=2),
        Block("paragraph", (Run("Berkas dilewati: a.md", italic=True),)),
    )


def test_word_report_has_the_content_of_the_markdown(run, example: Path) -> None:
    target = example / "rangkuman.docx"
    result = run("report", "--format", "docx", "-o", str(target), cwd=example)
    assert result.exit_code == 0, result.stderr
    paragraphs = _text(target)
    markdown = run("report", cwd=example).stdout
    expected = blocks(markdown)
    # Then the signature block: place and date, the role, the name.
    signature = ["Pangkalpinang, 11 Mei 2016", "Notulis", "Hendra Putra"]
    assert [text for _, text in paragraphs] == [
        "".join(r.text for r in b.runs) for b in expected
    ] + signature
    styles = {text: style for style, text in paragraphs}
    numbered = [b for b in expected if b.kind == "number"]
    assert numbered and all(
        styles["".join(r.text for r in b.runs)] == "List Number" for b in numbered
    )
    assert paragraphs[0] == ("Title", "Rangkuman KBIK Tim MK Kota Pangkalpinang")
    assert ("Heading 1", "Tim 6 dan 7 (tidak hadir)") in paragraphs
    assert styles["Dipandu oleh: Pak Iwan (TA MK)"] == "List Bullet"
    bold = [r.text for p in docx.Document(str(target)).paragraphs for r in p.runs if r.bold]
    assert "persiapan" in bold and "Rabu, 11 Mei 2016" in bold


def test_without_o_word_is_a_usage_error(run, example: Path) -> None:
    result = run("report", "--format", "docx", cwd=example)
    assert result.exit_code == 2 and "-o rangkuman.docx" in result.stderr
    assert result.stdout == ""


def test_the_office_copy_overrides_the_default(run, example: Path) -> None:
    copied = run("templates", "copy", "report.docx", cwd=example)
    assert copied.exit_code == 0, copied.stderr
    own = example / "templates" / "report.docx"
    assert own.read_bytes() == (ROOT / "templates" / "report.docx").read_bytes()
    listed = run("templates", "list", cwd=example).stdout
    assert "report.docx\tworkspace: templates/report.docx" in listed
    # The office puts its letterhead in the header and restyles its copy in Word.
    document = docx.Document(str(own))
    document.sections[0].header.paragraphs[0].text = "KOP SURAT {{ config.group }}"
    document.save(str(own))
    target = example / "out.docx"
    assert run("report", "--format", "docx", "-o", str(target), cwd=example).exit_code == 0
    header = docx.Document(str(target)).sections[0].header.paragraphs[0].text
    assert header == "KOP SURAT KBIK Tim MK"


def _hostile(example: Path, name: str, xml: str | None = None, data: bytes | None = None) -> str:
    own = example / "templates" / "report.docx"
    own.parent.mkdir(exist_ok=True)
    if data is not None:
        own.write_bytes(data)
    else:
        with (
            zipfile.ZipFile(ROOT / "templates" / "report.docx") as source,
            zipfile.ZipFile(own, "w") as target,
        ):
            for item in source.infolist():
                body = source.read(item)
                if item.filename == name and xml is not None:
                    body = xml.encode()
                target.writestr(item, body)
    return str(example / "out.docx")


@pytest.mark.parametrize(
    ("name", "xml", "data", "message"),
    [
        (None, None, b"not a zip", "templates/report.docx: error: template is not a Word"),
        (
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>",
            None,
            "declares XML entities",
        ),
        (
            "word/document.xml",
            '<?xml version="1.0"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>{{ ''.__class__ }}{{ 7 * 'x' * 10**7 }}</w:t></w:r></w:p>"
            "</w:body></w:document>",
            None,
            "template failed",
        ),
    ],
)
def test_hostile_word_templates_are_refused(run, example: Path, name, xml, data, message) -> None:
    in_english(example)
    target = _hostile(example, name, xml, data)
    result = run("report", "--format", "docx", "-o", target, cwd=example)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert not Path(target).exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(run, example: Path, monkeypatch) -> None:
    in_english(example)
    monkeypatch.setattr("kbik.word.MAX_UNPACKED", 1000)
    result = run("report", "--format", "docx", "-o", str(example / "x.docx"), cwd=example)
    assert result.exit_code == 2 and "too large once unpacked" in result.stderr


def test_the_default_template_is_what_the_script_makes(tmp_path: Path) -> None:
    made = tmp_path / "report.docx"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "report_docx.py"), str(made)], check=True
    )
    with zipfile.ZipFile(made) as new, zipfile.ZipFile(ROOT / "templates" / "report.docx") as old:
        assert sorted(new.namelist()) == sorted(old.namelist())
        for name in new.namelist():
            assert new.read(name) == old.read(name), f"{name}: run scripts/report_docx.py"


def test_word_is_imported_only_for_a_word_report() -> None:
    code = (
        "import sys; from kbik.cli import main\n"
        f"sys.argv = ['kbik', '-C', {str(ROOT)!r}, 'report']\n"
        "try: main()\nexcept SystemExit: pass\n"
        "assert 'docxtpl' not in sys.modules and 'docx' not in sys.modules, 'imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
