"""Terminal output for the CLI layer: rich tables that fit, notes on stderr, colour rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kbik.cli.color import _, settings
from kbik.cli.output import cell_text, note
from kbik.i18n import N_, translations
from kbik.indicators import GRADE_COLOURS, GRADE_MARKS, grade_word
from kbik.palette import colour
from kbik.text import escape_controls, has_controls

# The column names of kbik's tables, marked for the catalogs: print_table shows each in
# the terminal's language, while the code (and CSV, JSON, Markdown) keeps these names.
HEADERS = (
    N_("date"),
    N_("file"),
    N_("present"),
    N_("absent"),
    N_("kelurahan reported"),
    N_("kelurahan"),
    N_("team"),
    N_("status"),
    N_("since"),
    N_("previous"),
    N_("reported"),
    N_("stale"),
    N_("note"),
    N_("due"),
    N_("state"),
    N_("action (kelurahan)"),
    N_("reported by"),
    N_("key"),
    N_("from"),
    N_("value"),
)
GAP = 2  # characters between two columns of a table
WRAP_MIN = 12  # a wrapping column is not made narrower than this (or its longest word)
# Rich folds a long word in time that grows with its square: a cell longer than this is
# cut on the terminal (the machine formats keep it whole), so every table stays linear.
MAX_CELL = 4000


def console(*, stderr: bool = False) -> Console:
    """A console for this moment's width and colour settings.

    Made anew for each use, so COLUMNS, NO_COLOR and --color are read when output
    is written, not when the module was imported.
    """
    color = settings.color
    options: dict[str, Any] = {"stderr": stderr, "highlight": False}
    if color == "always":
        options["force_terminal"] = True
        options["no_color"] = False
        options["color_system"] = "truecolor"  # no_color=False: 'always' wins over NO_COLOR
    elif color == "never":
        options["color_system"] = None
    return Console(soft_wrap=stderr, **options)


HANG = 4  # the indent of a wrapped line's continuation


def print_hanging(text: Text | str, *, stderr: bool = False) -> None:
    """Print one entry (a problem, a search hit): on a terminal wrapped at words, its
    continuation indented; elsewhere on one line, for grep and editors."""
    out = console(stderr=stderr)
    line = text if isinstance(text, Text) else Text(escape_controls(text))
    if not out.is_terminal or out.width <= 2 * HANG:
        out.print(line, soft_wrap=True, highlight=False)
        return
    for number, part in enumerate(line.wrap(out, out.width - HANG)):
        part.rstrip()
        out.print(Text(" " * HANG) + part if number else part, soft_wrap=True, highlight=False)


def status_text(word: str | None, label: str | None = None) -> Text:
    """A status word in its colour (``label`` replaces the word shown)."""
    if not word:
        return Text("-", style="dim")
    return Text(label or word, style=f"bold {colour(word)}")


@dataclass(frozen=True)
class Fit:
    """How a table's columns share the line."""

    widths: tuple[int, ...]  # the least each column needs
    kept: tuple[int, ...]  # the columns shown, by index
    left_out: tuple[int, ...]  # the columns that did not fit


def fit(
    columns: Sequence[str],
    cells: Sequence[Sequence[Text]],
    wrapping: Sequence[int],
    optional: Sequence[int],
    width: int,
) -> Fit:
    """Decide which columns a line of ``width`` can show, and the least each needs.

    A column that does not wrap needs its widest cell; one that wraps needs its
    longest header word and a little room (rich wraps it at spaces). Columns named
    in ``optional`` are left out, in that order, until the rest fit.
    """
    least = []
    for index, header in enumerate(columns):
        widest = max([len(header), *(_width(row[index]) for row in cells)])
        if index in wrapping:
            longest_word = max((len(word) for word in header.split()), default=0)
            widest = max(longest_word, min(widest, WRAP_MIN))
        least.append(widest)
    kept = list(range(len(columns)))
    left_out: list[int] = []
    for index in optional:
        if sum(least[i] for i in kept) + GAP * (len(kept) - 1) <= width:
            break
        kept.remove(index)
        left_out.append(index)
    return Fit(tuple(least), tuple(kept), tuple(left_out))


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
    caption: str | None = None,
    wrap: Sequence[str] = (),
    optional: Sequence[str] = (),
    legend: str | None = None,
) -> None:
    """Print rows as a table that fits the terminal; cells may be strings or rich Text.

    Columns named in ``wrap`` wrap at spaces (the last column wraps when none is
    named); the others keep each cell on one line and are never cut. When even so
    the line is too short, the ``optional`` columns are left out, in order, and a
    note says which.
    """
    out = console()
    cells = [
        [_shortened(_safe(cell) if isinstance(cell, Text) else Text(_cell(cell))) for cell in row]
        for row in rows
    ]
    wrapping = [columns.index(name) for name in wrap] if wrap else [len(columns) - 1]
    layout = fit(columns, cells, wrapping, [columns.index(n) for n in optional], out.width)
    table = Table(
        title=escape_controls(title, one_line=True) if title else None,
        caption=caption,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        title_justify="left",
    )
    for index in layout.kept:
        wraps = index in wrapping
        table.add_column(
            _(columns[index]),  # headers in the terminal's language; the names stay kbik's
            no_wrap=not wraps,
            overflow="fold",
            min_width=layout.widths[index],
            ratio=1 if wraps else None,
        )
    for row in cells:
        table.add_row(*(row[index] for index in layout.kept))
    out.print(table)
    if legend:
        out.print(legend, markup=False, highlight=False)
    if layout.left_out:
        left = ", ".join(_(columns[index]) for index in layout.left_out)
        note(
            _(
                "left out to fit {width} columns: {left} (see them with --format md)",
                width=out.width,
                left=left,
            )
        )


def _width(cell: Text) -> int:
    """The widest line of a cell."""
    return max((len(line) for line in cell.plain.split("\n")), default=0)


def _cell(value: Any) -> str:

    return cell_text(value, empty="-")


def _shortened(text: Text) -> Text:
    """A cell cut to MAX_CELL characters, saying how long it was."""
    if len(text) <= MAX_CELL:
        return text
    shown = text[:MAX_CELL]
    shown.append(f"… ({len(text):,} characters; see all with --format json)", style="dim")
    return shown


def _safe(text: Text) -> Text:
    """The same Text with control characters from session files escaped."""
    if not has_controls(text.plain):
        return text
    return Text(escape_controls(text.plain), style=text.style)


class ProgressBar:
    """A progress bar on stderr, started on the first report and gone when closed."""

    def __init__(self, description: str) -> None:
        self.description = description
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None:
            from rich.progress import Progress  # noqa: PLC0415 - 26 ms: only a bar shown

            self.progress = Progress(console=console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task(self.description, total=total)
        self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def graded_text(value: float | None, indicator: Any) -> Text:
    """A figure coloured by its grade, with a mark that reads without colour."""
    if value is None:
        return Text("-", style="dim")
    grade = indicator.grade(value)
    return Text(f"{value:g}{GRADE_MARKS[grade]}", style=f"bold {GRADE_COLOURS[grade]}")


def grade_legend(language: str) -> str:
    """What the grade marks mean, in the report language."""
    marks = "  ".join(f"{m} {grade_word(grade, language)}" for grade, m in GRADE_MARKS.items())
    return f"{translations(language).gettext('Legend')}: {marks}"
