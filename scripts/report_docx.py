"""Write templates/report.docx, the default Word template, with python-docx.

The template is generated, never edited by hand: change this script and run
``python scripts/report_docx.py``; a test fails when the file is out of date.
An office restyles its own copy in Word (``kbik templates copy report.docx``).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

TARGET = Path(__file__).resolve().parent.parent / "templates" / "report.docx"

# One paragraph per kind of block, each in the Word style an office would restyle.
KINDS = (
    ('b.kind == "title"', "Title"),
    ('b.kind == "heading" and b.level == 1', "Heading 1"),
    ('b.kind == "heading" and b.level == 2', "Heading 2"),
    ('b.kind == "heading"', "Heading 3"),
    ('b.kind == "bullet"', "List Bullet"),
    ('b.kind == "number"', "List Number"),  # real Word numbering, restarted per list
    ('b.kind == "board"', "Normal"),  # where the status board's table goes
)


def _runs(paragraph) -> None:  # type: ignore[no-untyped-def]
    """The block's runs, bold or italic as the Markdown had them."""
    paragraph.add_run("{%r for run in b.runs %}")
    paragraph.add_run("{%r if run.bold %}")
    paragraph.add_run("{{ run.text }}").bold = True
    paragraph.add_run("{%r elif run.italic %}")
    paragraph.add_run("{{ run.text }}").italic = True
    paragraph.add_run("{%r else %}")
    paragraph.add_run("{{ run.text }}")
    paragraph.add_run("{%r endif %}")
    paragraph.add_run("{%r endfor %}")


def _field(code: str):  # type: ignore[no-untyped-def]
    """A simple Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    return parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{code}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )


def build(target: Path) -> None:
    """Write the template to ``target``."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    section.header_distance = section.footer_distance = Mm(10)
    styles = document.styles
    styles["Normal"].font.size = Pt(10)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    styles["Normal"].paragraph_format.line_spacing = 1.05
    # Compact headings, as an office's minutes are: the example session fits two pages.
    for name, size, before in (("Title", 18, 0), ("Heading 1", 12.5, 9), ("Heading 2", 11, 6)):
        styles[name].font.size = Pt(size)
        styles[name].paragraph_format.space_before = Pt(before)
        styles[name].paragraph_format.space_after = Pt(3)
    # The letterhead (kop surat) goes here in an office's own copy.
    section.header.paragraphs[0].text = "{{ config.group }}"
    document.add_paragraph("{%p for b in blocks %}")
    for index, (test, style) in enumerate(KINDS):
        document.add_paragraph(f"{{%p {'if' if index == 0 else 'elif'} {test} %}}")
        paragraph = document.add_paragraph(style=style)
        _runs(paragraph)
    document.add_paragraph("{%p else %}")
    _runs(document.add_paragraph(style="Normal"))
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    # The signature block an Indonesian office report closes with: place and date, the
    # role, room to sign, the name.
    document.add_paragraph("{%p if office.name %}")
    for text, space in (
        ("{{ office.place_date }}", Pt(12)),
        ("{{ office.role }}", 0),
        ("{{ office.name }}", Pt(42)),  # room to sign
    ):
        line = document.add_paragraph(text)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.paragraph_format.space_before = space
        line.paragraph_format.keep_with_next = True
    document.add_paragraph("{%p endif %}")
    # Page numbers: "Halaman 1 dari 2", Word's own PAGE and NUMPAGES fields.
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("{{ office.page }} ")
    footer.add_run("[PAGE]")
    footer.add_run(" {{ office.of }} ")
    footer.add_run("[NUMPAGES]")
    # Each placeholder run becomes its field (through the part's XML: public API).
    for run in section.footer.part.element.iter(qn("w:r")):
        text = run.find(qn("w:t"))
        if text is not None and text.text in ("[PAGE]", "[NUMPAGES]"):
            run.addprevious(_field(text.text.strip("[]")))
            run.getparent().remove(run)
    core = document.core_properties
    core.author, core.title, core.comments = "kbik", "Rangkuman KBIK", ""
    # Fixed dates, so that the file changes only when this script does.
    core.created = core.modified = dt.datetime(2016, 5, 11)
    core.last_modified_by, core.revision = "kbik", 1
    document.save(str(target))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
