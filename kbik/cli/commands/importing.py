"""``kbik import``: the rangkuman a group already wrote, as session files."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import sys
from pathlib import Path
from typing import Annotated

import typer

from kbik.cli.color import _, settings
from kbik.cli.commands.common import handle_errors, open_workspace
from kbik.cli.output import say
from kbik.errors import KbikError, NothingToDo


@handle_errors
def import_sessions(
    ctx: typer.Context,
    sources: Annotated[
        list[Path],
        typer.Argument(
            metavar="SOURCE...",
            help="Rangkuman: text or Markdown, a WhatsApp export (.txt or .zip), or Word.",
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be written; write nothing.")
    ] = False,
) -> None:
    """Read rangkuman already written into session files, one per rangkuman.

    A text, Markdown or Word file holds one; from a WhatsApp chat export, the messages
    that are a rangkuman are taken, and the chatter around them is left.

    The writer's text becomes the session's body, word for word; the front matter holds
    only what the text says for certain (date, who guided and wrote, teams present and
    absent, each kelurahan's status, figures), and what it says less certainly is left
    as '# kbik import:' comments to confirm. Never replaces or merges into a session.

    Example: kbik import rangkuman-2016-05-11.txt
    """
    # Imported when run: documents, files, importing, sessions would add 109 ms to start-up.
    from kbik.documents import parse_document
    from kbik.files import create_new
    from kbik.importing import Draft, extract, read_source, session_text
    from kbik.sessions import build_session

    workspace = open_workspace(ctx)
    config = workspace.config
    catalogue = workspace.load()
    taken = {session.date: session.path for session in catalogue.sessions}
    found: list[Draft] = []
    written: list[str] = []
    skipped: list[str] = []
    failed: list[str] = []
    for source in sources:
        shown = str(source)
        try:
            found_here = read_source(source)
        except (OSError, KbikError) as error:
            failed.append(shown)
            if isinstance(error, KbikError):
                reason = error.message(settings.language)
            else:
                reason = error.strerror or str(error)
            say(f"{shown}: {reason}", err=True)
            continue
        if not found_here:
            say(_("{path}: no rangkuman found in it", path=shown), err=True)
        for rangkuman in found_here:
            origin = rangkuman.origin
            draft = extract(rangkuman.text, config, rangkuman.sent, rangkuman.sender)
            found.append(draft)
            if draft.date is None:
                skipped.append(origin)
                say(
                    _(
                        "{origin}: no date written in the text (e.g. 'Rabu, 11 Mei 2016'); skipped",
                        origin=origin,
                    ),
                    err=True,
                )
                continue
            target = workspace.root / "meetings" / f"{draft.date.isoformat()}.md"
            existing = taken.get(draft.date) or (
                workspace.display(target) if target.exists() else None
            )
            content = session_text(draft, config)
            if existing is not None:
                skipped.append(origin)
                same = (workspace.root / existing).read_text(encoding="utf-8") == content
                said = (
                    _("{origin}: a session of {date} exists: {path}; imported already, nothing new")
                    if same
                    else _("{origin}: a session of {date} exists: {path}; left alone")
                )
                say(said.format(origin=origin, date=draft.date, path=existing), err=True)
                continue
            name = workspace.display(target)
            document = parse_document(content.encode(), name, config.language)
            session, problems = build_session(document, config)
            errors = [p for p in problems if p.severity == "error"]
            if session is None or errors:
                failed.append(origin)
                say(
                    _(
                        "{origin}: would make an invalid session: {problem}",
                        origin=origin,
                        problem=errors[0].message,
                    ),
                    err=True,
                )
                continue
            if dry_run:
                sys.stdout.write(f"# {name}\n{content}\n")
            else:
                try:
                    create_new(target, content)
                except NothingToDo:
                    skipped.append(origin)
                    say(
                        _("{origin}: {path} exists already; left alone", origin=origin, path=name),
                        err=True,
                    )
                    continue
                say(name)
            written.append(origin)
            taken[draft.date] = name
    # Imported when run: importing would add 89 ms to start-up.
    from kbik.importing import summary

    said = summary(found, written, skipped, settings.language)
    say(_("dry run: {summary}", summary=said) if dry_run else said, err=True)
    if failed:
        raise typer.Exit(1)
