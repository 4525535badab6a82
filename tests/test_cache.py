"""The cache never changes an answer: cached and uncached output are identical."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbik import cache, workspace
from kbik.config import load_config
from kbik.records import TABLES, Head
from kbik.workspace import Workspace

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
    assert (root / cache.FOLDER / cache.DATABASE).exists()
    assert outputs(run, root) == uncached  # served from it


def test_a_new_index_has_pages_of_8_kib(run, multi: Path) -> None:
    assert run("status", cwd=multi).exit_code == 0
    with sqlite3.connect(multi / cache.FOLDER / cache.DATABASE) as connection:
        assert connection.execute("PRAGMA page_size").fetchone()[0] == cache.PAGE_SIZE == 8192
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


def test_unchanged_content_with_new_times_is_restamped(run, multi: Path) -> None:
    expected = outputs(run, multi, "--no-cache")
    ws = Workspace(multi, load_config(multi))
    ws.load()
    for path in (multi / "meetings").rglob("*.md"):
        os.utime(path, ns=(0, 1_000_000_000))  # as if every file were checked out again
    store = cache.load(multi, cache.cache_key(ws.config.digest))
    before = {name: cache.known_stamp(store, name) for name in store.known}
    ws.load()
    assert outputs(run, multi) == expected
    store = cache.load(multi, cache.cache_key(ws.config.digest))
    after = {name: cache.known_stamp(store, name) for name in store.known}
    assert {name: stamp.digest for name, stamp in after.items() if stamp} == {
        name: stamp.digest for name, stamp in before.items() if stamp
    }
    assert all(stamp and stamp.mtime_ns == 1_000_000_000 for stamp in after.values())


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
    connection = sqlite3.connect(root / cache.FOLDER / cache.DATABASE)
    try:
        return dict(connection.execute("SELECT name, parsed_ns FROM files"))
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
    (multi / cache.FOLDER).mkdir()
    (multi / cache.FOLDER / cache.DATABASE).write_bytes(damage)
    assert outputs(run, multi) == expected
    assert outputs(run, multi) == expected
    connection = sqlite3.connect(multi / cache.FOLDER / cache.DATABASE)
    assert connection.execute("SELECT count(*) FROM files").fetchone()[0] == 4


def test_an_index_of_another_version_is_rebuilt(run, multi: Path) -> None:
    expected = outputs(run, multi, "--no-cache")
    run("list", cwd=multi)
    path = multi / cache.FOLDER / cache.DATABASE
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = 'old' WHERE key = 'key'")
        connection.execute("UPDATE status_rows SET data = x'00'")
    assert outputs(run, multi) == expected


def test_a_database_that_is_not_kbiks_is_left_alone(run, multi: Path) -> None:
    expected = outputs(run, multi, "--no-cache")
    (multi / cache.FOLDER).mkdir()
    path = multi / cache.FOLDER / cache.DATABASE
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.execute("INSERT INTO notes VALUES ('mine')")
    connection.close()
    before = path.read_bytes()
    assert outputs(run, multi) == expected
    assert path.read_bytes() == before


def test_the_reader_opens_only_kbiks_own_index_and_creates_nothing(run, multi: Path) -> None:
    key = cache.cache_key(load_config(multi).digest)
    assert cache.reader(multi, key) is None and not (multi / cache.FOLDER).exists()
    run("list", cwd=multi)
    connection = cache.reader(multi, key)
    assert connection is not None
    assert connection.execute("SELECT count(*) FROM files").fetchone()[0] == 4
    connection.close()
    assert cache.reader(multi, "another version") is None
    path = multi / cache.FOLDER / cache.DATABASE
    path.unlink()
    assert cache.reader(multi, key) is None and not path.exists()
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        other.execute("INSERT INTO meta VALUES ('key', ?)", (key,))
    other.close()
    before = path.read_bytes()
    assert cache.reader(multi, key) is None  # not kbik's: no 'application' of its own
    assert path.read_bytes() == before


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_the_reader_leaves_an_index_beside_odd_files_alone(run, multi: Path, suffix: str) -> None:
    run("list", cwd=multi)
    odd = multi / cache.FOLDER / f"{cache.DATABASE}{suffix}"
    odd.unlink(missing_ok=True)
    odd.symlink_to("/dev/zero")
    assert cache.reader(multi, cache.cache_key(load_config(multi).digest)) is None


def test_unwritable_cache_is_ignored(run, multi: Path) -> None:
    expected = outputs(run, multi, "--no-cache")
    (multi / cache.FOLDER).write_text("a file where the folder should be", encoding="utf-8")
    assert outputs(run, multi) == expected


@pytest.mark.parametrize("where", ["", "-wal", "-shm", "folder"])
@pytest.mark.parametrize("odd", ["fifo", "zero", "loop"])
def test_odd_objects_in_the_cache_folder_are_never_read(multi: Path, where: str, odd: str) -> None:
    """A FIFO would hang a reader for ever, /dev/zero fill its memory."""
    folder = multi / cache.FOLDER
    target = folder if where == "folder" else folder / f"{cache.DATABASE}{where}"
    if where != "folder":
        folder.mkdir()
    if odd == "fifo" and where != "folder":
        os.mkfifo(target)
    elif odd == "zero":
        target.symlink_to("/dev/zero")
    else:
        target.symlink_to(target.name if odd == "loop" else "/dev/zero")
    for command, shown in ((["status"], "Tua Tunu Indah"), (["search", "Tuatunu"], "meetings/")):
        result = subprocess.run(
            [sys.executable, "-m", "kbik", *command],
            cwd=multi,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert shown in result.stdout


def test_planted_cache_runs_nothing(run, multi: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    run("list", cwd=multi)
    with sqlite3.connect(multi / cache.FOLDER / cache.DATABASE) as connection:
        for table in ("status_rows", "details"):
            connection.execute(f"UPDATE {table} SET data = ?", (pickle.dumps(Evil()),))
    for command in (["list"], ["status"], ["validate"]):
        assert run(*command, cwd=multi).exit_code in (0, 1)
    assert not marker.exists()


def test_cache_clear(run, multi: Path) -> None:
    run("list", cwd=multi)
    result = run("cache", "clear", cwd=multi)
    assert result.exit_code == 0 and "removed" in result.stdout
    assert not (multi / cache.FOLDER / cache.DATABASE).exists()
    assert "no cache" in run("cache", "clear", cwd=multi).stdout


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
    with sqlite3.connect(multi / cache.FOLDER / cache.DATABASE) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM files").fetchone()[0] == 44


def test_parallel_parsing_gives_the_same_answer(run, multi: Path, monkeypatch) -> None:
    folder = multi / "meetings" / "2016"
    source = (folder / "2016-05-18.md").read_text(encoding="utf-8")
    for week in range(1, 30):
        day = f"2017-{(week // 4) + 1:02d}-{(week % 4) * 7 + 1:02d}"
        (folder / f"{day}.md").write_text(source.replace("2016-05-18", day), encoding="utf-8")
    expected = outputs(run, multi, "--no-cache")
    monkeypatch.setattr(workspace, "PARALLEL_FROM", 4)
    shutil.rmtree(multi / cache.FOLDER, ignore_errors=True)
    assert outputs(run, multi, "--no-cache") == expected
    assert outputs(run, multi) == expected


def test_freshness_rule(tmp_path: Path) -> None:
    """An entry holds only for the same size, times and inode, read well after those times."""
    import types

    from kbik import cache as c

    store = c.Index(tmp_path, "k")
    head = Head("a", 2, 1, None)
    hashed = c.digest(b"x")
    parsed = 10 * c.RACY_NS
    mtime = 5 * c.RACY_NS + 123  # a clock finer than milliseconds

    def known(mtime: int = mtime, ctime: int = mtime, parsed: int = parsed):  # type: ignore[no-untyped-def]
        return ("a", *c.Stamp(100, mtime, ctime, 7, hashed, parsed), head.day, head.date_line, None)

    def stat(size: int = 100, mtime: int = mtime, ctime: int = mtime, ino: int = 7):  # type: ignore[no-untyped-def]
        return types.SimpleNamespace(st_size=size, st_mtime_ns=mtime, st_ctime_ns=ctime, st_ino=ino)

    def trusted(found: types.SimpleNamespace, name: str = "a") -> tuple[Head, bytes] | None:
        """What the stamp check makes of a file that ``stat`` finds so."""
        entry = store.known.get(name)
        if entry is None or not c._matches(entry, found):  # type: ignore[arg-type]
            return None
        return c._head(entry), entry[5]

    hit = (head, hashed)
    store.known["a"] = known()
    assert trusted(stat()) == hit
    assert trusted(stat(size=101)) is None
    assert trusted(stat(mtime=mtime + 1)) is None
    assert trusted(stat(ctime=mtime + 1)) is None  # touch -r, rsync
    assert trusted(stat(ino=8)) is None  # replaced by another file
    assert trusted(stat(), "b") is None  # unknown file
    # Changed within the racy window before it was read: the stamp cannot tell.
    fine = parsed - c.RACY_FINE_NS
    store.known["a"] = known(mtime=fine, ctime=fine)
    assert trusted(stat(mtime=fine, ctime=fine)) is None
    store.known["a"] = known(mtime=fine - 1, ctime=fine - 1)
    assert trusted(stat(mtime=fine - 1, ctime=fine - 1)) == hit
    store.known["a"] = known(mtime=fine - 1, ctime=fine)  # the ctime counts too
    assert trusted(stat(mtime=fine - 1, ctime=fine)) is None
    # Whole seconds: a coarse clock, so the window is two seconds.
    coarse = parsed - c.RACY_NS + 1_000_000_000
    coarse -= coarse % 1_000_000_000
    store.known["a"] = known(mtime=coarse, ctime=coarse)
    assert trusted(stat(mtime=coarse, ctime=coarse)) is None
    older = coarse - c.RACY_NS  # whole seconds, and read more than two seconds later
    store.known["a"] = known(mtime=older, ctime=older)
    assert trusted(stat(mtime=older, ctime=older)) == hit
    # By content: the same bytes hold whatever the stamp, and the entry is re-stamped.
    store.known["a"] = known()
    assert c.lookup_content(store, "a", stat(mtime=3, ctime=4, ino=9), b"x", parsed + 7) == hit
    stamp = c.known_stamp(store, "a")
    assert stamp and stamp[:5] == (100, 3, 4, 9, hashed) and stamp.parsed_ns == parsed + 7
    assert c.lookup_content(store, "a", stat(), b"y", parsed + 8) is None


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
    assert catalogue.source is not None and catalogue.source.kept == {}  # nothing held back
    assert list(catalogue.reports()) == expected
    assert list(catalogue.reports()) == expected  # read afresh, the same
    assert _reports(many) == expected  # warm

    assert _reports(many) == expected
    assert [loaded.session for loaded in ws.load().files] == [
        loaded.session for loaded in ws.load(use_cache=False).files
    ]


def test_rows_another_run_changed_are_not_taken_for_this_one(many: Path) -> None:
    uncached = Workspace(many, load_config(many)).load(use_cache=False)
    ws = Workspace(many, load_config(many))
    ws.load()  # builds the index
    catalogue = ws.load()
    changed = ("meetings/2017/2017-03-01.md", "meetings/2016/2016-05-18.md")
    with sqlite3.connect(many / cache.FOLDER / cache.DATABASE) as connection:
        # As if another kbik had parsed other versions of two files meanwhile.
        ids = f"SELECT id FROM files WHERE name IN {changed}"
        connection.execute(
            f"UPDATE status_rows SET data = ? WHERE id IN ({ids})", (cache.dumps(()),)
        )
        connection.execute(
            f"UPDATE details SET data = ? WHERE id IN ({ids})", (cache.dumps(((), None)),)
        )
        connection.execute(f"UPDATE files SET digest = x'00' WHERE name IN {changed}")
    connection.close()
    assert list(catalogue.reports()) == list(uncached.reports())
    assert catalogue.files == uncached.files


def test_a_run_that_cannot_write_keeps_what_it_parsed(many: Path, monkeypatch) -> None:
    ws = Workspace(many, load_config(many))
    ws.load()
    edited = many / "meetings" / "2017" / "2017-01-04.md"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("Tuatunu: persiapan", "Tuatunu: vakum"),
        encoding="utf-8",
    )
    expected = _reports(many, use_cache=False)
    monkeypatch.setattr(cache, "BUSY_TIMEOUT_S", 0.05)
    blocker = sqlite3.connect(many / cache.FOLDER / cache.DATABASE, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another run is writing, and keeps at it
    try:
        catalogue = ws.load()
        assert catalogue.source is not None
        assert set(catalogue.source.kept) == {"meetings/2017/2017-01-04.md"}
        assert list(catalogue.reports()) == expected
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert _reports(many) == expected  # the next run writes it


def test_search_keeps_tables_of_the_sessions_in_the_index(run, multi: Path) -> None:
    from kbik.records import table_rows

    assert run("search", "Keramat", cwd=multi).exit_code == 0
    catalogue = Workspace(multi, load_config(multi)).load()
    assert catalogue.source is not None
    details = catalogue.source.details()
    with sqlite3.connect(multi / cache.FOLDER / cache.DATABASE) as connection:
        for table, columns in TABLES.items():
            stored = connection.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            expected = [row for name in details for row in table_rows(name, details[name])[table]]
            assert sorted(stored, key=repr) == sorted(expected, key=repr), table
        figures = connection.execute(
            "SELECT label, value FROM figures WHERE name = 'meetings/2016/2016-05-18.md'"
        ).fetchall()
        assert sorted(figures) == [("ccr", 130), ("par", 15), ("rr", 85)]
        reports = connection.execute(
            "SELECT kelurahan, status FROM kelurahan_reports "
            "WHERE name = 'meetings/2016/2016-05-18.md' AND status IS NOT NULL"
        ).fetchall()
        assert ("Tua Tunu Indah", "persiapan") in reports
    connection.close()
    # An edit replaces the file's rows, words included, and a file gone loses them.
    path = multi / "meetings" / "2016" / "2016-05-18.md"
    assert run("search", "kurung", cwd=multi).exit_code == 0
    path.write_text(path.read_text(encoding="utf-8").replace("kurung", "kurawal"), "utf-8")
    assert run("search", "kurung", cwd=multi).exit_code == 1
    assert run("search", "kurawal", cwd=multi).exit_code == 0
    path.unlink()
    assert run("search", "kurawal", cwd=multi).exit_code == 1
    with sqlite3.connect(multi / cache.FOLDER / cache.DATABASE) as connection:
        for table in ("files", "words", "indexed", *TABLES):
            left = connection.execute(
                f"SELECT count(*) FROM {table} WHERE name = 'meetings/2016/2016-05-18.md'"
            ).fetchone()
            assert left == (0,), table
        for table in ("status_rows", "details"):  # one row per file left, no more
            assert connection.execute(f"SELECT count(*) FROM {table}").fetchone() == (3,)
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
    with sqlite3.connect(many / cache.FOLDER / cache.DATABASE) as connection:
        assert connection.execute("SELECT kind FROM results").fetchall() == [("status",)]
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
    path = many / cache.FOLDER / cache.DATABASE
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another run is writing, and keeps at it
    try:
        assert ws.load().status_rows(ws.config, as_of) == expected
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM results").fetchone() == (0,)
    connection.close()
    assert ws.load().status_rows(ws.config, as_of) == expected  # and now it keeps it
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM results").fetchone() == (1,)
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


def test_an_unchanged_workspace_opens_no_write_transaction(run, multi: Path) -> None:
    """Only a run that has something to write takes the index's write lock."""
    run("list", cwd=multi)
    ws = Workspace(multi, load_config(multi))
    files, _ = ws.session_files()
    index = cache.load(multi, cache.cache_key(ws.config.digest))
    cache.prune(index, dict(files))
    assert not index.writing and cache.commit(index)
    cache.prune(index, dict(files[1:]))  # one file gone: forgotten, in a transaction
    assert index.writing and files[0][0] not in index.known


@pytest.mark.parametrize("command", [["status"], ["search", "Tuatunu"]])
def test_a_run_closes_the_index_and_leaves_no_log(multi: Path, command: list[str]) -> None:
    """The last connection to close folds the write-ahead log back into the database;
    a run that left it would have every later run read through it."""
    for _ in range(2):  # the first run writes the index, the second only reads it
        result = subprocess.run(
            [sys.executable, "-m", "kbik", *command], cwd=multi, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert (multi / cache.FOLDER / cache.DATABASE).exists()
        assert not (multi / cache.FOLDER / f"{cache.DATABASE}-wal").exists()
