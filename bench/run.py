"""Time kbik against the naive script, in one run, and print the ratios.

    python bench/run.py                 # 10,000 sessions, 5 repetitions
    python bench/run.py --large         # also 100,000 sessions (cold and warm once)
    python bench/run.py --smoke         # 200 sessions, 1 repetition: numbers, not speed
    python bench/run.py --write         # also add the results to bench/RESULTS.md

Every figure is a ratio to a baseline timed in the same run on the same machine:
the naive script (bench/naive.py) for ``status``, ``python -c "import typer"`` for
start-up. Peak memory is the largest sum of resident memory over kbik's process
and its workers, sampled from /proc every 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PYTHON = sys.executable
KBIK = str(Path(PYTHON).parent / "kbik")
# Time the commands as installed: Python may cache their bytecode, as it does after a
# normal `pip install` (an editable install under PYTHONDONTWRITEBYTECODE would
# otherwise compile kbik's modules on every run, and not typer's).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
# The generated archive runs a session a week from 1900 on, past today: kbik takes a
# session dated far after today for a typo, so the bench's today is after them all.
ENV["KBIK_TODAY"] = "4000-01-01"


@dataclass
class Timing:
    """Wall-clock seconds of several runs, and the largest memory seen."""

    seconds: list[float]
    peak_mib: float = 0.0  # the largest peak of any one process
    tree_mib: float = 0.0  # the largest sum over kbik's process and its workers

    def memory(self) -> str:
        return f"{self.peak_mib:.0f} ({self.tree_mib:.0f} in all)" if self.peak_mib else ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def spread(self) -> str:
        return f"{min(self.seconds):.3f}–{max(self.seconds):.3f}"


def _tree_rss_kib(pid: int, peaks: dict[int, int]) -> int:
    """Resident memory of a process and all its descendants, from /proc; ``peaks`` keeps
    each process's own high-water mark (VmHWM)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as stream:
                for line in stream:
                    if line.startswith("VmHWM:"):
                        peaks[current] = max(peaks.get(current, 0), int(line.split()[1]))
                    elif line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as stream:
                    pending += [int(child) for child in stream.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_once(
    command: list[str], *, measure_memory: bool = False, found_nothing_ok: bool = False
) -> tuple[float, float, str]:
    """Run a command; return seconds, peak MiB (0 unless measured) and its stdout."""
    elapsed, memory, out = run_measured(command, measure_memory, found_nothing_ok)
    return elapsed, memory[0], out


def run_measured(
    command: list[str], measure_memory: bool = True, found_nothing_ok: bool = False
) -> tuple[float, tuple[float, float], str]:
    """Run a command; return seconds, peak MiB of the largest process and of all of
    them together (0 unless measured), and its stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    peak = 0
    peaks: dict[int, int] = {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kib(process.pid, peaks))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    if measure_memory and Path("/proc").is_dir():
        sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    if sampler.is_alive():
        sampler.join()
    if process.returncode != 0 and not (found_nothing_ok and process.returncode == 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err.decode()}")
    return elapsed, (max(peaks.values(), default=0) / 1024, peak / 1024), out.decode()


def interleaved(
    first: list[str], second: list[str], repeat: int, *, before_second: object = None
) -> tuple[Timing, Timing, str, str]:
    """Time two commands in turns, so that a noisy machine slows both alike."""
    a, b, out_a, out_b = [], [], "", ""
    for _ in range(repeat):
        elapsed, _, out_a = run_once(first)
        a.append(elapsed)
        if callable(before_second):
            before_second()
        elapsed, _, out_b = run_once(second)
        b.append(elapsed)
    return Timing(a), Timing(b), out_a, out_b


def timed(
    command: list[str], repeat: int, *, before: object = None, measure_memory: bool = False
) -> tuple[Timing, str]:
    """Run a command ``repeat`` times (calling ``before()`` first each time)."""
    seconds, peak, out = [], 0.0, ""
    for _ in range(repeat):
        if callable(before):
            before()
        elapsed, mib, out = run_once(command, measure_memory=measure_memory)
        seconds.append(elapsed)
        peak = max(peak, mib)
    return Timing(seconds, peak), out


def workspace(work: Path, sessions: int) -> Path:
    """Generate (or reuse) a synthetic workspace of that size."""
    folder = work / f"ws-{sessions}"
    marker = folder / ".generated"
    if not marker.exists():
        generate(folder, sessions)
        marker.write_text("1\n", encoding="utf-8")
    return folder


def edit_latest(folder: Path, count: list[int]) -> Path:
    """Change one status in the newest session file; return the file."""
    latest = max((folder / "meetings").rglob("*.md"))
    text = latest.read_text(encoding="utf-8")
    words = ["persiapan", "pencairan"]
    word = words[count[0] % 2]
    count[0] += 1
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("  Kelurahan 1-1:"):
            lines[index] = f"  Kelurahan 1-1: {word}"
            # A following "status:"/"note:" block would now be malformed: drop it.
            while index + 1 < len(lines) and lines[index + 1].startswith("    "):
                del lines[index + 1]
            break
    latest.write_text("\n".join(lines), encoding="utf-8")
    return latest


CHAT_MESSAGES = 20_000  # five years of a group's chat
CHAT_RANGKUMAN = 260  # one rangkuman a week among them


def chat_workspace(work: Path) -> Path:
    """A workspace with the example roster and no sessions, beside an Android chat
    export of CHAT_MESSAGES messages, CHAT_RANGKUMAN of them rangkuman (once made)."""
    import datetime as dt

    folder = work / "history"
    chat = folder / "chat.txt"
    if chat.exists():
        return folder
    (folder / "meetings").mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE.parent / "kbik.toml", folder / "kbik.toml")
    seed = (HERE.parent / "docs" / "rangkuman-2016-05-11.txt").read_text(encoding="utf-8")
    lines = []
    day = dt.datetime(2016, 1, 6, 19, 0)  # a Wednesday
    per_week = CHAT_MESSAGES // CHAT_RANGKUMAN
    for week in range(CHAT_RANGKUMAN):
        meeting = day + dt.timedelta(weeks=week)
        written = seed.replace(
            "Rabu, 11 Mei 2016", f"Rabu, {meeting.day} {MONTHS[meeting.month - 1]} {meeting.year}"
        )
        stamp = meeting.strftime("%d/%m/%y %H.%M")
        lines.append(f"{stamp} - Hendra Putra: {written.strip()}")
        for number in range(per_week - 1):
            at = (meeting + dt.timedelta(minutes=5 + number * 7)).strftime("%d/%m/%y %H.%M")
            lines.append(f"{at} - Yuri: Siap pak, pesan nomor {number} minggu {week}.")
    chat.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def status_map(output: str) -> dict[str, str]:
    """Kelurahan → status from kbik's JSON, for comparing with the naive script."""
    return {row["kelurahan"]: row["status"] for row in json.loads(output) if row["status"]}


def bench(sessions: int, repeat: int, work: Path) -> list[tuple[str, str, str, str, str]]:
    """Time everything for one workspace size; return table rows."""
    folder = workspace(work, sessions)
    status = [KBIK, "-C", str(folder), "status", "--format", "json", "--as-of", "4000-01-01"]
    clear = [KBIK, "-C", str(folder), "cache", "clear"]

    naive, cold, naive_out, cold_out = interleaved(
        [PYTHON, str(HERE / "naive.py"), str(folder)],
        status,
        repeat,
        before_second=lambda: run_once(clear),
    )
    # Memory in a run of its own: sampling /proc takes CPU from the two cores.
    run_once(clear)
    cold.peak_mib, cold.tree_mib = run_measured(status)[1]
    warm, warm_out = timed(status, repeat)
    if status_map(cold_out) != json.loads(naive_out) or warm_out != cold_out:
        raise SystemExit("kbik status disagrees with the naive script or with itself")
    count = [0]
    edited: list[float] = []
    for _ in range(repeat):
        edit_latest(folder, count)
        elapsed, _, out = run_once(status)
        edited.append(elapsed)
        expected = "persiapan" if count[0] % 2 else "pencairan"
        if status_map(out).get("Kelurahan 1-1") != expected:
            raise SystemExit("after an edit, kbik status did not show it")
    edit = Timing(edited)

    # Search: the first run fills the full-text table; the ones after it are timed.
    search = [
        KBIK,
        "-C",
        str(folder),
        "search",
        '"tunggakan angsuran penagihan"',
        "--format",
        "json",
    ]
    run_once(search, found_nothing_ok=True)
    searched = Timing([run_once(search, found_nothing_ok=True)[0] for _ in range(repeat)])

    # A fresh copy of the workspace (every file just written, no cache): the second run
    # must already be warm.
    copy = work / f"copy-{sessions}"
    second: list[float] = []
    for _ in range(max(2, repeat // 2)):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".kbik-cache"))
        copied = [KBIK, "-C", str(copy), "status", "--format", "json", "--as-of", "4000-01-01"]
        run_once(copied)
        second.append(run_once(copied)[0])
    shutil.rmtree(copy, ignore_errors=True)
    fresh = Timing(second)

    # kbik import of a five-year chat export: the time of the naive script over the
    # sessions is its bar. Each run imports into a workspace without sessions.
    history = chat_workspace(work)
    chat = history / "chat.txt"
    imports: list[float] = []
    for _ in range(repeat):
        shutil.rmtree(history / "meetings", ignore_errors=True)
        shutil.rmtree(history / ".kbik-cache", ignore_errors=True)
        (history / "meetings").mkdir()
        elapsed, _, out = run_once([KBIK, "-C", str(history), "import", str(chat)])
        imports.append(elapsed)
        if out.count("\n") != CHAT_RANGKUMAN:
            raise SystemExit(
                f"kbik import wrote {out.count(chr(10))} sessions, not {CHAT_RANGKUMAN}"
            )
    imported = Timing(imports)

    # Start-up takes tens of milliseconds: more turns, interleaved with the baseline.
    typer_import, version, _, _ = interleaved(
        [PYTHON, "-c", "import typer"], [KBIK, "--version"], repeat * 4
    )
    typer_again, help_, _, _ = interleaved(
        [PYTHON, "-c", "import typer"], [KBIK, "--help"], repeat * 4
    )
    typer_import = Timing(typer_import.seconds + typer_again.seconds)

    def row(name: str, timing: Timing, base: Timing, target: str) -> tuple[str, ...]:
        # Three digits: 0.7046× must not read as meeting ≤ 0.7×.
        return (
            name,
            f"{timing.median:.3f} ({timing.spread()})",
            f"{timing.median / base.median:.3g}×",
            target,
            timing.memory(),
        )

    n = f"{sessions:,}"
    return [
        (f"naive script, {n} sessions", f"{naive.median:.3f} ({naive.spread()})", "1.00×", "", ""),
        row(f"status cold, {n}", cold, naive, "≤ 0.7×"),
        row(f"status warm, {n}", warm, naive, "≤ 0.08×"),
        row(f"search warm, {n}", searched, naive, "≤ 0.05×"),
        (
            f"status, second run after a fresh copy, {n}",
            f"{fresh.median:.3f} ({fresh.spread()})",
            f"{fresh.median / warm.median:.2f}× warm",
            "≤ 1.25× warm",
            "",
        ),
        (
            f"status after editing one file, {n}",
            f"{edit.median:.3f} ({edit.spread()})",
            f"{edit.median / warm.median:.2f}× warm",
            "≤ 1.5× warm",
            "",
        ),
        (
            "python -c 'import typer'",
            f"{typer_import.median:.3f} ({typer_import.spread()})",
            "1.00×",
            "",
            "",
        ),
        row(
            f"import of a chat export, {CHAT_MESSAGES:,} messages ({CHAT_RANGKUMAN} rangkuman)",
            imported,
            naive,
            "≤ 0.5×",
        ),
        row("kbik --version", version, typer_import, "≤ 1.3×"),
        row("kbik --help", help_, typer_import, "≤ 1.3×"),
    ]


# Listing meetings/ and stat-ing each file, as kbik's warm runs do, in plain Python.
FLOOR = """
import os, sys
files, pending = [], [sys.argv[1]]
while pending:
    for entry in os.scandir(pending.pop()):
        if entry.is_dir(follow_symlinks=False):
            pending.append(entry.path)
        elif entry.name.endswith(".md"):
            files.append(entry.path)
files.sort()
stats = [os.stat(path) for path in files]
"""


def scale(work: Path, small: int, large: int) -> list[tuple[str, ...]]:
    """Cold and warm status at two sizes: time per session, large over small."""
    rows = []
    per_session: dict[tuple[str, int], float] = {}
    for sessions in (small, large):
        folder = workspace(work, sessions)
        status = [KBIK, "-C", str(folder), "status", "--format", "json"]
        colds, warms = [], []
        for _ in range(2):  # the faster of two: one run is at the mercy of the machine
            run_once([KBIK, "-C", str(folder), "cache", "clear"])
            colds.append(run_once(status)[0])
            warms.append(run_once(status)[0])
        cold, warm = min(colds), min(warms)
        run_once([KBIK, "-C", str(folder), "cache", "clear"])
        memory = Timing([], *run_measured(status)[1]).memory()
        per_session[("cold", sessions)] = cold / sessions
        per_session[("warm", sessions)] = warm / sessions
        rows.append(
            (f"status cold / warm, {sessions:,}", f"{cold:.2f} / {warm:.2f}", "", "", memory)
        )
        if sessions == large:
            # The bar at this size: warm status and search no slower than grep over the files.
            # The phrase of the search row above: a few hundred hits, not half a million
            # (a single common word makes it a test of printing JSON, not of the engine).
            words = "tunggakan angsuran penagihan"
            search = [KBIK, "-C", str(folder), "search", f'"{words}"', "--format", "json"]
            run_once(search, found_nothing_ok=True)
            searched = min(run_once(search, found_nothing_ok=True)[0] for _ in range(2))
            grep = ["grep", "-rl", words, str(folder / "meetings")]
            run_once(grep, found_nothing_ok=True)  # the files in the page cache, as for kbik
            grepped = min(run_once(grep, found_nothing_ok=True)[0] for _ in range(2))
            # What any warm run must do, in Python and nothing else: list meetings/ and
            # stat every file (how far kbik's own work is from the bar, and what no
            # work of kbik's can go under).
            floor = [PYTHON, "-c", FLOOR, str(folder / "meetings")]
            run_once(floor)
            floored = min(run_once(floor)[0] for _ in range(2))
            measured = (("status warm", warm), ("search warm", searched), ("list, stat", floored))
            for name, seconds in measured:
                rows.append(
                    (
                        f"{name} / grep -rl '{words}' meetings/, {sessions:,}",
                        f"{seconds:.2f} / {grepped:.2f}",
                        f"{seconds / grepped:.2f}×",
                        "≤ 1× grep",
                        "",
                    )
                )
    for kind in ("cold", "warm"):
        ratio = per_session[(kind, large)] / per_session[(kind, small)]
        rows.append(
            (
                f"{kind}: time per session, {large:,} over {small:,}",
                f"{ratio:.2f}×",
                "",
                "≤ 1× (linear)",
                "",
            )
        )
    return rows


def table(rows: list[tuple[str, ...]]) -> str:
    head = ("what", "seconds: median (min–max)", "ratio", "target", "peak MiB: one process (all)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{platform.machine()}, {cores} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--large", action="store_true", help="also 100,000 sessions")
    parser.add_argument("--smoke", action="store_true", help="200 sessions, once")
    parser.add_argument("--write", action="store_true", help="add the results to bench/RESULTS.md")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    args = parser.parse_args()
    if args.smoke:
        args.sessions, args.repeat = 200, 1
    run_once([KBIK, "--version"])  # let Python cache kbik's bytecode before timing
    args.work.mkdir(parents=True, exist_ok=True)
    rows = bench(args.sessions, args.repeat, args.work)
    if args.large:
        rows += scale(args.work, args.sessions, args.sessions * 10)
    report = f"Machine: {machine()}\n\n{table(rows)}\n"
    print(report)
    if args.write:
        # Appended: the file keeps every earlier run, with what changed between them.
        command = "python bench/run.py" + (" --large" if args.large else "")
        with (HERE / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write(f"\n## {time.strftime('%Y-%m-%d')}: `{command}`\n\n{report}")
    if args.smoke:
        shutil.rmtree(args.work / "ws-200", ignore_errors=True)


if __name__ == "__main__":
    main()
