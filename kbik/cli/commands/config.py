"""``kbik config`` and ``kbik schema``: the workspace's settings, for people and editors."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

from typing import Annotated

import typer

from kbik.cli.color import _
from kbik.cli.commands.common import (
    Format,
    emit,
    handle_errors,
    open_workspace,
)
from kbik.cli.output import say, write_json


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
    # Imported when run: config would add 17 ms to start-up.
    from kbik.config import describe

    workspace = open_workspace(ctx)
    rows = describe(workspace.config)
    where = workspace.config.path or _("{path} (no kbik.toml: defaults)", path=workspace.root)
    if output is Format.table:
        say(_("workspace: {path}", path=workspace.root) + "\n" + _("config: {path}", path=where))
    shown = rows
    if output is Format.table:  # the machine formats keep the word kbik's tools read
        shown = [(key, _(origin) if origin == "default" else origin, v) for key, origin, v in rows]
    emit(
        output,
        ("key", "from", "value"),
        shown,
        [{"key": key, "from": origin, "value": value} for key, origin, value in rows],
        wrap=("value",),
    )


@handle_errors
def schema(ctx: typer.Context) -> None:
    """Print a JSON Schema of the session front matter, for editors.

    Status words, kelurahan and team numbers are the workspace's own.

    Example: kbik schema > kbik-schema.json
    """
    # Imported when run: schema would add 18 ms to start-up.
    from kbik.schema import front_matter_schema

    write_json(front_matter_schema(open_workspace(ctx).config))
