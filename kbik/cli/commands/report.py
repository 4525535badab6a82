"""``kbik report``: the rangkuman."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kbik.cli.color import _
from kbik.cli.commands.common import (
    Language,
    NoCacheOption,
    check_team,
    complete_team,
    date_option,
    handle_errors,
    load_sessions,
    open_workspace,
)
from kbik.cli.output import say
from kbik.dates import today
from kbik.errors import InvalidSessions, UsageError

if TYPE_CHECKING:
    from jinja2 import Environment


class ReportFormat(StrEnum):
    """Report formats."""

    md = "md"
    html = "html"
    txt = "txt"
    docx = "docx"


@handle_errors
def report(
    ctx: typer.Context,
    date: Annotated[
        dt.date | None, date_option("--date", "The session of that date.", sessions=True)
    ] = None,
    since: Annotated[dt.date | None, date_option("--since", "A period from this date.")] = None,
    until: Annotated[dt.date | None, date_option("--until", "A period up to this date.")] = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            metavar="MONTH",
            help="The sessions of a month (YYYY-MM).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        ReportFormat,
        typer.Option("--format", help="md, html, txt (WhatsApp) or docx (Word; needs -o)."),
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
            metavar="PATH",
            help="Write to PATH (atomically) instead of stdout.",
            show_default=False,
        ),
    ] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Render the rangkuman of the latest session, one date, or a period.

    Example: kbik report --date 2016-05-11 --format txt
    """
    # Imported when run: files, report, templating would add 106 ms to start-up.
    from kbik.files import protected, write_output
    from kbik.report import ReportInput, Selection, context, select, template_names, unfilled
    from kbik.templating import environment, render

    if output is ReportFormat.docx and out_file is None:
        raise UsageError(_("--format docx writes a Word file: give it one, e.g. -o rangkuman.docx"))
    workspace = open_workspace(ctx)
    config = workspace.config
    check_team(config, for_team, "--for-team")
    if out_file is not None:
        reason = protected(workspace.root, out_file, workspace.config.language)
        if reason:
            raise UsageError(
                _(
                    "-o {path}: refused: it {reason}; kbik never writes over it",
                    path=out_file,
                    reason=reason,
                )
            )
    catalogue = load_sessions(workspace, no_cache)
    sessions = catalogue.sessions
    selected, period = select(
        sessions,
        Selection(date, since, until, month, today() if since and not until else None),
        catalogue.invalid_dates(workspace.root),
        config.language,
    )
    selected = workspace.with_bodies(selected)
    if period.single and unfilled(selected[0]):
        raise InvalidSessions(
            _(
                "{path} is not filled in yet (no status, topic or text written): write the "
                "session first",
                path=selected[0].path,
            )
        )
    lang = language.value if language else config.language
    source = ReportInput(
        config,
        sessions,
        selected,
        period,
        lang,
        for_team,
        tuple(path for path, _ in catalogue.invalid),
        tuple(catalogue.reports()),
    )
    env = environment(workspace.root, lang, config.indicators, config.figures)
    values = context(source)
    if output is ReportFormat.docx:
        assert out_file is not None
        write_output(out_file, _word(workspace.root, env, values, lang, template))
        say(str(out_file))
        return
    text = render(env, template_names(output.value, lang), values, template)
    if out_file is None:
        sys.stdout.write(text)
        return
    write_output(out_file, text)
    say(str(out_file))


def _word(
    root: Path, env: "Environment", values: dict[str, Any], lang: str, template: Path | None
) -> bytes:
    """The Word document: the Markdown report's blocks in report.docx (or --template)."""
    # Imported when run: report, templating, word would add 171 ms to start-up.
    from kbik.report import template_names
    from kbik.templating import default_templates, environment, render
    from kbik.word import (
        TEMPLATE,
        blocks,
        board_table,
        office,
        render_docx,
        template_path,
        with_board,
    )

    markdown = render(env, template_names("md", lang), values)
    defaults = default_templates()
    docx = template if template is not None else template_path(root, defaults)
    shown = str(docx.relative_to(root)) if docx.is_relative_to(root) else docx.name
    # A fresh environment: docxtpl switches on autoescaping in the one it is given.
    word_env = environment(root, lang, values["config"].indicators, values["config"].figures)
    found = blocks(markdown)
    table = board_table(values)
    facts = office(values, "".join(run.text for run in found[0].runs) if found else "")
    context = {**values, "blocks": with_board(found, table)}
    return render_docx(
        docx,
        shown,
        context,
        word_env,
        trusted=docx == defaults / TEMPLATE,
        facts=facts,
        board=table,
    )
