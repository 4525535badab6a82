"""``kbik export``: the workspace as an SQLite database."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from kbik.cli.color import _, n_
from kbik.cli.commands.common import (
    NoCacheOption,
    handle_errors,
    load_sessions,
    open_workspace,
)
from kbik.cli.output import say
from kbik.dates import today
from kbik.errors import UsageError


@handle_errors
def export(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="The database to write, e.g. kbik.sqlite.")
    ],
    no_cache: NoCacheOption = False,
) -> None:
    """Write the workspace to an SQLite database (for Datasette or a spreadsheet).

    It replaces PATH only when PATH is an SQLite database, and writes it whole or not
    at all.

    Example: kbik export kbik.sqlite
    """
    # Imported when run: export, files would add 38 ms to start-up.
    from kbik.export import check_target
    from kbik.export import export as write
    from kbik.files import protected

    workspace = open_workspace(ctx)
    reason = protected(workspace.root, path, workspace.config.language)
    if reason:
        raise UsageError(
            _("{path}: refused: it {reason}; kbik never writes over it", path=path, reason=reason)
        )
    check_target(path)
    # Imported when run: search would add 16 ms to start-up.
    from kbik.search import fill

    catalogue = load_sessions(workspace, no_cache)
    assert catalogue.source is not None
    fill(catalogue.source, catalogue.counted)  # the export holds what the sessions say
    counts = write(path, catalogue.source, catalogue, workspace.config, today())
    say(f"{path}: {counted(counts)}")


def counted(counts: Mapping[str, int]) -> str:
    """Say how many rows each table got: "1 session, 10 attendees, ..."."""
    # A call a table, with its words written out, so that pybabel finds each pair.
    return ", ".join(
        (
            n_("{count} session", "{count} sessions", counts["sessions"]),
            n_("{count} attendee", "{count} attendees", counts["attendance"]),
            n_("{count} absence", "{count} absences", counts["absences"]),
            n_("{count} kelurahan entry", "{count} kelurahan entries", counts["kelurahan_reports"]),
            n_("{count} figure", "{count} figures", counts["figures"]),
            n_("{count} follow-up", "{count} follow-ups", counts["followups"]),
        )
    )
