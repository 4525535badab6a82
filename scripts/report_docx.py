"""Write templates/report.docx, the default Word template, with python-docx.

The template is generated, never edited by hand: change this script and run
``python scripts/report_docx.py``; a test fails when the file is out of date.
An office restyles its own copy in Word (``kbik templates copy report.docx``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt

TARGET = Path(__file__).resolve().parent.parent / "templates" / "report.docx"

# One paragraph per kind of block, each in the Word style an office would restyle.
KINDS = (
    ('b.kind == "title"', "Title"),
    ('b.kind == "heading" and b.level == 1', "Heading 1"),
    ('b.kind == "heading" and b.level == 2', "Heading 2"),
    ('b.kind == "heading"', "Heading 3"),
    ('b.kind == "bullet"', "List Bullet"),
    ('b.kind == "number"', "List"),
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


def build(target: Path) -> None:
    """Write the template to ``target``."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    document.styles["Normal"].font.size = Pt(11)
    # The letterhead (kop surat) goes here in an office's own copy.
    section.header.paragraphs[0].text = "{{ config.group }}"
    document.add_paragraph("{%p for b in blocks %}")
    for index, (test, style) in enumerate(KINDS):
        document.add_paragraph(f"{{%p {'if' if index == 0 else 'elif'} {test} %}}")
        paragraph = document.add_paragraph(style=style)
        if style == "List":
            paragraph.add_run("{{ b.number }}. ")
        _runs(paragraph)
    document.add_paragraph("{%p else %}")
    _runs(document.add_paragraph(style="Normal"))
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    core = document.core_properties
    core.author, core.title, core.comments = "kbik", "Rangkuman KBIK", ""
    # Fixed dates, so that the file changes only when this script does.
    import datetime as dt

    core.created = core.modified = dt.datetime(2016, 5, 11)
    core.last_modified_by, core.revision = "kbik", 1
    document.save(str(target))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
