"""Name matching: case- and space-insensitive keys and "did you mean" hints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Return the form under which two spellings of a name are the same."""
    # Cached: the same names come back in every session, a hundred times per file.
    return " ".join(name.split()).casefold()


def resolve_name(
    written: str, aliases: Mapping[str, str], roster: Mapping[str, str]
) -> tuple[str, bool]:
    """The official name of a kelurahan as written, and whether the workspace knows it.

    An alias wins over a roster name of the same spelling (the alias table says what
    a spelling means); both match without regard to case or spacing. An unknown name
    is kept as written, its spaces tidied.
    """
    key = name_key(written)
    official = aliases.get(key) or roster.get(key)
    if official is not None:
        return official, True
    return " ".join(written.split()), False


@lru_cache(maxsize=16)
def _keyed(candidates: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    """The candidates' keys, and each key's first spelling; made once per candidate list."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(name_key(candidate), candidate)
    return list(by_key), by_key


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate closest to ``word``, if any is close enough.

    Close enough is a similarity of 60% or more (difflib's measure), found with
    rapidfuzz, which keeps thousands of unknown names against a roster of
    thousands within a second.
    """
    from rapidfuzz import fuzz, process  # 21 ms to import: only for a name no roster has

    keys, by_key = _keyed(tuple(str(candidate) for candidate in candidates))
    found = process.extractOne(name_key(word), keys, scorer=fuzz.ratio, score_cutoff=60)
    return by_key[found[0]] if found else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` or an empty string."""
    match = suggest(word, candidates)
    return f" (did you mean '{match}'?)" if match else ""
