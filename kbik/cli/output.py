"""Plain output for the CLI layer: lines, JSON and CSV on stdout (no rich)."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer

from kbik.problems import Problem
from kbik.text import escape_controls

# json.dumps escapes C0 controls but writes C1 controls (U+0080 to U+009F) as they
# are, and a terminal obeys some of them: escape those too.
_C1 = re.compile(r"[\x80-\x9f]")


def say(message: str, *, err: bool = False) -> None:
    """Print a line of output (or, with ``err``, a message), control characters escaped."""
    typer.echo(escape_controls(message), err=err)


def note(message: str) -> None:
    """Print a one-line note on stderr, as plain text, control characters escaped."""
    # Plain text needs no rich console, and making one a note cost seconds over the
    # thousands of notes of an archive of invalid files.
    typer.echo(escape_controls(message, one_line=True), err=True)


def _json(data: Any, indent: int | None = None) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    return _C1.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def write_json(data: Any) -> None:
    """Print JSON, UTF-8 as is, indented."""
    sys.stdout.write(_json(data, indent=2) + "\n")


def write_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print CSV with a header row; lists joined with '; '."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(cell_text(cell, joiner="; ") for cell in row)


def cell_text(value: Any, *, joiner: str = ", ", empty: str = "") -> str:
    """One cell of a table as text: lists joined, booleans as yes/no (not Python's
    True/False), nothing as ``empty``, control characters escaped."""
    if value is None:
        return empty
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        value = joiner.join(map(str, value))
    return escape_controls(str(value))


def write_jsonl(rows: Sequence[Any]) -> None:
    """Print one JSON object per line."""
    for row in rows:
        sys.stdout.write(_json(row) + "\n")


def write_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a Markdown (GitHub) table."""

    def cell(value: Any) -> str:
        return " ".join(cell_text(value).split()).replace("|", "\\|")

    sys.stdout.write("| " + " | ".join(columns) + " |\n")
    sys.stdout.write("|" + "---|" * len(columns) + "\n")
    for row in rows:
        sys.stdout.write("| " + " | ".join(cell(value) for value in row) + " |\n")


def github_annotation(problem: Problem) -> str:
    """Format a problem as a GitHub Actions workflow command (an annotation)."""

    def escape(text: str, *, property_value: bool = False) -> str:
        text = escape_controls(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        if property_value:
            text = text.replace(":", "%3A").replace(",", "%2C")
        return text

    where = [f"file={escape(problem.path, property_value=True)}"]
    if problem.line is not None:
        where.append(f"line={problem.line}")
        if problem.column is not None:
            where.append(f"col={problem.column}")
    where.append(f"title={escape(f'kbik {problem.code}', property_value=True)}")
    return f"::{problem.severity} {','.join(where)}::{escape(problem.message)}"
