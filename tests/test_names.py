"""The roster's and the aliases' rules (names.py), as pure functions: each slip named
with the message, the key and the table that kbik.toml's line is looked up by."""

from __future__ import annotations

import pytest

from kbik.names import NameRuleError, hint, official_aliases, official_roster

ROSTER = {"air saga": "Air Saga", "opas indah": "Opas Indah"}


def test_the_roster_keeps_each_official_spelling_by_its_key() -> None:
    assert official_roster([(1, ["Air Saga", "Opas  Indah"]), (2, [])]) == {
        "air saga": "Air Saga",
        "opas indah": "Opas  Indah",
    }
    # The same name twice on one team is one name.
    assert official_roster([(1, ["Air Saga", "Air Saga"])]) == {"air saga": "Air Saga"}


def test_two_roster_names_one_but_for_case_or_spaces_are_an_error() -> None:
    with pytest.raises(NameRuleError) as caught:
        official_roster([(1, ["Air Saga"]), (2, ["air  saga "])])
    error = caught.value
    assert (error.message, error.key, error.table) == (
        "kelurahan 'air  saga ' (team 2) and 'Air Saga' (team 1) are one name but for case "
        "or spaces; write it once",
        "kelurahan",
        "teams",
    )
    assert str(error) == error.message
    with pytest.raises(NameRuleError, match=r"\(team 1\) and 'Air Saga' \(team 2\)"):
        official_roster([(2, ["Air Saga"]), (1, ["Air Saga"])])


def test_an_alias_takes_the_rosters_spelling_and_without_a_roster_its_own_tidied() -> None:
    assert official_aliases({"Opas": "opas  indah"}, ROSTER) == {"opas": "Opas Indah"}
    assert official_aliases({" Tua tunu ": "Tua  Tunu Indah"}, {}) == {"tua tunu": "Tua Tunu Indah"}
    # An alias written as its own target, in another case, is no slip.
    assert official_aliases({"AIR SAGA": "Air Saga"}, ROSTER) == {"air saga": "Air Saga"}


@pytest.mark.parametrize(
    "aliases, message",
    [
        ({"Opas": 5}, "alias 'Opas' must name an official kelurahan"),
        ({"Opas": "  "}, "alias 'Opas' must name an official kelurahan"),
        (
            {"Air Saga": "Opas Indah"},
            "alias 'Air Saga' is itself a kelurahan of the roster; an alias is another "
            "spelling of one, and this one would hide it",
        ),
        (
            {"A": "B", "B": "Opas Indah"},
            "alias 'A' points to 'B', which is itself an alias (of 'Opas Indah'): point every "
            "alias to the official name",
        ),
        (
            {"Opas": "Opas Indh"},
            "alias 'Opas' points to 'Opas Indh', which is on no team's kelurahan list (did "
            "you mean 'Opas Indah'?)",
        ),
    ],
)
def test_each_alias_slip_is_said_at_the_alias(aliases, message) -> None:
    with pytest.raises(NameRuleError) as caught:
        official_aliases(aliases, ROSTER)
    assert (caught.value.message, caught.value.key, caught.value.table) == (
        message,
        next(iter(aliases)),
        "aliases",
    )


def test_a_hint_is_said_in_the_language_of_its_message_and_only_when_a_name_is_close() -> None:
    found = hint("Air Sag", ["Air Saga", "Opas Indah"])
    assert str(found) == " (did you mean 'Air Saga'?)"
    assert found("id") == " (maksudnya 'Air Saga'?)"
    assert hint("Zzzz", ["Air Saga", "Opas Indah"]) == ""
    assert hint("Air Sag", []) == ""
