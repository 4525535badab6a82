"""The cache never changes an answer: cached and uncached output are identical."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from kbik import cache, workspace
from kbik.config import load_config
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
    return [(r.exit_code, r.stdout) for r in (run(*c, *extra, cwd=root) for c in COMMANDS)]


def assert_cache_agrees(run, root: Path) -> None:
    uncached = outputs(run, root, "--no-cache")
    assert outputs(run, root) == uncached  # may write the cache
    assert (root / cache.FOLDER / cache.INDEX).exists()
    assert outputs(run, root) == uncached  # served from it


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


def test_unchanged_content_with_new_times_is_served_from_cache(multi: Path, monkeypatch) -> None:
    ws = Workspace(multi, load_config(multi))
    ws.load()
    for path in (multi / "meetings").rglob("*.md"):
        os.utime(path, ns=(0, 1_000_000_000))  # as if every file were checked out again
    store = cache.load(multi, cache.cache_key(ws.config.digest))
    before = dict(store.entries)
    parsed: list[object] = []
    original = workspace.parse_file
    monkeypatch.setattr(
        workspace, "parse_file", lambda *args: parsed.append(args) or original(*args)
    )
    ws.load()
    assert parsed == []  # same content: nothing parsed again
    after = cache.load(multi, cache.cache_key(ws.config.digest)).entries
    assert {name: entry[4] for name, entry in after.items()} == {
        name: entry[4] for name, entry in before.items()
    }
    assert all(entry[1] == 1_000_000_000 for entry in after.values())


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\x80\x05\x95truncated"])
def test_corrupt_cache_is_ignored(run, multi: Path, damage: bytes) -> None:
    expected = outputs(run, multi, "--no-cache")
    (multi / cache.FOLDER).mkdir()
    (multi / cache.FOLDER / cache.INDEX).write_bytes(damage)
    (multi / cache.FOLDER / cache.DETAILS).write_bytes(damage)
    assert outputs(run, multi) == expected


def test_unwritable_cache_is_ignored(run, multi: Path) -> None:
    expected = outputs(run, multi, "--no-cache")
    (multi / cache.FOLDER).write_text("a file where the folder should be", encoding="utf-8")
    assert outputs(run, multi) == expected


def test_planted_cache_runs_nothing(run, multi: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    (multi / cache.FOLDER).mkdir()
    for name in (cache.INDEX, cache.DETAILS, cache.DELTA):
        (multi / cache.FOLDER / name).write_bytes(pickle.dumps(Evil()))
    assert run("list", cwd=multi).exit_code == 0
    assert not marker.exists()


def test_cache_clear(run, multi: Path) -> None:
    run("list", cwd=multi)
    result = run("cache", "clear", cwd=multi)
    assert result.exit_code == 0 and "removed" in result.stdout
    assert not (multi / cache.FOLDER / cache.INDEX).exists()
    assert "no cache" in run("cache", "clear", cwd=multi).stdout


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


def test_a_few_changes_go_to_the_delta_many_rewrite_the_cache(run, multi: Path) -> None:
    folder = multi / cache.FOLDER
    run("list", cwd=multi)
    index = (folder / cache.INDEX).read_bytes()
    edited = multi / "meetings" / "2016" / "2016-05-18.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nLagi.\n", encoding="utf-8")
    assert_cache_agrees(run, multi)
    assert (folder / cache.INDEX).read_bytes() == index  # untouched
    assert (folder / cache.DELTA).exists()
    assert_cache_agrees(run, multi)


def test_delta_of_an_older_cache_is_ignored(run, multi: Path, monkeypatch) -> None:
    folder = multi / cache.FOLDER
    run("list", cwd=multi)
    edited = multi / "meetings" / "2016" / "2016-05-18.md"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("Tuatunu: persiapan", "Tuatunu: pencairan"),
        encoding="utf-8",
    )
    run("list", cwd=multi)
    delta = (folder / cache.DELTA).read_bytes()
    monkeypatch.setattr(cache, "DELTA_LIMIT", 0)  # the next change rewrites the whole cache
    (multi / "meetings" / "2016" / "2016-05-04.md").unlink()
    run("list", cwd=multi)
    assert not (folder / cache.DELTA).exists()
    (folder / cache.DELTA).write_bytes(delta)  # a stale delta, as a racing process might leave
    assert_cache_agrees(run, multi)


def test_freshness_rule(tmp_path: Path) -> None:
    """An entry holds only for the same size and time stamp, parsed well after that time."""
    import types

    from kbik import cache as c

    store = c.Cache(tmp_path, ("k",))
    summary = ("meetings/a.md", 2, 1, (), None)
    parsed = 10 * c.RACY_NS
    store.entries["a"] = c.Entry(100, 5 * c.RACY_NS, c.digest(b"x"), parsed, summary)

    def stat(size: int, mtime: int) -> types.SimpleNamespace:
        return types.SimpleNamespace(st_size=size, st_mtime_ns=mtime)

    assert c.lookup(store, "a", stat(100, 5 * c.RACY_NS)) == summary
    assert c.lookup(store, "a", stat(101, 5 * c.RACY_NS)) is None  # size differs
    assert c.lookup(store, "a", stat(100, 5 * c.RACY_NS + 1)) is None  # time differs
    assert c.lookup(store, "b", stat(100, 5 * c.RACY_NS)) is None  # unknown file
    # Written within the racy window before it was parsed: the time cannot tell.
    store.entries["a"] = c.Entry(100, parsed - c.RACY_NS, c.digest(b"x"), parsed, summary)
    assert c.lookup(store, "a", stat(100, parsed - c.RACY_NS)) is None
    store.entries["a"] = c.Entry(100, parsed - c.RACY_NS - 1, c.digest(b"x"), parsed, summary)
    assert c.lookup(store, "a", stat(100, parsed - c.RACY_NS - 1)) == summary
    # By content: the same bytes hold whatever the time stamp, and get the new stamp.
    assert c.lookup_content(store, "a", stat(100, 7), b"x") == summary
    assert store.entries["a"][:3] == (100, 7, c.digest(b"x")) and store.dirty
    assert c.lookup_content(store, "a", stat(100, 7), b"y") is None
