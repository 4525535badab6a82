"""Terminal output for the CLI layer: rich tables, JSON, CSV and notes on stderr."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kbik.palette import colour

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def note(message: str) -> None:
    """Print a one-line note on stderr, as plain text."""
    err.print(message, markup=False, highlight=False)


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
) -> None:
    """Print rows as a rich table, one line per row; cells may be strings or rich Text.

    The last column gets what is left of the line and is dropped when that is too
    little to read: one line per row keeps long notes from burying the table, and
    JSON has them whole.
    """
    cells = [
        [cell if isinstance(cell, Text) else Text(_cell(cell)) for cell in row] for row in rows
    ]
    widths = [
        max([len(column), *(cell_width(row[i]) for row in cells)])
        for i, column in enumerate(columns)
    ]
    # Each column adds one space of padding on each side, and the box one character
    # between columns and at each edge.
    room = out.width - sum(widths[:-1]) - 2 * (len(columns) - 1)
    if room < 12 and len(columns) > 1:
        columns, widths = columns[:-1], widths[:-1]
        cells = [row[:-1] for row in cells]
    else:
        widths[-1] = min(widths[-1], room)
    table = Table(
        title=title,
        caption=caption,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        title_justify="left",
    )
    for column, width in zip(columns, widths, strict=True):
        table.add_column(column, no_wrap=True, overflow="ellipsis", width=width)
    for row in cells:
        table.add_row(*row)
    out.print(table)


def cell_width(cell: Text) -> int:
    """Return the widest line of a cell."""
    return max((len(line) for line in cell.plain.split("\n")), default=0)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


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
