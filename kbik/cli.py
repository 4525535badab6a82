"""The command line: options, printing and exit codes; the work is done in the core modules.

No ``from __future__ import annotations`` here: Typer reads the parameters'
annotations on every run, and string annotations would be compiled each time.
"""

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
    from collections.abc import Mapping

    from kbik.config import Config
    from kbik.indicators import Indicator
    from kbik.model import Problem
    from kbik.status import HistoryLine, StatusRow
    from kbik.workspace import Catalogue, Workspace

app = typer.Typer(
    name="kbik",
    help="Minutes of the weekly KBIK sessions: check, list, track, scaffold and report them.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
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


class ValidateFormat(StrEnum):
    """Output formats of validate."""

    text = "text"
    json = "json"
    github = "github"


class Format(StrEnum):
    """Output formats shared by the listing commands."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"


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


def open_workspace(ctx: typer.Context) -> "Workspace":
    """Open the workspace named by -C / KBIK_WORKSPACE, else the one around the cwd."""
    from kbik.workspace import Workspace

    return Workspace.open(Path.cwd(), ctx.obj)


NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Parse every file again; do not read or write the cache.")
]


def load_sessions(
    workspace: "Workspace", no_cache: bool, *, machine_output: bool = False
) -> "Catalogue":
    """Load every session, noting each invalid file on stderr.

    Reading many files shows a progress bar on a terminal, never when the output
    is piped or meant for a program.
    """
    catalogue = _load_with_progress(workspace, None, no_cache, machine_output)
    for path, error in catalogue.invalid:
        from kbik.console import note

        reason = f": {error}" if error else ""
        note(f"{path}: skipped, not a valid session{reason} (see 'kbik validate')")
    return catalogue


def _load_with_progress(
    workspace: "Workspace", paths: list[Path] | None, no_cache: bool, machine_output: bool
) -> "Catalogue":
    bar = None
    if not machine_output and sys.stdout.isatty() and sys.stderr.isatty():
        from kbik.console import ProgressBar

        bar = ProgressBar("Reading sessions")
    try:
        return workspace.load(paths, use_cache=not no_cache, progress=bar)
    finally:
        if bar is not None:
            bar.close()


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
    changed: Annotated[
        bool,
        typer.Option("--changed", help="Only files changed against git's HEAD, and new ones."),
    ] = False,
    output: Annotated[
        ValidateFormat, typer.Option("--format", help="text, json, or github (annotations).")
    ] = ValidateFormat.text,
    no_cache: NoCacheOption = False,
) -> None:
    """Check session files; print 'path:line:col: severity: message' for each problem.

    Exits 1 when an error is found (or, with --strict, a warning).

    Example: kbik validate meetings/2016-05-11.md
    """
    from kbik.output import github_annotation, write_json

    workspace = open_workspace(ctx)
    if changed:
        from kbik.gitfiles import changed_session_files

        if paths:
            raise typer.BadParameter("give files or --changed, not both", param_hint="--changed")
        paths = changed_session_files(workspace.root)
        if not paths:
            typer.echo("No changed session files.", err=True)
            return
    catalogue = _load_with_progress(
        workspace,
        _existing_files(paths) if paths else None,
        no_cache,
        machine_output=output is not ValidateFormat.text,
    )
    problems = catalogue.all_problems + _followup_problems(workspace, catalogue, paths, no_cache)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if output is ValidateFormat.github:
        for problem in problems:
            typer.echo(github_annotation(problem))
    elif output is ValidateFormat.json:
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


def _followup_problems(
    workspace: "Workspace", catalogue: "Catalogue", paths: list[Path] | None, no_cache: bool
) -> tuple["Problem", ...]:
    """Follow-up warnings for the checked files, judged against every session."""
    from kbik.followups import followup_problems

    context = workspace.load(use_cache=not no_cache) if paths else catalogue
    checked = {item.path for item in catalogue.files}
    found = followup_problems(context.sessions)
    return tuple(
        sorted((p for p in found if p.path in checked), key=lambda p: (p.path, p.line or 0))
    )


def _existing_files(paths: list[Path]) -> list[Path]:
    from kbik.errors import UsageError

    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    return paths


def _completion_config(ctx: typer.Context) -> "Config | None":
    """The workspace's config while the shell asks for completions; None on any trouble."""
    try:
        from kbik.config import find_root, load_config

        explicit = ctx.find_root().params.get("workspace")
        return load_config(find_root(Path.cwd(), explicit))
    except Exception:  # completion must never break the user's shell
        return None


def complete_kelurahan(ctx: typer.Context, incomplete: str) -> list[str]:
    """Offer the roster's kelurahan (and aliases) that start with what is typed."""
    config = _completion_config(ctx)
    names = config.known_names if config else ()
    return [name for name in names if name.casefold().startswith(incomplete.casefold())]


def complete_status(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Offer the workspace's status words, with their descriptions."""
    config = _completion_config(ctx)
    words = config.statuses.items() if config else ()
    return [(word, text) for word, text in words if word.startswith(incomplete.casefold())]


def complete_team(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Offer the roster's team numbers, with their members."""
    config = _completion_config(ctx)
    teams = config.teams if config else ()
    return [
        (str(t.number), ", ".join(t.members)) for t in teams if str(t.number).startswith(incomplete)
    ]


TeamOption = Annotated[
    int | None,
    typer.Option(
        "--team",
        help="Only this team.",
        metavar="N",
        show_default=False,
        autocompletion=complete_team,
    ),
]
KelurahanOption = Annotated[
    str | None,
    typer.Option(
        "--kelurahan",
        help="Only sessions that report this kelurahan.",
        show_default=False,
        autocompletion=complete_kelurahan,
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
    from kbik.listing import ListFilter, check_where, listing_rows

    conditions = tuple(_where(text) for text in where or ())
    for key, _ in conditions:
        check_where(key)
    workspace = open_workspace(ctx)
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
                _status_counts(row.kelurahan.values()),
            )
            for row in rows
        ],
        empty="No sessions.",
    )


def _where(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise typer.BadParameter(f"'{text}' is not KEY=VALUE", param_hint="--where")
    return key.strip(), value


def emit(
    output: Format,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    records: Sequence[dict[str, Any]],
    *,
    table: Sequence[Sequence[Any]] | None = None,
    table_columns: Sequence[str] | None = None,
    empty: str = "Nothing to show.",
    **table_options: Any,
) -> None:
    """Print rows in the chosen format; the table may show richer cells than the rest."""
    from kbik import output as out

    if output is Format.json:
        out.write_json(list(records))
    elif output is Format.jsonl:
        out.write_jsonl(records)
    elif output is Format.csv:
        out.write_csv(columns, rows)
    elif output is Format.md:
        out.write_markdown(columns, rows)
    elif rows:
        from kbik.console import print_table

        print_table(table_columns or columns, table if table is not None else rows, **table_options)
    else:
        typer.echo(empty, err=True)


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
    from kbik.dates import today
    from kbik.errors import NothingToDo, UsageError
    from kbik.names import did_you_mean
    from kbik.status import history, status_rows

    workspace = open_workspace(ctx)
    config = workspace.config
    for word in statuses or ():
        if word.casefold() not in config.statuses:
            raise UsageError(f"unknown status '{word}'{did_you_mean(word, config.statuses)}")
    reports = load_sessions(
        workspace, no_cache, machine_output=output is not Format.table
    ).reports()
    reference = as_of or today()
    rows = status_rows(reports, config, reference)
    if kelurahan is not None:
        name = config.official(kelurahan)
        lines = history([group for group in reports if group[0] <= reference], name)
        if not lines and name not in {row.kelurahan for row in rows}:
            known = [row.kelurahan for row in rows] + list(config.alias_spellings)
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
    _print_status(rows, output, reference, config.indicators if figures else None)


def _print_history(name: str, lines: "Sequence[HistoryLine]", output: Format) -> None:
    if output is Format.table and not lines:
        typer.echo(f"No session reports {name} yet.", err=True)
        return
    from kbik.console import status_text

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
        table=[
            (line.date.isoformat(), status_text(line.status), line.note, line.path)
            for line in lines
        ]
        if output is Format.table
        else None,
        title=name,
    )


def _print_status(
    rows: "Sequence[StatusRow]",
    output: Format,
    reference: dt.date,
    indicators: "Mapping[str, Indicator] | None" = None,
) -> None:
    """Print status rows; with indicators, their latest figures and grades too."""
    from kbik.status import JSON_KEYS, summary

    shown = list(indicators.values()) if indicators else []
    columns = [*JSON_KEYS, *(indicator.name for indicator in shown)]
    plain = [
        (*row.as_dict().values(), *(_graded(row.figures.get(ind.name), ind) for ind in shown))
        for row in rows
    ]
    caption = ""
    table = None
    if output is Format.table:
        from kbik.console import graded_text, status_text
        from kbik.palette import REVIVED

        counts, stale = summary(rows)
        words = ", ".join(f"{word} {n}" for word, n in counts.items())
        caption = f"{len(rows)} kelurahan: {words or 'none'}; {stale} stale"
        # With figures, the run columns (since, previous, stale) make room for them.
        table = [
            (
                row.kelurahan,
                row.team,
                status_text(row.status, REVIVED if row.revived else None),
                *(() if shown else (row.since, row.previous)),
                row.last_reported,
                *(() if shown else ("stale" if row.stale else "",)),
                *(graded_text(row.figures.get(ind.name), ind) for ind in shown),
                row.note,
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
        empty="No kelurahan.",
        title=f"Status as of {reference.isoformat()}",
        caption=caption,
    )


def _graded(value: float | None, indicator: "Indicator") -> str:
    """A figure and its grade for CSV and Markdown: '15 (adequate)'."""
    return "" if value is None else f"{value:g} ({indicator.grade(value)})"


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


def followups(
    ctx: typer.Context,
    team: TeamOption = None,
    kelurahan: Annotated[
        str | None,
        typer.Option(
            "--kelurahan",
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
    from kbik.dates import today
    from kbik.followups import select, track

    workspace = open_workspace(ctx)
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
    columns = ("id", "action", "team", "kelurahan", "due", "session", "done", "overdue")
    rows = [tuple(record[key] for key in columns) for record in records]
    table = None
    if output is Format.table:
        from rich.text import Text

        def state(record: dict[str, Any]) -> Any:
            if record["overdue"]:
                return Text("overdue", style="bold red")
            return f"closed {record['closed']}" if record["closed"] else ""

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
        table_columns=("id", "team", "due", "", "action (kelurahan)"),
        empty="No open follow-ups." if not include_closed else "No follow-ups.",
        title=f"Follow-ups (RKTL) as of {reference.isoformat()}",
        wrap=True,
    )


app.command("followups")(handle_errors(followups))
app.command(
    "rktl",
    help="The same as 'kbik followups' (RKTL: rencana kerja tindak lanjut).\n\n"
    "Example: kbik rktl --team 3",
)(handle_errors(followups))


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
            autocompletion=complete_team,
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
        environment(workspace.root, lang, config.indicators),
        template_names(output.value, lang),
        context(source),
        template,
    )
    if out_file is None:
        sys.stdout.write(text)
        return
    replace_atomically(out_file, text)
    typer.echo(str(out_file))


@app.command()
@handle_errors
def init(
    folder: Annotated[
        Path, typer.Argument(help="Where to make the workspace (default: here).")
    ] = Path("."),
    group: Annotated[str | None, typer.Option("--group", help="Group name, for titles.")] = None,
    city: Annotated[str | None, typer.Option("--city", help="City (kota).")] = None,
    teams: Annotated[
        int | None, typer.Option("--teams", min=0, max=99, help="How many teams.")
    ] = None,
    language: Annotated[Language, typer.Option("--lang", help="Report language.")] = Language.id,
) -> None:
    """Create a workspace: kbik.toml, meetings/, templates/, git and editor files.

    Asks for the group, city and number of teams on a terminal; takes them as
    options otherwise. Never touches an existing kbik.toml.

    Example: kbik init kbik-pangkalpinang --group "KBIK Tim MK" --city Pangkalpinang --teams 7
    """
    from kbik.init import Answers, init_workspace

    if _is_terminal():
        group = group or typer.prompt("Group", default="KBIK")
        city = city if city is not None else typer.prompt("City", default="", show_default=False)
        teams = teams if teams is not None else typer.prompt("Number of teams", default=7, type=int)
    answers = Answers(group or "KBIK", city or None, 7 if teams is None else teams, language.value)
    made, kept = init_workspace(folder, answers)
    for path in made:
        typer.echo(f"created {path}")
    for path in kept:
        typer.echo(f"kept    {path} (exists already)")


def _is_terminal() -> bool:
    """Tell whether someone is there to answer questions."""
    return sys.stdin.isatty()


@app.command("config")
@handle_errors
def show_config(
    ctx: typer.Context,
    output: Annotated[
        Format, typer.Option("--format", help="table, json, jsonl, csv or md.")
    ] = Format.table,
) -> None:
    """Show the effective configuration and the file and line each value comes from.

    Example: kbik config
    """
    from kbik.config import describe

    workspace = open_workspace(ctx)
    rows = describe(workspace.config)
    where = workspace.config.path or f"{workspace.root} (no kbik.toml: defaults)"
    if output is Format.table:
        typer.echo(f"workspace: {workspace.root}\nconfig: {where}")
    emit(
        output,
        ("key", "from", "value"),
        rows,
        [{"key": key, "from": origin, "value": value} for key, origin, value in rows],
    )


@app.command()
@handle_errors
def schema(ctx: typer.Context) -> None:
    """Print a JSON Schema of the session front matter, for editors.

    Status words, kelurahan and team numbers are the workspace's own.

    Example: kbik schema > kbik-schema.json
    """
    from kbik.output import write_json
    from kbik.schema import front_matter_schema

    write_json(front_matter_schema(open_workspace(ctx).config))


templates_app = typer.Typer(
    help="List the templates, or copy a default one into the workspace to edit it.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
@handle_errors
def templates_list(ctx: typer.Context) -> None:
    """List the templates and where each comes from (workspace or default).

    Example: kbik templates list
    """
    from kbik.templating import template_sources

    workspace = open_workspace(ctx)
    for name, origin in template_sources(workspace.root):
        typer.echo(f"{name}\t{origin}")


@templates_app.command("copy")
@handle_errors
def templates_copy(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Template to copy, e.g. report.md.j2.")],
) -> None:
    """Copy a default template into the workspace's templates/ folder, to edit it.

    Example: kbik templates copy report.txt.j2
    """
    from kbik.templating import copy_default

    workspace = open_workspace(ctx)
    typer.echo(workspace.display(copy_default(workspace.root, name)))


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
