"""The workspace as a documented SQLite database, for Datasette, sqlite-utils or a
spreadsheet (``kbik export PATH``): a copy of the index's tables (``kbik.index``),
with tables only an export needs."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kbik.config import Config
from kbik.errors import UsageError
from kbik.files import new_file_mode
from kbik.followups import track
from kbik.i18n import N_
from kbik.index import TABLES
from kbik.indicators import figure_label

if TYPE_CHECKING:
    from kbik.workspace import Catalogue, Source

INTERNAL = ("meta", "tracks", "track_figures")  # the index's own bookkeeping: not exported
# The tables only an export has: what each holds, and its columns.
EXPORT_TABLES = {
    "tables": ("what each table holds", "name TEXT PRIMARY KEY, holds TEXT NOT NULL"),
    "roster": (
        "each team's kelurahan and its faskel (the team's members), as kbik.toml lists them",
        "team INTEGER NOT NULL, kelurahan TEXT NOT NULL, faskel TEXT, "
        "PRIMARY KEY (team, kelurahan)",
    ),
    "figure_labels": (
        "how reports label each figure name in 'figures'",
        "name TEXT PRIMARY KEY, label TEXT NOT NULL",
    ),
    "kelurahan_status": (
        "where each kelurahan stood on the day of the export, as 'kbik status' shows it",
        "as_of TEXT NOT NULL, kelurahan TEXT PRIMARY KEY, team INTEGER, status TEXT, since TEXT, "
        "previous TEXT, last_reported TEXT, stale INTEGER NOT NULL, note TEXT, noted TEXT",
    ),
    "followup_states": (
        "each follow-up, from the session that first listed it: open, or closed when and where",
        "session TEXT NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL, closed TEXT, "
        "closed_in TEXT REFERENCES sessions(path) ON DELETE SET NULL, "
        "PRIMARY KEY (session, position), "
        "FOREIGN KEY (session, position) REFERENCES followups ON DELETE CASCADE",
    ),
}
SQLITE_HEADER = b"SQLite format 3\x00"


COUNTED = ("sessions", "attendance", "absences", "kelurahan_reports", "figures", "followups")

APPLICATION_ID = 0x4B42494B  # "KBIK": PRAGMA application_id marks a kbik export


def check_target(path: Path) -> os.stat_result | None:
    """Refuse a target kbik must not replace: a link, a folder, a device, or a file that
    is not an earlier kbik export (a database of the user's own would lose its tables).
    Return what is there, if anything."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError("{path}: {reason}", path=str(path), reason=reason) from None
    refusal = None
    if stat.S_ISLNK(info.st_mode):
        refusal = N_("{path}: is a link; kbik exports only to a file of its own name")
    elif stat.S_ISDIR(info.st_mode):
        refusal = N_("{path}: is a folder; give a file name, e.g. kbik.sqlite")
    elif not stat.S_ISREG(info.st_mode):
        refusal = N_("{path}: is not a regular file; kbik exports to a database file")
    elif info.st_size and not _is_export(path):
        refusal = N_(
            "{path}: exists and is not a kbik export; kbik replaces only a database it "
            "wrote itself (give another name)"
        )
    if refusal:
        raise UsageError(refusal, path=str(path))
    return info


def _is_export(path: Path) -> bool:
    """Tell whether a file is a database kbik exported, read without changing it."""
    try:
        with open(path, "rb") as stream:
            if stream.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error, ValueError):
        return False
    try:
        if connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
            return True
        # An export from before the mark: exactly kbik's tables.
        tables = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        return tables == {
            "tables",
            "sessions",
            "attendance",
            "absences",
            "kelurahan_reports",
            "figures",
            "followups",
            "followup_kelurahan",
        }
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def export(
    path: Path, source: Source, catalogue: Catalogue, config: Config, as_of: dt.date
) -> dict[str, int]:
    """Write the workspace's index to ``path`` as a new database (atomically): a copy of
    its tables with the sessions that count, and the tables only an export has (what
    each table holds, the roster, where each kelurahan stands, and each follow-up's
    state); return row counts. Errors name ``path``, never the temporary file."""
    info = check_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    temporary: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        os.close(descriptor)
        os.chmod(temporary, stat.S_IMODE(info.st_mode) if info else new_file_mode())
        with contextlib.closing(sqlite3.connect(temporary, isolation_level=None)) as copy:
            source.read(lambda index: index.connection.backup(copy))
            counts = _finish(copy, catalogue, config, as_of)
        check_target(path)  # nothing put there meanwhile that must not be replaced
        os.replace(temporary, path)
    except sqlite3.Error as error:
        said = N_("{path}: cannot write the database: {reason}")
        raise UsageError(said, path=str(path), reason=str(error)) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError("{path}: {reason}", path=str(path), reason=reason) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return counts


def _finish(
    copy: sqlite3.Connection, catalogue: Catalogue, config: Config, as_of: dt.date
) -> dict[str, int]:
    """Make the copy of the index an export: only what counts, and the export's tables."""
    copy.execute("PRAGMA journal_mode = DELETE")  # one file, as it is handed over
    copy.execute("PRAGMA foreign_keys = ON")
    copy.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    copy.execute("BEGIN")
    for table in INTERNAL:
        copy.execute(f"DROP TABLE {table}")
    counted = catalogue.counted
    gone = [(p,) for (p,) in copy.execute("SELECT path FROM sessions") if p not in counted]
    copy.executemany("DELETE FROM sessions WHERE path = ?", gone)  # with all that hangs off them
    for name, (_, columns) in EXPORT_TABLES.items():
        copy.execute(f"CREATE TABLE {name} ({columns}) STRICT")
    copy.executemany(
        "INSERT INTO tables VALUES (?, ?)",
        [(n, holds) for n, (holds, _) in {**TABLES, **EXPORT_TABLES}.items() if n not in INTERNAL],
    )
    copy.executemany(
        "INSERT INTO roster VALUES (?, ?, ?)",
        [
            (team.number, name, "; ".join(team.members) or None)
            for team in config.teams
            for name in team.kelurahan
        ],
    )
    names = [name for (name,) in copy.execute("SELECT DISTINCT name FROM figures ORDER BY name")]
    copy.executemany(
        "INSERT INTO figure_labels VALUES (?, ?)",
        [
            (name, config.indicators[name].label)
            if name in config.indicators
            else (name, figure_label(name, config.figures, config.language))
            for name in names
        ],
    )
    copy.executemany(
        "INSERT INTO kelurahan_status VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                as_of.isoformat(),
                r.kelurahan,
                r.team,
                r.status,
                _iso(r.since),
                r.previous,
                _iso(r.last_reported),
                int(r.stale),
                r.note,
                _iso(r.noted),
            )
            for r in catalogue.status_rows(config, as_of)
        ],
    )
    copy.executemany(
        "INSERT INTO followup_states VALUES (?, ?, ?, ?, ?)",
        [
            (
                s.opened_in,
                s.followup.position,
                "open" if s.is_open else "closed",
                _iso(s.closed),
                s.closed_in,
            )
            for s in track(catalogue.sessions)
        ],
    )
    copy.execute("COMMIT")
    copy.execute("VACUUM")
    return {name: copy.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in COUNTED}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None
