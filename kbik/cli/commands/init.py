"""``kbik init``: a new workspace."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import sys
from pathlib import Path
from typing import Annotated

import typer

from kbik.cli.color import _, settings
from kbik.cli.commands.common import (
    Language,
    handle_errors,
)
from kbik.cli.output import say
from kbik.errors import UsageError
from kbik.gitfiles import in_repository, init_repository


@handle_errors
def init(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="[PATH]",
            help="Where to make the workspace (default: here).",
            show_default=False,
        ),
    ] = Path("."),
    group: Annotated[
        str | None, typer.Option("--group", metavar="NAME", help="Group name, for titles.")
    ] = None,
    city: Annotated[str | None, typer.Option("--city", metavar="NAME", help="City (kota).")] = None,
    teams: Annotated[
        int | None,
        typer.Option("--teams", min=0, max=99, metavar="N", help="How many teams (0 to 99)."),
    ] = None,
    language: Annotated[Language, typer.Option("--lang", help="Report language.")] = Language.id,
) -> None:
    """Create a workspace: kbik.toml, meetings/, templates/, git and editor files.

    Asks for the group, city and number of teams on a terminal; takes them as
    options otherwise. Never touches an existing kbik.toml.

    Example: kbik init kbik-pangkalpinang --group "KBIK Tim MK" --city Pangkalpinang --teams 7
    """
    # Imported when run: init would add 24 ms to start-up.
    from kbik.init import Answers, init_workspace

    # Said in the language of where it runs (a workspace around it, else the
    # environment's), settled now: not in that of the workspace it is about to make.
    settings.language = settings.language

    for option, value in (("--group", group), ("--city", city)):
        if value is not None and not _is_text(value):
            raise UsageError(
                _("{option} is not valid UTF-8 text: {value}", option=option, value=repr(value))
            )
    if _is_terminal():
        group = group or typer.prompt(_("Group"), default="KBIK")
        if city is None:
            city = typer.prompt(_("City"), default="", show_default=False)
        if teams is None:
            teams = typer.prompt(_("Number of teams"), default=7, type=int)
    answers = Answers(group or "KBIK", city or None, 7 if teams is None else teams, language.value)
    made, kept = init_workspace(folder, answers)
    for path in made:
        say(_("created {path}", path=path))
    for path in kept:
        say(_("kept {path} (exists already)", path=path))
    _git(folder)

    steps = [] if folder.resolve() == Path.cwd().resolve() else [f"cd {folder}"]
    if not in_repository(folder):
        steps.append(_("git init          # validate --changed and the pre-commit hook need git"))
    steps += [
        _("edit kbik.toml: each team's faskel (members) and kelurahan"),
        _("kbik new          # this week's session, in meetings/"),
        _("kbik validate     # check it"),
        _("kbik report       # the rangkuman"),
    ]
    say("\n" + _("Next:") + "\n" + "\n".join(f"  {step}" for step in steps))


def _git(folder: Path) -> None:
    """Offer, on a terminal, to make the new workspace a git repository."""
    if in_repository(folder) or not _is_terminal():
        return
    if typer.confirm(_("Make it a git repository (git init)?"), default=True):
        problem = init_repository(folder)
        say(
            f"git init: {problem}"
            if problem
            else _("created a git repository in {path}", path=folder)
        )


def _is_text(value: str) -> bool:
    """Tell whether an argument is text (bytes that were not UTF-8 arrive as surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_terminal() -> bool:
    """Tell whether someone is there to answer questions."""
    return sys.stdin.isatty()
