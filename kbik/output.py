"""Machine-readable output for the CLI layer: JSON and CSV on stdout (no rich)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from kbik.model import Problem


def write_json(data: Any) -> None:
    """Print JSON, UTF-8 as is, indented."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print CSV with a header row; lists joined with '; '."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            "; ".join(map(str, cell))
            if isinstance(cell, list | tuple)
            else ""
            if cell is None
            else cell
            for cell in row
        )


def write_jsonl(rows: Sequence[Any]) -> None:
    """Print one JSON object per line."""
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a Markdown (GitHub) table."""

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            value = ", ".join(map(str, value))
        return " ".join(str(value).split()).replace("|", "\\|")

    sys.stdout.write("| " + " | ".join(columns) + " |\n")
    sys.stdout.write("|" + "---|" * len(columns) + "\n")
    for row in rows:
        sys.stdout.write("| " + " | ".join(cell(value) for value in row) + " |\n")


def github_annotation(problem: Problem) -> str:
    """Format a problem as a GitHub Actions workflow command (an annotation)."""

    def escape(text: str, *, property_value: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
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
