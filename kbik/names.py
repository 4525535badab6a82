"""Name matching: case- and space-insensitive keys and "did you mean" hints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from kbik.i18n import N_, Said, message

DID_YOU_MEAN = N_(" (did you mean '{match}'?)")


class NameRuleError(ValueError):
    """A roster or alias rule broken in kbik.toml: the message (a catalog text and its
    values; ``message`` the English), and the key it is at."""

    def __init__(self, text: str, key: str, table: str, **values: object) -> None:
        self.text, self.values, self.key, self.table = text, values, key, table
        self.message = message("en", text, **values)
        super().__init__(self.message)


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


def official_roster(teams: Iterable[tuple[int, Iterable[str]]]) -> dict[str, str]:
    """Each roster kelurahan's official spelling by its name key, from (team, names).

    Two names that are one but for case or spaces are an error: reports would be split
    between them.
    """
    roster: dict[str, tuple[str, int]] = {}
    for number, names in teams:
        for name in names:
            seen = roster.setdefault(name_key(name), (name, number))
            if seen != (name, number):
                raise NameRuleError(
                    N_(
                        "kelurahan '{name}' (team {team}) and '{other}' (team {other_team}) "
                        "are one name but for case or spaces; write it once"
                    ),
                    "kelurahan",
                    "teams",
                    name=name,
                    team=str(number),
                    other=seen[0],
                    other_team=str(seen[1]),
                )
    return {key: name for key, (name, _) in roster.items()}


def official_aliases(value: Mapping[str, Any], roster: Mapping[str, str]) -> dict[str, str]:
    """Each alias's official name, by the alias's name key.

    With a roster, the target must be on it (case and spaces aside) and becomes its
    roster spelling; an alias of a roster name, or one that points to another alias (a
    chain, or a cycle), is an error.
    """
    written_keys = {name_key(written): written for written in value}
    aliases: dict[str, str] = {}
    for written, official in value.items():
        if not isinstance(official, str) or not official.strip():
            raise NameRuleError(
                N_("alias '{alias}' must name an official kelurahan"),
                written,
                "aliases",
                alias=written,
            )
        key, target = name_key(written), name_key(official)
        if key in roster and target != key:
            raise NameRuleError(
                N_(
                    "alias '{alias}' is itself a kelurahan of the roster; an alias is "
                    "another spelling of one, and this one would hide it"
                ),
                written,
                "aliases",
                alias=written,
            )
        other = written_keys.get(target)
        if other is not None and target != key:
            raise NameRuleError(
                N_(
                    "alias '{alias}' points to '{official}', which is itself an alias (of "
                    "'{target}'): point every alias to the official name"
                ),
                written,
                "aliases",
                alias=written,
                official=official,
                target=str(value[other]),
            )
        if roster and target not in roster:
            raise NameRuleError(
                N_(
                    "alias '{alias}' points to '{official}', which is on no team's "
                    "kelurahan list{hint}"
                ),
                written,
                "aliases",
                alias=written,
                official=official,
                hint=hint(official, roster.values()),
            )
        aliases[key] = roster.get(target) or " ".join(official.split())
    return aliases


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
    from rapidfuzz import fuzz, process  # noqa: PLC0415 - 21 ms: for a name no roster has

    keys, by_key = _keyed(tuple(str(candidate) for candidate in candidates))
    found = process.extractOne(name_key(word), keys, scorer=fuzz.ratio, score_cutoff=60)
    return by_key[found[0]] if found else None


def hint(word: str, candidates: Iterable[str]) -> Said | str:
    """``" (did you mean 'x'?)"``, to be said in the language of the message it ends,
    or an empty string."""
    match = suggest(word, candidates)
    return Said(DID_YOU_MEAN, {"match": match}) if match else ""


def did_you_mean(word: str, candidates: Iterable[str], language: str) -> str:
    """Return ``" (did you mean 'x'?)"`` (in a language) or an empty string."""
    match = suggest(word, candidates)
    return message(language, DID_YOU_MEAN, match=match) if match else ""
