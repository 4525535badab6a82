"""Read a rangkuman a group already wrote (free text) into a session file's facts.

Precision before recall: a fact goes into the front matter only when the text says it
in one of the ways this module knows; what it says less certainly becomes a YAML comment
for a person to confirm; nothing is invented. The writer's text is kept word for word as
the session's body, so nothing they said is lost.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.dates import get_month_names

from kbik import chats
from kbik.config import Config
from kbik.dates import last_weekday
from kbik.errors import UsageError
from kbik.i18n import N_, message
from kbik.names import name_key, suggest
from kbik.templating import yaml_scalar as scalar

# Status words as rangkuman write them, most specific first. A phrase after "selama ini"
# ("yang selama ini vakum") is where the kelurahan stood before, not where it stands.
_STATUS_PHRASES: tuple[tuple[str, str], ...] = (
    (
        r"bergulir\s+kembali|sudah\s+(?:dapat\s+|mulai\s+)?bergulir|mulai\s+bergulir|"
        r"(?:tetap|masih|lancar)\s+bergulir",
        "bergulir",
    ),
    (r"mulai\s+berproses|tahap\s+persiapan|masih\s+persiapan", "persiapan"),
    (r"identifikasi\s+pinjaman\s+bermasalah", "bermasalah"),
    (r"vakum|vacuum|vakuum", "vakum"),
    (r"terhenti|macet\s+total", "terhenti"),
    (r"(?:proses|tahap|sedang)\s+pencairan", "pencairan"),
    (r"(?:proses|tahap|sedang(?:\s+berjalan)?(?:\s+untuk)?)\s+penagihan", "penagihan"),
)
_BEFORE = re.compile(r"selama\s+ini\s+(?:(?:juga|masih|dalam\s+keadaan)\s+)?$", re.IGNORECASE)
_TEAMS = r"tim\s*(\d+)((?:\s*(?:,|dan|&)\s*(?:tim\s*)?\d+)*)"
_RANGE = re.compile(
    r"tim\s*(\d+)\s*(?:sampai\s+dengan|sampai|s/d|s\.d\.?|hingga|-|–)\s*(?:tim\s*)?(\d+)",
    re.IGNORECASE,
)
_ABSENT = re.compile(
    r"(?:tidak\s+(?:di)?hadir(?:i)?|berhalangan)\s+(?:oleh\s+)?(?:faskel\s+\w+\s+)?"
    + _TEAMS
    + r"|"
    + _TEAMS
    + r"\s+(?:tidak\s+hadir|berhalangan)",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"^[^.]{0,40}?\b(?:karena|dikarenakan|disebabkan|sebab)\s+([^,.;\n]+?)(?=\s*(?:,|\.|;|\n|"
    r"tetapi|tapi|namun|$))",
    re.IGNORECASE,
)
_FIGURES = (
    (
        re.compile(r"(\d+)\s+orang\s+(?:yang\s+)?(?:mengikuti|ikut)\s+PWK", re.IGNORECASE),
        "peserta_pwk",
    ),
    (re.compile(r"(\d+)\s+orang\s+(?:yang\s+)?layak", re.IGNORECASE), "layak_pinjaman"),
)
_CLOSING_NAME = re.compile(r"\(\s*([^()]{2,60}?)\s*\)\s*$")


@dataclass(frozen=True)
class Entry:
    """What the text says of one kelurahan."""

    written: str  # as the writer first wrote it
    status: str | None = None
    previous: str | None = None
    figures: tuple[tuple[str, int], ...] = ()


@dataclass
class _Seen:
    """What one reading found of a kelurahan so far (mutable, private to ``_kelurahan``)."""

    written: str
    statuses: set[str] = field(default_factory=set)
    befores: set[str] = field(default_factory=set)
    figures: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    """One line of an RKTL list, with the team and kelurahan it names."""

    action: str
    team: int | None = None
    kelurahan: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """A session read from a rangkuman: its facts, the comments to confirm, its text."""

    date: dt.date | None
    text: str
    facilitator: str | None = None
    notetaker: str | None = None
    attendees: tuple[str, ...] = ()
    absent: tuple[tuple[int, str | None], ...] = ()
    kelurahan: tuple[Entry, ...] = ()
    comments: tuple[str, ...] = field(default=())
    handover: str | None = None  # who passes the results on to the absent teams
    followups: tuple[Action, ...] = ()


@cache
def _date_pattern() -> re.Pattern[str]:
    """A written Indonesian date ("Rabu, 11 Mei 2016"), from Babel's month names."""

    months = "|".join(get_month_names("wide", locale="id").values())
    return re.compile(rf"\b(\d{{1,2}})\s+({months})\s+(\d{{4}})\b", re.IGNORECASE)


def written_date(text: str) -> dt.date | None:
    """The first date the text writes out, if it writes one."""

    months = {
        name.casefold(): number for number, name in get_month_names("wide", locale="id").items()
    }
    for match in _date_pattern().finditer(text):
        try:
            return dt.date(int(match[3]), months[match[2].casefold()], int(match[1]))
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Rangkuman:
    """One rangkuman as a source holds it: its text, and, from a chat, who sent it when."""

    text: str
    origin: str  # the source, and the message's time in a chat
    sent: dt.date | None = None
    sender: str | None = None


def read_source(path: Path) -> list[Rangkuman]:
    """The rangkuman of one source: a text or Markdown file holds one; a WhatsApp export
    (its .txt, or the .zip it makes) those of its messages that are one; a Word file one.
    Raises OSError or UsageError, with what is wrong, when it cannot be read."""

    suffix = path.suffix.lower()
    if suffix == ".docx":
        return [Rangkuman(_word_text(path), str(path))]
    if suffix not in (".zip", ".txt", ".md", ".markdown", ""):
        raise UsageError(
            N_("kbik import reads text (.txt, .md), WhatsApp exports and Word (.docx)")
        )
    try:
        text = chats.chat_text(path)
    except UnicodeDecodeError:
        raise UsageError(N_("not UTF-8 text; save it as UTF-8")) from None
    except zipfile.BadZipFile:
        raise UsageError(N_("not a .zip file")) from None
    text = text.replace("\r\n", "\n")
    if suffix != ".zip" and not chats.is_chat(text):
        return [Rangkuman(text, str(path))]
    return [
        Rangkuman(m.text, f"{path} ({m.sent:%Y-%m-%d %H:%M})", m.sent.date(), m.sender)
        for m in chats.messages(text)
        if chats.is_rangkuman(m)
    ]


def _word_text(path: Path) -> str:
    """A Word file's text, paragraph by paragraph, with mammoth."""
    import mammoth  # noqa: PLC0415 - 78 ms to import: only when a Word file is imported

    try:
        with open(path, "rb") as stream:
            result = mammoth.extract_raw_text(stream)
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        said = N_("not a Word document (.docx): {reason}")
        raise UsageError(said, reason=str(error)) from None
    text: str = result.value
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def extract(
    text: str, config: Config, sent: dt.date | None = None, sender: str | None = None
) -> Draft:
    """Read a rangkuman's facts; ``sent`` and ``sender`` are when a chat message carried
    it and who sent it, for a date the text does not write and a writer it does not name."""
    flat = " ".join(text.split())
    comments: list[str] = []
    date = written_date(flat)
    if date is None and sent is not None:
        date = last_weekday(sent, config.meeting_day)  # a rangkuman is sent after it
        comments.append(
            message(
                config.language,
                "date: the meeting day on or before the message of {date}",
                date=sent.isoformat(),
            )
        )
    facilitator = _facilitator(flat, config)
    notetaker = _notetaker(text, config) or (config.person(sender) if sender else None)
    present = _present_teams(flat)
    absent = _absent(flat, config)
    both = sorted(set(present) & {team for team, _ in absent})
    if both:  # said to come and not to: neither is taken
        present = [team for team in present if team not in both]
        absent = [(team, reason) for team, reason in absent if team not in both]
        said = " dan ".join(str(team) for team in both)
        comments.append(
            message(
                config.language,
                "Tim {teams}: the text says it came and that it did not; which?",
                teams=said,
            )
        )
    teams = [team for number in present if (team := config.team(number)) is not None]
    attendees = [member for team in teams for member in team.members]
    attendees += [name for name in (facilitator, notetaker) if name and name not in attendees]
    # An RKTL list says what is planned, not where a kelurahan stands.
    reported = "\n".join(
        itertools.takewhile(lambda line: not _RKTL_HEAD.match(line), text.splitlines())
    )
    names = _Names.of(config)
    entries = _kelurahan(reported, config, names, comments)
    handover = _handover(flat, config) if absent else None
    return Draft(
        date=date,
        text=text,
        facilitator=facilitator,
        notetaker=notetaker,
        attendees=tuple(attendees),
        absent=tuple(absent),
        kelurahan=tuple(entries),
        comments=tuple(comments),
        handover=handover,
        followups=tuple(_rktl(text, config, names)),
    )


_RKTL_HEAD = re.compile(r"^\W*(?:RKTL|rencana\s+kerja\s+tindak\s+lanjut)\b.*$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-•*])\s+(.+)$")


def _rktl(text: str, config: Config, names: _Names) -> list[Action]:
    """The follow-ups of an RKTL list: the items under a line that names the RKTL, each
    with the one team it names and the kelurahan it names."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _RKTL_HEAD.match(line)), None)
    if start is None:
        return []
    found: list[Action] = []
    for line in lines[start + 1 :]:
        item = _ITEM.match(line)
        if item is None:
            if line.strip() and found:
                break  # the list has ended
            continue
        words = " ".join(item[1].split())
        teams = {int(n) for n in re.findall(r"\btim\s*(\d+)", words, re.IGNORECASE)}
        team = teams.pop() if len(teams) == 1 else None
        if team is not None and config.teams and config.team(team) is None:
            team = None
        found.append(Action(words, team, tuple(names.found_in(words))))
    return found


def _handover(flat: str, config: Config) -> str | None:
    """A roster person the text says passes the results on ("akan disampaikan oleh Pak
    Iwan")."""
    match = re.search(
        r"disampaikan\s+(?:juga\s+)?(?:oleh|lewat|melalui)\s+([^,.;]{2,40})", flat, re.IGNORECASE
    )
    if match is None:
        return None
    team = re.match(r"tim\s*(\d+)\b", match[1], re.IGNORECASE)
    if team is not None and (not config.teams or config.team(int(team[1])) is not None):
        return f"Tim {team[1]}"  # a team that passes the results on
    words = match[1].split()
    for length in range(len(words), 0, -1):
        person = config.person(" ".join(words[:length]))
        if person is not None:
            return person
    return None


def _facilitator(flat: str, config: Config) -> str | None:
    """A roster person the text names with their role, as guiding: "di pandu oleh TA MK"
    where the text also names them "TA MK ( Pak Iwan )"."""
    for person in config.people:
        if not person.role:
            continue
        role = re.escape(person.role)
        names = "|".join(re.escape(n) for n in {person.name, person.display or person.name})
        named = re.search(rf"{role}\s*\(\s*(?:{names})\s*\)", flat, re.IGNORECASE)
        guided = re.search(
            rf"(?:di\s*pandu|dipimpin|difasilitasi)\s+(?:langsung\s+)?oleh\s+{role}",
            flat,
            re.IGNORECASE,
        )
        if named and guided:
            return person.name
    return None


def _notetaker(text: str, config: Config) -> str | None:
    """The writer, named in parentheses at the very end ("( Hendra Putra )"), when that is
    a person of the roster."""
    match = _CLOSING_NAME.search(text.strip())
    if match is None:
        return None
    return config.person(match[1])


def _present_teams(flat: str) -> list[int]:
    """The teams the text says attended: "dihadiri ... Tim 1 sampai dengan 5"."""
    for sentence in re.split(r"(?<=[.!?])\s+", flat):
        if not re.search(r"\b(?:di\s*hadiri|hadir)\b", sentence, re.IGNORECASE):
            continue
        attended = re.sub(r"tidak\s+(?:di\s*)?hadir.*", "", sentence, flags=re.IGNORECASE)
        found = _RANGE.search(attended)
        if found and int(found[1]) <= int(found[2]) <= int(found[1]) + 50:
            return list(range(int(found[1]), int(found[2]) + 1))
    return []


def _numbers(first: str, rest: str) -> list[int]:
    return [int(first), *(int(n) for n in re.findall(r"\d+", rest or ""))]


def _absent(flat: str, config: Config) -> list[tuple[int, str | None]]:
    """The teams the text says did not come, with the reason it gives."""
    found: list[tuple[int, str | None]] = []
    for match in _ABSENT.finditer(flat):
        numbers = _numbers(match[1], match[2]) if match[1] else _numbers(match[3], match[4])
        reason = _REASON.search(flat[match.end() :])
        for number in numbers:
            if config.teams and config.team(number) is None:
                continue  # no team the roster does not have
            if number not in (n for n, _ in found):
                found.append((number, reason[1].strip() if reason else None))
    return found


@dataclass(frozen=True)
class _Names:
    """Every spelling of a kelurahan a session may use (roster names and aliases), made
    once for a rangkuman: longest first, so that "Bukit Merapen" is found, not "Bukit"
    in it; and the one pattern that finds them all."""

    spellings: tuple[tuple[str, str], ...]  # (spelling, official name)
    pattern: re.Pattern[str] | None  # None: the workspace names no kelurahan

    @classmethod
    def of(cls, config: Config) -> _Names:
        found = {name: name for name in config.roster_kelurahan}
        found.update({alias: config.official(alias) for alias in config.alias_spellings})
        spellings = tuple(sorted(found.items(), key=lambda pair: -len(pair[0])))
        alternatives = "|".join(re.escape(spelling) for spelling, _ in spellings)
        pattern = re.compile(rf"\b({alternatives})\b", re.IGNORECASE) if spellings else None
        return cls(spellings, pattern)

    def official(self, written: str) -> str:
        """The official name of a spelling the pattern found (any case)."""
        key = name_key(written)
        return next(official for spelling, official in self.spellings if name_key(spelling) == key)

    def found_in(self, text: str) -> list[str]:
        """The official names the text holds, in the order written, each once."""
        if self.pattern is None:
            return []
        return list(dict.fromkeys(self.official(m[1]) for m in self.pattern.finditer(text)))


def _kelurahan(text: str, config: Config, names: _Names, comments: list[str]) -> list[Entry]:
    """Each kelurahan the text names, with the status its words give it.

    The text is read part by part (a team's paragraph, "Tim 2 : ..."). In each, names
    and status phrases are taken in order: a status phrase applies to the names said
    since the last one ("Bacang, Ketapang, Ampui, identifikasi pinjaman bermasalah");
    after "selama ini" it is the status before. Two different statuses for one name
    are not guessed between: they become a comment.
    """
    flat = " ".join(text.split())
    pattern = names.pattern
    if pattern is None:
        return []
    entries: dict[str, _Seen] = {}
    for part in _parts(flat):
        own = re.match(r"\W*(?:untuk\s+)?tim\s*(\d+)", part, re.IGNORECASE)
        events: list[tuple[int, str, str]] = []  # (position, kind, value)
        for match in pattern.finditer(part):
            events.append((match.start(), "name", match[1]))
        for match in re.finditer(r"\b" + _TEAMS, part, re.IGNORECASE):
            if own is None or match[1] != own[1]:  # another team's news
                numbers = " dan ".join(str(n) for n in _numbers(match[1], match[2]))
                events.append((match.start(), "team", numbers))
        for phrase, word in _STATUS_PHRASES:
            if word not in config.statuses:
                continue  # a workspace with a vocabulary of its own
            for match in re.finditer(phrase, part, re.IGNORECASE):
                before = bool(_BEFORE.search(part[: match.start()][-40:]))
                events.append((match.start(), "before" if before else "status", word))
        for figure_pattern, figure in _FIGURES:
            for match in figure_pattern.finditer(part):
                events.append((match.start(), "figure", f"{figure}={match[1]}"))
        events.sort()
        group: list[str] = []
        fresh = False  # names said since the last status phrase
        team: str | None = own[1] if own else None
        for at, kind, value in events:
            if kind == "team":
                group, fresh, team = [], False, value
                continue
            if kind == "name":
                key = names.official(value)
                entries.setdefault(key, _Seen(" ".join(value.split())))
                if not fresh:
                    group = []
                if key not in group:
                    group.append(key)
                fresh = True
                continue
            fresh = False
            if not group and kind == "status":
                who = f"Tim {team}" if team else message(config.language, "the text")
                words = part[:at].split()[-6:] + part[at:].split()[:6]
                comments.append(
                    message(
                        config.language,
                        '{who} — "…{words}…"; {status} for which kelurahan?',
                        who=who,
                        words=" ".join(words),
                        status=value,
                    )
                )
            for key in group:
                seen = entries[key]
                if kind == "figure":
                    name, number = value.split("=")
                    seen.figures[name] = int(number)
                else:
                    (seen.statuses if kind == "status" else seen.befores).add(value)
    _slips(flat, names, comments, config.language)
    result = []
    for seen in entries.values():
        status = next(iter(seen.statuses)) if len(seen.statuses) == 1 else None
        previous = next(iter(seen.befores)) if len(seen.befores) == 1 else None
        if len(seen.statuses) > 1:
            said = ", ".join(sorted(seen.statuses))
            comments.append(
                message(
                    config.language,
                    "{name}: the text says {statuses}; status?",
                    name=seen.written,
                    statuses=said,
                )
            )
        elif not seen.statuses:
            comments.append(
                message(
                    config.language,
                    "{name}: named, with no status the text says for certain",
                    name=seen.written,
                )
            )
        if status is None:
            continue  # named but not reported: a comment, never data
        result.append(
            Entry(
                seen.written,
                status,
                previous if previous != status else None,
                tuple(seen.figures.items()),  # in the order the text says them
            )
        )
    return result


def _slips(flat: str, names: _Names, comments: list[str], language: str) -> None:
    """A name after "kelurahan" that is none the workspace knows, but close to one
    ("Ketapan"): a comment to confirm, never a guess."""

    for match in re.finditer(r"\bkelurahan\s+((?:[A-Z][\w'-]*\s*){1,3})", flat):
        written = match[1].strip()
        if names.pattern is not None and names.pattern.match(written):
            continue
        words = written.split()
        for length in range(len(words), 0, -1):
            guess = suggest(" ".join(words[:length]), [spelling for spelling, _ in names.spellings])
            if guess is not None:
                official = dict(names.spellings)[guess]
                comments.append(
                    message(
                        language,
                        "'{written}' may be {official}; which kelurahan?",
                        written=" ".join(words[:length]),
                        official=official,
                    )
                )
                break


def _parts(flat: str) -> list[str]:
    """The text cut at each team's paragraph ("Tim 2 : ...", "Untuk tim 1: ...")."""
    cuts = [m.start() for m in re.finditer(r"\b(?:untuk\s+)?tim\s*\d+\s*:", flat, re.IGNORECASE)]
    bounds = [0, *cuts, len(flat)]
    return [flat[a:b] for a, b in itertools.pairwise(bounds) if flat[a:b].strip()]


def session_text(draft: Draft, config: Config) -> str:
    """The session file of a draft: front matter (facts, and comments to confirm), then
    the writer's text."""

    lines = ["---", f"date: {draft.date.isoformat() if draft.date else ''}"]
    lines.append(f"facilitator: {scalar(draft.facilitator) if draft.facilitator else ''}")
    lines.append(f"notetaker: {scalar(draft.notetaker) if draft.notetaker else ''}")
    lines.append(f"attendees: {scalar(list(draft.attendees))}")
    if draft.absent:
        lines.append("absent:")
        for team, reason in draft.absent:
            shown = f", reason: {scalar(reason)}" if reason else ""
            shown += f", handover: {scalar(draft.handover)}" if draft.handover else ""
            lines.append(f"  - {{team: {team}{shown}}}")
    else:
        lines.append("absent: []")
    if draft.kelurahan:
        lines.append("kelurahan:")
        for entry in draft.kelurahan:
            lines.append(f"  {scalar(entry.written)}:")
            lines.append(f"    status: {entry.status}")
            if entry.previous:
                lines.append(f"    previous: {entry.previous}")
            if entry.figures:
                shown = ", ".join(f"{name}: {value}" for name, value in entry.figures)
                lines.append(f"    figures: {{{shown}}}")
    if draft.followups:
        lines.append("followups:")
        for action in draft.followups:
            lines.append(f"  - action: {scalar(action.action)}")
            if action.team is not None:
                lines.append(f"    team: {action.team}")
            if action.kelurahan:
                lines.append(f"    kelurahan: {scalar(list(action.kelurahan))}")
    for comment in draft.comments:
        lines.append(f"# kbik import: {' '.join(comment.split())}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + draft.text.strip() + "\n"


def summary(
    found: Sequence[Draft],
    written: Iterable[object],
    skipped: Iterable[object],
    language: str = "en",
) -> str:
    """How the import went, in one line."""
    comments = sum(len(draft.comments) for draft in found)
    return message(
        language,
        "{found} rangkuman found, {written} written, {skipped} skipped; {comments} facts left "
        "as comments to confirm",
        found=len(found),
        written=len(list(written)),
        skipped=len(list(skipped)),
        comments=comments,
    )
