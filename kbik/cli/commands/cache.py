"""``kbik cache clear``."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import typer

from kbik.cli.color import _
from kbik.cli.commands.common import (
    handle_errors,
    open_workspace,
)
from kbik.cli.output import say


@handle_errors
def cache_clear(ctx: typer.Context) -> None:
    """Delete the workspace's cache of parsed session files.

    Example: kbik cache clear
    """
    # Imported when run: index would add 12 ms to start-up.
    from kbik.index import FOLDER, clear

    workspace = open_workspace(ctx)
    removed = clear(workspace.root)
    folder = workspace.root / FOLDER
    say(_("removed {path}", path=folder) if removed else _("no cache in {path}", path=folder))
