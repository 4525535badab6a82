"""Name matching: case- and space-insensitive keys and "did you mean" hints."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Return the form under which two spellings of a name are the same."""
    # Cached: the same names come back in every session, a hundred times per file.
    return " ".join(name.split()).casefold()


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate closest to ``word``, if any is close enough."""
    by_key = {name_key(candidate): candidate for candidate in candidates}
    matches = difflib.get_close_matches(name_key(word), list(by_key), n=1, cutoff=0.6)
    return by_key[matches[0]] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` or an empty string."""
    match = suggest(word, candidates)
    return f" (did you mean '{match}'?)" if match else ""
