"""Every kbik.toml setting, declared once: name, kind, default and what it means.

Reading kbik.toml, the defaults of ``Config``, the file ``kbik init`` writes,
``kbik config`` and the README's table all come from ``SETTINGS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "weekday", "weeks", "language", "table", "tables"]

LANGUAGES = ("id", "en")
MAX_WEEKS = 520  # ten years: a kelurahan silent for longer is stale under any setting


@dataclass(frozen=True)
class Setting:
    """One top-level key of kbik.toml."""

    name: str
    kind: Kind
    default: str | int | None  # None: unset (a table: kbik's own defaults, or empty)
    description: str
    example: str  # a TOML line (or table) that sets it, for kbik init and the README

    @property
    def type_name(self) -> str:
        """The kind of value, in words, for the README and messages."""
        return {
            "text": "text",
            "weekday": "weekday name",
            "weeks": f"whole number, 1 to {MAX_WEEKS}",
            "language": " or ".join(LANGUAGES),
            "table": "table",
            "tables": "list of tables",
        }[self.kind]


SETTINGS: tuple[Setting, ...] = (
    Setting("group", "text", "KBIK", "the group's name, in report titles", 'group = "KBIK"'),
    Setting("city", "text", None, "the city (kota), in report titles", 'city = "Pangkalpinang"'),
    Setting(
        "meeting_day",
        "weekday",
        "rabu",
        "the weekday the group meets, in Indonesian or English",
        'meeting_day = "rabu"',
    ),
    Setting(
        "stale_after_weeks",
        "weeks",
        4,
        "a kelurahan not reported for longer is stale",
        "stale_after_weeks = 4",
    ),
    Setting(
        "language",
        "language",
        "id",
        "the language of reports and of the terminal",
        'language = "id"',
    ),
    Setting(
        "statuses",
        "table",
        None,
        "the status words, each with its description; replaces the default vocabulary",
        '[statuses]\nvakum = "Tidak ada kegiatan pinjaman bergulir"',
    ),
    Setting(
        "aliases",
        "table",
        None,
        "names as sessions write them, each with its official kelurahan name",
        '[aliases]\n"Tuatunu" = "Tua Tunu Indah"',
    ),
    Setting(
        "people",
        "tables",
        None,
        "attendees who belong to no team: name, role, and display (how reports name them)",
        '[[people]]\nname = "Iwan"\nrole = "TA MK"\ndisplay = "Pak Iwan"',
    ),
    Setting(
        "teams",
        "tables",
        None,
        "the teams: number, members (faskel) and kelurahan",
        '[[teams]]\nnumber = 1\nmembers = ["Yuri"]\nkelurahan = ["Tua Tunu Indah"]',
    ),
    Setting(
        "indicators",
        "table",
        None,
        "loan-fund indicators: change a threshold, or add an indicator",
        "[indicators.par]\ngood = 10\nadequate = 20",
    ),
    Setting(
        "figures",
        "table",
        None,
        "counts a session may record besides the indicators, each with its label",
        '[figures]\nksm_aktif = "KSM aktif"',
    ),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}
NAMES = tuple(BY_NAME)


def default(name: str) -> str | int | None:
    """The default of a setting."""
    return BY_NAME[name].default


def readme_table() -> str:
    """The README's table of the settings, as Markdown."""
    lines = ["| key | value | default | what it is |", "|---|---|---|---|"]
    for setting in SETTINGS:
        shown = "-" if setting.default is None else f"`{setting.default}`"
        lines.append(
            f"| `{setting.name}` | {setting.type_name} | {shown} | {setting.description} |"
        )
    return "\n".join(lines) + "\n"
