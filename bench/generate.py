"""Generate a synthetic kbik workspace: N weekly sessions in yearly folders, 7 teams.

Deterministic for a given N and seed. Each session has about 40 lines of front
matter and 2.5 KB of body, like a busy real one.

    python bench/generate.py OUT_DIR --sessions 10000 [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

STATUSES = ["vakum", "persiapan", "pencairan", "bergulir", "bermasalah", "penagihan", "terhenti"]
WORDS = [
    "identifikasi",
    "pinjaman",
    "bermasalah",
    "mulai",
    "dari",
    "UPK",
    "sampai",
    "KSM",
    "sosialisasi",
    "pinjaman",
    "bergulir",
    "di",
    "setiap",
    "daerah",
    "dampingan",
    "pembukuan",
    "kelompok",
    "dan",
    "pembukuan",
    "usaha",
    "sudah",
    "berjalan",
    "rapat",
    "rutin",
    "BKM",
    "LKM",
    "peserta",
    "PWK",
    "layak",
    "mendapatkan",
    "pinjaman",
    "penagihan",
    "tunggakan",
    "angsuran",
]
TEAMS = 7
KELURAHAN_PER_TEAM = 3


def roster() -> list[tuple[int, list[str], list[str]]]:
    """Seven teams, two faskel and three kelurahan each."""
    return [
        (
            team,
            [f"Faskel {team}A", f"Faskel {team}B"],
            [f"Kelurahan {team}-{k}" for k in range(1, KELURAHAN_PER_TEAM + 1)],
        )
        for team in range(1, TEAMS + 1)
    ]


def config_text() -> str:
    lines = [
        'group = "KBIK Bench"',
        'city = "Sintetis"',
        'meeting_day = "rabu"',
        "",
        "[[people]]",
        'name = "TA MK"',
        'role = "TA MK"',
        "",
    ]
    for team, members, kelurahan in roster():
        lines += [
            "[[teams]]",
            f"number = {team}",
            "members = [" + ", ".join(f'"{m}"' for m in members) + "]",
            "kelurahan = [" + ", ".join(f'"{k}"' for k in kelurahan) + "]",
            "",
        ]
    return "\n".join(lines)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def session_text(day: dt.date, rng: random.Random) -> str:
    teams = roster()
    absent = rng.sample(range(1, TEAMS + 1), 2)
    attendees = ["TA MK"] + [m for team, members, _ in teams if team not in absent for m in members]
    lines = [
        "---",
        f"date: {day.isoformat()}",
        "title: KBIK Bench",
        "place: Sekretariat",
        "facilitator: TA MK",
        "notetaker: Faskel 1A",
        "attendees: [" + ", ".join(attendees) + "]",
        "absent:",
    ]
    lines += [f"  - {{team: {team}, reason: jarak}}" for team in absent]
    lines += ["topics: [Pembukuan usaha KSM, Penagihan]", "kelurahan:"]
    for _, _, kelurahan in teams:
        for name in kelurahan:
            roll = rng.random()
            if roll < 0.25:
                lines.append(f"  {name}:")
            elif roll < 0.75:
                lines.append(f"  {name}: {rng.choice(STATUSES)}")
            else:
                lines += [
                    f"  {name}:",
                    f"    status: {rng.choice(STATUSES)}",
                    f"    note: {sentence(rng, 8)}",
                ]
    lines.append("followups:")
    for _ in range(2):
        lines += [
            f"  - action: {sentence(rng, 6)}",
            f"    team: {rng.randint(1, TEAMS)}",
            f"    due: {(day + dt.timedelta(days=14)).isoformat()}",
        ]
    lines.append("---")
    body = []
    for team, _, _ in teams:
        body += ["", f"## Tim {team}", "", " ".join(sentence(rng, 9) for _ in range(5))]
    body += ["", "## Penutup", "", sentence(rng, 12)]
    return "\n".join(lines + body) + "\n"


def generate(out: Path, sessions: int, seed: int = 1) -> Path:
    """Write the workspace to ``out`` (replacing it) and return it."""
    if out.exists():
        shutil.rmtree(out)
    (out / "meetings").mkdir(parents=True)
    (out / "kbik.toml").write_text(config_text(), encoding="utf-8")
    rng = random.Random(seed)
    day = dt.date(1900, 1, 3)  # a Wednesday
    for _ in range(sessions):
        folder = out / "meetings" / str(day.year)
        folder.mkdir(exist_ok=True)
        (folder / f"{day.isoformat()}.md").write_text(session_text(day, rng), encoding="utf-8")
        day += dt.timedelta(weeks=1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.sessions, args.seed)


if __name__ == "__main__":
    main()
