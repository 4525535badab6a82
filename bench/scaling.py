"""Check that each command's cost grows linearly with its input: time at n and 8n.

    python bench/scaling.py            # n as in the table below; prints the ratios
    python bench/scaling.py --smoke    # small n: every case runs, no judgement

Each case builds a workspace of size n and one of size 8n, runs the command on
each (the faster of two runs), and prints time(8n) / time(n) after taking off
the start-up time of ``kbik --version``. Linear work gives about 8; quadratic
work about 64. A ratio over 16 is marked.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

KBIK = [sys.executable, "-m", "kbik"]


def many_problems(root: Path, n: int) -> list[str]:
    """One file with n kelurahan keys, each a problem (unknown, bad status)."""
    roster = "".join(f'[[teams]]\nnumber = {t}\nkelurahan = ["Desa {t}"]\n' for t in range(1, 11))
    (root / "kbik.toml").write_text(roster, encoding="utf-8")
    lines = "".join(f"  Kampung {i}: salah\n" for i in range(n))
    text = f"---\ndate: 2016-05-11\nattendees: []\nkelurahan:\n{lines}---\n"
    (root / "meetings" / "2016-05-11.md").write_text(text, encoding="utf-8")
    return ["validate", "--no-cache"]


def unknown_names(root: Path, n: int) -> list[str]:
    """n unknown names against a roster of 3,000 kelurahan: "did you mean" for each."""
    names = ", ".join(f'"Kelurahan Nomor {i}"' for i in range(3000))
    (root / "kbik.toml").write_text(
        f"[[teams]]\nnumber = 1\nkelurahan = [{names}]\n", encoding="utf-8"
    )
    lines = "".join(f"  Kelurahn Nomr {i * 7}x: vakum\n" for i in range(n))
    text = f"---\ndate: 2016-05-11\nattendees: []\nkelurahan:\n{lines}---\n"
    (root / "meetings" / "2016-05-11.md").write_text(text, encoding="utf-8")
    return ["validate", "--no-cache"]


def _teams(root: Path, n: int) -> None:
    teams = "".join(
        f'[[teams]]\nnumber = {t}\nmembers = ["Faskel {t}"]\nkelurahan = ["Kel {t}"]\n'
        for t in range(1, n + 1)
    )
    (root / "kbik.toml").write_text(teams, encoding="utf-8")


def schema_teams(root: Path, n: int) -> list[str]:
    """``kbik schema`` with n teams."""
    _teams(root, n)
    return ["schema"]


def config_teams(root: Path, n: int) -> list[str]:
    """``kbik config`` with n teams."""
    _teams(root, n)
    return ["config"]


def new_teams(root: Path, n: int) -> list[str]:
    """``kbik new`` with n teams (each with a member and a kelurahan)."""
    _teams(root, n)
    return ["new", "--date", "2016-05-18"]


def many_followups(root: Path, n: int) -> list[str]:
    """One file with n follow-ups, half of them closed by a later file."""
    items = "".join(f"  - action: Tindak lanjut {i}\n    team: 1\n" for i in range(n))
    done = "".join(
        f"  - action: Tindak lanjut {i}\n    team: 1\n    done: true\n" for i in range(0, n, 2)
    )
    for day, body in (("2016-05-11", items), ("2016-05-18", done)):
        text = f"---\ndate: {day}\nattendees: []\nfollowups:\n{body}---\n"
        (root / "meetings" / f"{day}.md").write_text(text, encoding="utf-8")
    return ["followups", "--all", "--format", "json", "--no-cache"]


CASES: dict[str, tuple[Callable[[Path, int], list[str]], int, int]] = {
    # name: (builder, n, smoke n)
    "validate: problems in one file": (many_problems, 4000, 200),
    "validate: unknown names, roster of 3,000": (unknown_names, 1000, 50),
    "schema: teams": (schema_teams, 1000, 50),
    "config: teams": (config_teams, 1000, 50),
    "new: teams": (new_teams, 500, 50),
    "followups: follow-ups": (many_followups, 1000, 100),
}


def timed(root: Path, args: list[str]) -> float:
    best = float("inf")
    for _ in range(2):
        target = root / "meetings" / "2016-05-18.md"
        if args[0] == "new" and target.exists():
            target.unlink()
        started = time.perf_counter()
        finished = subprocess.run(
            [*KBIK, *args], cwd=root, capture_output=True, env={**os.environ, "NO_COLOR": "1"}
        )
        best = min(best, time.perf_counter() - started)
        if finished.returncode not in (0, 1):
            raise SystemExit(f"{args} failed: {finished.stderr.decode()[-500:]}")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes; no judgement")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start_up = timed(Path(folder), ["--version"])
    print("| case | n | time(8n) / time(n) |")
    print("|---|---|---|")
    worst = 0.0
    for name, (build, n, smoke_n) in CASES.items():
        size = smoke_n if options.smoke else n
        times = []
        for scale in (size, 8 * size):
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                (root / "meetings").mkdir()
                times.append(max(timed(root, build(root, scale)) - start_up, 1e-3))
        ratio = times[1] / times[0]
        worst = max(worst, ratio)
        mark = "" if ratio <= 16 or options.smoke else " (not linear)"
        print(f"| {name} | {size:,} | {ratio:.1f}{mark} |")
    if worst > 16 and not options.smoke:
        sys.exit(1)


if __name__ == "__main__":
    main()
