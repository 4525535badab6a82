"""The rangkuman as a Word document: the Markdown report's blocks, through docxtpl.

The office's own ``templates/report.docx`` (its letterhead, its styles) is a
workspace template like the others: it is rendered in kbik's sandbox, sees plain
data only, and is refused when it is no Word document, is too large unpacked, or
declares XML entities (which could pull a file of this machine into the report).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError

from kbik.errors import ConfigError
from kbik.plain import plain

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
class Block:
    """One paragraph of the document: a title, heading, list item or paragraph."""

    kind: str  # "title", "heading", "bullet", "number" or "paragraph"
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


def template_path(workspace_root: Path | None, defaults: Path) -> Path:
    """The workspace's report.docx where there is one, else the packaged default."""
    if workspace_root is not None:
        own = workspace_root / "templates" / TEMPLATE
        shown = f"templates/{TEMPLATE}"
        if os.path.lexists(own):
            try:
                real = own.resolve(strict=True)
            except (OSError, RuntimeError):
                raise ConfigError(f"{shown}: error: template link is broken or loops") from None
            if not real.is_relative_to(workspace_root.resolve()):
                raise ConfigError(
                    f"{shown}: error: template is a link to a file outside the workspace; "
                    "not followed"
                )
            if not real.is_file():
                raise ConfigError(f"{shown}: error: template is not a regular file")
            return own
    return defaults / TEMPLATE


def render_docx(
    template: Path,
    shown: str,
    context: Mapping[str, Any],
    env: Environment,
    *,
    trusted: bool = False,
) -> bytes:
    """Fill a Word template with the context and return the document's bytes.

    A template that is not kbik's own (``trusted``) renders bounded in time and memory.
    """
    _check(template, shown)
    data = {key: plain(value) for key, value in context.items()}
    if trusted:
        return _fill(template, shown, data, env)
    from kbik.limits import bounded

    return bounded(shown, lambda: _fill(template, shown, data, env))


def _fill(template: Path, shown: str, data: Mapping[str, Any], env: Environment) -> bytes:
    """Render the template's XML with docxtpl; any failure is the template's own."""
    from docxtpl import DocxTemplate  # costly: only when a Word document is asked for

    class _Template(DocxTemplate):  # type: ignore[misc]
        def render_xml_part(
            self, src_xml: str, part: Any, context: Any, jinja_env: Any = None
        ) -> str:
            rendered: str = super().render_xml_part(src_xml, part, context, jinja_env)
            if _ENTITY.search(rendered):
                raise ConfigError(f"{shown}: error: template failed: it declares XML entities")
            return rendered

    try:
        document = _Template(str(template))
        document.render(dict(data), jinja_env=env, autoescape=True)
        out = io.BytesIO()
        document.save(out)
    except ConfigError:
        raise
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"{shown} (line {line} of its XML)" if line else shown
        raise ConfigError(f"{where}: error: template failed: {error}") from None
    except MemoryError:
        raise ConfigError(f"{shown}: error: template failed: it needs too much memory") from None
    except Exception as error:  # a broken or hostile document: any failure is its own
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise ConfigError(f"{shown}: error: template failed: {reason}") from None
    return out.getvalue()


def _check(template: Path, shown: str) -> None:
    """Refuse what is no Word document, would unpack too large, or declares entities."""
    try:
        with zipfile.ZipFile(template) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_UNPACKED:
                raise ConfigError(f"{shown}: error: template is too large once unpacked")
            names = {member.filename for member in members}
            if "word/document.xml" not in names:
                raise ConfigError(f"{shown}: error: template is not a Word document (.docx)")
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    head = archive.read(member)
                    if _ENTITY.search(head.decode("utf-8", "replace")):
                        raise ConfigError(
                            f"{shown}: error: template declares XML entities in "
                            f"{member.filename}; kbik refuses them"
                        )
    except zipfile.BadZipFile:
        raise ConfigError(f"{shown}: error: template is not a Word document (.docx)") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError(f"{shown}: error: cannot read the template: {reason}") from None
