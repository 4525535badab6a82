"""No lost data: killed writers leave nothing half-written; concurrent runs stay consistent."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kbik import index as kbik_index


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".kbik-cache" not in p.parts
    }


def kbik(root: Path, *args: str, today: str = "2016-05-16") -> subprocess.Popen[bytes]:
    env = {**os.environ, "KBIK_TODAY": today}
    return subprocess.Popen(
        [sys.executable, "-m", "kbik", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_killed_new_and_report_leave_no_partial_file(example: Path) -> None:
    rng = random.Random(7)
    before = snapshot(example)
    target = example / "out.html"
    for attempt in range(12):
        if attempt % 2:
            process = kbik(example, "report", "--format", "html", "-o", str(target))
        else:
            process = kbik(example, "new", "--date", "2016-05-18")
        time.sleep(rng.uniform(0.0, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = snapshot(example)
        for name, data in before.items():
            assert after[name] == data, f"{name} changed"
        extra = set(after) - set(before)
        assert extra <= {"meetings/2016-05-18.md", "out.html"}, extra
        assert not [name for name in after if ".kbik-" in name and name.endswith(".tmp")]
        if "out.html" in after:
            assert after["out.html"].rstrip().endswith(b"</html>")
        if "meetings/2016-05-18.md" in after:
            text = after["meetings/2016-05-18.md"].decode("utf-8")
            assert text.startswith("---\ndate: 2016-05-18\n")
            assert text.rstrip().endswith("## Penutup")
            (example / "meetings" / "2016-05-18.md").unlink()


def test_report_output_replaces_the_old_file_whole(example: Path) -> None:
    target = example / "out.md"
    target.write_text("old\n", encoding="utf-8")
    process = kbik(example, "report", "-o", str(target))
    assert process.wait() == 0
    assert target.read_text(encoding="utf-8").startswith("# Rangkuman")


def test_twenty_concurrent_runs_stay_consistent(example: Path) -> None:
    text = (example / "meetings" / "2016-05-11.md").read_text(encoding="utf-8")
    for week in range(1, 40):  # enough sessions that the cache matters
        day = f"2015-{(week - 1) // 4 + 1:02d}-{(week - 1) % 4 * 7 + 1:02d}"
        (example / "meetings" / f"{day}.md").write_text(
            text.replace("2016-05-11", day), encoding="utf-8"
        )
    expected = subprocess.run(
        [
            sys.executable,
            "-m",
            "kbik",
            "status",
            "--format",
            "json",
            "--no-cache",
            "--as-of",
            "2016-06-01",
        ],
        cwd=example,
        capture_output=True,
        check=True,
    ).stdout
    processes = []
    for index in range(20):
        if index % 2:
            processes.append(kbik(example, "status", "--format", "json", "--as-of", "2016-06-01"))
        else:
            processes.append(
                kbik(example, "new", "--date", ["2016-05-18", "2016-05-25"][index % 4 // 2])
            )
    results = [(p.wait(), *p.communicate()) for p in processes]
    statuses = [out for index, (code, out, _) in enumerate(results) if index % 2]
    assert all(out == expected for out in statuses)
    new_codes = sorted(code for index, (code, _, _) in enumerate(results) if not index % 2)
    assert new_codes == [0, 0] + [1] * 8
    for _, _, err in results:
        assert b"Traceback" not in err
    for day in ("2016-05-18", "2016-05-25"):
        created = (example / "meetings" / f"{day}.md").read_text(encoding="utf-8")
        assert created.startswith(f"---\ndate: {day}\n") and created.rstrip().endswith("## Penutup")
    with sqlite3.connect(example / kbik_index.FOLDER / kbik_index.DATABASE) as connection:
        known = {path for (path,) in connection.execute("SELECT path FROM files")}
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    assert known <= {f"meetings/{p.name}" for p in (example / "meetings").iterdir()}
    again = subprocess.run(
        [sys.executable, "-m", "kbik", "status", "--format", "json", "--as-of", "2016-06-01"],
        cwd=example,
        capture_output=True,
        check=True,
    )
    assert json.loads(again.stdout) == json.loads(expected)
