"""Machine-readable output for the CLI layer: JSON and CSV on stdout (no rich)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any


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
