"""``kbik templates``: list the templates, or copy a default to edit it."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

from typing import Annotated

import typer

from kbik.cli.color import _
from kbik.cli.commands.common import complete_template, handle_errors, open_workspace
from kbik.cli.output import say


@handle_errors
def templates_list(ctx: typer.Context) -> None:
    """List the templates and where each comes from (workspace or default).

    Example: kbik templates list
    """
    # Imported when run: templating would add 71 ms to start-up.
    from kbik.templating import template_sources

    workspace = open_workspace(ctx)
    for name, (origin, path) in template_sources(workspace.root):
        say(f"{name}\t{_(origin)}: {path}")


@handle_errors
def templates_copy(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="Template to copy, e.g. report.md.j2.",
            autocompletion=complete_template,
        ),
    ],
) -> None:
    """Copy a default template into the workspace's templates/ folder, to edit it.

    Example: kbik templates copy report.txt.j2
    """
    # Imported when run: templating would add 71 ms to start-up.
    from kbik.templating import copy_default

    workspace = open_workspace(ctx)
    say(workspace.display(copy_default(workspace.root, name)))
