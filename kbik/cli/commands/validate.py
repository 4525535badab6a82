"""``kbik validate``: check session files."""

# No ``from __future__ import annotations``: Typer reads the parameters' annotations
# on every run, and string annotations would be compiled each time.

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kbik.cli.color import _, n_
from kbik.cli.commands.common import (
    NoCacheOption,
    ValidateFormat,
    handle_errors,
    load_with_progress,
    open_workspace,
)
from kbik.cli.output import github_annotation, say, write_json
from kbik.errors import UsageError
from kbik.gitfiles import changed_session_files

if TYPE_CHECKING:
    from kbik.problems import Problem
    from kbik.workspace import Catalogue, Workspace


@handle_errors
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Session files to check (default: every file under meetings/).",
            show_default=False,
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
    workspace = open_workspace(ctx)
    if changed:
        if paths:
            raise typer.BadParameter(_("give files or --changed, not both"), param_hint="--changed")
        paths = changed_session_files(workspace.root)
        if not paths:
            say(_("No changed session files."), err=True)
            return
    catalogue = load_with_progress(
        workspace,
        _existing_files(paths) if paths else None,
        no_cache,
        machine_output=output is not ValidateFormat.text,
    )
    problems = catalogue.all_problems + _across_sessions(workspace, catalogue, paths, no_cache)
    if not paths:
        # Imported when run: schema would add 18 ms to start-up.
        from kbik.schema import stale_schema

        stale = stale_schema(workspace.root, workspace.config)
        problems += (stale,) if stale is not None else ()
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if output is ValidateFormat.github:
        for problem in problems:
            say(github_annotation(problem))
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
        # Imported when run: cli.console would add 30 ms to start-up.
        from kbik.cli.console import print_hanging

        for problem in problems:
            print_hanging(problem.format())
        files = n_("{count} file checked", "{count} files checked", len(catalogue.files))
        found = (
            n_("{count} error", "{count} errors", errors),
            n_("{count} warning", "{count} warnings", warnings),
        )
        say(f"{files}: {', '.join(found)}", err=True)
    if errors or (strict and warnings):
        raise typer.Exit(1)


def _across_sessions(
    workspace: "Workspace", catalogue: "Catalogue", paths: list[Path] | None, no_cache: bool
) -> tuple["Problem", ...]:
    """Problems across sessions (follow-ups, a week that looks copied, a status typed
    into kbik new's comment) for the checked files, judged against every session."""
    # Imported when run: followups, sessions, status would add 36 ms to start-up.
    from kbik.followups import followup_problems
    from kbik.sessions import stood_comments
    from kbik.status import changed_comments, copied_weeks, session_reports

    context = workspace.load(use_cache=not no_cache) if paths else catalogue
    checked = {item.path for item in catalogue.files}
    # Only a file with an empty entry can hold kbik new's comment over one.
    stood = {
        session.path: stood_comments(_text(workspace.root / session.path))
        for session in context.sessions
        if session.path in checked and any(e.status is None for e in session.kelurahan)
    }
    language = workspace.config.language
    found = followup_problems(context.sessions, language)
    found += copied_weeks(context.sessions, language)
    found += changed_comments(session_reports(context.sessions), stood, workspace.config)
    return tuple(
        sorted((p for p in found if p.path in checked), key=lambda p: (p.path, p.line or 0))
    )


def _text(file: Path) -> str:
    """A session file's text, or '' when it cannot be read now (it was read before)."""
    try:
        return file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def _existing_files(paths: list[Path]) -> list[Path]:

    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(_("no such file: {paths}", paths=", ".join(missing)))
    odd = [str(path) for path in paths if not path.is_file()]
    if odd:
        raise UsageError(_("not a regular file: {paths}", paths=", ".join(odd)))
    # The same file named twice (F and ./F, relative and absolute, a link) is one file.
    seen: set[tuple[int, int]] = set()
    unique = []
    for path in paths:
        info = path.stat()
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            unique.append(path)
    return unique
