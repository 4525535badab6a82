"""The pybabel extractor of kbik's command line: a module's own messages, then the help
of every command and option (``pyproject.toml`` maps ``kbik/cli/__init__.py`` to it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer
from babel.messages.extract import extract_python

from kbik.cli import app
from kbik.cli.helps import texts


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Any]:
    """A pybabel extractor: the file's own messages, then the help of kbik's commands."""
    yield from extract_python(fileobj, keywords, comment_tags, options)
    seen: set[str] = set()
    for text in texts(typer.main.get_command(app)):
        if text not in seen:
            seen.add(text)
            yield (0, "N_", text, ["help"])
