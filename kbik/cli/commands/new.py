"""``kbik new``: this week's session file."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import datetime as dt
from typing import Annotated

import typer

from kbik.cli.color import _, settings
from kbik.cli.commands.common import (
    NoCacheOption,
    date_option,
    handle_errors,
    load_sessions,
    open_workspace,
)
from kbik.cli.output import note, say
from kbik.dates import long_date, today
from kbik.editor import open_in_editor


@handle_errors
def new(
    ctx: typer.Context,
    date: Annotated[
        dt.date | None,
        date_option(
            "--date",
            "The session's date (default: the latest meeting day without a session, when it "
            "is at most six days back, else the next meeting day).",
        ),
    ] = None,
    edit: Annotated[
        bool, typer.Option("--edit", help="Open the new file in $VISUAL / $EDITOR.")
    ] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Create this week's session file, carrying last week forward, and print its path.

    Never overwrites: exits 1 when a session for that date exists.

    Example: kbik new --date 2016-05-18
    """
    # Imported when run: files, scaffold would add 116 ms to start-up.
    from kbik.files import create_new
    from kbik.scaffold import context, default_date, plan, render_session

    workspace = open_workspace(ctx)
    config = workspace.config
    catalogue = load_sessions(workspace, no_cache)
    invalid = catalogue.invalid_dates(workspace.root)
    taken = {session.date for session in catalogue.sessions}
    taken |= {meant for _path, meant in invalid if meant}
    chosen = date or default_date(today(), config, taken)
    if date is None and chosen < today():
        note(
            _(
                "for {date}, the latest meeting day without a session",
                date=long_date(chosen, settings.language),
            )
        )
    target = plan(workspace.root, config, catalogue, chosen, invalid)
    for warning in target.warnings:
        note(_("warning: {message}", message=warning))
    text = render_session(workspace.root, config, context(config, catalogue.sessions, target.date))
    create_new(target.path, text)
    say(workspace.display(target.path))
    if edit:
        open_in_editor(target.path)
