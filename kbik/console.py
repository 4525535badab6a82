"""Terminal output for the CLI layer: rich tables, JSON, CSV and notes on stderr."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kbik.palette import colour
from kbik.text import escape_controls, has_controls

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def note(message: str) -> None:
    """Print a one-line note on stderr, as plain text, control characters escaped."""
    err.print(escape_controls(message, one_line=True), markup=False, highlight=False)


def status_text(word: str | None, label: str | None = None) -> Text:
    """A status word in its colour (``label`` replaces the word shown)."""
    if not word:
        return Text("-", style="dim")
    return Text(label or word, style=f"bold {colour(word)}")


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
    caption: str | None = None,
    wrap: bool = False,
) -> None:
    """Print rows as a rich table, one line per row; cells may be strings or rich Text.

    With ``wrap``, the last column (an action, say) takes the rest of the line and
    wraps there instead.

    When the line is too short, the widest columns (notes, actions) are cut, down
    to 16 characters, before any other: one line per row keeps long text from
    burying the table, and JSON has it whole. The last column goes when even that
    is not enough.
    """
    cells = [
        [_safe(cell) if isinstance(cell, Text) else Text(_cell(cell)) for cell in row]
        for row in rows
    ]
    widths = [
        max([len(column), *(cell_width(row[i]) for row in cells)])
        for i, column in enumerate(columns)
    ]
    if wrap:
        widths[-1] = max(20, min(widths[-1], excess_room(widths[:-1]) - 2))
    # Columns are two characters apart.
    excess = sum(widths) + 2 * (len(columns) - 1) - out.width
    if wrap:
        excess = 0
    for index in sorted(range(len(widths)), key=lambda i: -widths[i]):
        if excess <= 0:
            break
        cut = max(0, min(excess, widths[index] - 16))
        widths[index] -= cut
        excess -= cut
    if excess > 0 and len(columns) > 1:
        columns, widths = columns[:-1], widths[:-1]
        cells = [row[:-1] for row in cells]
        natural = max([len(columns[-1]), *(cell_width(row[-1]) for row in cells)])
        widths[-1] = max(widths[-1], min(natural, widths[-1] + excess_room(widths)))
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
    for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
        folds = wrap and index == len(columns) - 1
        table.add_column(
            column, no_wrap=not folds, overflow="fold" if folds else "ellipsis", width=width
        )
    for row in cells:
        table.add_row(*row)
    out.print(table)


def excess_room(widths: Sequence[int]) -> int:
    """Characters left on the line for columns of these widths."""
    return max(0, out.width - sum(widths) - 2 * (len(widths) - 1))


def cell_width(cell: Text) -> int:
    """Return the widest line of a cell."""
    return max((len(line) for line in cell.plain.split("\n")), default=0)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return escape_controls(", ".join(str(item) for item in value))
    return escape_controls(str(value))


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
            from rich.progress import Progress

            self.progress = Progress(console=err, transient=True)
            self.progress.start()
            self.task = self.progress.add_task(self.description, total=total)
        self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def graded_text(value: float | None, indicator: Any) -> Text:
    """A figure coloured by its grade, with a mark that reads without colour."""
    from kbik.indicators import GRADE_COLOURS, GRADE_MARKS

    if value is None:
        return Text("-", style="dim")
    grade = indicator.grade(value)
    return Text(f"{value:g}{GRADE_MARKS[grade]}", style=f"bold {GRADE_COLOURS[grade]}")
