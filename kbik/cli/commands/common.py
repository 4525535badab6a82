"""What every command shares: options, error handling, loading and printing."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import datetime as dt
import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from kbik.cli.color import _, settings
from kbik.cli.output import note, say, write_csv, write_json, write_jsonl, write_markdown
from kbik.dates import parse_iso
from kbik.errors import KbikError, UsageError
from kbik.names import did_you_mean, name_key

if TYPE_CHECKING:
    from kbik.config import Config
    from kbik.workspace import Catalogue, Workspace


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
    try:
        return parse_iso(value, settings.language)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def date_option(name: str, help: str, *, sessions: bool = False) -> Any:
    """An option that takes an ISO date (with ``sessions``, completed with theirs)."""
    return typer.Option(
        name,
        parser=_parse_date,
        metavar="DATE",
        help=f"{help.rstrip('.')}; YYYY-MM-DD.",
        show_default=False,
        autocompletion=complete_session_date if sessions else None,
    )


def handle_errors(command: F) -> F:
    """Turn KbikError (and OS errors) into a message on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KbikError as error:
            say(f"kbik: {error.message(settings.language)}", err=True)
            raise typer.Exit(error.exit_code) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            say(f"kbik: {where}{error.strerror or error}", err=True)
            raise typer.Exit(2) from None
        finally:
            # The index is closed when the command is done, not left to the collector:
            # the last connection to close folds the write-ahead log back into the
            # database. (Not imported for this: a command that never opened it has
            # nothing to close.)
            workspace = sys.modules.get("kbik.workspace")
            if workspace is not None:
                workspace.close_all()

    return wrapper  # type: ignore[return-value]


def open_workspace(ctx: typer.Context) -> "Workspace":
    """Open the workspace named by -C / KBIK_WORKSPACE, else the one around the cwd."""
    # Imported when run: workspace would add 32 ms to start-up.
    from kbik.workspace import Workspace

    workspace = Workspace.open(Path.cwd(), ctx.obj)
    settings.language = workspace.config.language  # the terminal speaks the group's language
    return workspace


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
    catalogue = load_with_progress(workspace, None, no_cache, machine_output)
    if catalogue.invalid or catalogue.path_problems:
        for problem in catalogue.path_problems:
            note(
                _(
                    "{path}: skipped: {reason} (see 'kbik validate')",
                    path=problem.path,
                    reason=problem.message,
                )
            )
        for path, error in catalogue.invalid:
            reason = f": {error}" if error else ""
            note(
                _(
                    "{path}: skipped, not a valid session{reason} (see 'kbik validate')",
                    path=path,
                    reason=reason,
                )
            )
    return catalogue


def load_with_progress(
    workspace: "Workspace", paths: list[Path] | None, no_cache: bool, machine_output: bool
) -> "Catalogue":
    bar = None
    if not machine_output and sys.stdout.isatty() and sys.stderr.isatty():
        # Imported when run: cli.console would add 30 ms to start-up.
        from kbik.cli.console import ProgressBar

        bar = ProgressBar("Reading sessions")
    try:
        return workspace.load(paths, use_cache=not no_cache, progress=bar)
    finally:
        if bar is not None:
            bar.close()


def _completion_workspace(ctx: typer.Context) -> "Workspace | None":
    """The workspace while the shell asks for completions (-C honoured); None on any
    trouble."""
    try:
        # Imported when run: workspace would add 33 ms to start-up.
        from kbik.workspace import Workspace

        # While completing, Click hands over the option's text, not yet a Path.
        explicit = ctx.find_root().params.get("workspace")
        return Workspace.open(Path.cwd(), Path(explicit) if explicit else None)
    except Exception:  # completion must never break the user's shell
        return None


def _completion_config(ctx: typer.Context) -> "Config | None":
    """The workspace's config while the shell asks for completions; None on any trouble."""
    workspace = _completion_workspace(ctx)
    return workspace.config if workspace else None


def _for_shell(values: list[str]) -> list[str]:
    """Completions as the asking shell inserts them: bash inserts a completion exactly as
    given, so 'Air Salemba' would become two arguments; zsh (through _arguments) and
    fish quote what they insert themselves. Typer names the shell in the variable that
    asks for completions (complete_bash, complete_zsh, ...)."""
    if "bash" not in os.environ.get("_KBIK_COMPLETE", ""):
        return values
    return [re.sub(r"([^\w@%+=:,./-])", r"\\\1", value) for value in values]


def complete_kelurahan(ctx: typer.Context, incomplete: str) -> list[str]:
    """Offer the roster's kelurahan (and aliases) that start with what is typed."""
    config = _completion_config(ctx)
    names = config.known_names if config else ()
    typed = incomplete.replace("\\", "").casefold()  # bash hands over 'Tua\ T' as typed
    return _for_shell([name for name in names if name.casefold().startswith(typed)])


def complete_session_date(ctx: typer.Context, incomplete: str) -> list[str]:
    """Offer the dates of the workspace's sessions (from their file names), latest first."""
    workspace = _completion_workspace(ctx)
    if workspace is None:
        return []
    try:
        names = [Path(name).stem for name, _ in workspace.session_files()[0]]
    except Exception:  # an unreadable folder: nothing to offer, never a broken shell
        return []
    days = {name[:10] for name in names if re.fullmatch(r"\d{4}-\d{2}-\d{2}", name[:10])}
    return sorted((day for day in days if day.startswith(incomplete)), reverse=True)


def complete_template(ctx: typer.Context, incomplete: str) -> list[str]:
    """Offer the names of kbik's default templates."""
    # Imported when run: templating would add 77 ms to start-up.
    from kbik.templating import template_sources

    workspace = _completion_workspace(ctx)
    root = workspace.root if workspace else Path.cwd()
    return [name for name, _ in template_sources(root) if name.startswith(incomplete)]


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
        metavar="NAME",
        help="Only sessions that report this kelurahan.",
        show_default=False,
        autocompletion=complete_kelurahan,
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


def check_team(config: "Config", team: int | None, option: str = "--team") -> None:
    """Refuse a team number that is not on the roster (when there is a roster)."""
    unknown = config.unknown_team(team) if team is not None else None
    if unknown:
        raise UsageError(_("{option} {team}: {problem}", option=option, team=team, problem=unknown))


def check_kelurahan(
    config: "Config", name: str, reported: Callable[[], Iterable[str]], option: str
) -> str:
    """The official name of a kelurahan given to ``option``; a usage error, with a
    did-you-mean, for an empty name or one on no roster and in no session."""
    if not name.strip():
        raise UsageError(
            _("{option} needs a kelurahan's name, e.g. {option} Bacang", option=option)
        )
    official = config.official(name)
    known = [*config.roster_kelurahan, *config.alias_spellings]
    if name_key(official) in {name_key(known_name) for known_name in known}:
        return official
    # Not on the roster: a session may still report it (a warning in validate).
    seen = list(reported())
    if name_key(official) in {name_key(seen_name) for seen_name in seen}:
        return official
    hint = did_you_mean(name, [*known, *seen], config.language)
    raise UsageError(
        _(
            "{option} '{name}': no such kelurahan on the roster or in a session{hint}",
            option=option,
            name=name,
            hint=hint,
        )
    )


def nothing_found(noun: str, filters: Sequence[str]) -> str:
    """Say that nothing was found, and which filters left nothing: 'No sessions for team
    2.' (the noun and filters already in the terminal's language)."""
    if not filters:
        return _("No {things}.", things=noun)
    return _("No {things} {filters}.", things=noun, filters=_(" and ").join(filters))


def emit(
    output: Format,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    records: Sequence[dict[str, Any]],
    *,
    table: Sequence[Sequence[Any]] | None = None,
    table_columns: Sequence[str] | None = None,
    empty: str = "",
    **table_options: Any,
) -> None:
    """Print rows in the chosen format; the table may show richer cells than the rest."""
    if output is Format.json:
        write_json(list(records))
    elif output is Format.jsonl:
        write_jsonl(records)
    elif output is Format.csv:
        write_csv(columns, rows)
    elif output is Format.md:
        write_markdown(columns, rows)
    elif rows:
        # Imported when run: cli.console would add 31 ms to start-up.
        from kbik.cli.console import print_table

        print_table(table_columns or columns, table if table is not None else rows, **table_options)
    else:
        say(empty or _("Nothing to show."), err=True)


class Language(StrEnum):
    """Report languages."""

    id = "id"
    en = "en"
