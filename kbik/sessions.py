"""Turn a Document into a Session, checking what each front-matter value means."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kbik.config import Config
from kbik.dates import as_iso, parse_iso, weekday_name
from kbik.i18n import message
from kbik.model import Absence, Followup, KelurahanEntry, Section, Session
from kbik.names import did_you_mean, name_key, suggest
from kbik.problems import Problem, Severity
from kbik.text import brief

if TYPE_CHECKING:
    from kbik.documents import Document, KeyPath

TOP_KEYS = (
    "date",
    "title",
    "place",
    "facilitator",
    "notetaker",
    "note",
    "attendees",
    "absent",
    "topics",
    "kelurahan",
    "followups",
)
REQUIRED_KEYS = ("date", "attendees")
ENTRY_KEYS = ("status", "previous", "note", "team", "figures")
ABSENT_KEYS = ("team", "reason", "handover")
FOLLOWUP_KEYS = ("id", "action", "team", "kelurahan", "due", "done")

# "Tim 2", "Team 10: extra", and one section for several teams: "Tim 6 dan 7",
# "Tim 1, 2 & 3", "Teams 6 and 7".
_TEAM_HEADING = re.compile(
    r"(?:tim|teams?)\s*(\d+(?:\s*(?:,|&|\bdan\b|\band\b)\s*(?:(?:tim|team)\s*)?\d+)*)\b",
    re.IGNORECASE,
)
_DATE_IN_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRAILING_COMMENT = re.compile(r":\s+#(.*)$")
_STATUS_THEN_COMMENT = re.compile(r":\s*[\w-]+\s+#\s*(.*\S)")  # "Opas: penagihan  # ..."
_NOTE_COMMENT_ANY = re.compile(r":[^\S\n]*[\w-]+[^\S\n]+#", re.MULTILINE)
_PERCENT = re.compile(r"\s*(-?\d+(?:[.,]\d+)?)\s*%\s*")  # "par: 8%"
_YES_NO = {"ya": True, "yes": True, "sudah": True, "tidak": False, "no": False, "belum": False}
_TRAILING_COMMENT_ANY = re.compile(r":[^\S\n]+#", re.MULTILINE)
# An empty entry with a comment line right under it: "  Kambu:\n    # pencairan".
_COMMENT_UNDER_ANY = re.compile(r":[^\S\n]*\n[^\S\n]+#", re.MULTILINE)
# What kbik new wrote after an empty entry before it put the last status on a line
# of its own: "# penagihan sejak 25 Mei 2016", "# belum pernah dilaporkan".
_SCAFFOLD_COMMENT = re.compile(
    r"[\w-]+ (?:sejak|since) \d{1,2} \w+ \d{4}|belum pernah dilaporkan|never reported"
)


# kbik new's comment over an empty entry, and the entry: "  # bergulir sejak 11 Mei
# 2016" then "  Opas:" (the name possibly quoted).
_STOOD = re.compile(
    r"^([^\S\n]*)#[^\S\n]*([\w-]+) (?:sejak|since) \d{1,2} \w+ \d{4}[^\S\n]*\n"
    r"\1(\"[^\"\n]*\"|'[^'\n]*'|[^\s#\"'][^\n#:]*?):[^\S\n]*$",
    re.MULTILINE,
)


def stood_comments(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """kbik new's comments over empty entries, saying where each kelurahan stood: the
    comment's line and column, the name as written, and the status word it names."""
    if " sejak " not in text and " since " not in text:
        return ()  # most files: no such comment, no regex over the text
    return tuple(
        (
            text.count("\n", 0, found.start()) + 1,
            len(found[1]) + 1,
            found[3].strip("\"'").strip(),
            found[2].casefold(),
        )
        for found in _STOOD.finditer(text)
    )


def not_meeting_day(day: dt.date, config: Config) -> str | None:
    """Say (in the workspace's language) that a date is not the meeting day; None if it is."""
    if day.weekday() == config.meeting_day:
        return None
    return message(
        config.language,
        "{date} is a {weekday}, not the meeting day ({meeting_day})",
        date=day.isoformat(),
        weekday=weekday_name(day.weekday(), config.language),
        meeting_day=weekday_name(config.meeting_day, config.language),
    )


def _beyond_scaffold(comment: str) -> str | None:
    """A comment's words after kbik new's own ("bergulir sejak 11 Mei 2016"), if any."""
    comment = comment.strip()
    scaffold = _SCAFFOLD_COMMENT.match(comment)
    rest = comment[scaffold.end() :].strip() if scaffold else comment
    return rest or None


def build_session(document: Document, config: Config) -> tuple[Session | None, tuple[Problem, ...]]:
    """Check a document's values; return the Session (None on any error) and all problems."""
    if document.data is None:
        return None, document.problems
    reader = _SessionReader(document, config)
    session = reader.read(document.data)
    problems = document.problems + tuple(reader.problems)
    if any(problem.severity == "error" for problem in problems):
        return None, problems
    return session, problems


def body_sections(body: str) -> tuple[Section, ...]:
    """Split a session body at its ``## `` headings (text before the first is dropped)."""
    sections: list[Section] = []
    title: str | None = None
    lines: list[str] = []

    def close() -> None:
        if title is not None:
            match = _TEAM_HEADING.match(title)
            numbers = re.findall(r"\d+", match[1]) if match else ()
            teams = tuple(dict.fromkeys(int(n) for n in numbers))
            sections.append(Section(title, "\n".join(lines).strip(), teams))

    for line in body.split("\n"):
        if line.startswith("## "):
            close()
            title, lines = line[3:].strip(), []
        else:
            lines.append(line)
    close()
    return tuple(sections)


@lru_cache(maxsize=4096)
def _plain_entry(name: str, written: str, status: str | None, team: int | None) -> KelurahanEntry:
    """An entry that is a status word alone, or nothing: immutable, and the same week
    after week, so each is made once (most entries of a session are such)."""
    return KelurahanEntry(name, written, status, team=team)


def _describe(path: KeyPath, language: str) -> str:
    """Name a value for a message: 'kelurahan.Opas.note', or item 2 of 'absent'."""
    keys = ".".join(str(part) for part in path if isinstance(part, str))
    if path and isinstance(path[-1], int):
        return message(language, "item {number} of '{keys}'", number=path[-1] + 1, keys=keys)
    return f"'{keys}'"


def _is_text(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# Figures are counts and percentages: anything past this is a slip (a pasted ID, say).
MAX_FIGURE = 1e15


def _finite(number: int | float) -> float | int | None:
    """The figure itself when finite and within MAX_FIGURE; None otherwise (.nan, .inf, 10**400)."""
    try:
        value = float(number)
    except OverflowError:
        return None
    if math.isnan(value) or math.isinf(value) or abs(value) > MAX_FIGURE:
        return None
    return number


class _SessionReader:
    """Reads one document's values, collecting problems with their positions."""

    def __init__(self, document: Document, config: Config) -> None:
        self.document = document
        self.config = config
        self.problems: list[Problem] = []
        self.has_trailing_comments: bool | None = None  # found out on first need
        self.has_note_comments: bool | None = None  # likewise, for a note after a status

    def report(
        self, severity: Severity, code: str, message: str, path: KeyPath, *, key: bool = False
    ) -> None:
        # A missing key has no place of its own: point at the front matter's start.
        line, column = self.document.position(path, key=key) or (1, 1)
        self.problems.append(Problem(self.document.path, severity, code, message, line, column))

    def _(self, text: str, /, **values: object) -> str:
        """A message in the workspace's language, its placeholders filled."""
        return message(self.config.language, text, **values)

    def hint(self, word: str, candidates: Iterable[str]) -> str:
        """' (did you mean ...?)' in the workspace's language, or ''."""
        return did_you_mean(word, candidates, self.config.language)

    def wrong_type(self, path: KeyPath, expected: str) -> None:
        what = _describe(path, self.config.language)
        self.report(
            "error",
            "wrong-type",
            self._("{what} must be {expected}", what=what, expected=expected),
            path,
        )

    def text(self, value: Any, path: KeyPath) -> str | None:
        if type(value) is str:  # most values: the checks below, in one test
            return value.strip() or None
        if value is None:
            return None
        if not _is_text(value):
            self.wrong_type(path, self._("text"))
            return None
        return str(value).strip() or None

    def text_list(self, value: Any, path: KeyPath, what: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.wrong_type(path, self._("a list of {what}, e.g. [a, b]", what=what))
            return ()
        items = []
        for index, item in enumerate(value):
            text = self.text(item, (*path, index))
            if text:
                items.append(text)
        return tuple(items)

    def team_number(self, value: Any, path: KeyPath) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.wrong_type(path, self._("a team number (1, 2, ...)"))
            return None
        unknown = self.config.unknown_team(value)
        if unknown:
            # Where the roster lists teams, a number it does not have is a slip: no report
            # may show a team that does not exist.
            self.report("error", "unknown-team", unknown, path)  # it lists the teams there are
        return value

    def date(self, value: Any, path: KeyPath) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return parse_iso(str(value))
        except ValueError:
            mended = as_iso(str(value))
            how = (
                self._("write it as {date}", date=mended)
                if mended
                else self._("write it as e.g. 2016-05-11")
            )
            text = str(value).strip()
            said = (
                self._("'{value}' is not a valid date: no such day or month", value=text)
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)
                else self._("'{value}' is not a date written YYYY-MM-DD", value=text)
            )
            self.report("error", "invalid-date", f"{said}; {how}", path)
            return None

    def status(self, value: Any, path: KeyPath) -> str | None:
        if not isinstance(value, str):
            self.wrong_type(path, self._("a status word"))
            return None
        word = value.strip().casefold()
        if word not in self.config.statuses:
            first = re.split(r"[\s,;:-]+", word, maxsplit=1)
            if len(first) == 2 and first[0] in self.config.statuses and len(path) >= 2:
                # "Opas: bergulir, tunggakan mulai ditagih": a note on the status line.
                rest = value.strip()[len(first[0]) :].lstrip(" ,;:-")
                how = (
                    self._("write '{name}:' alone, and under it", name=path[1])
                    if len(path) == 2
                    else self._("write the note on a line of its own:")
                )
                self.report(
                    "error",
                    "unknown-status",
                    self._(
                        "a note on the status line: {how} 'status: {word}' and 'note: {rest}'",
                        how=how,
                        word=first[0],
                        rest=rest,
                    ),
                    path,
                )
                return None
            hint = self.hint(word, self.config.statuses)
            known = ", ".join(self.config.statuses)
            said = self._(
                "unknown status '{word}'{hint}; known: {known}", word=value, hint=hint, known=known
            )
            self.report("error", "unknown-status", said, path)
            return None
        return word

    def unknown_keys(self, data: Mapping[str, Any], known: tuple[str, ...], path: KeyPath) -> None:
        for key in data:
            if key not in known:
                where = self._(" in {path}", path=".".join(str(p) for p in path)) if path else ""
                self.report(
                    "warning",
                    "unknown-key",
                    self._(
                        "unknown key '{key}'{where}{hint}",
                        key=key,
                        where=where,
                        hint=self.hint(key, known),
                    ),
                    (*path, key),
                    key=True,
                )

    def read(self, data: Mapping[str, Any]) -> Session | None:
        misspelt = self.misspelt_required(data)
        known = {k: v for k, v in data.items() if k not in misspelt and k != "catatan"}
        self.unknown_keys(known, TOP_KEYS, ())
        if "date" not in data:
            if "date" not in misspelt.values():
                self.report(
                    "error", "missing-date", self._("missing 'date' (e.g. date: 2016-05-11)"), ()
                )
            day = None
        else:
            day = self.date(data["date"], ("date",))
        if "attendees" not in data and "attendees" not in misspelt.values():
            self.report(
                "error",
                "missing-attendees",
                self._("missing 'attendees' (write 'attendees: []' if nobody is recorded)"),
                (),
            )
        attendees = self.attendees(data.get("attendees"))
        present = frozenset(name_key(name) for name in attendees)
        absent = self.absent(data.get("absent"), present)
        kelurahan = self.kelurahan(data.get("kelurahan"))
        topics = self.text_list(data.get("topics"), ("topics",), self._("topics"))
        title, place, facilitator, notetaker, note = (
            self.text(data.get(key), (key,))
            for key in ("title", "place", "facilitator", "notetaker", "note")
        )
        facilitator = self.person(facilitator, ("facilitator",))
        notetaker = self.person(notetaker, ("notetaker",))
        if "catatan" in data:  # the Indonesian word, which would otherwise be dropped
            self.report(
                "error",
                "session-note",
                self._(
                    "a note for the whole session is written 'note:' (kbik's keys are "
                    "English); rename 'catatan:' to 'note:'"
                ),
                ("catatan",),
                key=True,
            )
        if day is None:
            return None
        followups = self.followups(data.get("followups"), day)
        self.check_date(day)
        if "attendees" in data:  # else the cause is reported, not its consequences
            self.check_teams_accounted(present, absent)
        self.check_headings()
        return Session(
            path=self.document.path,
            date=day,
            attendees=attendees,
            absent=absent,
            kelurahan=kelurahan,
            followups=followups,
            topics=topics,
            title=title,
            place=place,
            facilitator=facilitator,
            notetaker=notetaker,
            note=note,
            body=self.document.body,
        )

    def misspelt_required(self, data: Mapping[str, Any]) -> dict[str, str]:
        """Report unknown keys that stand for a missing required key; return them.

        ``atendees:`` is one slip: one error at its line says so, instead of
        "missing 'attendees'" and the warnings that follow from it.
        """
        missing = [key for key in REQUIRED_KEYS if key not in data]
        found: dict[str, str] = {}
        for key in data:
            if key in TOP_KEYS or not missing:
                continue
            meant = suggest(key, missing)
            if meant is not None and meant not in found.values():
                found[key] = meant
                self.report(
                    "error",
                    "misspelt-key",
                    self._(
                        "unknown key '{key}' (did you mean '{meant}'?); '{meant}' is required",
                        key=key,
                        meant=meant,
                    ),
                    (key,),
                    key=True,
                )
        return found

    def attendees(self, value: Any) -> tuple[str, ...]:
        """The attendees, each as the roster spells them (a display name is the person)."""
        names = self.text_list(value, ("attendees",), self._("names"))
        seen: set[str] = set()
        found: list[str] = []
        for index, name in enumerate(names):
            person = self.person(name, ("attendees", index)) or name
            if person in seen:
                self.report(
                    "warning",
                    "duplicate-attendee",
                    self._("'{name}' is listed twice", name=name),
                    ("attendees", index),
                )
                continue
            seen.add(person)
            found.append(person)
        return tuple(found)

    def handover(self, value: Any, path: KeyPath) -> str | None:
        """Who passes the results on: a person of the roster, or a team ("Tim 6")."""
        written = self.text(value, path)
        team = re.fullmatch(r"tim\s*(\d+)", written or "", re.IGNORECASE)
        if team is None:
            return self.person(written, path)
        unknown = self.config.unknown_team(int(team[1]))
        if unknown:
            self.report("error", "unknown-team", unknown, path)
        return f"Tim {int(team[1])}"

    def person(self, written: str | None, path: KeyPath) -> str | None:
        """A person as the roster spells them; where the roster lists people, one it does
        not have is an error (a misspelt name would be shown in every report)."""
        if written is None or not self.config.roster_people:
            return written
        person = self.config.person(written)
        if person is None:
            hint = self.hint(written, self.config.people_spellings)
            self.report(
                "error",
                "unknown-person",
                self._(
                    "'{name}' is not on the roster{hint}; add a new person to kbik.toml "
                    "first, under a team's members or [[people]]",
                    name=written,
                    hint=hint,
                ),
                path,
            )
        return person or written

    def absent(self, value: Any, present: frozenset[str]) -> tuple[Absence, ...]:
        """The absent teams; ``present`` holds the attendees' name keys."""
        if value is None:
            return ()
        if not isinstance(value, list):
            self.wrong_type(("absent",), self._("a list of team numbers or {team, reason}"))
            return ()
        absences: list[Absence] = []
        listed: set[int] = set()
        for index, item in enumerate(value):
            path: KeyPath = ("absent", index)
            if isinstance(item, dict):
                self.unknown_keys(item, ABSENT_KEYS, path)
                if "team" not in item:
                    self.report("error", "wrong-type", self._("an absent entry needs 'team'"), path)
                    continue
                number = self.team_number(item["team"], (*path, "team"))
                reason = self.text(item.get("reason"), (*path, "reason"))
                handover = self.handover(item.get("handover"), (*path, "handover"))
            else:
                number = self.team_number(item, path)
                reason = handover = None
            if number is None:
                continue
            if number in listed:
                said = self._("team {team} is listed twice", team=number)
                self.report("warning", "duplicate-absent", said, path)
                continue
            listed.add(number)
            team = self.config.team(number)
            came = [m for m in team.members if name_key(m) in present] if team else []
            if came:
                self.report(
                    "error",
                    "absent-attended",
                    self._(
                        "team {team} is marked absent but {names} attended",
                        team=number,
                        names=", ".join(came),
                    ),
                    path,
                )
            absences.append(Absence(number, reason, handover))
        return tuple(absences)

    def kelurahan(self, value: Any) -> tuple[KelurahanEntry, ...]:
        if value is None:
            return ()
        if isinstance(value, str) and len(words := value.split()) > 1:
            # "Bukit Merapen pencairan" under 'kelurahan:': the colon was left out.
            example = f"{' '.join(words[:-1])}: {words[-1]}"
            self.report(
                "error",
                "wrong-type",
                self._(
                    "'{value}' has no colon: put a colon and a space after the name, "
                    "e.g. '{example}'",
                    value=value,
                    example=example,
                ),
                ("kelurahan",),
            )
            return ()
        if not isinstance(value, dict):
            self.wrong_type(("kelurahan",), self._("a mapping of kelurahan name to status"))
            return ()
        entries: list[KelurahanEntry] = []
        seen: dict[str, str] = {}
        above: str | None = None
        resolve, with_roster = self.config.resolve, bool(self.config.teams)
        for written, item in value.items():
            path: KeyPath = ("kelurahan", written)
            if written.strip().casefold() in ENTRY_KEYS:
                self.misplaced_field(written, above, path)
                continue
            above = written
            official, roster_team, known = resolve(written)
            if official in seen:
                self.report(
                    "error",
                    "duplicate-kelurahan",
                    self._(
                        "'{written}' and '{other}' are both {official}",
                        written=written,
                        other=seen[official],
                        official=official,
                    ),
                    path,
                    key=True,
                )
                continue
            seen[official] = written
            if with_roster and not known:
                self.unknown_kelurahan(written, path)
            entry = self.entry(official, written, item, path, roster_team)
            if entry is not None:
                entries.append(entry)
        return tuple(entries)

    def unknown_kelurahan(self, written: str, path: KeyPath) -> None:
        hint = self.hint(written, self.config.known_names)
        if self.config.roster_kelurahan:
            # With a roster, a name that is not on it is a slip until kbik.toml says otherwise:
            # it would otherwise become a kelurahan of its own in every report.
            self.report(
                "error",
                "unknown-kelurahan",
                self._(
                    "kelurahan '{name}' is not on the roster{hint}; if it is right, add it "
                    "to a team's kelurahan in kbik.toml, or map this spelling under [aliases]",
                    name=written,
                    hint=hint,
                ),
                path,
                key=True,
            )
        else:
            self.report(
                "warning",
                "unknown-kelurahan",
                self._("kelurahan '{name}' is not on the roster{hint}", name=written, hint=hint),
                path,
                key=True,
            )

    def check_comment(self, written: str, path: KeyPath) -> None:
        """Warn when a status word typed for an empty entry landed in a comment: after it
        ("Kambu: # pencairan"), or alone on the line under it."""
        if self.has_trailing_comments is None:
            source = self.document.source
            self.has_trailing_comments = (
                _TRAILING_COMMENT_ANY.search(source) is not None
                or _COMMENT_UNDER_ANY.search(source) is not None
            )
        if not self.has_trailing_comments:
            return  # most files: no comment after any key, no position to look up
        position = self.document.position(path, key=True)
        if position is None:
            return
        comment = self.comment_of(position[0])
        if comment is None:
            return
        words = [w for w in re.findall(r"[\w-]+", comment.casefold()) if w in self.config.statuses]
        if words:
            self.report(
                "warning",
                "status-in-comment",
                self._(
                    "'{word}' is in a comment (after '#'), so '{name}' counts as not "
                    "discussed; write the status before the '#': {name}: {word}",
                    word=words[-1],
                    name=written,
                ),
                path,
                key=True,
            )

    def comment_of(self, number: int) -> str | None:
        """What an empty entry's comment says beyond kbik new's own words: after the
        name, on the line under it, or appended to kbik new's line over it."""
        line = self.document.line_text(number)
        depth = len(line) - len(line.lstrip())
        trailing = _TRAILING_COMMENT.search(line)
        if trailing is not None:
            return _beyond_scaffold(trailing[1])
        under = self.document.line_text(number + 1)
        if under.lstrip().startswith("#"):
            text = under.lstrip()[1:]
            # At the name's depth, kbik new's words open the next entry's comment.
            if len(under) - len(under.lstrip()) > depth or not _SCAFFOLD_COMMENT.match(
                text.strip()
            ):
                return _beyond_scaffold(text)
        over = self.document.line_text(number - 1)
        if over.lstrip().startswith("#") and len(over) - len(over.lstrip()) == depth:
            return _beyond_scaffold(over.lstrip()[1:])
        return None

    def check_note_comment(self, written: str, status: str, path: KeyPath) -> None:
        """Warn when a note was written as a comment after a status: it would be lost."""
        if self.has_note_comments is None:
            self.has_note_comments = _NOTE_COMMENT_ANY.search(self.document.source) is not None
        if not self.has_note_comments:
            return  # most files: no comment after any status, no position to look up
        position = self.document.position(path, key=True)
        line = self.document.line_text(position[0]) if position else ""
        comment = _STATUS_THEN_COMMENT.search(line)
        if comment is None or _SCAFFOLD_COMMENT.fullmatch(comment[1].strip()):
            return
        self.report(
            "warning",
            "note-in-comment",
            self._(
                "'{comment}' is a comment, which no report or search sees; to keep it, write "
                "'{name}:' alone, and under it 'status: {status}' and 'note: {comment}'",
                comment=comment[1],
                name=written,
                status=status.strip(),
            ),
            path,
            key=True,
        )

    def misplaced_field(self, written: str, above: str | None, path: KeyPath) -> None:
        belongs = (
            self._(
                "indent it under '{above}:' by two more spaces, as a field of that kelurahan",
                above=above,
            )
            if above
            else self._("indent it under the kelurahan it belongs to")
        )
        self.report(
            "error",
            "misplaced-field",
            self._(
                "'{written}' is a field of a kelurahan entry, not a kelurahan: {belongs}",
                written=written,
                belongs=belongs,
            ),
            path,
            key=True,
        )

    def entry(
        self, official: str, written: str, item: Any, path: KeyPath, roster_team: int | None
    ) -> KelurahanEntry | None:
        if item is None:
            self.check_comment(written, path)
            return _plain_entry(official, written, None, roster_team)
        if isinstance(item, str):
            self.check_note_comment(written, item, path)
            return _plain_entry(official, written, self.status(item, path), roster_team)
        if not isinstance(item, dict):
            self.wrong_type(path, self._("a status word or a mapping with 'status'"))
            return None
        self.unknown_keys(item, ENTRY_KEYS, path)
        status = self.status(item["status"], (*path, "status")) if "status" in item else None
        if "status" not in item and item:
            self.report(
                "warning",
                "no-status",
                self._("'{name}' has no status, so it counts as not discussed", name=written),
                path,
                key=True,
            )
        previous = (
            self.status(item["previous"], (*path, "previous")) if "previous" in item else None
        )
        team = roster_team
        if item.get("team") is not None:
            team = self.team_number(item["team"], (*path, "team"))
        return KelurahanEntry(
            name=official,
            written=written,
            status=status,
            previous=previous,
            note=self.text(item.get("note"), (*path, "note")),
            team=team,
            figures=self.figures(item.get("figures"), (*path, "figures")),
        )

    def figures(self, value: Any, path: KeyPath) -> dict[str, float]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.wrong_type(path, self._("a mapping of name: number"))
            return {}
        figures: dict[str, float] = {}
        indicators = self.config.indicators
        for written, number in value.items():
            name = written.casefold()
            where = (*path, written)
            percent = _PERCENT.fullmatch(number) if isinstance(number, str) else None
            if percent:
                self.report(
                    "error",
                    "wrong-type",
                    self._(
                        "'{name}' must be a number: drop the '%' ({name}: {number})",
                        name=written,
                        number=percent[1],
                    ),
                    where,
                )
                continue
            if not _is_number(number):
                self.wrong_type(where, self._("a number"))
                continue
            finite = _finite(number)
            if finite is None:
                self.report(
                    "error",
                    "figure-range",
                    self._(
                        "'{name}' must be a finite number of reasonable size, not {value}",
                        name=written,
                        value=brief(number, self.config.language),
                    ),
                    where,
                )
                continue
            number = finite
            indicator = indicators.get(name)
            if indicator is not None and indicator.out_of_range(number):
                self.report(
                    "error",
                    "figure-range",
                    self._(
                        "{label} must be {bounds}, not {number}",
                        label=indicator.label,
                        bounds=indicator.bounds(self.config.language),
                        number=f"{number:g}",
                    ),
                    where,
                )
                continue
            if indicator is None and number < 0:
                said = self._(
                    "'{name}' is a count: not {number}", name=written, number=f"{number:g}"
                )
                self.report("error", "figure-range", said, where)
                continue
            if indicator is None and name not in self.config.figures:
                known = [*indicators, *self.config.figures]
                self.report(
                    "warning",
                    "unknown-figure",
                    self._(
                        "figure '{name}' is unknown to the workspace{hint}; known: {known}",
                        name=written,
                        hint=self.hint(written, known),
                        known=", ".join(known),
                    ),
                    where,
                    key=True,
                )
            figures[name] = number
        return figures

    def followups(self, value: Any, day: dt.date) -> tuple[Followup, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.wrong_type(("followups",), self._("a list of actions"))
            return ()
        followups = []
        for index, item in enumerate(value):
            path: KeyPath = ("followups", index)
            if not isinstance(item, dict):
                self.wrong_type(path, self._("a mapping with at least 'action'"))
                continue
            self.unknown_keys(item, FOLLOWUP_KEYS, path)
            action = self.text(item.get("action"), (*path, "action"))
            if not action:
                self.report(
                    "error", "missing-action", self._("a follow-up needs an 'action'"), path
                )
                continue
            explicit = self.text(item.get("id"), (*path, "id"))
            team = None
            if item.get("team") is not None:
                team = self.team_number(item["team"], (*path, "team"))
            places = item.get("kelurahan")
            names = self.text_list(
                [places] if isinstance(places, str) else places, (*path, "kelurahan"), "kelurahan"
            )
            due = self.date(item["due"], (*path, "due")) if item.get("due") is not None else None
            done, done_on = self.done(item.get("done"), (*path, "done"))
            position = self.document.position(path)
            followups.append(
                Followup(
                    id=explicit or f"{day.isoformat()}#{index + 1}",
                    action=action,
                    session=day,
                    position=index + 1,
                    team=team,
                    kelurahan=tuple(self.config.official(name) for name in names),
                    due=due,
                    done=done,
                    done_on=done_on,
                    explicit_id=explicit is not None,
                    line=position[0] if position else None,
                )
            )
        return tuple(followups)

    def done(self, value: Any, path: KeyPath) -> tuple[bool, dt.date | None]:
        if value is None or value is False:
            return False, None
        if value is True:
            return True, None
        if isinstance(value, str) and value.strip().casefold() in _YES_NO:
            # The Indonesian words people type for yes and no: ya, sudah; tidak, belum.
            return _YES_NO[value.strip().casefold()], None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return True, value
        self.wrong_type(path, self._("true, false or a date"))
        return False, None

    def check_date(self, day: dt.date) -> None:
        other_day = not_meeting_day(day, self.config)
        if other_day:
            self.report("warning", "not-meeting-day", other_day, ("date",))
        named = _DATE_IN_NAME.search(self.document.path.rsplit("/", 1)[-1])
        if named and named[0] != day.isoformat():
            # A year typed wrong, or last week's file copied with its date left in: which
            # of the two is right only the writer knows, and the wrong one is data.
            self.report(
                "error",
                "filename-date",
                self._(
                    "the file name says {named} but 'date' is {date}: write 'date: {named}', "
                    "or name the file {date}.md",
                    named=named[0],
                    date=day.isoformat(),
                ),
                ("date",),
            )

    def check_headings(self) -> None:
        """A body heading for a team the roster does not have ("## Tim 7" of four teams)
        would file its text under a team that does not exist: an error at its line."""
        body = self.document.body
        if not self.config.teams or "## " not in body:
            return  # nothing to check against, or no heading: most files without a split
        for number, text in enumerate(body.split("\n"), start=self.document.body_line):
            if not text.startswith("## "):
                continue
            for section in body_sections(text):
                for team in section.teams:
                    unknown = self.config.unknown_team(team)
                    if unknown:
                        said = self._(
                            "the heading '## {title}': {unknown}",
                            title=section.title,
                            unknown=unknown,
                        )
                        self.problems.append(
                            Problem(self.document.path, "error", "unknown-team", said, number, 4)
                        )

    def check_teams_accounted(self, present: frozenset[str], absent: tuple[Absence, ...]) -> None:
        """Warn about a team with members that neither came nor sent word."""
        absent_teams = {absence.team for absence in absent}
        for team in self.config.teams:
            # A team without named members cannot be seen attending, so it is not checked.
            if not team.members or team.number in absent_teams:
                continue
            if not any(name_key(member) in present for member in team.members):
                self.report(
                    "warning",
                    "team-unaccounted",
                    self._(
                        "team {team} neither attended nor is listed under 'absent'",
                        team=team.number,
                    ),
                    ("attendees",),
                    key=True,
                )
