"""The command line: the Typer app, its global options, and its commands assembled.

Each command lives in a module of ``kbik.cli.commands``; the work is done in the core
modules, which never import typer or rich.
"""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import io
import os
import shlex
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from kbik import __version__
from kbik.cli.color import Color, language_of, settings
from kbik.cli.commands import (
    cache,
    config,
    export,
    followups,
    importing,
    init,
    listing,
    new,
    report,
    search,
    status,
    templates,
    validate,
)
from kbik.cli.helps import translate
from kbik.cli.output import say
from kbik.i18n import N_, message
from kbik.text import escape_controls, has_controls

SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 120}
SESSIONS, REPORTS, WORKSPACE = N_("Sessions"), N_("Reports"), N_("Workspace")
COMMANDS = N_("Commands")


class PlainGroup(TyperGroup):
    """Plain help (rich would triple the start-up time of --help), with commands in panels
    named in the language of the help (``kbik.cli.helps.translate`` sets it)."""

    language = "en"

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        panels: dict[str, list[tuple[str, str]]] = {}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            panel = getattr(command, "rich_help_panel", None) or COMMANDS
            panels.setdefault(panel, []).append((name, command.get_short_help_str(limit=1000)))
        # Names padded alike, so the summaries line up across the panels.
        width = max((len(name) for rows in panels.values() for name, _ in rows), default=0)
        for panel, rows in panels.items():
            with formatter.section(message(self.language, panel)):
                formatter.write_dl([(name.ljust(width), text) for name, text in rows])


class PlainCommand(TyperCommand):
    """A command whose usage line names a required argument plainly: NAME, not {NAME}."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


app = typer.Typer(
    name="kbik",
    cls=PlainGroup,
    help="Minutes of the weekly KBIK sessions: check, list, track, scaffold and report them.",
    context_settings=SETTINGS,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        say(f"kbik {__version__}")
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
            metavar="PATH",
            help="Use this workspace instead of searching up for kbik.toml.",
            show_default=False,
        ),
    ] = None,
    color: Annotated[
        Color,
        typer.Option(
            "--color",
            help="Colour the output: auto (on a terminal, unless NO_COLOR is set), always, never.",
        ),
    ] = Color.auto,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Keep KBIK session minutes as Markdown files and report on them."""
    ctx.obj = workspace
    settings.color = color
    settings.workspace, settings.chosen = workspace, None  # its language, when first asked


# Each command's one-line summary in 'kbik --help', short enough to stay whole.
app.command(rich_help_panel=SESSIONS, short_help="Create this week's session file.")(new.new)
app.command(rich_help_panel=SESSIONS, short_help="Check session files for mistakes.")(
    validate.validate
)
app.command("list", rich_help_panel=SESSIONS, short_help="List the sessions, oldest first.")(
    listing.list_sessions
)
app.command(rich_help_panel=SESSIONS, short_help="Show where each kelurahan stands.")(status.status)
app.command("followups", rich_help_panel=SESSIONS, short_help="List the open follow-ups (RKTL).")(
    followups.followups
)
app.command(
    "rktl",
    rich_help_panel=SESSIONS,
    short_help="The same as 'kbik followups'.",
    help="The same as 'kbik followups' (RKTL: rencana kerja tindak lanjut).\n\n"
    "Example: kbik rktl --team 3",
)(followups.followups)
app.command(rich_help_panel=SESSIONS, short_help="Find where something was said.")(search.search)
app.command(rich_help_panel=REPORTS, short_help="Render the rangkuman (md, html, txt, docx).")(
    report.report
)
app.command(rich_help_panel=REPORTS, short_help="Write the workspace as an SQLite database.")(
    export.export
)
app.command(
    "import", rich_help_panel=SESSIONS, short_help="Read rangkuman already written into sessions."
)(importing.import_sessions)
app.command(rich_help_panel=WORKSPACE, short_help="Create a workspace.")(init.init)
app.command("config", rich_help_panel=WORKSPACE, short_help="Show the settings and their source.")(
    config.show_config
)
app.command(rich_help_panel=WORKSPACE, short_help="Print a JSON Schema for editors.")(config.schema)


def _group(help: str) -> typer.Typer:
    """A command with subcommands, set up like the app."""
    return typer.Typer(
        help=help,
        cls=PlainGroup,
        context_settings=SETTINGS,
        no_args_is_help=True,
        rich_markup_mode=None,
    )


templates_app = _group("List the templates, or copy a default one into the workspace to edit it.")
templates_app.command("list", short_help="List the templates and where each comes from.")(
    templates.templates_list
)
templates_app.command(
    "copy", cls=PlainCommand, short_help="Copy a default template into the workspace."
)(templates.templates_copy)
app.add_typer(
    templates_app,
    name="templates",
    rich_help_panel=WORKSPACE,
    short_help="List or copy the report templates.",
)

cache_app = _group("Manage the cache of parsed session files.")
cache_app.command("clear", short_help="Delete the cache.")(cache.cache_clear)
app.add_typer(cache_app, name="cache", rich_help_panel=WORKSPACE, short_help="Manage the cache.")


def main() -> None:
    """Run the kbik command line."""
    if sys.stdout is None:  # started with its output closed (kbik status >&-)
        if sys.stderr is not None:
            closed = message(
                _help_language(sys.argv[1:]),
                "standard output is closed, so nothing was done; to discard the output, send "
                "it to /dev/null",
            )
            sys.stderr.write(f"kbik: {closed}\n")
        raise SystemExit(2)
    if sys.stderr is None:  # messages have nowhere to go; the output still does
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    for number, argument in enumerate(sys.argv[1:], start=1):
        # Click repeats a wrong argument in its messages as it is: an escape sequence
        # typed or pasted there would reach the terminal. kbik takes none.
        if has_controls(argument) or "\t" in argument or "\n" in argument:
            refused = message(
                _help_language([]),  # not the arguments: one of them is not to be read
                "argument {number} ('{shown}') holds a control character; kbik takes none",
                number=number,
                shown=escape_controls(argument, one_line=True),
            )
            sys.stderr.write(f"kbik: {refused}\n")
            raise SystemExit(2)
    # A terminal or pipe that cannot show a character (PYTHONIOENCODING=latin-1, say)
    # gets it escaped rather than a crash; a name that was not UTF-8 likewise.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    if hasattr(signal, "SIGPIPE"):
        # Output piped into `head` ends quietly when head has read enough, as Unix
        # tools do, instead of raising BrokenPipeError at the next write.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if os.environ.get("_KBIK_COMPLETE"):
        _completion_globals_first()
    command = typer.main.get_command(app)
    args = global_first(sys.argv[1:])
    if _shows_help(args):
        translate(command, _help_language(args))
    command(args=args, prog_name="kbik")


GROUPS = ("templates", "cache")  # commands that show their help when given nothing more


def _shows_help(args: list[str]) -> bool:
    """Tell whether this run shows a help page (the only time its texts are needed)."""
    words = args[: args.index("--")] if "--" in args else args
    return not words or "-h" in words or "--help" in words or words[-1] in GROUPS


def _help_language(args: list[str]) -> str:
    """The language of a help page: the workspace's (-C, KBIK_WORKSPACE, or around the
    current folder), else the environment's."""
    explicit = os.environ.get("KBIK_WORKSPACE") or None
    for position, argument in enumerate(args):
        if argument in ("-C", "--workspace") and position + 1 < len(args):
            explicit = args[position + 1]
        elif argument.startswith("--workspace="):
            explicit = argument.partition("=")[2]
        elif argument.startswith("-C") and len(argument) > 2:
            explicit = argument[2:]
        elif not argument.startswith("-"):
            break  # the command: what follows is its own
    return language_of(Path(explicit) if explicit else None)


def _completion_globals_first() -> None:
    """Let completion read -C written after the command as a run does: the words the
    shell hands over (Typer's variables) with kbik's own options moved first, the word
    being completed left where it is."""
    words = os.environ.get("COMP_WORDS")  # bash: the words, and which one is typed
    if words is not None:
        typed = int(os.environ.get("COMP_CWORD", "0") or 0)
        split = _split(words)
        if split and 0 < typed <= len(split):
            moved = [split[0], *global_first(split[1:typed]), *split[typed:]]
            os.environ["COMP_WORDS"] = shlex.join(moved)
        return
    line = os.environ.get("_TYPER_COMPLETE_ARGS")  # zsh, fish: the line as typed
    split = _split(line or "")
    if split:
        keep = [] if line and line.endswith(" ") else split[-1:]
        done = split[: len(split) - len(keep)]
        os.environ["_TYPER_COMPLETE_ARGS"] = shlex.join(
            [*done[:1], *global_first(done[1:]), *keep]
        ) + (" " if not keep else "")


def _split(line: str) -> list[str]:
    """Shell words; [] for a line shlex cannot read (an open quote), left as it is."""
    try:
        return shlex.split(line)
    except ValueError:
        return []


GLOBAL = ("-C", "--workspace", "--color")  # kbik's options that take a value, before a command


def global_first(args: list[str]) -> list[str]:
    """The arguments with kbik's own options (-C, --color) moved before the command when
    they were written after it (``kbik status -C ../kota --color never``), as people
    type them; anything after ``--`` stays as it is."""
    position = 0
    while position < len(args) and args[position].startswith("-"):  # up to the command
        position += 2 if args[position] in GLOBAL else 1
    front, rest = args[:position], []
    after = iter(args[position:])
    for argument in after:
        if argument == "--":
            rest += [argument, *after]
            break
        name = argument.partition("=")[0]
        if (name in GLOBAL and "=" in argument) or (name.startswith("-C") and len(name) > 2):
            front.append(argument)
        elif name in GLOBAL:
            front += [argument, *[value for value in [next(after, None)] if value is not None]]
        else:
            rest.append(argument)
    return front + rest


if __name__ == "__main__":  # pragma: no cover
    main()
