"""Count the CPU instructions kbik spends per parsed session file, phase by phase.

    python bench/instructions.py [--files 500]

Wall-clock times on a shared machine drift by tens of percent; instruction counts
from valgrind's callgrind do not, so they show what a change to the parser really
saves. Each phase is counted over ``--files`` files of the benchmark workspace and
over 10 files, and the difference divided, so that start-up cancels out. Needs
valgrind (``apt-get install valgrind``); takes about a minute.
"""

from __future__ import annotations

import argparse
import gc
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import workspace  # noqa: E402

PHASES = {
    "document": "read, split and YAML (documents.parse_document)",
    "session": "the checks, into a Session (sessions.build_session)",
    "records": "head, rows and detail as plain tuples (records.encode)",
    "pickles": "rows and detail pickled for the index (cache.dumps)",
}


def run_phase(folder: Path, count: int, phase: str) -> None:
    """Do the work up to and including ``phase`` for ``count`` files (under valgrind)."""
    gc.disable()  # as in kbik's worker processes
    from kbik import cache, documents, records, sessions
    from kbik.model import Loaded
    from kbik.workspace import Workspace

    ws = Workspace.open(folder)
    names = sorted(str(p) for p in (folder / "meetings").rglob("*.md"))[:count]
    order = list(PHASES)
    for name in names:
        document = documents.parse_document(Path(name).read_bytes(), name)
        if order.index(phase) < 1:
            continue
        session, problems = sessions.build_session(document, ws.config)
        if order.index(phase) < 2:
            continue
        _, rows, detail = records.encode(Loaded(name, session, problems, None))
        if order.index(phase) < 3:
            continue
        cache.dumps(rows)
        cache.dumps(detail)


def instructions(folder: Path, count: int, phase: str) -> int:
    """Instructions callgrind counts for one run of ``run_phase``."""
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--phase",
            phase,
            "--files",
            str(count),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise SystemExit(f"no count from callgrind:\n{result.stderr}")
    return int(found[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = workspace(HERE / "work", 10_000)
    if args.phase:
        run_phase(folder, args.files, args.phase)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    previous = 0
    print("| phase | instructions per file (cumulative) | of which this phase |\n|---|---|---|")
    for phase, meaning in PHASES.items():
        total = instructions(folder, args.files + 10, phase) - instructions(folder, 10, phase)
        per_file = total // args.files
        print(f"| {meaning} | {per_file:,} | {per_file - previous:,} |")
        previous = per_file


if __name__ == "__main__":
    main()
