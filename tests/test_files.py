"""Writing files: unnamed files linked into place, and `report -o` destroying nothing."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest
from conftest import in_english

from kbik import files
from kbik.errors import NothingToDo


def no_named_files(*args: object, **kwargs: object) -> Path:
    raise AssertionError("the fallback with a named temporary file was used")


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="no O_TMPFILE on this system")
def test_create_and_replace_take_the_unnamed_file_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(files, "_named", no_named_files)
    target = tmp_path / "new.md"
    files.create_new(target, "first\n")
    assert target.read_text() == "first\n"
    with pytest.raises(NothingToDo):
        files.create_new(target, "second\n")
    assert target.read_text() == "first\n"
    files.replace_atomically(target, "third\n")
    assert target.read_text() == "third\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md"]


def test_the_fallback_writes_whole_files_too(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(files, "_unnamed", lambda *args: None)
    target = tmp_path / "new.md"
    files.create_new(target, "first\n")
    with pytest.raises(NothingToDo):
        files.create_new(target, "second\n")
    files.replace_atomically(target, "third\n", 0o640)
    assert target.read_text() == "third\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md"]


def test_report_refuses_to_write_over_a_session(run, example: Path) -> None:
    in_english(example)
    session = example / "meetings" / "2016-05-11.md"
    before = session.read_bytes()
    copy = example / "elsewhere.md"
    copy.write_bytes(before)
    for target in (
        "meetings/2016-05-11.md",
        str(session),
        "meetings/new-report.md",
        "./meetings/../meetings/x.html",
        "kbik.toml",
        "elsewhere.md",
    ):
        result = run("report", "-o", target, cwd=example)
        assert result.exit_code == 2, target
        assert "refused" in result.stderr and str(Path(target)) in result.stderr
    assert session.read_bytes() == before and copy.read_bytes() == before
    assert not (example / "meetings" / "new-report.md").exists()


def test_report_refuses_a_link_into_meetings(run, example: Path) -> None:
    (example / "link.md").symlink_to(example / "meetings" / "2016-05-11.md")
    result = run("report", "-o", "link.md", cwd=example)
    assert result.exit_code == 2 and "meetings/" in result.stderr


def test_report_writes_into_a_device_without_replacing_it(run, example: Path) -> None:
    result = run("report", "-o", "/dev/null", cwd=example)
    assert result.exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_report_writes_into_a_fifo(run, example: Path) -> None:
    fifo = example / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read)
    reader.start()
    result = run("report", "-o", "pipe", cwd=example)
    reader.join(10)
    assert result.exit_code == 0
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].startswith(b"# Rangkuman")


def test_report_through_a_link_keeps_the_link(run, example: Path) -> None:
    real = example / "out" / "real.md"
    real.parent.mkdir()
    real.write_text("old\n")
    link = example / "latest.md"
    link.symlink_to(real)
    result = run("report", "-o", "latest.md", cwd=example)
    assert result.exit_code == 0
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text().startswith("# Rangkuman")


def test_a_replaced_report_keeps_its_permissions(run, example: Path) -> None:
    target = example / "private.md"
    target.write_text("old\n")
    target.chmod(0o600)
    assert run("report", "-o", "private.md", cwd=example).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("# Rangkuman")


def test_output_errors_name_the_path_given(run, example: Path, monkeypatch) -> None:
    in_english(example)
    result = run("report", "-o", ".", cwd=example)
    assert result.exit_code == 2
    assert result.stderr.startswith("kbik: .: is a folder")
    (example / "file").write_text("")
    result = run("report", "-o", "file/x.md", cwd=example)
    assert result.exit_code == 2
    assert result.stderr.startswith("kbik: file/x.md: cannot write")

    def full(descriptor: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    result = run("report", "-o", "full.md", cwd=example)
    assert result.exit_code == 2
    assert result.stderr == "kbik: full.md: no space left on the device; nothing was written\n"
    assert not (example / "full.md").exists()
    assert not [p for p in example.iterdir() if p.name.endswith(".tmp")]


def test_a_looping_link_is_named(run, example: Path) -> None:
    in_english(example)
    (example / "loop.md").symlink_to(example / "loop.md")
    result = run("report", "-o", "loop.md", cwd=example)
    assert result.exit_code == 2 and "loop.md: is a link that loops" in result.stderr
