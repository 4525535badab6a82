"""``kbik status``: where every kelurahan stands."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kbik.cli.color import _, n_
from kbik.cli.commands.common import (
    Format,
    FormatOption,
    NoCacheOption,
    TeamOption,
    check_team,
    complete_kelurahan,
    complete_status,
    date_option,
    emit,
    handle_errors,
    load_sessions,
    nothing_found,
    open_workspace,
)
from kbik.cli.output import note, say
from kbik.dates import today
from kbik.errors import NothingToDo, UsageError
from kbik.i18n import revived as revived_word
from kbik.names import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kbik.config import Config
    from kbik.indicators import Indicator
    from kbik.status import HistoryLine, StatusRow


@handle_errors
def status(
    ctx: typer.Context,
    as_of: Annotated[
        dt.date | None,
        date_option(
            "--as-of",
            "Count sessions up to this date and measure staleness from it (default: today).",
        ),
    ] = None,
    team: TeamOption = None,
    statuses: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="Only rows with this status (repeatable).",
            show_default=False,
            metavar="WORD",
            autocompletion=complete_status,
        ),
    ] = None,
    stale: Annotated[bool, typer.Option("--stale", help="Only stale rows.")] = False,
    figures: Annotated[
        bool,
        typer.Option("--figures", help="Add the latest RR, PAR, LAR, CCr and ROI, graded."),
    ] = False,
    kelurahan: Annotated[
        str | None,
        typer.Option(
            "--kelurahan",
            metavar="NAME",
            help="Show this kelurahan's history instead of the table.",
            show_default=False,
            autocompletion=complete_kelurahan,
        ),
    ] = None,
    output: FormatOption = Format.table,
    no_cache: NoCacheOption = False,
) -> None:
    """Show where each kelurahan stands, across all sessions.

    A kelurahan is stale when never reported, or not for more than
    stale_after_weeks weeks before the reference date.

    Example: kbik status --as-of 2016-05-18 --team 2
    """
    # Imported when run: status would add 23 ms to start-up.
    from kbik.status import history

    workspace = open_workspace(ctx)
    config = workspace.config
    check_team(config, team)
    for word in statuses or ():
        if word.casefold() not in config.statuses:
            hint = did_you_mean(word, config.statuses, config.language)
            raise UsageError(_("unknown status '{word}'{hint}", word=word, hint=hint))
    catalogue = load_sessions(workspace, no_cache, machine_output=output is not Format.table)
    reference = as_of or today()
    rows = catalogue.status_rows(config, reference)
    for head in catalogue.heads:
        if head.day is not None and head.day > reference.toordinal():
            day = dt.date.fromordinal(head.day)
            note(
                _(
                    "{path}: dated {date}, after {today}; left out (see --as-of)",
                    path=head.path,
                    date=day,
                    today=reference,
                )
            )
    if kelurahan is not None:
        reports = catalogue.reports()
        name = config.official(kelurahan)
        lines = history([group for group in reports if group[0] <= reference], name)
        if not lines and name not in {row.kelurahan for row in rows}:
            known = [row.kelurahan for row in rows] + list(config.alias_spellings)
            hint = did_you_mean(kelurahan, known, config.language)
            raise NothingToDo(
                _("no session reports '{kelurahan}'{hint}", kelurahan=kelurahan, hint=hint)
            )
        _print_history(name, lines, output, config)
        return
    wanted = {word.casefold() for word in statuses or ()}
    rows = tuple(
        row
        for row in rows
        if (team is None or row.team == team)
        and (not wanted or row.status in wanted)
        and (not stale or row.stale)
    )
    filters = [_("in team {team}", team=team)] if team is not None else []
    if wanted:
        filters.append(_("with status {words}", words=_(" or ").join(sorted(wanted))))
    if stale:
        filters.append(_("that are stale"))
    _print_status(
        rows,
        output,
        reference,
        config.language,
        config.indicators if figures else None,
        nothing_found(_("kelurahan"), filters),
    )


def _print_history(
    name: str, lines: "Sequence[HistoryLine]", output: Format, config: "Config"
) -> None:
    if output is Format.table:
        _print_timeline(name, lines, config)
        return
    emit(
        output,
        ("date", "status", "note", "file"),
        [(line.date.isoformat(), line.status, line.note, line.path) for line in lines],
        [
            {
                "kelurahan": name,
                "date": line.date.isoformat(),
                "status": line.status,
                "note": line.note,
                "team": line.team,
                "path": line.path,
            }
            for line in lines
        ],
    )


def _print_timeline(name: str, lines: "Sequence[HistoryLine]", config: "Config") -> None:
    """One line per change of status: when, from what, how long, who reported it."""
    if not lines:
        say(_("No session reports {kelurahan} yet.", kelurahan=name), err=True)
        return
    # Imported when run: rich.text, cli.console, status would add 52 ms to start-up.
    from rich.text import Text

    from kbik.cli.console import print_table, status_text
    from kbik.status import timeline

    revived = revived_word(config.language)
    rows = []
    for stretch in timeline(lines):
        change = Text(f"{stretch.before} → " if stretch.before else "")
        change.append_text(status_text(stretch.status))
        if stretch.revived:
            change.append(f" ({revived})")
        if stretch.reports > 1:
            until = stretch.until.isoformat()
            change.append(_(", {times}× to {date}", times=stretch.reports, date=until), style="dim")
        team = config.team(stretch.team) if stretch.team is not None else None
        who = _("team {team}", team=stretch.team) if stretch.team is not None else "-"
        if team and team.members:
            who += f" ({', '.join(team.members)})"
        rows.append((stretch.since.isoformat(), change, who, stretch.note, stretch.path))
    print_table(
        ("since", "status", "reported by", "note", "file"),
        rows,
        title=name,
        wrap=("status", "note"),
        optional=("file", "note"),
    )


def _print_status(
    rows: "Sequence[StatusRow]",
    output: Format,
    reference: dt.date,
    language: str,
    indicators: "Mapping[str, Indicator] | None" = None,
    empty: str = "No kelurahan.",
) -> None:
    """Print status rows; with indicators, their latest figures and grades too."""
    # Imported when run: status would add 23 ms to start-up.
    from kbik.status import JSON_KEYS, summary

    shown = list(indicators.values()) if indicators else []
    columns = [*JSON_KEYS, *(indicator.name for indicator in shown)]
    plain = [
        (*row.as_dict().values(), *(_graded(row.figures.get(ind.name), ind) for ind in shown))
        for row in rows
    ]
    caption = ""
    table = None
    legend = None
    if output is Format.table:
        # Imported when run: cli.console would add 30 ms to start-up.
        from kbik.cli.console import grade_legend, graded_text, status_text

        legend = grade_legend(language) if shown else None
        revived = revived_word(language)

        counts, stale = summary(rows)
        caption = _status_caption(len(rows), counts, stale)
        # With figures, the run columns (since, previous, stale) make room for them.
        table = [
            (
                row.kelurahan,
                row.team,
                status_text(row.status, revived if row.revived else None),
                *(() if shown else (row.since, row.previous)),
                row.last_reported,
                *(() if shown else (_("stale") if row.stale else "",)),
                *(graded_text(row.figures.get(ind.name), ind) for ind in shown),
                _dated_note(row),
            )
            for row in rows
        ]
    emit(
        output,
        columns,
        plain,
        [row.as_dict(indicators) for row in rows],
        table=table,
        table_columns=(
            "kelurahan",
            "team",
            "status",
            *(() if shown else ("since", "previous")),
            "reported",
            *(() if shown else ("stale",)),
            *(ind.label for ind in shown),
            "note",
        ),
        empty=empty,
        title=_("Status as of {date}", date=reference.isoformat()),
        caption=caption,
        wrap=("note",),
        optional=("note", "reported", "team") if shown else ("previous", "since", "note"),
        legend=legend,
    )


def _status_caption(rows: int, counts: "Mapping[str, int]", stale: int) -> str:
    """'10 kelurahan: bergulir 1, bermasalah 7; 2 never reported; 10 stale', in words."""
    words = ", ".join(f"{word} {n}" for word, n in counts.items() if word != "-")
    parts = [_("{count} kelurahan: {words}", count=rows, words=words or _("none"))]
    if counts.get("-"):
        parts.append(n_("{count} never reported", "{count} never reported", counts["-"]))
    parts.append(n_("{count} stale", "{count} stale", stale))
    return "; ".join(parts)


def _dated_note(row: "StatusRow") -> Any:
    """The note with the date it was written, which may be later than 'since'."""
    # Imported when run: rich.text would add 14 ms to start-up.
    from rich.text import Text

    if not row.note:
        return None
    text = Text(row.note)
    if row.noted is not None:
        text.append(f" ({row.noted.isoformat()})", style="dim")
    return text


def _graded(value: float | None, indicator: "Indicator") -> str:
    """A figure and its grade for CSV and Markdown: '15 (adequate)'."""
    return "" if value is None else f"{value:g} ({indicator.grade(value)})"
