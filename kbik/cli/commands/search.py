"""``kbik search``: where something was said."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import datetime as dt
import json
import sys
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from kbik.cli.commands.common import (
    KelurahanOption,
    NoCacheOption,
    TeamOption,
    check_kelurahan,
    check_team,
    date_option,
    handle_errors,
    load_sessions,
    open_workspace,
)
from kbik.text import escape_controls

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kbik.search import Hit
    from kbik.workspace import Workspace


class SearchFormat(StrEnum):
    """Search output formats."""

    table = "table"
    json = "json"
    jsonl = "jsonl"


class SortOrder(StrEnum):
    """How hits are ordered."""

    rank = "rank"
    date = "date"


@handle_errors
def search(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help='Words, "a phrase", prefix*, with AND, OR, NOT; any case and accents.',
        ),
    ],
    kelurahan: KelurahanOption = None,
    team: TeamOption = None,
    since: Annotated[dt.date | None, date_option("--since", "From this date on.")] = None,
    until: Annotated[dt.date | None, date_option("--until", "Up to this date.")] = None,
    sort: Annotated[
        SortOrder, typer.Option("--sort", help="rank (best first) or date (oldest first).")
    ] = SortOrder.rank,
    output: Annotated[
        SearchFormat, typer.Option("--format", help="table, json or jsonl.")
    ] = SearchFormat.table,
    no_cache: NoCacheOption = False,
) -> None:
    """Find where something was said, in session bodies and front matter.

    Nothing found: exit 1, as grep does.

    Example: kbik search 'pembukuan AND Bacang' --since 2016-01-01
    """
    # Imported when run: search would add 17 ms to start-up.
    from kbik.search import Where, fts_query, reported, search, with_aliases

    workspace = open_workspace(ctx)
    config = workspace.config
    check_team(config, team)
    where = Where(since, until, config.official(kelurahan) if kelurahan else None)
    fts_query(query, config.language)  # a query that cannot be asked is told first
    machine = output is not SearchFormat.table
    catalogue = load_sessions(workspace, no_cache, machine_output=machine)
    assert catalogue.source is not None
    if kelurahan is not None:

        def named() -> list[str]:
            return [entry.name for s in catalogue.sessions for entry in s.reported]

        name = check_kelurahan(config, kelurahan, named, "--kelurahan")
        where = replace(where, kelurahan=name)
    # A kelurahan's official name finds its aliases too, and an alias its official name.
    groups: dict[str, list[str]] = {name: [name] for name in config.roster_kelurahan}
    for alias in config.alias_spellings:
        groups.setdefault(config.official(alias), [config.official(alias)]).append(alias)
    spellings = groups.get(where.kelurahan, [where.kelurahan]) if where.kelurahan else []
    where = replace(where, names=catalogue.counted, team=team, spellings=spellings)
    widened = with_aliases(query, [group for group in groups.values() if len(group) > 1])
    hits = search(catalogue.source, catalogue.counted, widened, where)
    if sort is SortOrder.date:
        hits.sort(key=lambda hit: (hit.date or dt.date.min, hit.path, hit.line))
    if not hits:
        raise typer.Exit(1)
    if output is SearchFormat.table:
        _print_hits(hits)
        return
    names = reported(catalogue.source, {hit.path for hit in hits})
    records = [_record(hit, names[hit.path], workspace) for hit in hits]
    if output is SearchFormat.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _record(hit: "Hit", reported: "Sequence[str]", workspace: "Workspace") -> dict[str, object]:
    """A hit as JSON: where, when, what, and the kelurahan it names."""
    config = workspace.config
    text = hit.plain_snippet().casefold()
    spellings = [(official, official) for official in reported]
    spellings += [(official, alias) for alias, official in config.aliases.items()]
    named = list(
        dict.fromkeys(
            official
            for official, spelling in spellings
            if official in reported and spelling.casefold() in text
        )
    )
    teams = sorted({team for name in named if (team := config.roster_team(name)) is not None})
    return {
        "path": hit.path,
        "line": hit.line,
        "date": hit.date.isoformat() if hit.date else None,
        "snippet": hit.plain_snippet(),
        "kelurahan": named,
        "teams": teams,
        "rank": round(hit.rank, 4),
    }


def _print_hits(hits: "list[Hit]") -> None:
    """One hit a line: path:line, date, the snippet with its matches in bold."""
    # Imported when run: rich.text, cli.console, search would add 48 ms to start-up.
    from rich.text import Text

    from kbik.cli.console import print_hanging
    from kbik.search import END, START

    for hit in hits:
        line = Text(f"{escape_controls(hit.path, one_line=True)}:{hit.line}", style="magenta")
        line.append(f"  {hit.date.isoformat() if hit.date else '-'}  ", style="dim")
        bold = False
        for part in hit.snippet.replace(END, START).split(START):
            line.append(escape_controls(part, one_line=True), style="bold red" if bold else "")
            bold = not bold
        print_hanging(line)
