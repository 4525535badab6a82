"""kbik search and kbik export: finding what was said, and the workspace as a database."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import in_english
from hypothesis import given
from hypothesis import strategies as st

from kbik.errors import UsageError
from kbik.search import chunks, fts_query


def _hits(run, cwd: Path, *args: str) -> list[dict]:
    result = run("search", *args, "--format", "json", cwd=cwd)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_word_is_found_in_any_case_and_without_accents(run, example: Path) -> None:
    hits = _hits(run, example, "PEMBUKUAN")
    assert {hit["line"] for hit in hits} >= {12, 54, 123}
    assert all(hit["path"] == "meetings/2016-05-11.md" for hit in hits)
    assert hits[0].keys() >= {"path", "line", "date", "snippet", "kelurahan", "teams", "rank"}
    path = example / "meetings" / "2016-05-11.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Materi", "Matéri"), "utf-8")
    assert _hits(run, example, "materi")[0]["snippet"] == "Matéri"


def test_phrases_prefixes_and_operators(run, example: Path) -> None:
    assert _hits(run, example, '"rapat rutin"')[0]["line"] == 17
    assert run("search", "pembuku", cwd=example).exit_code == 1  # a whole word, unless a prefix
    assert len(_hits(run, example, "pembuku*")) == len(_hits(run, example, "pembukuan"))
    both = _hits(run, example, "Bacang AND pembukuan")
    assert [hit["line"] for hit in both][:2] == [30, 97]
    assert both[0]["snippet"].startswith("Bacang: Identifikasi")
    assert both[1]["kelurahan"] == ["Bacang", "Ketapang", "Ampui"] and both[1]["teams"] == [3]
    without = _hits(run, example, "pembukuan NOT Bacang")
    assert without and not any("Bacang" in hit["snippet"] for hit in without)


def test_a_hit_inside_a_paragraph_names_its_own_line(run, example: Path) -> None:
    # "Terkumpul 12 orang" is on the fourth line of Tim 1's paragraph.
    lines = (example / "meetings" / "2016-05-11.md").read_text(encoding="utf-8").splitlines()
    hit = _hits(run, example, "terkumpul")[0]
    assert "Terkumpul" in lines[hit["line"] - 1]


REFUSED = 'Tulis kata, "sebuah frasa", awalan*, dan AND, OR, NOT di antaranya\n'  # what to write


@pytest.mark.parametrize(
    "query, said",
    [
        ('"rapat', """kbik: tidak bisa mencari '"rapat': ada tanda kutip yang tidak ditutup. """),
        ('rapat "pembukuan', "ada tanda kutip yang tidak ditutup. "),
        ("AND", "kbik: tidak bisa mencari 'AND': pencarian itu tidak sah. "),
        ("pembukuan AND", "pencarian itu tidak sah. "),
        ("(pembukuan", "pencarian itu tidak sah. "),
        ('"a" "b" AND', "pencarian itu tidak sah. "),  # quotes that are all closed
    ],
)
def test_a_malformed_query_says_what_is_wrong(run, example: Path, query: str, said: str) -> None:
    result = run("search", query, cwd=example)
    assert result.exit_code == 2
    assert said in result.stderr and result.stderr.endswith(REFUSED)
    assert "sqlite" not in result.stderr.lower() and "fts5" not in result.stderr


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_asks_for_something_to_search_for(run, example: Path, query: str) -> None:
    result = run("search", query, cwd=example)
    assert result.exit_code == 2
    assert result.stderr == "kbik: tulis yang dicari, misalnya kbik search pembukuan\n"


@pytest.mark.parametrize(
    "query, written",
    [
        ("pembukuan", "pembukuan"),
        ("pembuk*", "pembuk*"),  # a prefix, as FTS5 reads it
        ("Wua-Wua", '"Wua-Wua"'),  # a hyphen: one phrase
        ("BKM/LKM*", '"BKM/LKM" *'),  # a phrase, still a prefix
        ("-", '"-"'),  # a dash alone is no "leave out"
        ('"rapat BKM" OR Bacang', '"rapat BKM" OR Bacang'),
        ("(Bacang OR Keramat) AND pembukuan", "( Bacang OR Keramat ) AND pembukuan"),
        ("x'y", '"x\'y"'),
        ('x"', 'x "'),  # a quote opened at the end stays open: FTS5 says so
        ("XBKM-X*", '"XBKM-X" *'),  # only the '*' is taken off the end
        ("(X OR Y)", "( X OR Y )"),
    ],
)
def test_a_query_is_written_as_fts5_reads_it(query: str, written: str) -> None:
    assert fts_query(query, "en") == written


@pytest.mark.parametrize(
    "query, word", [("-rapat", "rapat"), ("--rapat", "rapat"), ("-x", "x"), ("-X", "X")]
)
def test_a_leading_minus_says_to_write_not(query: str, word: str) -> None:
    with pytest.raises(UsageError) as caught:
        fts_query(query, "en")
    assert f"(e.g. 'pembukuan NOT {word}'), not '-'" in str(caught.value)
    assert f"cannot search for {query!r}" in str(caught.value)


def test_at_most_64_words_operators_and_brackets_aside() -> None:
    words = [f"w{number}" for number in range(64)]
    assert fts_query(" OR ".join(words), "en") == " OR ".join(words)
    assert fts_query("(" + " ".join(words) + ")", "en").startswith("( w0")
    with pytest.raises(UsageError, match="the search has 65 words; kbik searches for at most 64"):
        fts_query(" ".join([*words, "w64"]), "en")


def test_a_malformed_query_on_a_built_index_says_so_once(run, example: Path) -> None:
    """The search run ahead meets the error first, in its thread; only the main thread
    says it, once, and no traceback shows."""
    import subprocess
    import sys

    assert run("search", "pinjaman", cwd=example).exit_code == 0  # the index is built
    result = subprocess.run(
        [sys.executable, "-m", "kbik", "search", '"rapat'],
        cwd=example,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("kbik: tidak bisa mencari") and result.stderr.count("\n") == 1


def test_nothing_found_is_exit_1_without_a_message(run, example: Path) -> None:
    result = run("search", "tidakadadisini", cwd=example)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "")


def test_filters_as_in_list(run, multi: Path) -> None:
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()
    everything = _hits(run, multi, "Tuatunu OR Keramat OR PWK")
    assert {hit["date"] for hit in everything} >= {"2016-05-04", "2016-05-11", "2016-05-18"}
    # A hit is Keramat's when it is in Keramat's entry or its text names it; the
    # PWK of Tuatunu is not.
    by_kelurahan = _hits(run, multi, "Keramat OR PWK OR tunggakan", "--kelurahan", "keramat")
    assert by_kelurahan and all("keramat" in hit["snippet"].casefold() for hit in by_kelurahan)
    assert len(_hits(run, multi, "Keramat OR PWK")) > len(by_kelurahan)
    since = _hits(run, multi, "Tuatunu OR Keramat OR PWK", "--since", "2016-05-10")
    assert {hit["date"] for hit in since} == {"2016-05-11", "2016-05-18"}
    until = _hits(run, multi, "Tuatunu OR Keramat OR PWK", "--until", "2016-05-10")
    assert {hit["date"] for hit in until} == {"2016-05-04"}
    by_date = _hits(run, multi, "Tuatunu OR Keramat OR PWK", "--sort", "date")
    assert [hit["date"] for hit in by_date] == sorted(hit["date"] for hit in by_date)
    assert run("search", "x", "--team", "99", cwd=multi).exit_code == 2


def test_team_and_kelurahan_filter_by_the_section_and_entry_a_hit_is_in(run, multi: Path) -> None:
    (multi / "meetings" / "2016" / "2016-05-04.md").write_text(
        "---\ndate: 2016-05-04\nattendees: [Yuri, Deevan]\nabsent: [4]\nkelurahan:\n"
        "  Tuatunu:\n    status: vakum\n    note: pembukuan belum rapi\n"
        "  Keramat:\n    status: bermasalah\n    note: pembukuan KSM macet\n"
        "followups:\n  - action: Perbaikan pembukuan\n    team: 2\n"
        "---\n\n## Tim 1\n\nPembukuan UPK diperiksa.\n\n## Tim 2\n\nPembukuan di Keramat.\n",
        encoding="utf-8",
    )
    lines = {hit["line"]: hit["snippet"] for hit in _hits(run, multi, "pembukuan", "--team", "2")}
    # Team 2's entry, follow-up and section; never Tim 1's paragraph or Tuatunu's note.
    assert sorted(lines.values()) == [
        "Keramat: pembukuan KSM macet",
        "Pembukuan di Keramat.",
        "Perbaikan pembukuan",
    ]
    by_name = _hits(run, multi, "pembukuan", "--kelurahan", "Tua Tunu Indah")
    assert [hit["snippet"] for hit in by_name] == ["Tuatunu: pembukuan belum rapi"]


def test_an_edit_is_found_at_once_even_with_the_same_size_and_time(run, example: Path) -> None:
    path = example / "meetings" / "2016-05-11.md"
    assert run("search", "silaturahmi", cwd=example).exit_code == 0
    before = path.stat()
    text = path.read_text(encoding="utf-8").replace("silaturahmi", "silaturahim")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert run("search", "silaturahmi", cwd=example).exit_code == 1
    assert run("search", "silaturahim", cwd=example).exit_code == 0


def test_an_unchanged_index_is_searched_while_the_files_are_checked(run, multi: Path) -> None:
    """The query runs on the index as it stands, beside the stamp checks; its hits are
    taken only when the words it searched are of the files as they are now: each answer
    is the one without the index."""
    first = _hits(run, multi, "tuatunu")  # the first search writes the words
    assert _hits(run, multi, "tuatunu") == first
    for extra in (["--since", "2016-05-11"], ["--kelurahan", "Tuatunu"], ["--team", "1"]):
        ahead = _hits(run, multi, "tuatunu", *extra)
        assert ahead == _hits(run, multi, "tuatunu", *extra, "--no-cache")
    path = multi / "meetings" / "2016" / "2016-05-18.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nTuatunu: lumbung\n", "utf-8")
    found = _hits(run, multi, "lumbung")  # the words searched ahead were stale
    assert [hit["path"] for hit in found] == ["meetings/2016/2016-05-18.md"]
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()  # the invalid one: all valid now
    assert _hits(run, multi, "tuatunu") == _hits(run, multi, "tuatunu", "--no-cache")


def test_hits_are_best_first_or_by_date(run, multi: Path) -> None:
    """bm25: a short chunk that says it three times ranks before passing mentions."""
    path = multi / "meetings" / "2016" / "2016-05-04.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nTuatunu, Tuatunu, Tuatunu.\n")
    ranked = _hits(run, multi, "tuatunu")
    assert len(ranked) > 2
    assert ranked[0]["snippet"] == "Tuatunu, Tuatunu, Tuatunu."
    assert [hit["rank"] for hit in ranked] == sorted(hit["rank"] for hit in ranked)
    assert ranked == _hits(run, multi, "tuatunu", "--no-cache")
    by_date = _hits(run, multi, "tuatunu", "--sort", "date")
    assert [(hit["date"], hit["path"], hit["line"]) for hit in by_date] == sorted(
        (hit["date"], hit["path"], hit["line"]) for hit in ranked
    )


def test_search_without_the_cache_finds_the_same(run, example: Path) -> None:
    cached = _hits(run, example, "pinjaman")
    assert _hits(run, example, "pinjaman", "--no-cache") == cached
    assert not (example / ".kbik-cache").exists() or cached


def test_jsonl_and_the_terminal(run, example: Path) -> None:
    lines = run("search", "Salemba", "--format", "jsonl", cwd=example).stdout.splitlines()
    assert len(lines) > 1 and all(json.loads(line)["path"] for line in lines)
    table = run("search", "Salemba", cwd=example).stdout
    assert table.startswith("meetings/2016-05-11.md:") and "Air Salemba" in table


@given(st.text(max_size=300))
def test_chunks_never_fail_and_keep_line_numbers_in_the_file(text: str) -> None:
    found = chunks(text)
    count = len(text.lstrip("\ufeff").splitlines())
    assert all(1 <= line <= max(count, 1) and isinstance(words, str) for line, words, *_ in found)


def test_chunks_of_a_session() -> None:
    text = (
        "---\ndate: 2016-05-11\ntopics:\n  - Pembukuan KSM\nkelurahan:\n  Bacang:\n"
        "    status: bermasalah\n    note: perbaikan pembukuan\n---\n"
        "\nSatu\ndua\n\n## Tim 1\nTiga\n"
    )
    assert chunks(text) == (
        (2, "2016-05-11", None, ()),
        (4, "Pembukuan KSM", None, ()),
        (6, "Bacang", "Bacang", ()),
        (7, "Bacang: bermasalah", "Bacang", ()),
        (8, "Bacang: perbaikan pembukuan", "Bacang", ()),
        (11, "Satu\ndua", None, ()),
        (14, "Tim 1", None, (1,)),
        (15, "Tiga", None, (1,)),
    )


def test_chunks_hold_words_not_yaml_and_the_team_of_each_entry() -> None:
    text = (
        "---\nabsent:\n  - {team: 6, reason: jarak}\nkelurahan:\n"
        "  Keramat: {status: bermasalah, note: tunggakan, figures: {par: 24}, team: 3}\n"
        "followups:\n  - action: Tagih\n    kelurahan: [Keramat]\n    team: 2\n---\n"
        "## Tim 6 dan 7\nJauh.\n"
    )
    assert chunks(text) == (
        (3, "6, jarak", None, (6,)),
        (5, "Keramat bermasalah, tunggakan, par 24, 3", "Keramat", (3,)),
        (7, "Tagih", None, (2,)),
        (8, "Keramat", None, (2,)),
        (9, "2", None, (2,)),
        (11, "Tim 6 dan 7", None, (6, 7)),
        (12, "Jauh.", None, (6, 7)),
    )


def test_export_writes_a_documented_database(run, example: Path) -> None:
    target = example / "out" / "kbik.sqlite"
    result = run("export", str(target), cwd=example)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(
        "kbik.sqlite: 1 sesi, 10 peserta, 2 ketidakhadiran, 10 entri kelurahan, 2 angka, "
        "6 tindak lanjut\n"
    )
    connection = sqlite3.connect(target)
    tables = dict(connection.execute("SELECT name, holds FROM tables"))
    stored = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'words%'"
        )
    }
    assert set(tables) == stored and all(tables.values())
    assert {"meta", "tracks", "track_figures"}.isdisjoint(stored)  # the index's own
    rows = connection.execute(
        "SELECT kelurahan, written, status, previous, team FROM kelurahan_reports"
    ).fetchall()
    assert ("Tua Tunu Indah", "Tuatunu", "persiapan", "vakum", 1) in rows
    assert ("Air Salemba", "Air Salemba", "bergulir", "terhenti", 4) in rows
    assert connection.execute(
        "SELECT label, value FROM figures JOIN figure_labels USING (name)"
    ).fetchall() == [
        ("Peserta PWK", 12.0),
        ("layak pinjaman", 11.0),
    ]
    # Counts are whole numbers, as written (12, not 12.0).
    assert connection.execute("SELECT DISTINCT typeof(value) FROM figures").fetchall() == [
        ("integer",)
    ]
    assert connection.execute("SELECT team, reason FROM absences").fetchall() == [
        (6, "jarak"),
        (7, "jarak"),
    ]
    states = connection.execute("SELECT DISTINCT state FROM followup_states").fetchall()
    assert states == [("open",)]
    status = dict(connection.execute("SELECT kelurahan, status FROM kelurahan_status"))
    assert status["Tua Tunu Indah"] == "persiapan" and len(status) == 10
    assert connection.execute("SELECT count(*) FROM roster").fetchone()[0] == 10
    assert ("Tua Tunu Indah", 1) in connection.execute("SELECT kelurahan, team FROM roster")
    assert connection.execute("SELECT faskel FROM roster WHERE team = 1").fetchone()[0]
    # What the session says, body and all, and searchable as the index is.
    found = connection.execute(
        "SELECT chunks.text FROM words JOIN chunks ON chunks.id = words.rowid "
        "WHERE words MATCH 'Tim 6 dan 7'"
    ).fetchall()
    assert ("Tim 6 dan 7",) in found


def test_an_export_is_sound_with_foreign_keys_on(run, multi: Path) -> None:
    target = multi / "kbik.sqlite"
    assert run("export", str(target), cwd=multi).exit_code == 0
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (path,) = connection.execute("SELECT path FROM sessions ORDER BY date").fetchone()
    # A session deleted takes all that hangs off it; one added takes rows that refer to it.
    connection.execute("DELETE FROM files WHERE path = ?", (path,))
    for table in ("attendance", "kelurahan_reports", "figures", "followups", "followup_states"):
        assert connection.execute(
            f"SELECT count(*) FROM {table} WHERE session = ?", (path,)
        ).fetchone() == (0,)
    connection.execute(
        "INSERT INTO files (path, size, mtime_ns, ctime_ns, inode, digest, read_ns) "
        "VALUES ('meetings/new.md', 0, 0, 0, 0, x'00', 0)"
    )
    connection.execute("INSERT INTO sessions (path, date) VALUES ('meetings/new.md', '2016-07-06')")
    connection.execute("INSERT INTO attendance VALUES ('meetings/new.md', 1, 'Pak Iwan')")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("INSERT INTO attendance VALUES ('meetings/none.md', 1, 'Pak Iwan')")
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def test_export_records_where_a_followup_closed(run, multi: Path) -> None:
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()
    target = multi / "kbik.sqlite"
    assert run("export", str(target), cwd=multi).exit_code == 0
    closed = (
        sqlite3.connect(target)
        .execute("SELECT state, closed, closed_in FROM followup_states WHERE state = 'closed'")
        .fetchall()
    )
    assert closed and all(row[1] and row[2].startswith("meetings/") for row in closed)


def test_export_replaces_only_a_database(run, example: Path) -> None:
    in_english(example)
    target = example / "notes.txt"
    target.write_text("mine", encoding="utf-8")
    result = run("export", str(target), cwd=example)
    assert result.exit_code == 2 and "not a kbik export" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"
    assert run("export", str(example), cwd=example).exit_code == 2
    session = example / "meetings" / "2016-05-11.md"
    assert run("export", str(session), cwd=example).exit_code == 2
    database = example / "kbik.sqlite"
    assert run("export", str(database), cwd=example).exit_code == 0
    assert run("export", str(database), cwd=example).exit_code == 0  # an old export: replaced
    assert sorted(p.name for p in example.iterdir() if p.name.startswith(".kbik.sqlite")) == []


@pytest.mark.parametrize(
    "query, widened",
    [
        ("Tua Tunu Indah", '("Tua Tunu Indah" OR "Tuatunu")'),
        ("tuatunu AND rapat", '("Tua Tunu Indah" OR "Tuatunu") AND rapat'),
        ('"Tuatunu"', '("Tua Tunu Indah" OR "Tuatunu")'),
        ('"rapat Tuatunu"', '"rapat Tuatunu"'),  # a phrase stays a phrase
        ("Tuatunuan", "Tuatunuan"),  # a longer word is another word
        ("pembukuan", "pembukuan"),
    ],
)
def test_a_kelurahan_is_found_under_each_of_its_spellings(query: str, widened: str) -> None:
    from kbik.search import with_aliases

    assert with_aliases(query, [["Tua Tunu Indah", "Tuatunu"]]) == widened


def test_search_for_an_official_name_finds_what_its_alias_wrote(run, example: Path) -> None:
    result = run("search", "Tua Tunu Indah", "--format", "json", cwd=example)
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert any("Tuatunu" in hit["snippet"] for hit in hits)


SAMPLE = """\ufeff---
date: 2016-05-18
place: Aula  # a comment
attendees: [Yuri, Iwan]
topics:
  - team: kerja pembukuan
absent:
  - {team: 6, reason: jarak}
  -
    team: 7
    reason: sakit
kelurahan:
  Keramat:
    status: bergulir
    note: angsuran lancar
    team: 2
  Opas: penagihan
followups:
  - action: kunjungi KSM
    kelurahan: [Opas]
    team: 3
  # kbik's own comment
---
# Rangkuman

## Tim 6 dan 7
Tidak hadir,
jarak jauh.

# Lain
Penutup.
"""


def test_a_file_is_cut_into_values_and_paragraphs_each_with_its_kelurahan_and_teams() -> None:
    """A BOM, comments, keys and brackets are no one's words; an item's team (a dash on
    a line of its own included) is its own, not the next item's; a body section's teams
    last until the next heading of its level or above."""
    assert chunks(SAMPLE) == (
        (2, "2016-05-18", None, ()),
        (3, "Aula", None, ()),
        (4, "Yuri, Iwan", None, ()),
        (6, "kerja pembukuan", None, ()),  # "team:" in a topic is words, not a team
        (8, "6, jarak", None, (6,)),
        (10, "7", None, (7,)),
        (11, "sakit", None, (7,)),
        (13, "Keramat", "Keramat", (2,)),
        (14, "Keramat: bergulir", "Keramat", (2,)),
        (15, "Keramat: angsuran lancar", "Keramat", (2,)),
        (16, "Keramat: 2", "Keramat", (2,)),
        (17, "Opas penagihan", "Opas", ()),
        (19, "kunjungi KSM", None, (3,)),
        (20, "Opas", None, (3,)),
        (21, "3", None, (3,)),
        (24, "Rangkuman", None, ()),
        (26, "Tim 6 dan 7", None, (6, 7)),
        (27, "Tidak hadir,\njarak jauh.", None, (6, 7)),
        (30, "Lain", None, ()),
        (31, "Penutup.", None, ()),
    )
    # Without a front matter, every line is body; an unclosed one has no body.
    assert chunks("Satu.\n\nDua.\n") == ((1, "Satu.", None, ()), (3, "Dua.", None, ()))
    assert chunks("---\nplace: Aula\nSatu.\n") == ((2, "Aula", None, ()), (3, "Satu.", None, ()))


def test_a_block_list_inside_an_item_is_the_items_own() -> None:
    text = (
        "---\nfollowups:\n  - action: kunjungi KSM\n    kelurahan:\n      - Opas\n"
        "    team: 3\n  - action: rapat\n---\nXenia datang.\n\n# Xenia\n"
    )
    assert chunks(text) == (
        (3, "kunjungi KSM", None, (3,)),
        (5, "Opas", None, (3,)),
        (6, "3", None, (3,)),
        (7, "rapat", None, ()),
        (9, "Xenia datang.", None, ()),
        (11, "Xenia", None, ()),
    )
    assert chunks("Xenia datang.\n") == ((1, "Xenia datang.", None, ()),)


def test_a_comment_after_a_value_is_no_part_of_it() -> None:
    # YAML ends a value at the first " #": "Aula #1 # ruang" is "Aula".
    assert chunks("---\nplace: Aula #1 # ruang\n---\n") == ((2, "Aula", None, ()),)


@pytest.mark.parametrize("dash", ["", " ", "  ", "   ", "    "])
def test_a_list_is_read_at_whatever_indent_it_is_written(dash: str) -> None:
    """YAML takes a list's dashes at any indent, the key's own included: each item's
    team is its own however far in the dashes stand, and a list inside an item (further
    in) starts no item."""
    inner = dash + "  "
    text = (
        f"---\nfollowups:\n{dash}- action: kunjungi KSM\n{inner}kelurahan:\n{inner}  - Opas\n"
        f"{inner}team: 3\n{dash}- action: rapat\n{inner}team: 4\nplace: Aula\n---\n"
    )
    assert chunks(text) == (
        (3, "kunjungi KSM", None, (3,)),
        (5, "Opas", None, (3,)),
        (6, "3", None, (3,)),
        (7, "rapat", None, (4,)),
        (8, "4", None, (4,)),
        (9, "Aula", None, ()),
    )


def test_words_of_a_flow_list_keep_no_stray_comma_and_no_letter_is_lost() -> None:
    text = "---\ntopics: [Xenia, Rapat, ]\nplace: XL\n---\n## Xtra\n#Xenia\n"
    assert chunks(text) == (
        (2, "Xenia, Rapat", None, ()),
        (3, "XL", None, ()),
        (5, "Xtra", None, ()),
        (6, "Xenia", None, ()),
    )


def test_team_words_in_a_topic_are_words_not_a_team() -> None:
    text = "---\ntopics:\n  - Laporan team: 2 pekan ini\n---\n"
    assert chunks(text) == ((3, "Laporan team 2 pekan ini", None, ()),)


def test_an_empty_key_keeps_its_value_as_words() -> None:
    assert chunks('---\n"": nilai\nkelurahan:\n  "": x\n---\n') == (
        (2, "nilai", None, ()),
        (4, "x", None, ()),
    )


@pytest.mark.parametrize(
    "query, widened",
    [
        # The longest name first: "Air Itam" is that kelurahan, not "Air" and a word.
        ("Air Itam", '("Air Itam" OR "Airitam")'),
        ("air", '("Air" OR "Ayer")'),
        # A phrase that holds a name among other words stays the phrase it is.
        ('rapat "Airitam maju" kas', 'rapat "Airitam maju" kas'),
        # A quote in a name is doubled, as FTS5 reads a quote inside a phrase.
        ('"Ayer"', '("Air" OR "Ayer")'),
        ("Bukit", '("Bukit" OR "Bukit ""Lama""")'),
    ],
)
def test_names_are_widened_longest_first_and_quoted_as_fts5_reads_them(
    query: str, widened: str
) -> None:
    from kbik.search import with_aliases

    groups = [["Air", "Ayer"], ["Air Itam", "Airitam"], ["Bukit", 'Bukit "Lama"']]
    assert with_aliases(query, groups) == widened


def _source(root: Path, clock=time.time_ns):
    from kbik.config import load_config
    from kbik.workspace import Workspace

    catalogue = Workspace(root, load_config(root)).load(clock=clock)
    assert catalogue.source is not None
    return catalogue, catalogue.source


def test_a_paragraph_naming_the_kelurahan_by_its_alias_is_its_own(run, example: Path) -> None:
    """--kelurahan keeps a paragraph outside any entry only when it names the kelurahan:
    by any of its spellings (the seed writes "Tuatunu" for Tua Tunu Indah); the API given
    no spellings looks for the name alone."""
    from kbik.search import Where, search

    hits = _hits(run, example, "motivasi", "--kelurahan", "Tua Tunu Indah")
    assert [hit["line"] for hit in hits] == [84]
    catalogue, source = _source(example)
    alone = Where(kelurahan="Tuatunu", names=catalogue.counted)
    assert [hit.line for hit in search(source, catalogue.counted, "motivasi", alone)] == [84]
    other = Where(kelurahan="Bacang", names=catalogue.counted)
    assert search(source, catalogue.counted, "motivasi", other) == []


def test_only_the_sessions_that_count_are_searched(run, multi: Path) -> None:
    """A session that stops counting (here: another file takes its date) is no longer
    found, though its words were indexed; the sessions after it in rank still are."""
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()  # the invalid one
    early = multi / "meetings" / "2016" / "2016-05-04.md"
    early.write_text(early.read_text("utf-8") + "\nLumbung lumbung lumbung.\n", "utf-8")
    late = multi / "meetings" / "2016" / "2016-05-18.md"
    late.write_text(
        late.read_text("utf-8") + "\nSatu lumbung di antara banyak kata lain.\n", "utf-8"
    )
    assert {hit["path"] for hit in _hits(run, multi, "lumbung")} == {
        "meetings/2016/2016-05-04.md",
        "meetings/2016/2016-05-18.md",
    }
    (multi / "meetings" / "kembar.md").write_text("---\ndate: 2016-05-04\nattendees: []\n---\n")
    assert [hit["path"] for hit in _hits(run, multi, "lumbung", "--sort", "rank")] == [
        "meetings/2016/2016-05-18.md"
    ]


def test_a_file_changed_while_searching_is_left_for_the_next_run(run, multi: Path) -> None:
    """The words indexed are those of the content the index holds: a file changed or
    gone since it was read is skipped, and every other file is still searched."""
    from kbik.search import Where, search

    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()  # the invalid one
    catalogue, source = _source(multi)
    changed = multi / "meetings" / "2016" / "2016-05-04.md"
    changed.write_text(changed.read_text("utf-8").replace("## Tim 1", "## Tim 1 pasar"), "utf-8")
    (multi / "meetings" / "2016" / "2016-05-11.md").unlink()
    hits = search(source, catalogue.counted, "Tuatunu", Where(names=catalogue.counted))
    assert {hit.path for hit in hits} == {"meetings/2016/2016-05-18.md"}
    source.index.close()
    assert [hit["path"] for hit in _hits(run, multi, "pasar")] == ["meetings/2016/2016-05-04.md"]


def test_a_warm_search_takes_no_write_lock(run, multi: Path) -> None:
    """With every file's words indexed, a search only reads: another run holding the
    write lock neither blocks it nor is waited for."""
    from kbik.search import Where, search

    def later() -> int:  # read well after the files were written: their stamps trusted
        return time.time_ns() + 10**10

    catalogue, source = _source(multi, later)
    assert search(source, catalogue.counted, "tuatunu", Where(names=catalogue.counted))
    source.index.close()
    blocker = sqlite3.connect(multi / ".kbik-cache" / "index.sqlite", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        catalogue, source = _source(multi, later)
        hits = search(source, catalogue.counted, "tuatunu", Where(names=catalogue.counted))
        assert hits and source.index.path is not None  # the workspace's, not one in memory
        assert not source.index.writing and not source.index.blocked
        source.index.close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_a_paragraph_under_two_teams_is_each_teams(run, multi: Path) -> None:
    path = multi / "meetings" / "2016" / "2016-05-18.md"
    path.write_text(
        path.read_text("utf-8") + "\n## Tim 2 dan 4\n\nJarak jauh ke lokasi.\n", "utf-8"
    )
    for team in ("2", "4"):
        assert [hit["line"] for hit in _hits(run, multi, "lokasi", "--team", team)] != []
    assert run("search", "lokasi", "--team", "1", cwd=multi).exit_code == 1


def test_a_kelurahan_of_no_team_is_in_no_teams_rows(run, workspace) -> None:
    """Without a roster, an entry that names no team is in no team's rows."""
    root = workspace(
        'language = "en"\n',
        {
            "meetings/2016-05-18.md": "---\ndate: 2016-05-18\nattendees: []\n"
            "kelurahan:\n  Entah: {status: vakum, note: sepi}\n---\n"
        },
    )
    assert _hits(run, root, "sepi")
    with sqlite3.connect(root / ".kbik-cache" / "index.sqlite") as connection:
        rows = connection.execute("SELECT teams FROM chunks WHERE kelurahan = 'Entah'").fetchall()
    connection.close()
    assert rows == [("",)]


def test_a_query_refused_by_the_api_is_said_in_the_workspace_language(example: Path) -> None:
    from kbik.search import Where, search

    catalogue, source = _source(example)
    with pytest.raises(UsageError) as refused:
        search(source, catalogue.counted, "-pembukuan", Where(names=catalogue.counted))
    assert str(refused.value).startswith(
        "tidak bisa mencari '-pembukuan': untuk mengecualikan kata, tulis NOT di depannya"
    )
    source.index.close()
