"""Session files that git sees as changed: for ``kbik validate --changed`` and hooks."""

from __future__ import annotations

import subprocess
from pathlib import Path

from kbik.errors import UsageError
from kbik.i18n import N_


def _git(root: Path, *args: str) -> list[str]:
    """Run git; return its output's NUL- or line-separated names, unquoted."""
    try:
        finished = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",  # file names as the file system has them
            check=False,
        )
    except OSError:
        raise UsageError(N_("--changed needs git, which is not installed here")) from None
    if finished.returncode != 0:
        reason = finished.stderr.strip().splitlines()[-1] if finished.stderr.strip() else ""
        raise UsageError(N_("--changed needs a git repository: {reason}"), reason=reason)
    separator = "\0" if "-z" in args else "\n"
    return [name for name in finished.stdout.split(separator) if name]


def changed_session_files(root: Path) -> list[Path]:
    """Session files changed against HEAD (staged or not) and untracked ones, sorted."""
    top = Path(_git(root, "rev-parse", "--show-toplevel")[0])
    has_head = (
        subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "HEAD"],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    # Without a first commit, every file is new.
    if has_head:
        # -z: names as they are; without it git quotes names that are not ASCII.
        changed = _git(root, "diff", "--name-only", "-z", "HEAD", "--", "meetings")
    else:
        changed = _git(root, "ls-files", "-z", "--full-name", "--", "meetings")
    untracked = _git(
        root, "ls-files", "-z", "--full-name", "--others", "--exclude-standard", "--", "meetings"
    )
    meetings = (root / "meetings").resolve()
    paths = {(top / name).resolve() for name in changed + untracked if name.endswith(".md")}
    return sorted(path for path in paths if path.is_file() and path.is_relative_to(meetings))


def in_repository(folder: Path) -> bool:
    """Tell whether a folder lies in a git work tree (False without git)."""
    try:
        finished = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return False
    return finished.returncode == 0 and finished.stdout.strip() == "true"


def init_repository(folder: Path) -> str | None:
    """Run ``git init`` in a folder; return why it failed, or None."""
    try:
        finished = subprocess.run(
            ["git", "init", "-q", str(folder)], capture_output=True, text=True, check=False
        )
    except OSError:
        return "git is not installed here"
    return finished.stderr.strip() or "git init failed" if finished.returncode else None
