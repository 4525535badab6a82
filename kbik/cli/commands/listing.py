"""``kbik list``: the sessions, oldest first."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import datetime as dt
from collections.abc import Mapping
from typing import Annotated

import typer

from kbik.cli.color import _
from kbik.cli.commands.common import (
    Format,
    FormatOption,
    KelurahanOption,
    NoCacheOption,
    TeamOption,
    check_team,
    date_option,
    emit,
    handle_errors,
    load_sessions,
    nothing_found,
    open_workspace,
)


@handle_errors
def list_sessions(
    ctx: typer.Context,
    since: Annotated[dt.date | None, date_option("--since", "From this date on.")] = None,
    until: Annotated[dt.date | None, date_option("--until", "Up to this date.")] = None,
    team: TeamOption = None,
    kelurahan: KelurahanOption = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            metavar="KEY=VALUE",
            show_default=False,
            help="Only sessions whose front matter has VALUE under KEY (repeatable).",
        ),
    ] = None,
    output: FormatOption = Format.table,
    no_cache: NoCacheOption = False,
) -> None:
    """List the sessions, oldest first.

    --team keeps sessions where the team attended, was absent or reported a kelurahan.

    Example: kbik list --since 2016-05-01 --format json
    """
    # Imported when run: listing would add 31 ms to start-up.
    from kbik.listing import ListFilter, check_where, listing_rows

    conditions = tuple(_where(text) for text in where or ())
    for key, _value in conditions:
        check_where(key)
    workspace = open_workspace(ctx)
    check_team(workspace.config, team)
    catalogue = load_sessions(workspace, no_cache, machine_output=output is not Format.table)
    rows = listing_rows(
        catalogue.sessions,
        workspace.config,
        ListFilter(since=since, until=until, team=team, kelurahan=kelurahan, where=conditions),
    )
    emit(
        output,
        ("date", "file", "attendees", "absent teams", "kelurahan reported"),
        [
            (
                row.date.isoformat(),
                row.path,
                len(row.attendees),
                row.absent_teams,
                [f"{name}: {status}" for name, status in row.kelurahan.items()],
            )
            for row in rows
        ],
        [row.as_dict() for row in rows],
        table=[
            (
                row.date.isoformat(),
                row.path,
                len(row.attendees),
                row.absent_teams,
                _by_status(row.kelurahan),
            )
            for row in rows
        ],
        table_columns=("date", "file", "present", "absent", "kelurahan reported"),
        wrap=("kelurahan reported",),
        empty=nothing_found(
            _("sessions"),
            [
                *([_("since {date}", date=since.isoformat())] if since else []),
                *([_("until {date}", date=until.isoformat())] if until else []),
                *([_("for team {team}", team=team)] if team is not None else []),
                *([_("that report {kelurahan}", kelurahan=kelurahan)] if kelurahan else []),
                *(_("with {key}={value}", key=key, value=value) for key, value in conditions),
            ],
        ),
    )


def _where(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise typer.BadParameter(_("'{value}' is not KEY=VALUE", value=text), param_hint="--where")
    return key.strip(), value


def _by_status(reported: Mapping[str, str]) -> str:
    """The kelurahan reported, a line per status: 'bermasalah: Keramat, Opas Indah'."""
    names: dict[str, list[str]] = {}
    for name, status in reported.items():
        names.setdefault(status, []).append(name)
    return "\n".join(f"{status}: {', '.join(group)}" for status, group in names.items()) or "-"
