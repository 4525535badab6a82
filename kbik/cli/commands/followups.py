"""``kbik followups`` (``kbik rktl``): the follow-up plan across sessions."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import datetime as dt
from typing import Annotated, Any

import typer

from kbik.cli.color import _
from kbik.cli.commands.common import (
    Format,
    FormatOption,
    NoCacheOption,
    TeamOption,
    check_team,
    complete_kelurahan,
    date_option,
    emit,
    handle_errors,
    load_sessions,
    nothing_found,
    open_workspace,
)
from kbik.dates import today


@handle_errors
def followups(
    ctx: typer.Context,
    team: TeamOption = None,
    kelurahan: Annotated[
        str | None,
        typer.Option(
            "--kelurahan",
            metavar="NAME",
            help="Only follow-ups for this kelurahan.",
            show_default=False,
            autocompletion=complete_kelurahan,
        ),
    ] = None,
    include_closed: Annotated[
        bool, typer.Option("--all", help="Also the closed ones, with when they were closed.")
    ] = False,
    as_of: Annotated[
        dt.date | None,
        date_option(
            "--as-of", "Count sessions up to this date; overdue before it (default: today)."
        ),
    ] = None,
    output: FormatOption = Format.table,
    no_cache: NoCacheOption = False,
) -> None:
    """List the open follow-ups (RKTL) of all sessions, oldest first; overdue ones marked.

    A follow-up is open until a later session lists it again (same id, or same
    action and team) with done: true or done: <date>.

    Example: kbik followups --team 2 --as-of 2016-06-01
    """
    # Imported when run: followups would add 23 ms to start-up.
    from kbik.followups import select, track

    workspace = open_workspace(ctx)
    check_team(workspace.config, team)
    reference = as_of or today()
    catalogue = load_sessions(workspace, no_cache, machine_output=output is not Format.table)
    states = select(
        track(catalogue.sessions, reference),
        workspace.config,
        team=team,
        kelurahan=kelurahan,
        include_closed=include_closed,
    )
    records = [state.as_dict(reference) for state in states]
    columns = (
        "id",
        "action",
        "team",
        "kelurahan",
        "due",
        "session",
        "path",
        "done",
        "closed",
        "closed_in",
        "overdue",
    )
    rows = [tuple(record[key] for key in columns) for record in records]
    table = None
    if output is Format.table:
        # Imported when run: rich.text would add 13 ms to start-up.
        from rich.text import Text

        def state(record: dict[str, Any]) -> Any:
            if record["overdue"]:
                return Text(_("overdue"), style="bold red")
            return _("closed {date}", date=record["closed"]) if record["closed"] else ""

        def action(record: dict[str, Any]) -> Any:
            text = Text(record["action"])
            if record["kelurahan"]:
                text.append(f" ({', '.join(record['kelurahan'])})", style="dim")
            return text

        table = [(r["id"], r["team"], r["due"], state(r), action(r)) for r in records]
    emit(
        output,
        columns,
        rows,
        records,
        table=table,
        table_columns=("id", "team", "due", "state", "action (kelurahan)"),
        empty=nothing_found(
            _("open follow-ups") if not include_closed else _("follow-ups"),
            [
                *([_("for team {team}", team=team)] if team is not None else []),
                *([_("for {kelurahan}", kelurahan=kelurahan)] if kelurahan else []),
            ],
        ),
        title=_("Follow-ups (RKTL) as of {date}", date=reference.isoformat()),
        wrap=("action (kelurahan)",),
    )
