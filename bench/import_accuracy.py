"""How well `kbik import` reads rangkuman, field by field, on a corpus of its own.

    python bench/import_accuracy.py [FOLDER]     # default: tests/assets/import

FOLDER holds rangkuman (text, Markdown, WhatsApp exports, Word) and expected.json, the
facts each one states (keyed by file name, and for chats by "file@meeting date"). Each
fact the import reads is right or wrong; one it does not read is left as a comment to
confirm, or missed. The goal: none wrong, at least 90% read.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kbik.config import load_config  # noqa: E402
from kbik.importing import Draft, extract, read_source  # noqa: E402

FIELDS = ("date", "people", "present", "absent", "kelurahan", "previous", "figures", "followups")


def drafts(folder: Path) -> dict[str, Draft]:
    """Each rangkuman of the folder, read with the example roster, by its expected key."""
    config = load_config(ROOT)
    found: dict[str, Draft] = {}
    for path in sorted(folder.iterdir()):
        if path.name == "expected.json":
            continue
        sources = read_source(path)
        for rangkuman in sources:
            draft = extract(rangkuman.text, config, rangkuman.sent, rangkuman.sender)
            key = path.name if len(sources) == 1 and path.suffix != ".zip" else None
            if key is None or key not in json.loads((folder / "expected.json").read_text()):
                key = f"{path.name}@{draft.date}"
            found[key] = draft
    return found


def score(folder: Path) -> dict[str, Counter[str]]:
    """Per field, how many facts were right, wrong, left as comments or missed."""
    config = load_config(ROOT)
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    tally: dict[str, Counter[str]] = {name: Counter() for name in FIELDS}
    for key, draft in drafts(folder).items():
        facts = expected[key]
        comments = " ".join(draft.comments)

        def judge(
            field: str, want: object, got: object, hint: str = "", comments: str = comments
        ) -> None:
            if got is None or got == [] or got == ():
                tally[field]["comment" if hint and hint in comments else "missed"] += 1
            else:
                tally[field]["right" if got == want else "wrong"] += 1

        judge("date", facts["date"], draft.date.isoformat() if draft.date else None)
        for role in ("facilitator", "notetaker", "handover"):
            if facts[role] is not None or getattr(draft, role) is not None:
                judge("people", facts[role], getattr(draft, role))
        members = {m: t.number for t in config.teams for m in t.members}
        present = sorted({members[name] for name in draft.attendees if name in members})
        for team in facts["present"]:
            if config.team(team) and config.team(team).members:  # type: ignore[union-attr]
                # (a team without faskel on the roster has no one to list as attending)
                judge("present", True, (team in present) or None)
        tally["present"]["wrong"] += len(
            [t for t in present if t not in facts["present"] and config.team(t).members]  # type: ignore[union-attr]
        )
        absent = {team: reason for team, reason in draft.absent}
        for team, reason in facts["absent"]:
            judge("absent", reason, absent.get(team))
        tally["absent"]["wrong"] += len([t for t in absent if t not in dict(facts["absent"])])
        entries = {config.official(e.written): e for e in draft.kelurahan}
        for name, (status, previous) in facts["kelurahan"].items():
            entry = entries.get(name)
            judge("kelurahan", status, entry.status if entry else None, name.split()[0])
            if previous is not None or (entry is not None and entry.previous is not None):
                judge("previous", previous, entry.previous if entry else None)
        tally["kelurahan"]["wrong"] += len([n for n in entries if n not in facts["kelurahan"]])
        for name, figures in facts["figures"].items():
            got = dict(entries[name].figures) if name in entries else {}
            for figure, value in figures.items():
                judge("figures", value, got.get(figure))
        actions = [[a.team, list(a.kelurahan)] for a in draft.followups]
        for index, action in enumerate(facts["followups"]):
            judge("followups", action, actions[index] if index < len(actions) else None)
        tally["followups"]["wrong"] += max(0, len(actions) - len(facts["followups"]))
    return tally


def table(tally: dict[str, Counter[str]]) -> str:
    """The tally as a Markdown table, with the share read right."""
    lines = [
        "| field | facts | right | left as comments | wrong | missed | read |",
        "|---|---|---|---|---|---|---|",
    ]
    total: Counter[str] = Counter()
    for name, counts in tally.items():
        facts = sum(counts.values())
        total.update(counts)
        share = counts["right"] / facts if facts else 1.0
        lines.append(
            f"| {name} | {facts} | {counts['right']} | {counts['comment']} | {counts['wrong']} "
            f"| {counts['missed']} | {share:.0%} |"
        )
    facts = sum(total.values())
    lines.append(
        f"| **all** | {facts} | {total['right']} | {total['comment']} | {total['wrong']} "
        f"| {total['missed']} | {total['right'] / facts:.0%} |"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "assets" / "import"
    print(table(score(folder)))
