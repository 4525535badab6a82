"""The command line: the Typer app, its global options, and its commands assembled.

Each command lives in a module of ``kbik.commands``; the work is done in the core
modules, which never import typer or rich.
"""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import gc
import io
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from kbik import __version__
from kbik.commands import (
    cache,
    config,
    followups,
    init,
    listing,
    new,
    report,
    status,
    templates,
    validate,
)

SETTINGS = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    name="kbik",
    help="Minutes of the weekly KBIK sessions: check, list, track, scaffold and report them.",
    context_settings=SETTINGS,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help: rendering it with rich would triple the start-up time of --help.
    rich_markup_mode=None,
)


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


app.command()(validate.validate)
app.command("list")(listing.list_sessions)
app.command()(status.status)
app.command()(new.new)
app.command()(report.report)
app.command("followups")(followups.followups)
app.command(
    "rktl",
    help="The same as 'kbik followups' (RKTL: rencana kerja tindak lanjut).\n\n"
    "Example: kbik rktl --team 3",
)(followups.followups)
app.command()(init.init)
app.command("config")(config.show_config)
app.command()(config.schema)


def _group(help: str) -> typer.Typer:
    """A command with subcommands, set up like the app."""
    return typer.Typer(
        help=help, context_settings=SETTINGS, no_args_is_help=True, rich_markup_mode=None
    )


templates_app = _group("List the templates, or copy a default one into the workspace to edit it.")
templates_app.command("list")(templates.templates_list)
templates_app.command("copy")(templates.templates_copy)
app.add_typer(templates_app, name="templates")

cache_app = _group("Manage the cache of parsed session files.")
cache_app.command("clear")(cache.cache_clear)
app.add_typer(cache_app, name="cache")


def main() -> None:
    """Run the kbik command line."""
    # A terminal or pipe that cannot show a character (PYTHONIOENCODING=latin-1, say)
    # gets it escaped rather than a crash; a name that was not UTF-8 likewise.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    # A command makes millions of small tuples and no reference cycles to speak of:
    # the cyclic collector would rescan them again and again while a large archive
    # loads (100,000 sessions took half as long again). One command, one process.
    gc.disable()
    if hasattr(signal, "SIGPIPE"):
        # Output piped into `head` ends quietly when head has read enough, as Unix
        # tools do, instead of raising BrokenPipeError at the next write.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app(prog_name="kbik")


if __name__ == "__main__":  # pragma: no cover
    main()
