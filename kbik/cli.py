"""The command line: options, printing and exit codes; the work is done in the core modules."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from kbik import __version__
from kbik.errors import KbikError

if TYPE_CHECKING:
    from kbik.status import HistoryLine, StatusRow
    from kbik.workspace import Catalogue, Workspace

app = typer.Typer(
    name="kbik",
    help="Minutes of the weekly KBIK sessions: validate, list, status, new, report.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: rendering it with rich would triple the start-up time of --help.
    rich_markup_mode=None,
)
cache_app = typer.Typer(
    help="Manage the cache of parsed session files.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(cache_app, name="cache")

F = TypeVar("F", bound=Callable[..., Any])


class Format(StrEnum):
    """Output formats shared by the listing commands."""

    table = "table"
    json = "json"
    csv = "csv"


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from kbik.dates import parse_iso

    try:
        return parse_iso(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def date_option(name: str, help: str) -> Any:
    """An option that takes an ISO date."""
    return typer.Option(
        name, parser=_parse_date, metavar="YYYY-MM-DD", help=help, show_default=False
    )


def handle_errors(command: F) -> F:
    """Turn KbikError (and OS errors) into a message on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KbikError as error:
            typer.echo(f"kbik: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            typer.echo(f"kbik: {where}{error.strerror or error}", err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kbik {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "-C",
            "--workspace",
            envvar="KBIK_WORKSPACE",
            metavar="DIR",
            help="Use this workspace instead of searching up for kbik.toml.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Keep KBIK session minutes as Markdown files and report on them."""
    ctx.obj = workspace


def open_workspace(ctx: typer.Context) -> Workspace:
    """Open the workspace named by -C / KBIK_WORKSPACE, else the one around the cwd."""
    from kbik.workspace import Workspace

    return Workspace.open(Path.cwd(), ctx.obj)


NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Parse every file again; do not read or write the cache.")
]


def load_sessions(workspace: Workspace, no_cache: bool) -> Catalogue:
    """Load every session, noting each invalid file on stderr."""
    catalogue = workspace.load(use_cache=not no_cache)
    for path, error in catalogue.invalid:
        from kbik.console import note

        reason = f": {error}" if error else ""
        note(f"{path}: skipped, not a valid session{reason} (see 'kbik validate')")
    return catalogue


@app.command()
@handle_errors
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Session files to check (default: every file under meetings/).", show_default=False
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    output: Annotated[
        str, typer.Option("--format", help="text or json.", metavar="text|json")
    ] = "text",
    no_cache: NoCacheOption = False,
) -> None:
    """Check session files; print 'path:line:col: severity: message' for each problem.

    Exits 1 when an error is found (or, with --strict, a warning).

    Example: kbik validate meetings/2016-05-11.md
    """
    from kbik.output import write_json

    if output not in ("text", "json"):
        raise typer.BadParameter("must be text or json", param_hint="--format")
    workspace = open_workspace(ctx)
    catalogue = workspace.load(_existing_files(paths) if paths else None, use_cache=not no_cache)
    problems = catalogue.all_problems
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if output == "json":
        write_json(
            {
                "files": len(catalogue.files),
                "errors": errors,
                "warnings": warnings,
                "problems": [p.as_dict() for p in problems],
            }
        )
    else:
        for problem in problems:
            typer.echo(problem.format())
        files = len(catalogue.files)
        typer.echo(
            f"{files} file{'s' * (files != 1)} checked: {errors} error"
            f"{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
            err=True,
        )
    if errors or (strict and warnings):
        raise typer.Exit(1)


def _existing_files(paths: list[Path]) -> list[Path]:
    from kbik.errors import UsageError

    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    return paths


TeamOption = Annotated[
    int | None, typer.Option("--team", help="Only this team.", metavar="N", show_default=False)
]
KelurahanOption = Annotated[
    str | None,
    typer.Option(
        "--kelurahan", help="Only sessions that report this kelurahan.", show_default=False
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


@app.command("list")
@handle_errors
def list_sessions(
    ctx: typer.Context,
    since: Annotated[dt.date | None, date_option("--since", "From this date on.")] = None,
    until: Annotated[dt.date | None, date_option("--until", "Up to this date.")] = None,
    team: TeamOption = None,
    kelurahan: KelurahanOption = None,
    output: FormatOption = Format.table,
    no_cache: NoCacheOption = False,
) -> None:
    """List the sessions, oldest first.

    --team keeps sessions where the team attended, was absent or reported a kelurahan.

    Example: kbik list --since 2016-05-01 --format json
    """
    from kbik.listing import ListFilter, listing_rows
    from kbik.output import write_csv, write_json

    workspace = open_workspace(ctx)
    catalogue = load_sessions(workspace, no_cache)
    rows = listing_rows(
        catalogue.sessions,
        workspace.config,
        ListFilter(since=since, until=until, team=team, kelurahan=kelurahan),
    )
    if output is Format.json:
        write_json([row.as_dict() for row in rows])
        return
    columns = ("date", "file", "attendees", "absent teams", "kelurahan reported")
    if output is Format.csv:
        write_csv(
            columns,
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
        )
    elif rows:
        from kbik.console import print_table

        print_table(
            columns,
            [
                (
                    row.date.isoformat(),
                    row.path,
                    len(row.attendees),
                    row.absent_teams,
                    _status_counts(row.kelurahan.values()),
                )
                for row in rows
            ],
        )
    else:
        typer.echo("No sessions.", err=True)


def _status_counts(statuses: Iterable[str]) -> str:
    """Summarise statuses as '10: bermasalah 8, bergulir 1, persiapan 1'."""
    counts = Counter(statuses)
    parts = ", ".join(f"{word} {n}" for word, n in counts.most_common())
    return f"{sum(counts.values())}: {parts}" if counts else "0"


@app.command()
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
        ),
    ] = None,
    stale: Annotated[bool, typer.Option("--stale", help="Only stale rows.")] = False,
    kelurahan: Annotated[
        str | None,
        typer.Option(
            "--kelurahan",
            help="Show this kelurahan's history instead of the table.",
            show_default=False,
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
    from kbik.dates import today
    from kbik.errors import NothingToDo, UsageError
    from kbik.names import did_you_mean
    from kbik.status import history, status_rows

    workspace = open_workspace(ctx)
    config = workspace.config
    for word in statuses or ():
        if word.casefold() not in config.statuses:
            raise UsageError(f"unknown status '{word}'{did_you_mean(word, config.statuses)}")
    reports = load_sessions(workspace, no_cache).reports()
    reference = as_of or today()
    rows = status_rows(reports, config, reference)
    if kelurahan is not None:
        name = config.official(kelurahan)
        lines = history([group for group in reports if group[0] <= reference], name)
        if not lines and name not in {row.kelurahan for row in rows}:
            known = [row.kelurahan for row in rows] + list(config.aliases)
            raise NothingToDo(f"no session reports '{kelurahan}'{did_you_mean(kelurahan, known)}")
        _print_history(name, lines, output)
        return
    wanted = {word.casefold() for word in statuses or ()}
    rows = tuple(
        row
        for row in rows
        if (team is None or row.team == team)
        and (not wanted or row.status in wanted)
        and (not stale or row.stale)
    )
    _print_status(rows, output, reference)


def _print_history(name: str, lines: Sequence[HistoryLine], output: Format) -> None:
    from kbik.output import write_csv, write_json

    if output is Format.json:
        write_json(
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
            ]
        )
        return
    columns = ("date", "status", "note", "file")
    if output is Format.csv:
        write_csv(
            columns, [(line.date.isoformat(), line.status, line.note, line.path) for line in lines]
        )
        return
    from kbik.console import print_table, status_text

    print_table(
        columns,
        [(line.date.isoformat(), status_text(line.status), line.note, line.path) for line in lines],
        title=name,
    )
    if not lines:
        typer.echo(f"No session reports {name} yet.", err=True)


def _print_status(rows: Sequence[StatusRow], output: Format, reference: dt.date) -> None:
    from kbik.output import write_csv, write_json
    from kbik.status import JSON_KEYS, summary

    if output is Format.json:
        write_json([row.as_dict() for row in rows])
        return
    if output is Format.csv:
        write_csv(JSON_KEYS, [tuple(row.as_dict().values()) for row in rows])
        return
    from kbik.console import print_table, status_text
    from kbik.palette import REVIVED

    counts, stale = summary(rows)
    caption = ", ".join(f"{word} {n}" for word, n in counts.items())
    caption = f"{len(rows)} kelurahan: {caption or 'none'}; {stale} stale"
    print_table(
        ("kelurahan", "team", "status", "since", "previous", "reported", "stale", "note"),
        [
            (
                row.kelurahan,
                row.team,
                status_text(row.status, REVIVED if row.revived else None),
                row.since,
                row.previous,
                row.last_reported,
                "stale" if row.stale else "",
                row.note,
            )
            for row in rows
        ],
        title=f"Status as of {reference.isoformat()}",
        caption=caption,
    )


@app.command()
@handle_errors
def new(
    ctx: typer.Context,
    date: Annotated[
        dt.date | None,
        date_option(
            "--date", "The session's date (default: the next meeting day on or after today)."
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
    from kbik.console import note
    from kbik.dates import today
    from kbik.files import create_new
    from kbik.scaffold import context, default_date, plan, render_session

    workspace = open_workspace(ctx)
    config = workspace.config
    catalogue = load_sessions(workspace, no_cache)
    target = plan(workspace.root, config, catalogue, date or default_date(today(), config))
    for warning in target.warnings:
        note(f"warning: {warning}")
    text = render_session(workspace.root, config, context(config, catalogue.sessions, target.date))
    create_new(target.path, text)
    typer.echo(workspace.display(target.path))
    if edit:
        from kbik.editor import open_in_editor

        open_in_editor(target.path)


class ReportFormat(StrEnum):
    """Report formats."""

    md = "md"
    html = "html"
    txt = "txt"


class Language(StrEnum):
    """Report languages."""

    id = "id"
    en = "en"


@app.command()
@handle_errors
def report(
    ctx: typer.Context,
    date: Annotated[dt.date | None, date_option("--date", "The session of that date.")] = None,
    since: Annotated[dt.date | None, date_option("--since", "A period from this date.")] = None,
    until: Annotated[dt.date | None, date_option("--until", "A period up to this date.")] = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month", metavar="YYYY-MM", help="The sessions of a month.", show_default=False
        ),
    ] = None,
    output: Annotated[
        ReportFormat, typer.Option("--format", help="md, html or txt (WhatsApp).")
    ] = ReportFormat.md,
    language: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help="Report language (default: 'language' in kbik.toml, else id).",
            show_default=False,
        ),
    ] = None,
    for_team: Annotated[
        int | None,
        typer.Option(
            "--for-team",
            metavar="N",
            help="Start with a hand-over for a team that was absent.",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template", metavar="PATH", help="Render with this template file.", show_default=False
        ),
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write to FILE (atomically) instead of stdout.",
            show_default=False,
        ),
    ] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Render the rangkuman of the latest session, one date, or a period.

    Example: kbik report --date 2016-05-11 --format txt
    """
    from kbik.files import replace_atomically
    from kbik.report import ReportInput, Selection, context, select, template_names
    from kbik.templating import environment, render

    workspace = open_workspace(ctx)
    config = workspace.config
    catalogue = load_sessions(workspace, no_cache)
    sessions = catalogue.sessions
    selected, period = select(sessions, Selection(date, since, until, month))
    selected = workspace.with_bodies(selected)
    lang = language.value if language else config.language
    source = ReportInput(
        config,
        sessions,
        selected,
        period,
        lang,
        for_team,
        tuple(path for path, _ in catalogue.invalid),
    )
    text = render(
        environment(workspace.root, lang),
        template_names(output.value, lang),
        context(source),
        template,
    )
    if out_file is None:
        sys.stdout.write(text)
        return
    replace_atomically(out_file, text)
    typer.echo(str(out_file))


@cache_app.command("clear")
@handle_errors
def cache_clear(ctx: typer.Context) -> None:
    """Delete the workspace's cache of parsed session files.

    Example: kbik cache clear
    """
    from kbik.cache import FOLDER, clear

    workspace = open_workspace(ctx)
    removed = clear(workspace.root)
    typer.echo(f"{'removed' if removed else 'no cache in'} {workspace.root / FOLDER}")


def main() -> None:
    """Run the kbik command line."""
    app(prog_name="kbik")


if __name__ == "__main__":  # pragma: no cover
    main()
