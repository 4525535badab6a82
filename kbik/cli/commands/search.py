"""``kbik search``: where something was said."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import datetime as dt
import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from kbik.cli.commands.common import (
    KelurahanOption,
    NoCacheOption,
    TeamOption,
    check_team,
    date_option,
    handle_errors,
    load_sessions,
    open_workspace,
)

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator, Mapping, Sequence
    from pathlib import Path

    from kbik.search import Hit
    from kbik.workspace import Catalogue, Workspace


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
    from kbik import cache
    from kbik.search import chunks, find

    workspace = open_workspace(ctx)
    check_team(workspace.config, team)
    catalogue = load_sessions(workspace, no_cache, machine_output=output is not SearchFormat.table)
    kept = _sessions(workspace, catalogue, since, until, team, kelurahan)
    paths = {name: workspace.root / name for name in kept}
    store = catalogue.index
    if store is not None and store.connection and cache.index_words(store, paths, chunks):
        index = store.connection
    else:
        index = _index_now(paths)
    hits = find(index, query, kept.__contains__, {name: day for name, (day, _) in kept.items()})
    if sort is SortOrder.date:
        hits.sort(key=lambda hit: (hit.date or dt.date.min, hit.path, hit.line))
    if not hits:
        raise typer.Exit(1)
    records = [_record(hit, kept[hit.path][1], workspace) for hit in hits]
    if output is SearchFormat.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif output is SearchFormat.jsonl:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        _print_hits(hits)


def _sessions(
    workspace: "Workspace",
    catalogue: "Catalogue",
    since: dt.date | None,
    until: dt.date | None,
    team: int | None,
    kelurahan: str | None,
) -> "dict[str, tuple[dt.date, tuple[str, ...]]]":
    """The sessions to search (path → date and the kelurahan it reports), filtered as
    'kbik list' filters; without --team, from the summaries alone."""
    if team is not None:
        from kbik.listing import ListFilter, listing_rows

        rows = listing_rows(
            catalogue.sessions,
            workspace.config,
            ListFilter(since=since, until=until, team=team, kelurahan=kelurahan),
        )
        return {row.path: (row.date, tuple(row.kelurahan)) for row in rows}
    wanted = workspace.config.official(kelurahan) if kelurahan else None
    found = {}
    for summary in catalogue.summaries:
        if summary.day is None:
            continue
        day = dt.date.fromordinal(summary.day)
        names = tuple(row[0] for row in summary.rows)
        if (since and day < since) or (until and day > until) or (wanted and wanted not in names):
            continue
        found[summary.path] = (day, names)
    return found


def _index_now(paths: "Mapping[str, Path]") -> "sqlite3.Connection":
    """An index of this run only, when the cache is off or unusable."""
    from kbik.search import index_in_memory

    def texts() -> "Iterator[tuple[str, str]]":
        for name, path in paths.items():
            try:
                yield name, path.read_bytes().decode("utf-8", "replace")
            except OSError:
                continue

    return index_in_memory(texts())


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
    from rich.text import Text

    from kbik.cli.console import console
    from kbik.search import END, START

    out = console()
    for hit in hits:
        line = Text(f"{hit.path}:{hit.line}", style="magenta")
        line.append(f"  {hit.date.isoformat() if hit.date else '-'}  ", style="dim")
        bold = False
        for part in hit.snippet.replace(END, START).split(START):
            line.append(part, style="bold red" if bold else "")
            bold = not bold
        out.print(line, soft_wrap=True, highlight=False)
