"""``kbik export``: the workspace as an SQLite database."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from kbik.cli.color import _, settings
from kbik.cli.commands.common import (
    NoCacheOption,
    handle_errors,
    load_sessions,
    open_workspace,
)
from kbik.cli.output import say
from kbik.dates import today
from kbik.errors import UsageError
from kbik.i18n import plural


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
    say(f"{path}: {counted(counts, settings.language)}")


def counted(counts: Mapping[str, int], language: str = "en") -> str:
    """Say how many rows each table got: "1 session, 10 attendees, ..."."""

    def said(name: str, count: int) -> str:
        # One call per table, so that pybabel finds each pair of words.
        if name == "sessions":
            return plural(language, "{count} session", "{count} sessions", count)
        if name == "attendance":
            return plural(language, "{count} attendee", "{count} attendees", count)
        if name == "absences":
            return plural(language, "{count} absence", "{count} absences", count)
        if name == "kelurahan_reports":
            return plural(language, "{count} kelurahan entry", "{count} kelurahan entries", count)
        if name == "figures":
            return plural(language, "{count} figure", "{count} figures", count)
        if name == "followups":
            return plural(language, "{count} follow-up", "{count} follow-ups", count)
        return f"{count} {name}"

    return ", ".join(said(name, count) for name, count in counts.items())
