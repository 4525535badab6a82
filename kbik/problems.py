"""The problems found in files: what every command reports, and the one data class a
run needs when it reads every session from the index (``kbik.model`` holds the rest)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kbik.i18n import N_
from kbik.text import escape_controls

Severity = Literal["error", "warning"]
UNREADABLE = N_("cannot read the file")  # how the message of an unreadable file begins


@dataclass(frozen=True)
class Problem:
    """One diagnostic about a file, at a 1-based line and column when known."""

    path: str
    severity: Severity
    code: str
    message: str
    line: int | None = None
    column: int | None = None

    def format(self) -> str:
        """Render as ``path:line:col: severity: message``, control characters escaped."""
        where = escape_controls(self.path, one_line=True)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {escape_controls(self.message, one_line=True)}"

    def as_dict(self) -> dict[str, object]:
        """Return the JSON shape of ``kbik validate --format json``."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
