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


def test_a_kbik_toml_slip_is_said_in_the_files_language(run, example: Path) -> None:
    config = example / "kbik.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text("stale_after_week = 3\n" + text, encoding="utf-8")
    indonesian = run("status", cwd=example)
    assert indonesian.exit_code == 2
    assert "error: kunci 'stale_after_week' tidak dikenal (maksudnya 'stale_after_weeks'?)" in (
        indonesian.stderr
    )
    english_text = text.replace('language = "id"', 'language = "en"')
    config.write_text("stale_after_week = 3\n" + english_text, encoding="utf-8")
    english = run("status", cwd=example)
    assert "error: unknown key 'stale_after_week' (did you mean 'stale_after_weeks'?)" in (
        english.stderr
    )
    # A language kbik does not have: the environment's, to say so.
    config.write_text(text.replace('language = "id"', 'language = "fr"'), encoding="utf-8")
    wrong = run("status", cwd=example)
    assert "error: language must be one of id, en, not 'fr'" in wrong.stderr


def test_refusals_outside_the_session_files_are_said_in_indonesian(
    run, example: Path, monkeypatch
) -> None:
    said = run("report", "--month", "2016-13", cwd=example)
    assert said.exit_code == 2 and "--month ditulis YYYY-MM, bukan '2016-13'" in said.stderr
    said = run("export", "meetings/x.sqlite", cwd=example)
    assert "ditolak: berkas ini berada di bawah meetings/" in said.stderr
    said = run("templates", "copy", "report.pdf.j2", cwd=example)
    assert "tidak ada templat bawaan 'report.pdf.j2' (maksudnya 'report.md.j2'?)" in said.stderr
    (example / "templates").mkdir()
    (example / "templates" / "report.md.j2").write_text("{{ 1 / 0 }}", encoding="utf-8")
    said = run("report", cwd=example)
    assert "templates/report.md.j2:1: error: templat gagal: ZeroDivisionError" in said.stderr
    monkeypatch.setenv("KBIK_TODAY", "28-10-2026")
    said = run("status", cwd=example)
    assert "KBIK_TODAY: '28-10-2026' bukan tanggal dengan format TTTT-BB-HH" in said.stderr
    monkeypatch.setenv("KBIK_TODAY", "2016-05-12")
    said = run("status", "--as-of", "2016-02-30", cwd=example)
    assert "'2016-02-30' bukan tanggal yang benar: hari atau bulan itu tidak ada" in said.stderr


def test_outside_a_workspace_refusals_follow_the_environment(
    run, tmp_path: Path, monkeypatch
) -> None:
    english = run("status", cwd=tmp_path)
    assert english.exit_code == 2 and "no kbik.toml or meetings/ folder here" in english.stderr
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    indonesian = run("status", cwd=tmp_path)
    assert "tidak ada kbik.toml atau folder meetings/ di sini" in indonesian.stderr


def _help(args: list[str], cwd: Path, **environ: str) -> str:
    """Help as a person sees it: kbik run as a program (the help is put into the
    language when the program starts)."""
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "80", **environ}
    env.pop("KBIK_WORKSPACE", None)
    finished = subprocess.run(
        [sys.executable, "-m", "kbik", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return finished.stdout


def test_help_speaks_the_workspaces_language(example: Path, tmp_path: Path) -> None:
    indonesian = _help(["status", "--help"], example)
    assert "Tampilkan posisi setiap kelurahan, dari semua sesi." in indonesian
    assert "Hanya baris yang lama tidak dilaporkan." in indonesian
    assert "Sesi:" in _help(["--help"], example) and "Laporan:" in _help(["-h"], example)
    # -C names the workspace whose language the help speaks, before or after the command.
    assert "Hitung sesi sampai tanggal ini" in _help(["status", "-h", "-C", str(example)], tmp_path)
    config = example / "kbik.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"id"', '"en"'), encoding="utf-8")
    english = _help(["status", "--help"], example)
    assert "Show where each kelurahan stands, across all sessions." in english
    # Outside a workspace: the environment's language.
    assert "Sessions:" in _help(["--help"], tmp_path, LANG="C.UTF-8")
    assert "Sesi:" in _help(["--help"], tmp_path, LANG="id_ID.UTF-8")
