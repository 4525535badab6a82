"""The gettext catalogs: complete, compiled, and used by every report."""

from __future__ import annotations

import gettext
import os
import shlex
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from kbik.i18n import LOCALES, STATUS_WORDS, status_word, translations

ROOT = Path(__file__).resolve().parent.parent


def _catalog(language: str):  # type: ignore[no-untyped-def]
    with open(LOCALES / language / "LC_MESSAGES" / "kbik.po", "rb") as file:
        return read_po(file, locale=language)


def _key(message) -> tuple[str | None, str]:  # type: ignore[no-untyped-def]
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str | None, str]]:
    """Every message the code and templates ask for, found as the README's command does."""
    pot = tmp_path_factory.mktemp("pot") / "kbik.pot"
    cwd = Path.cwd()
    os.chdir(ROOT)
    # The README's own command (its keywords: _, n_, message, ...), writing elsewhere.
    line = next(
        line
        for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith(".venv/bin/pybabel extract ")
    )
    words = shlex.split(line)[1:]
    words[words.index("-o") + 1] = str(pot)
    try:
        CommandLineInterface().run(["pybabel", "-q", *words])
    finally:
        os.chdir(cwd)
    with open(pot, "rb") as file:
        return {_key(message) for message in read_po(file) if message.id}


def test_every_message_has_an_indonesian_translation(extracted) -> None:
    catalog = _catalog("id")
    translated = {
        _key(m)
        for m in catalog
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(extracted - translated, key=str)
    assert not missing, f"untranslated in id (see 'Translations' in the README): {missing}"


def test_english_glosses_every_status_word(extracted) -> None:
    glossed = {_key(m): m.string for m in _catalog("en") if m.context == "status"}
    for word in STATUS_WORDS:
        assert glossed.get(("status", word), "").startswith(f"{word} ("), word
    assert {key for key in extracted if key[0] == "status"} <= set(glossed)


def test_the_catalogs_hold_no_message_the_code_no_longer_asks_for(extracted) -> None:
    for language in ("id", "en"):
        stale = {_key(m) for m in _catalog(language) if m.id} - extracted
        assert not stale, f"{language}: run 'pybabel update' ({sorted(stale, key=str)})"


@pytest.mark.parametrize("language", ["id", "en"])
def test_compiled_catalogs_match_their_sources(language: str) -> None:
    """What the shipped .mo answers is what the .po says (or the message itself)."""
    with open(LOCALES / language / "LC_MESSAGES" / "kbik.mo", "rb") as file:
        compiled = gettext.GNUTranslations(file)
    for message in _catalog(language):
        if not message.id:
            continue
        context = message.context
        if isinstance(message.id, str):
            expected = message.string or message.id
            got = (
                compiled.pgettext(context, message.id) if context else compiled.gettext(message.id)
            )
            assert got == expected, (message.id, "run 'pybabel compile -d kbik/locale -D kbik'")
            continue
        one, many = message.id
        for n in (1, 2):
            got = (
                compiled.npgettext(context, one, many, n)
                if context
                else compiled.ngettext(one, many, n)
            )
            if all(message.string):
                want = message.string[min(compiled.plural(n), len(message.string) - 1)]
            else:
                want = one if n == 1 else many
            assert got == want, (message.id, n, "run 'pybabel compile -d kbik/locale -D kbik'")


def test_plurals_and_glosses_come_from_the_catalogs() -> None:
    indonesian, english = translations("id"), translations("en")
    assert isinstance(indonesian, gettext.GNUTranslations)
    assert indonesian.ngettext("%(num)d session", "%(num)d sessions", 1) == "%(num)d sesi"
    assert english.ngettext("%(num)d session", "%(num)d sessions", 1) == "%(num)d session"
    assert english.ngettext("%(num)d session", "%(num)d sessions", 2) == "%(num)d sessions"
    assert status_word("terhenti", "en") == "terhenti (stalled)"
    assert status_word("terhenti", "id") == "terhenti"
    # A word a workspace added to its vocabulary has no gloss, and stays as written.
    assert status_word("dibekukan", "en") == "dibekukan"


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"LANG": "id_ID.UTF-8"}, "id"),
        ({"LANG": "in_ID"}, "id"),  # the old code of Indonesian
        ({"LANGUAGE": "id:en", "LANG": "en_US.UTF-8"}, "id"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
        ({"LANG": "ig_NG"}, "en"),  # Igbo is not Indonesian
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_outside_a_workspace_the_environment_names_the_language(environ, expected) -> None:
    from kbik.i18n import environment_language

    assert environment_language(environ) == expected


def test_the_terminal_speaks_the_workspaces_language(run, multi: Path) -> None:
    spoken = run("status", "--as-of", "2016-05-18", cwd=multi).stdout
    assert "Status per 2016-05-18" in spoken and "1 belum pernah dilaporkan" in spoken
    config = multi / "kbik.toml"
    config.write_text('language = "en"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    english = run("status", "--as-of", "2016-05-18", cwd=multi)
    assert "Status as of 2016-05-18" in english.stdout
    assert "1 never reported; 1 stale" in english.stdout
    assert "skipped, not a valid session" in english.stderr


def test_validate_says_each_slip_in_the_workspaces_language(run, example: Path) -> None:
    (example / "meetings" / "2016-05-18.md").write_text(
        "---\ndate: 2016-05-18\nattendees: [Iwan, Yusron]\nabsent: [6, 7]\nkelurahan:\n"
        "  Keramat: bergulr\n  Bacang:\n    status: bergulir\n    figures: {par: 8%}\n---\n",
        encoding="utf-8",
    )
    said = run("validate", "meetings/2016-05-18.md", cwd=example)
    assert said.exit_code == 1
    lines = said.stdout.splitlines()
    assert (
        "meetings/2016-05-18.md:3:19: error: 'Yusron' tidak ada di daftar (maksudnya 'Yuri'?); "
        "orang baru ditambahkan dulu ke kbik.toml, di anggota sebuah tim (members) atau di "
        "[[people]]"
    ) in lines
    assert any("status 'bergulr' tidak dikenal (maksudnya 'bergulir'?)" in line for line in lines)
    assert any("'par' harus berupa angka: hapus '%' (par: 8)" in line for line in lines)
    assert "kesalahan" in said.stderr and "error" not in said.stderr
