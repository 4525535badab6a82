"""The cache never changes an answer: cached and uncached output are identical."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbik import index, parsing
from kbik.config import load_config
from kbik.workspace import RACY_FINE_NS, RACY_NS, Workspace, racy

COMMANDS = [
    ["list", "--format", "json"],
    ["status", "--as-of", "2016-06-30", "--format", "json"],
    ["status", "--as-of", "2016-06-30"],
    ["validate", "--format", "json"],
    ["report", "--month", "2016-05"],
    ["report", "--format", "html"],
]


def outputs(run, root: Path, *extra: str) -> list[tuple[int, str]]:
    return [
        (r.exit_code, r.stdout, r.stderr) for r in (run(*c, *extra, cwd=root) for c in COMMANDS)
    ]


def assert_cache_agrees(run, root: Path) -> None:
    uncached = outputs(run, root, "--no-cache")
    assert outputs(run, root) == uncached  # may write the cache
    assert (root / index.FOLDER / index.DATABASE).exists()
    assert outputs(run, root) == uncached  # served from it


def test_a_new_index_has_pages_of_8_kib(run, multi: Path) -> None:
    assert run("status", cwd=multi).exit_code == 0
    with sqlite3.connect(multi / index.FOLDER / index.DATABASE) as connection:
        assert connection.execute("PRAGMA page_size").fetchone()[0] == index.PAGE_SIZE == 8192
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_cache_agrees_through_edits_deletions_renames_and_config(run, multi: Path) -> None:
    assert_cache_agrees(run, multi)
    meetings = multi / "meetings" / "2016"
    edited = meetings / "2016-05-18.md"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("Tuatunu: persiapan", "Tuatunu: pencairan"),
        encoding="utf-8",
    )
    assert_cache_agrees(run, multi)
    assert "pencairan" in run("status", "--as-of", "2016-06-30", cwd=multi).stdout
    (meetings / "2016-05-04.md").unlink()
    assert_cache_agrees(run, multi)
    (meetings / "2016-05-11.md").rename(multi / "meetings" / "sebelas-mei.md")
    assert_cache_agrees(run, multi)
    config = multi / "kbik.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('"Tuatunu"', '"Tua tunu"'), encoding="utf-8"
    )
    assert_cache_agrees(run, multi)


def test_same_size_change_after_a_checkout_is_seen(run, multi: Path) -> None:
    run("list", cwd=multi)
    path = multi / "meetings" / "2016" / "2016-05-11.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Air Salemba: bergulir", "Air Salemba: terhenti"), encoding="utf-8"
    )
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    result = run(
        "status",
        "--kelurahan",
        "Air Salemba",
        "--as-of",
        "2016-06-30",
        "--format",
        "json",
        cwd=multi,
    )
    by_date = {line["date"]: line["status"] for line in json.loads(result.stdout)}
    assert by_date["2016-05-11"] == "terhenti"


def _stamps(root: Path) -> dict[str, tuple[int, ...]]:
    """What the index holds of each file: (size, mtime_ns, ctime_ns, inode, read_ns)."""
    with sqlite3.connect(root / index.FOLDER / index.DATABASE) as connection:
        rows = connection.execute(
            "SELECT path, size, mtime_ns, ctime_ns, inode, digest, read_ns FROM files"
        ).fetchall()
    connection.close()
    return {row[0]: row[1:] for row in rows}


def test_unchanged_content_with_new_times_is_restamped(run, multi: Path) -> None:
    expected = outputs(run, multi, "--no-cache")
    ws = Workspace(multi, load_config(multi))
    ws.load()
    for path in (multi / "meetings").rglob("*.md"):
        os.utime(path, ns=(0, 1_000_000_000))  # as if every file were checked out again
    before = _stamps(multi)
    ws.load()
    assert outputs(run, multi) == expected
    after = _stamps(multi)
    assert {name: stamp[4] for name, stamp in after.items()} == {
        name: stamp[4] for name, stamp in before.items()
    }
    assert all(stamp[1] == 1_000_000_000 for stamp in after.values())


def test_an_edit_that_keeps_size_and_time_is_seen(run, multi: Path) -> None:
    """As ``touch -r`` or rsync leave it: same size, same mtime, other words."""
    path = multi / "meetings" / "2016" / "2016-05-18.md"
    run("status", cwd=multi)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Tuatunu: persiapan", "Tuatunu: pencairan"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    out = run("status", "--as-of", "2016-05-20", "--format", "json", cwd=multi).stdout
    assert {"kelurahan": "Tua Tunu Indah", "status": "pencairan"}.items() <= next(
        row for row in json.loads(out) if row["kelurahan"] == "Tua Tunu Indah"
    ).items()


def _parsed_ns(root: Path) -> dict[str, int]:
    """When the index last stamped each file (its own clock, kept in ``files``)."""
    connection = sqlite3.connect(root / index.FOLDER / index.DATABASE)
    try:
        return dict(connection.execute("SELECT path, read_ns FROM files"))
    finally:
        connection.close()


def test_a_racy_entry_is_checked_once_then_trusted(multi: Path) -> None:
    """A file stamped within the racy window is read again; once its stamp is older
    than the window, it is trusted. The times are set and the clock given, not waited
    for: an hour either way, whatever the machine's load."""
    ws = Workspace(multi, load_config(multi))
    files = sorted((multi / "meetings").rglob("*.md"))
    future = time.time_ns() + 3600 * 10**9
    for path in files:
        os.utime(path, ns=(future, future))  # written "after" the run: racy
    ws.load()
    racy = _parsed_ns(multi)
    assert all(parsed < future for parsed in racy.values())
    past = time.time_ns() - 3600 * 10**9
    for path in files:
        os.utime(path, ns=(past, past))  # the same content, stamped long ago
    ws.load(clock=lambda: time.time_ns() + 3600 * 10**9)  # and read an hour after its ctime
    restamped = _parsed_ns(multi)
    assert all(restamped[name] > racy[name] for name in racy)  # read again, re-stamped
    ws.load()
    assert _parsed_ns(multi) == restamped  # trusted: not read, not re-stamped


@pytest.mark.parametrize("damage", [b"", b"garbage", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_damaged_index_is_rebuilt(run, multi: Path, damage: bytes) -> None:
    expected = outputs(run, multi, "--no-cache")
    (multi / index.FOLDER).mkdir()
    (multi / index.FOLDER / index.DATABASE).write_bytes(damage)
    assert outputs(run, multi) == expected
    assert outputs(run, multi) == expected
    connection = sqlite3.connect(multi / index.FOLDER / index.DATABASE)
    assert connection.execute("SELECT count(*) FROM files").fetchone()[0] == 4


def test_an_index_of_another_version_is_rebuilt(run, multi: Path) -> None:
    expected = outputs(run, multi, "--no-cache")
    run("list", cwd=multi)
    path = multi / index.FOLDER / index.DATABASE
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = 'old' WHERE key = 'key'")
        connection.execute("UPDATE kelurahan_reports SET status = 'vakum'")
    assert outputs(run, multi) == expected


def test_a_database_that_is_not_kbiks_is_left_alone(run, multi: Path) -> None:
    expected = outputs(run, multi, "--no-cache")
    (multi / index.FOLDER).mkdir()
    path = multi / index.FOLDER / index.DATABASE
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.execute("INSERT INTO notes VALUES ('mine')")
    connection.close()
    before = path.read_bytes()
    assert outputs(run, multi) == expected
    assert path.read_bytes() == before


def test_an_earlier_kbiks_index_is_rebuilt_and_another_programs_left_alone(
    run, multi: Path
) -> None:
    expected = outputs(run, multi, "--no-cache")
    (multi / index.FOLDER).mkdir()
    path = multi / index.FOLDER / index.DATABASE
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        other.execute("INSERT INTO meta VALUES ('application', 'kbik index')")
        other.execute("CREATE TABLE status_rows (id INTEGER PRIMARY KEY, data BLOB)")
    other.close()
    assert outputs(run, multi) == expected
    with sqlite3.connect(path) as connection:  # built anew, in this schema
        assert connection.execute("SELECT count(*) FROM files").fetchone() == (4,)
    connection.close()
    path.unlink()
    with sqlite3.connect(path) as other:  # the same, but not kbik's: no 'application'
        other.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        other.execute("INSERT INTO meta VALUES ('key', 'x')")
    other.close()
    before = path.read_bytes()
    assert outputs(run, multi) == expected
    assert path.read_bytes() == before


def test_unwritable_cache_is_ignored(run, multi: Path) -> None:
    expected = outputs(run, multi, "--no-cache")
    (multi / index.FOLDER).write_text("a file where the folder should be", encoding="utf-8")
    assert outputs(run, multi) == expected


@pytest.mark.parametrize("where", ["", "-wal", "-shm", "folder"])
@pytest.mark.parametrize("odd", ["fifo", "zero", "loop"])
def test_odd_objects_in_the_cache_folder_are_never_read(multi: Path, where: str, odd: str) -> None:
    """A FIFO would hang a reader for ever, /dev/zero fill its memory."""
    folder = multi / index.FOLDER
    target = folder if where == "folder" else folder / f"{index.DATABASE}{where}"
    if where != "folder":
        folder.mkdir()
    if odd == "fifo" and where != "folder":
        os.mkfifo(target)
    elif odd == "zero":
        target.symlink_to("/dev/zero")
    else:
        target.symlink_to(target.name if odd == "loop" else "/dev/zero")
    for command, shown in ((["status"], "Tua Tunu Indah"), (["search", "Tuatunu"], "meetings/")):
        result = in_process_of_its_own(multi, *command)
        assert result.returncode == 0, result.stderr
        assert shown in result.stdout


def in_process_of_its_own(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run kbik as a user does, so that a hang is a failed test (after a minute), not a
    hung suite."""
    return subprocess.run(
        [sys.executable, "-m", "kbik", *command],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )


PLANTED = {
    "view": "DROP TABLE kelurahan_reports; CREATE VIEW kelurahan_reports AS "
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
    "SELECT 'meetings/x.md', i, 'K', 'K', 'vakum', NULL, NULL, NULL FROM n",
    "trigger": "CREATE TRIGGER forever AFTER UPDATE ON files BEGIN "
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n; END",
    "table": "CREATE TABLE extra (x)",
    "index": "CREATE INDEX odd ON files (size)",
    "column": "ALTER TABLE sessions ADD COLUMN extra TEXT",
    "strict": "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = "
    "replace(sql, ') STRICT', ')') WHERE name = 'files'",
}


@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_planted_schema_objects_are_never_run(run, multi: Path, planted: str) -> None:
    """An index whose schema is not exactly kbik's is built anew before it is read:
    an endless view or trigger never runs, whatever table it stands for."""
    expected = outputs(run, multi, "--no-cache")
    run("list", cwd=multi)
    path = multi / index.FOLDER / index.DATABASE
    with sqlite3.connect(path) as connection:
        connection.executescript(PLANTED[planted])
    connection.close()
    for command in (["status"], ["search", "Tuatunu"], ["list"]):
        result = in_process_of_its_own(multi, *command)
        assert result.returncode == 0, result.stderr
    assert outputs(run, multi) == expected
    with sqlite3.connect(path) as connection:
        kinds = {row[0] for row in connection.execute("SELECT type FROM sqlite_master")}
    connection.close()
    assert "view" not in kinds


BAD_VALUES = [
    "UPDATE sessions SET date = '2016-13-45'",
    "UPDATE sessions SET date = 'kemarin'",
    "UPDATE followups SET due = 'x'",
    "UPDATE tracks SET since = '2016-02-30'",
    "UPDATE figures SET value = 1e400",
    "UPDATE problems SET severity = 'fatal'",
]


@pytest.mark.parametrize("statement", BAD_VALUES)
def test_a_value_that_fits_no_column_means_a_rebuild(run, multi: Path, statement: str) -> None:
    """Written past the schema's checks (as a damaged page or another program might):
    the run answers from the files, and the next one has a sound index again."""
    command = ("status", "--as-of", "2016-06-30", "--format", "json", "--figures")
    expected = run(*command, "--no-cache", cwd=multi).stdout
    assert run(*command, cwd=multi).stdout == expected  # the index, and its kept status
    assert run("search", "Tuatunu", cwd=multi).exit_code == 0
    path = multi / index.FOLDER / index.DATABASE
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute(statement)
    connection.close()
    for _ in range(2):
        for args in (command, ("list", "--format", "json"), ("validate",), ("search", "Tuatunu")):
            result = run(*args, cwd=multi)
            assert result.exit_code in (0, 1) and "Traceback" not in result.stderr, args
        assert run(*command, cwd=multi).stdout == expected


def test_cache_clear(run, multi: Path) -> None:
    run("list", cwd=multi)
    result = run("cache", "clear", cwd=multi)
    assert result.exit_code == 0 and "multi/.kbik-cache dihapus" in result.stdout
    assert not (multi / index.FOLDER / index.DATABASE).exists()
    assert "tidak ada cache di" in run("cache", "clear", cwd=multi).stdout


def test_concurrent_runs_share_the_index(multi: Path) -> None:
    """Runs that start together, on files that change between them, all answer right."""
    folder = multi / "meetings" / "2016"
    source = (folder / "2016-05-18.md").read_text(encoding="utf-8")
    for week in range(40):
        day = f"2018-{week // 4 + 1:02d}-{week % 4 * 7 + 1:02d}"
        (folder / f"{day}.md").write_text(source.replace("2016-05-18", day), encoding="utf-8")
    command = [sys.executable, "-m", "kbik", "list", "--format", "json"]
    expected = subprocess.run([*command, "--no-cache"], cwd=multi, capture_output=True, text=True)
    for _ in range(3):
        runs = [
            subprocess.Popen(command, cwd=multi, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(6)
        ]
        for process in runs:
            out, err = process.communicate(timeout=120)
            assert process.returncode == expected.returncode, err
            assert out.decode() == expected.stdout
    with sqlite3.connect(multi / index.FOLDER / index.DATABASE) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM files").fetchone()[0] == 44


def test_parallel_parsing_gives_the_same_answer(run, multi: Path, monkeypatch) -> None:
    folder = multi / "meetings" / "2016"
    source = (folder / "2016-05-18.md").read_text(encoding="utf-8")
    for week in range(1, 30):
        day = f"2017-{(week // 4) + 1:02d}-{(week % 4) * 7 + 1:02d}"
        (folder / f"{day}.md").write_text(source.replace("2016-05-18", day), encoding="utf-8")
    expected = outputs(run, multi, "--no-cache")
    monkeypatch.setattr(parsing, "PARALLEL_FROM", 4)
    shutil.rmtree(multi / index.FOLDER, ignore_errors=True)
    assert outputs(run, multi, "--no-cache") == expected
    assert outputs(run, multi) == expected


def test_freshness_rule() -> None:
    """A stamp is trusted only when read well after the file's own times: two seconds
    for a clock of whole seconds or milliseconds, 50 ms for a finer one."""
    read = 10 * RACY_NS
    mtime = 5 * RACY_NS + 123  # a clock finer than milliseconds
    assert not racy(mtime, mtime, read)
    fine = read - RACY_FINE_NS
    assert racy(fine, fine, read)
    assert not racy(fine - 1, fine - 1, read)
    assert racy(fine - 1, fine, read)  # the ctime counts too (touch -r, rsync)
    coarse = read - RACY_NS + 1_000_000_000
    coarse -= coarse % 1_000_000_000
    assert racy(coarse, coarse, read)
    older = coarse - RACY_NS  # whole seconds, and read more than two seconds later
    assert not racy(older, older, read)


@pytest.mark.parametrize(
    "change",
    ["size", "mtime", "ctime", "inode"],
)
def test_any_part_of_the_stamp_changed_means_the_file_is_read(
    run, multi: Path, change: str
) -> None:
    """The same content under another stamp is trusted after one read; other content
    under any changed part of the stamp is parsed again."""
    path = multi / "meetings" / "2016" / "2016-05-18.md"
    past = time.time_ns() - 3600 * 10**9
    for file in (multi / "meetings").rglob("*.md"):
        os.utime(file, ns=(past, past))
    run("list", cwd=multi)
    text = path.read_text(encoding="utf-8")
    edited = text.replace("Tuatunu: persiapan", "Tuatunu: pencairan")
    if change == "size":
        edited += "\nTambahan.\n"
    if change == "inode":
        path.unlink()
    path.write_text(edited, encoding="utf-8")
    if change in ("size", "ctime", "inode"):
        os.utime(path, ns=(past, past))  # only the size, the ctime or the inode tell
    out = run("status", "--as-of", "2016-05-20", "--format", "json", cwd=multi).stdout
    row = next(row for row in json.loads(out) if row["kelurahan"] == "Tua Tunu Indah")
    assert row["status"] == "pencairan"


@pytest.fixture
def many(multi: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The multi workspace with 100 more weekly sessions, some named out of date order
    (today after them all: a session far after today is a typo)."""
    monkeypatch.setenv("KBIK_TODAY", "2100-01-01")
    folder = multi / "meetings" / "2017"
    folder.mkdir()
    source = (multi / "meetings" / "2016" / "2016-05-18.md").read_text(encoding="utf-8")
    statuses = ["persiapan", "pencairan", "bergulir", "vakum"]
    for week in range(100):
        day = dt.date(2017, 1, 4) + dt.timedelta(weeks=week)
        text = source.replace("2016-05-18", day.isoformat())
        text = text.replace("Tuatunu: persiapan", f"Tuatunu: {statuses[week % 4]}")
        # Every seventh file under a name that sorts before the earlier weeks.
        name = f"{'a-' if week % 7 == 6 else ''}{day.isoformat()}.md"
        (folder / name).write_text(text, encoding="utf-8")
    return multi


def _reports(root: Path, **options: object) -> list[tuple[object, ...]]:
    return list(Workspace(root, load_config(root)).load(**options).reports())  # type: ignore[arg-type]


def test_a_cold_run_streams_into_the_index_and_reads_back_by_date(many: Path) -> None:
    expected = _reports(many, use_cache=False)
    assert [group[:2] for group in expected] == sorted(group[:2] for group in expected)
    ws = Workspace(many, load_config(many))
    catalogue = ws.load()
    assert catalogue.source is not None and catalogue.source.index.path is not None
    assert list(catalogue.reports()) == expected
    assert list(catalogue.reports()) == expected  # read afresh, the same
    assert _reports(many) == expected  # warm

    assert _reports(many) == expected
    assert [loaded.session for loaded in ws.load().files] == [
        loaded.session for loaded in ws.load(use_cache=False).files
    ]


def test_rows_another_run_wrote_meanwhile_are_not_taken_for_this_one(many: Path) -> None:
    uncached = Workspace(many, load_config(many)).load(use_cache=False)
    ws = Workspace(many, load_config(many))
    ws.load()  # builds the index
    edited = many / "meetings" / "2017" / "2017-01-04.md"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("Tuatunu: persiapan", "Tuatunu: vakum"), encoding="utf-8")
    other = Workspace(many, load_config(many))
    original = index.store

    def store_then_another_run(*args: object) -> bool:
        # Another kbik stores the file as it was, just after this run wrote its own.
        done = original(*args)  # type: ignore[arg-type]
        edited.write_text(text, encoding="utf-8")
        other.load()
        edited.write_text(text.replace("Tuatunu: persiapan", "Tuatunu: vakum"), "utf-8")
        return done

    expected = Workspace(many, load_config(many)).load(use_cache=False)
    index.store, saved = store_then_another_run, index.store  # type: ignore[assignment]
    try:
        catalogue = ws.load()
    finally:
        index.store = saved
    assert list(catalogue.reports()) == list(expected.reports())
    assert catalogue.files == expected.files
    assert list(catalogue.reports()) != list(uncached.reports())


def test_a_run_that_cannot_write_keeps_what_it_parsed(many: Path, monkeypatch) -> None:
    ws = Workspace(many, load_config(many))
    ws.load()
    edited = many / "meetings" / "2017" / "2017-01-04.md"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("Tuatunu: persiapan", "Tuatunu: vakum"),
        encoding="utf-8",
    )
    expected = _reports(many, use_cache=False)
    monkeypatch.setattr(index, "BUSY_TIMEOUT_S", 0.05)
    blocker = sqlite3.connect(many / index.FOLDER / index.DATABASE, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another run is writing, and keeps at it
    try:
        catalogue = ws.load()
        assert catalogue.source is not None and catalogue.source.index.path is None
        assert list(catalogue.reports()) == expected
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert _reports(many) == expected  # the next run writes it


def test_every_command_keeps_the_sessions_in_the_index_tables(run, multi: Path) -> None:
    assert run("list", cwd=multi).exit_code == 0
    catalogue = Workspace(multi, load_config(multi)).load(use_cache=False)
    with sqlite3.connect(multi / index.FOLDER / index.DATABASE) as connection:
        dates = dict(connection.execute("SELECT path, date FROM sessions"))
        assert dates == {s.path: s.date.isoformat() for s in catalogue.sessions}
        figures = connection.execute(
            "SELECT name, value FROM figures WHERE session = 'meetings/2016/2016-05-18.md'"
        ).fetchall()
        assert sorted(figures) == [("ccr", 130), ("par", 15), ("rr", 85)]
        reports = connection.execute(
            "SELECT kelurahan, status FROM kelurahan_reports "
            "WHERE session = 'meetings/2016/2016-05-18.md' AND status IS NOT NULL"
        ).fetchall()
        assert ("Tua Tunu Indah", "persiapan") in reports
        assert connection.execute("SELECT count(*) FROM chunks").fetchone() == (0,)
    connection.close()
    # Search adds the words; an edit replaces the file's rows, words included, and a
    # file gone loses them.
    path = multi / "meetings" / "2016" / "2016-05-18.md"
    assert run("search", "kurung", cwd=multi).exit_code == 0
    path.write_text(path.read_text(encoding="utf-8").replace("kurung", "kurawal"), "utf-8")
    assert run("search", "kurung", cwd=multi).exit_code == 1
    assert run("search", "kurawal", cwd=multi).exit_code == 0
    path.unlink()
    assert run("search", "kurawal", cwd=multi).exit_code == 1
    with sqlite3.connect(multi / index.FOLDER / index.DATABASE) as connection:
        for table, column in (
            ("files", "path"),
            ("chunks", "path"),
            ("sessions", "path"),
            ("kelurahan_reports", "session"),
            ("figures", "session"),
        ):
            left = connection.execute(
                f"SELECT count(*) FROM {table} WHERE {column} = 'meetings/2016/2016-05-18.md'"
            ).fetchone()
            assert left == (0,), table
        assert connection.execute(
            "SELECT count(*) FROM words WHERE words MATCH 'kurawal'"
        ).fetchone() == (0,)
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()


def test_an_edited_file_is_seen_and_kept(many: Path) -> None:
    ws = Workspace(many, load_config(many))
    ws.load()
    path = many / "meetings" / "2017" / "2017-01-04.md"
    path.write_text(path.read_text(encoding="utf-8").replace("persiapan", "vakum"), "utf-8")
    first = list(ws.load().reports())
    assert first == list(ws.load(use_cache=False).reports())
    assert list(ws.load().reports()) == first


def test_status_kept_in_the_index_agrees_through_each_kind_of_change(run, many: Path) -> None:
    """The kept tracks, through each kind of change: unchanged, a new latest session,
    the latest edited, another edited, a session gone; each answer as without the index.
    (That only what changed is read again is a matter of speed: bench/ measures it.)"""
    command = ("status", "--as-of", "2100-01-01", "--format", "json", "--figures")

    def agrees() -> str:
        cached = run(*command, cwd=many).stdout
        assert cached == run(*command, "--no-cache", cwd=many).stdout
        return cached

    first = agrees()
    assert agrees() == first
    with sqlite3.connect(many / index.FOLDER / index.DATABASE) as connection:
        stages = connection.execute("SELECT DISTINCT stage FROM tracks ORDER BY stage").fetchall()
        assert stages == [("all",), ("before",)]
    connection.close()
    folder = many / "meetings" / "2017"
    latest = (folder / "2018-11-28.md").read_text(encoding="utf-8")
    new = folder / "2018-12-05.md"
    new.write_text(
        latest.replace("2018-11-28", "2018-12-05").replace("Tuatunu: vakum", "Tuatunu: terhenti"),
        encoding="utf-8",
    )
    assert '"terhenti"' in agrees()
    new.write_text(new.read_text(encoding="utf-8").replace("terhenti", "bergulir"), "utf-8")
    assert '"bergulir"' in agrees()
    middle = folder / "2017-06-07.md"
    middle.write_text(middle.read_text(encoding="utf-8").replace("penagihan", "bergulir"), "utf-8")
    changed = agrees()
    assert changed != first
    new.unlink()
    assert agrees() != changed


def test_status_goes_on_without_keeping_while_another_run_writes(many: Path) -> None:
    ws = Workspace(many, load_config(many))
    as_of = dt.date(2100, 1, 1)
    expected = ws.load(use_cache=False).status_rows(ws.config, as_of)
    ws.load()  # the index, without a kept status yet
    path = many / index.FOLDER / index.DATABASE
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another run is writing, and keeps at it
    try:
        assert ws.load().status_rows(ws.config, as_of) == expected
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM tracks").fetchone() == (0,)
    connection.close()
    assert ws.load().status_rows(ws.config, as_of) == expected  # and now it keeps it
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM tracks").fetchone() != (0,)
    connection.close()


@pytest.mark.parametrize("command", [["status"], ["search", "Tuatunu"]])
def test_a_warm_run_loads_no_parser_and_no_session_classes(multi: Path, command: list[str]) -> None:
    """Served from the index, a run never needs the YAML parser, the checks or the
    classes sessions are made of: start-up is most of what it costs."""
    code = (
        "import sys; from kbik.cli import main\n"
        f"sys.argv = ['kbik', '-C', {str(multi)!r}, *{command!r}]\n"
        "try: main()\nexcept SystemExit: pass\n"
        "loaded = {'yaml', 'kbik.documents', 'kbik.sessions', 'kbik.model'} & set(sys.modules)\n"
        "assert not loaded, loaded"
    )
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "AssertionError" in cold.stderr  # a first run parses, and so loads them
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert warm.returncode == 0, warm.stderr


def test_an_unchanged_workspace_is_read_without_the_write_lock(run, multi: Path) -> None:
    """Only a run that has something to write takes the index's write lock: while
    another holds it, a warm run answers from the index, without waiting."""
    expected = outputs(run, multi, "--no-cache")
    run("list", cwd=multi)
    run("status", "--as-of", "2016-06-30", cwd=multi)
    blocker = sqlite3.connect(multi / index.FOLDER / index.DATABASE, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        ws = Workspace(multi, load_config(multi))
        catalogue = ws.load()
        assert catalogue.source is not None and catalogue.source.index.path is not None
        assert not catalogue.source.index.writing and not catalogue.source.index.blocked
        assert outputs(run, multi)[:3] == expected[:3]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


@pytest.mark.parametrize("command", [["status"], ["search", "Tuatunu"]])
def test_a_run_closes_the_index_and_leaves_no_log(multi: Path, command: list[str]) -> None:
    """The last connection to close folds the write-ahead log back into the database;
    a run that left it would have every later run read through it."""
    for _ in range(2):  # the first run writes the index, the second only reads it
        result = subprocess.run(
            [sys.executable, "-m", "kbik", *command], cwd=multi, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert (multi / index.FOLDER / index.DATABASE).exists()
        assert not (multi / index.FOLDER / f"{index.DATABASE}-wal").exists()
