"""A fresh workspace of four teams (Kendari), used for four Wednesdays as a hurried
faskel would: each slip is caught at its line, in Indonesian, and once mended, no wrong
row reaches `kbik status` and no wrong line the rangkuman (issue 26, "done when")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

CONFIG = """\
group = "KBIK Kendari"
city = "Kendari"
meeting_day = "rabu"
language = "id"

[[people]]
name = "Ratna"
role = "TA MK"
display = "Bu Ratna"

[[people]]
name = "Muh. Arif"
role = "Notulis"

[[teams]]
number = 1
members = ["La Ode Hamid", "Wa Ode Sari"]
kelurahan = ["Mandonga", "Korumba"]

[[teams]]
number = 2
members = ["Andi Tenri"]
kelurahan = ["Poasia", "Anduonohu"]

[[teams]]
number = 3
members = ["Yusran"]
kelurahan = ["Kambu", "Wua-Wua"]

[[teams]]
number = 4
members = ["Dewi"]
kelurahan = ["Kampung Nelayan"]
"""


HEARD: list[str] = []  # everything kbik said in the four weeks, stdout and stderr
# Words of kbik's English messages that no Indonesian one holds.
ENGLISH = re.compile(
    r"\b(the|is|not|was|with|did you mean|should|write|missing|unknown|file|session|"
    r"checked|errors?|warnings?|created|exists|already)\b",
    re.IGNORECASE,
)
WHERE = re.compile(r"^\S+?:\d+(?::\d+)?: (?:error|warning): ")  # for editors: stays as is


def heard(result):  # type: ignore[no-untyped-def]
    HEARD.extend(result.stdout.splitlines() + result.stderr.splitlines())
    return result


def change(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def slip(run, root: Path, path: Path, old: str, new: str, said: str) -> None:
    """Type a slip: validate refuses the week with ``said`` (an error, or a warning that
    --strict counts, as a pre-commit hook does); then mend it."""
    change(path, old, new)
    result = heard(run("validate", "--strict", cwd=root))
    assert result.exit_code == 1 and said in result.stdout, result.stdout
    change(path, new, old)


def week(run, root: Path, monkeypatch, day: str) -> Path:
    monkeypatch.setenv("KBIK_TODAY", day)
    made = heard(run("new", cwd=root))
    assert made.exit_code == 0, made.stderr
    return root / made.stdout.strip()


def test_four_weeks_of_slips_end_with_the_right_status_and_rangkuman(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    HEARD.clear()
    root = tmp_path / "kendari"
    (root / "meetings").mkdir(parents=True)
    (root / "kbik.toml").write_text(CONFIG, encoding="utf-8")

    # Week 1: statuses typed after the colon; "Poasia:bergulir" and "Bu Ratna" as typed.
    first = week(run, root, monkeypatch, "2026-11-04")
    change(first, "facilitator:\n", "facilitator: Bu Ratna\n")
    change(first, "notetaker:\n", "notetaker: Muh. Arif\n")
    change(first, "\n  Mandonga:\n", "\n  Mandonga: pencairan\n")
    change(first, "\n  Kambu:\n", "\n  Kambu: bermasalah\n")
    change(first, "\n  Kampung Nelayan:\n", "\n  Kampung Nelayan: bermasalah\n")
    slip(run, root, first, "\n  Poasia:\n", "\n  Poasia:bergulir\n", "beri spasi sesudah titik dua")
    change(first, "\n  Poasia:\n", "\n  Poasia: bergulir\n")
    assert run("validate", "--strict", cwd=root).exit_code == 0

    # Week 2: a person the roster lacks, a team that does not exist, a note as a comment.
    second = week(run, root, monkeypatch, "2026-11-11")
    assert "facilitator: Ratna" in second.read_text(encoding="utf-8")  # carried forward
    slip(
        run, root, second, "  - Yusran\n", "  - Yusron\n",
        "'Yusron' tidak ada di daftar (maksudnya 'Yusran'?)",
    )  # fmt: skip
    slip(run, root, second, "absent: []", "absent: [6]", "tim 6 tidak ada di daftar")
    change(second, "  - Dewi\n", "")
    change(second, "absent: []", "absent:\n  - {team: 4, reason: sakit, handover: Ratna}")
    slip(
        run, root, second, "\n  Kambu:\n", "\n  Kambu: penagihan  # 5 KSM sudah lunas\n",
        "'5 KSM sudah lunas' adalah komentar",
    )  # fmt: skip
    change(
        second, "\n  Kambu:\n", "\n  Kambu:\n    status: penagihan\n    note: 5 KSM sudah lunas\n"
    )
    assert run("validate", "--strict", cwd=root).exit_code == 0

    # Week 3: the status typed into kbik new's comment, and a percentage sign.
    third = week(run, root, monkeypatch, "2026-11-18")
    slip(
        run, root, third,
        "\n  # pencairan sejak 4 November 2026\n", "\n  # bergulir sejak 4 November 2026\n",
        "komentar di atas 'Mandonga' menyebut 'bergulir', padahal posisinya 'pencairan'",
    )  # fmt: skip
    change(third, "\n  Mandonga:\n", "\n  Mandonga:\n    status: bergulir\n    figures: {rr: 92}\n")
    slip(run, root, third, "{rr: 92}", "{rr: 92, par: 8%}", "'par' harus berupa angka: hapus '%'")
    assert run("validate", cwd=root).exit_code == 0

    # Week 4: a year typed wrong; then nothing reported but Poasia, stalled.
    fourth = week(run, root, monkeypatch, "2026-11-25")
    slip(
        run, root, fourth, "date: 2026-11-25", "date: 2025-11-25",
        "nama berkas menyebut 2026-11-25 tetapi 'date' berisi 2025-11-25",
    )  # fmt: skip
    change(fourth, "\n  Poasia:\n", "\n  Poasia: terhenti\n")
    assert run("validate", cwd=root).exit_code == 0

    rows = json.loads(run("status", "--format", "json", cwd=root).stdout)
    assert {row["kelurahan"]: (row["status"], row["since"]) for row in rows} == {
        "Mandonga": ("bergulir", "2026-11-18"),
        "Korumba": (None, None),
        "Poasia": ("terhenti", "2026-11-25"),
        "Anduonohu": (None, None),
        "Kambu": ("penagihan", "2026-11-11"),
        "Wua-Wua": (None, None),
        "Kampung Nelayan": ("bermasalah", "2026-11-04"),
    }
    report = run("report", "--month", "2026-11", cwd=root).stdout
    assert "Dipandu oleh: Bu Ratna (TA MK)" in report
    assert "Notulis: Muh. Arif (Notulis)" in report
    assert "Tidak hadir: Tim 4 (sakit); hasil KBIK disampaikan kepada Tim 4 oleh Bu Ratna" in (
        report
    )
    assert "Kambu: bermasalah → **penagihan**" in report and "5 KSM sudah lunas" in report
    assert "Tim 6" not in report and "Yusron" not in report and "%" not in report.split("RR")[0]

    # Every message of the four weeks was Indonesian (but the paths and kbik's own words).
    said = [WHERE.sub("", line) for line in HEARD if not line.startswith("meetings/")]
    said += [WHERE.sub("", line) for line in HEARD if WHERE.match(line)]
    assert len(said) > 10 and ENGLISH.search("1 file checked: 1 error, 0 warnings")
    english = [line for line in said if ENGLISH.search(line)]
    assert not english, english
