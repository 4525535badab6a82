"""The rangkuman as a Word document: the Markdown report's blocks, through docxtpl.

The office's own ``templates/report.docx`` (its letterhead, its styles) is a
workspace template like the others: it is rendered in kbik's sandbox, sees plain
data only, and is refused when it is no Word document, is too large unpacked, or
declares XML entities (which could pull a file of this machine into the report).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateError

from kbik.dates import long_date, medium_date, short_date
from kbik.errors import ConfigError
from kbik.i18n import N_, status_word, translations
from kbik.limits import (
    BROKEN_LINK,
    FAILED,
    NOT_REGULAR,
    OUTSIDE,
    TOO_MUCH_MEMORY,
    UNREADABLE,
    bounded,
)
from kbik.palette import code, colour
from kbik.plain import plain
from kbik.templating import team_names

TEMPLATE = "report.docx"
MAX_UNPACKED = 64 * 1024 * 1024  # bytes a template may hold once unzipped
_ENTITY = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_NUMBERED = re.compile(r"(\d+)\. (.*)")


@dataclass(frozen=True)
class Run:
    """A stretch of text with one look."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Office:
    """What a Word report says of itself besides its text, as an office writes it."""

    title: str
    subject: str
    author: str  # the note-taker, by display name
    created: dt.date  # the session's date, or the period's end
    language: str  # Word's language tag: id-ID, en-GB
    page: str  # "Halaman" ... "dari": the footer's page numbers
    of: str
    place_date: str  # "Pangkalpinang, 11 Mei 2016", above the signature
    role: str  # "Notulis"
    name: str  # who signs: the note-taker; "" for no signature block


@dataclass(frozen=True)
class BoardTable:
    """The status board as a Word table: kelurahan × sessions, grouped by team."""

    title: str  # "Papan status"
    header: tuple[str, ...]  # "Kelurahan", then each session's short date
    rows: tuple[
        tuple[str, tuple[str | None, ...], tuple[bool, ...]], ...
    ]  # (a team's heading, (), ()) or (name, statuses, the team absent each week)
    legend: str
    absent: str = ""  # the short word for a week the team was absent


WORD_LANGUAGES = {"id": "id-ID", "en": "en-GB"}
PAGE, OF = N_("Page"), N_("of")


def office(values: Mapping[str, Any], title: str) -> Office:
    """The document's properties and signature from a report's context."""

    language = values["language"]
    catalog = translations(language)
    period, sessions, same = values["period"], values["sessions"], values["same"]
    display = values["display"]
    latest = sessions[-1].session if sessions else None
    writer = same.get("notetaker") if same else (latest.notetaker if latest else None)
    name = display.get(writer, writer) if writer else ""
    city = values["config"].city
    day = medium_date(period.end, language)
    if period.single:
        subject = long_date(period.start, language)
    else:
        subject = f"{medium_date(period.start, language)} – {day}"
    return Office(
        title=title,
        subject=subject,
        author=name or values["config"].group,
        created=period.end,
        language=WORD_LANGUAGES.get(language, language),
        page=catalog.gettext(PAGE),
        of=catalog.gettext(OF),
        place_date=f"{city}, {day}" if city else day,
        role=catalog.gettext("Note-taker"),
        name=name,
    )


def board_table(values: Mapping[str, Any]) -> BoardTable | None:
    """The status board of a period report, as rows for a Word table; None for one session."""

    board, language = values["board"], values["language"]
    if values["period"].single or not board.rows:
        return None
    catalog = translations(language)
    rows: list[tuple[str, tuple[str | None, ...], tuple[bool, ...]]] = []
    for group in board.groups:
        team = (
            team_names(group.team, catalog, language)
            if group.team is not None
            else catalog.gettext("No team")
        )
        rows.append((team, (), ()))
        rows.extend((name, cells, group.absent) for name, cells in group.rows)
    shown = sorted({word for _, cells in board.rows for word in cells if word})
    legend = ", ".join(f"{code(word)} = {status_word(word, language)}" for word in shown)
    legend = f"{catalog.gettext('Legend')}: {legend}; · = {catalog.gettext('not reported')}"
    absent = catalog.gettext("Abs")
    if board.any_absent:
        legend += f"; {absent} = {catalog.gettext('team absent')}"
    return BoardTable(
        title=catalog.gettext("Status board"),
        header=(catalog.gettext("Kelurahan"), *(short_date(day, language) for day in board.dates)),
        rows=tuple(rows),
        legend=legend,
        absent=absent,
    )


@dataclass(frozen=True)
class Block:
    """One paragraph of the document: a title, heading, list item or paragraph."""

    kind: str  # "title", "heading", "bullet", "number", "paragraph" or "board"
    runs: tuple[Run, ...]
    level: int = 0  # of a heading: 1 is the highest under the title
    number: int | None = None  # of a numbered item, as the Markdown wrote it


def blocks(markdown: str) -> tuple[Block, ...]:
    """Read kbik's Markdown report as a list of blocks, in order."""
    found: list[Block] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph:
            found.append(Block("paragraph", runs(" ".join(paragraph))))
            paragraph.clear()

    for line in markdown.splitlines():
        text = line.strip()
        heading = re.match(r"(#{1,6}) (.*)", text)
        numbered = _NUMBERED.fullmatch(text)
        if not text:
            close()
        elif heading:
            close()
            depth = len(heading[1])
            kind = "title" if depth == 1 else "heading"
            found.append(Block(kind, runs(heading[2]), level=max(depth - 1, 0)))
        elif text.startswith("- "):
            close()
            found.append(Block("bullet", runs(text[2:])))
        elif numbered:
            close()
            found.append(Block("number", runs(numbered[2]), number=int(numbered[1])))
        else:
            paragraph.append(text)
    close()
    return tuple(found)


def runs(text: str) -> tuple[Run, ...]:
    """Split Markdown text at ``**bold**`` and a wholly ``*italic*`` line."""
    if len(text) > 2 and text.startswith("*") and text.endswith("*") and text[1] != "*":
        return (Run(text[1:-1], italic=True),)
    parts = re.split(r"\*\*(.+?)\*\*", text)
    return tuple(Run(part, bold=index % 2 == 1) for index, part in enumerate(parts) if part) or (
        Run(""),
    )


NOT_WORD = N_("template is not a Word document (.docx)")


def template_path(workspace_root: Path | None, defaults: Path) -> Path:
    """The workspace's report.docx where there is one, else the packaged default."""
    if workspace_root is not None:
        own = workspace_root / "templates" / TEMPLATE
        shown = f"templates/{TEMPLATE}"
        if os.path.lexists(own):
            try:
                real = own.resolve(strict=True)
            except (OSError, RuntimeError):
                raise ConfigError(BROKEN_LINK, where=shown) from None
            if not real.is_relative_to(workspace_root.resolve()):
                raise ConfigError(OUTSIDE, where=shown)
            if not real.is_file():
                raise ConfigError(NOT_REGULAR, where=shown)
            return own
    return defaults / TEMPLATE


BOARD = "\u27e6kbik:board\u27e7"  # the paragraph the status board's table replaces


def with_board(found: Sequence[Block], board: BoardTable | None) -> tuple[Block, ...]:
    """The blocks with the status board's place before the first section heading."""
    if board is None:
        return tuple(found)
    at = next((i for i, b in enumerate(found) if b.kind == "heading"), len(found))
    return (*found[:at], Block("board", (Run(BOARD),)), *found[at:])


def render_docx(
    template: Path,
    shown: str,
    context: Mapping[str, Any],
    env: Environment,
    *,
    trusted: bool = False,
    facts: Office | None = None,
    board: BoardTable | None = None,
) -> bytes:
    """Fill a Word template with the context and return the document's bytes: the
    office's properties and language set, numbered lists restarted, the status board
    as a table. A template that is not kbik's own (``trusted``) renders bounded in
    time and memory."""
    _check(template, shown)
    data = {key: plain(value) for key, value in context.items()}
    if facts is not None:
        data["office"] = plain(facts)
    numbers = [b.number or 1 for b in context.get("blocks", ()) if b.kind == "number"]
    if trusted:
        return _fill(template, shown, data, env, (facts, board, numbers))

    return bounded(shown, lambda: _fill(template, shown, data, env, (facts, board, numbers)))


def _fill(
    template: Path,
    shown: str,
    data: Mapping[str, Any],
    env: Environment,
    finish: tuple[Office | None, BoardTable | None, list[int]],
) -> bytes:
    """Render the template's XML with docxtpl; any failure is the template's own."""

    class _Template(DocxTemplate):  # type: ignore[misc]
        def render_xml_part(
            self, src_xml: str, part: Any, context: Any, jinja_env: Any = None
        ) -> str:
            rendered: str = super().render_xml_part(src_xml, part, context, jinja_env)
            if _ENTITY.search(rendered):
                said = N_("template failed: it declares XML entities")
                raise ConfigError(said, where=shown)
            return rendered

    try:
        document = _Template(str(template))
        document.render(dict(data), jinja_env=env, autoescape=True)
        _finish(document.docx, *finish)  # get_docx() would load the template again
        out = io.BytesIO()
        document.save(out)
    except ConfigError:
        raise
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        if line:
            said = N_("template failed at line {line} of its XML: {reason}")
            raise ConfigError(said, where=shown, line=line, reason=str(error)) from None
        raise ConfigError(FAILED, where=shown, reason=str(error)) from None
    except MemoryError:
        raise ConfigError(TOO_MUCH_MEMORY, where=shown) from None
    except Exception as error:  # a broken or hostile document: any failure is its own
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise ConfigError(FAILED, where=shown, reason=reason) from None
    return out.getvalue()


def _finish(doc: Any, facts: Office | None, board: BoardTable | None, numbers: list[int]) -> None:
    """What docxtpl cannot say in a template: properties, language, numbering, the board."""

    if facts is not None:
        _language(doc.styles.element, facts.language)
        properties = doc.core_properties
        properties.title, properties.subject = facts.title, facts.subject
        properties.author = properties.last_modified_by = facts.author
        properties.created = properties.modified = dt.datetime.combine(facts.created, dt.time())
        properties.comments, properties.revision = "", 1
    body = doc.element.body
    _number_lists(doc, [p for p in body.iter(qn("w:p"))], numbers)
    marker = next((p for p in body.iter(qn("w:p")) if _text(p) == BOARD), None)
    if marker is not None:
        if board is not None:
            marker.addprevious(parse_xml(_paragraph_xml(board.title, style="Heading1")))
            marker.addprevious(parse_xml(_table_xml(board)))
            marker.addprevious(parse_xml(_paragraph_xml(board.legend, size=18)))
        marker.getparent().remove(marker)


def _text(paragraph: Any) -> str:

    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def _language(styles: Any, tag: str) -> None:
    """Set the document's language (Word's spelling checker reads it) in its defaults."""

    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {nsdecls('w')}/>")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = parse_xml(f"<w:rPrDefault {nsdecls('w')}/>")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = parse_xml(f"<w:rPr {nsdecls('w')}/>")
        run_defaults.append(properties)
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    properties.append(
        parse_xml(f'<w:lang {nsdecls("w")} w:val="{tag}" w:eastAsia="{tag}" w:bidi="ar-SA"/>')
    )


def _number_lists(doc: Any, paragraphs: list[Any], numbers: list[int]) -> None:
    """Give each numbered list its own Word numbering, restarting at its first item (the
    template's "List Number" paragraphs, in order, are the Markdown's numbered items)."""

    try:
        style = doc.styles["List Number"]
        numbered = style.element.pPr.numPr.numId.val
    except (KeyError, AttributeError):
        return  # an office's own template without Word's numbered list style
    numbering = doc.part.numbering_part.element
    found = numbering.xpath(f'w:num[@w:numId="{numbered}"]/w:abstractNumId/@w:val')
    if not found:
        return
    items = [p for p in paragraphs if p.style == style.style_id]
    current = None
    for paragraph, number in zip(items, numbers, strict=False):
        if current is None or number == 1:
            num = numbering.add_num(int(found[0]))
            num.add_lvlOverride(ilvl=0).add_startOverride(number)
            current = num.numId
        numbers_of = paragraph.get_or_add_pPr().get_or_add_numPr()
        numbers_of.get_or_add_ilvl().val = 0
        numbers_of.get_or_add_numId().val = current


def _table_xml(board: BoardTable) -> str:
    """The status board as a Word table: a header row that repeats on every page, a row
    per team, each status coded and in its colour."""

    columns = len(board.header)
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="A0A0A0"/>'
    borders = "".join(
        border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )

    def cell(
        text: str,
        *,
        fill: str | None = None,
        bold: bool = False,
        span: int = 1,
        white: bool = False,
        center: bool = False,
    ) -> str:
        shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        look = "<w:b/>" if bold else ""
        look += '<w:color w:val="FFFFFF"/>' if white else ""
        align = '<w:jc w:val="center"/>' if center else ""
        return (
            f'<w:tc><w:tcPr>{grid}{shading}</w:tcPr><w:p><w:pPr><w:spacing w:before="0" '
            f'w:after="0"/>{align}</w:pPr><w:r><w:rPr>{look}<w:sz w:val="18"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
        )

    rows = [
        "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
        + "".join(cell(text, bold=True) for text in board.header)
        + "</w:tr>"
    ]
    for name, cells, absent in board.rows:
        if not cells:  # a team's heading
            rows.append(
                f"<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                f"{cell(name, fill='EEEEEE', bold=True, span=columns)}</w:tr>"
            )
            continue
        shown = "".join(
            cell(
                code(word),
                fill=colour(word).lstrip("#").upper(),
                bold=True,
                white=True,
                center=True,
            )
            if word
            else cell(board.absent, fill="E8E8E8", center=True)
            if away
            else cell("·", center=True)
            for word, away in zip(cells, absent, strict=True)
        )
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cell(name)}{shown}</w:tr>")
    grid = "<w:gridCol/>" * columns
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="0" w:type="auto"/>'
        f"<w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        f"{''.join(rows)}</w:tbl>"
    )


def _paragraph_xml(text: str, *, size: int | None = None, style: str | None = None) -> str:
    """A paragraph of one run, in a style of the template or a size of its own."""

    look = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    font = f'<w:rPr><w:sz w:val="{size}"/></w:rPr>' if size else ""
    return (
        f"<w:p {nsdecls('w')}>{look}<w:r>{font}"
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )


def _check(template: Path, shown: str) -> None:
    """Refuse what is no Word document, would unpack too large, or declares entities."""
    try:
        with zipfile.ZipFile(template) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_UNPACKED:
                raise ConfigError(N_("template is too large once unpacked"), where=shown)
            names = {member.filename for member in members}
            if "word/document.xml" not in names:
                raise ConfigError(NOT_WORD, where=shown)
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    head = archive.read(member)
                    if _ENTITY.search(head.decode("utf-8", "replace")):
                        said = N_("template declares XML entities in {part}; kbik refuses them")
                        raise ConfigError(said, where=shown, part=member.filename)
    except zipfile.BadZipFile:
        raise ConfigError(NOT_WORD, where=shown) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError(UNREADABLE, where=shown, reason=reason) from None
