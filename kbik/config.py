"""Workspace discovery and ``kbik.toml`` parsing into a frozen Config."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from hashlib import blake2b
from pathlib import Path
from typing import Any, NamedTuple

from kbik.dates import parse_weekday
from kbik.errors import ConfigError
from kbik.i18n import N_, message
from kbik.indicators import DEFAULT_FIGURES, DEFAULT_INDICATORS, Indicator
from kbik.locate import CONFIG_NAME
from kbik.names import (
    NameRuleError,
    hint,
    name_key,
    official_aliases,
    official_roster,
    resolve_name,
)
from kbik.settings import LANGUAGES, MAX_WEEKS, NAMES, default
from kbik.text import brief

WEEKDAY_NEEDED = N_("meeting_day must be a weekday name such as 'rabu' or 'wednesday', not {value}")

DEFAULT_STATUSES: Mapping[str, str] = {
    "vakum": "Tidak ada kegiatan pinjaman bergulir",
    "persiapan": "Persiapan: rapat BKM/LKM, sosialisasi, PWK, seleksi KSM",
    "pencairan": "Pinjaman disetujui dan sedang dicairkan",
    "bergulir": "Angsuran kembali dan dana digulirkan lagi",
    "bermasalah": "Pinjaman bermasalah sedang diidentifikasi atau ditangani",
    "penagihan": "Penagihan tunggakan sedang berjalan",
    "terhenti": "Pinjaman terhenti; dana macet",
    "selesai": "Program sudah keluar dari kelurahan",
}

_TOP_KEYS = NAMES
_PERSON_KEYS = ("name", "role", "display")
_INDICATOR_KEYS = ("good", "adequate", "better", "label", "low", "high")
_TEAM_KEYS = ("number", "members", "kelurahan")


@dataclass(frozen=True)
class Person:
    """An attendee who belongs to no team, such as the TA MK."""

    name: str
    role: str | None = None
    display: str | None = None  # how reports name them: "Pak Iwan"


@dataclass(frozen=True)
class Team:
    """A numbered team of faskel and the kelurahan it covers."""

    number: int
    members: tuple[str, ...] = ()
    kelurahan: tuple[str, ...] = ()


class Resolved(NamedTuple):
    """A kelurahan name as written, resolved against the workspace's roster."""

    official: str
    team: int | None  # the roster team that covers it
    known: bool  # on the roster or among the aliases


@dataclass(frozen=True)
class Config:
    """The effective settings of a workspace."""

    root: Path
    path: Path | None = None  # the kbik.toml it came from, if any
    group: str = str(default("group"))
    city: str | None = None
    meeting_day_name: str = str(default("meeting_day"))
    meeting_day_source: str = CONFIG_NAME  # "path:line" for an error about it
    stale_after_weeks: int = int(default("stale_after_weeks") or 4)
    language: str = str(default("language"))
    statuses: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_STATUSES))
    aliases: Mapping[str, str] = field(default_factory=dict)  # name_key -> official
    alias_spellings: tuple[str, ...] = ()  # the aliases as kbik.toml writes them
    indicators: Mapping[str, Indicator] = field(default_factory=lambda: dict(DEFAULT_INDICATORS))
    figures: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_FIGURES))
    people: tuple[Person, ...] = ()
    teams: tuple[Team, ...] = ()
    digest: str = ""  # hash of kbik.toml, so caches notice a change

    @cached_property
    def meeting_day(self) -> int:
        """The meeting weekday, Monday 0; resolved on first use.

        Weekday names come from Babel's locale data, which costs as much to load as
        a warm ``kbik status`` takes; the commands that never need the day skip it.
        """

        day = parse_weekday(self.meeting_day_name)
        if day is None:
            raise ConfigError(
                WEEKDAY_NEEDED, where=self.meeting_day_source, value=repr(self.meeting_day_name)
            )
        return day

    def resolve(self, written: str) -> Resolved:
        """Resolve a kelurahan name as written: official name, roster team, known or not."""
        found = self._resolved.get(written)
        if found is None:
            official, known = resolve_name(written, self.aliases, self._roster_names)
            found = Resolved(official, self.roster_team(official), known)
            self._resolved[written] = found
        return found

    def official(self, name: str) -> str:
        """Resolve a kelurahan name as written to its official name."""
        return self.resolve(name).official

    def roster_team(self, official: str) -> int | None:
        """Return the roster team that covers a kelurahan, if any."""
        return self._team_by_kelurahan.get(name_key(official))

    def team(self, number: int) -> Team | None:
        """Return the roster team with that number, if any."""
        return self._team_by_number.get(number)

    def unknown_team(self, number: int) -> str | None:
        """Say that a team number is not on the roster; None when it is, or there is none."""
        if not self.teams or self.team(number) is not None:
            return None
        known = ", ".join(str(team.number) for team in self.teams)
        return message(
            self.language,
            "team {team} is not on the roster (teams: {known})",
            team=number,
            known=known,
        )

    @cached_property
    def roster_kelurahan(self) -> tuple[str, ...]:
        """Every kelurahan on the roster, in roster order."""
        return tuple(name for team in self.teams for name in team.kelurahan)

    @cached_property
    def roster_people(self) -> tuple[str, ...]:
        """Everyone on the roster: team members first, then ``people``."""
        names = [member for team in self.teams for member in team.members]
        names += [person.name for person in self.people]
        return tuple(dict.fromkeys(names))

    def person(self, written: str) -> str | None:
        """The roster's spelling of a person written by name or display name ("Pak Iwan"),
        case and spaces aside; None when the roster does not have them."""
        return self._people_by_key.get(name_key(written))

    @cached_property
    def people_spellings(self) -> tuple[str, ...]:
        """Every way a session may write a person: roster names, then display names."""
        displays = [person.display for person in self.people if person.display]
        return tuple(dict.fromkeys((*self.roster_people, *displays)))

    @cached_property
    def _people_by_key(self) -> dict[str, str]:
        by_key = {name_key(p.display): p.name for p in self.people if p.display}
        by_key.update((name_key(name), name) for name in self.roster_people)  # names win
        return by_key

    @cached_property
    def known_names(self) -> tuple[str, ...]:
        """Every kelurahan name a session may write: roster names and aliases."""
        return self.roster_kelurahan + self.alias_spellings

    @cached_property
    def _resolved(self) -> dict[str, Resolved]:
        # Names as written repeat in every session: resolve each spelling once.
        return {}

    @cached_property
    def _team_by_number(self) -> dict[int, Team]:
        return {team.number: team for team in self.teams}

    @cached_property
    def _roster_names(self) -> dict[str, str]:
        return {name_key(name): name for name in self.roster_kelurahan}

    @cached_property
    def _team_by_kelurahan(self) -> dict[str, int]:
        return {name_key(name): team.number for team in self.teams for name in team.kelurahan}


def load_config(root: Path) -> Config:
    """Read ``root/kbik.toml`` (defaults when there is none)."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config(root=root)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as error:
        reason = error.strerror
        raise ConfigError(N_("cannot read: {reason}"), where=str(path), reason=reason) from None
    except UnicodeDecodeError:
        raise ConfigError(N_("not UTF-8 text; save it as UTF-8"), where=str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _toml_error(path, error) from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        raise ConfigError(
            N_("invalid TOML: values are nested too deeply (kbik.toml needs a few levels at most)"),
            where=str(path),
        ) from None
    return _ConfigReader(root, path, text).read(data, blake2b(raw).hexdigest())


def _toml_error(path: Path, error: tomllib.TOMLDecodeError) -> ConfigError:
    """A TOML error at ``path:line:col``, tomllib's own words after kbik's."""
    said = str(error)
    at = re.search(r"\(at line (\d+), column (\d+)\)", said)
    where = str(path)
    if at:
        said = said[: at.start()].strip()
        where = f"{path}:{at[1]}:{at[2]}"
    return ConfigError(N_("invalid TOML: {reason}"), where=where, reason=said)


class _ConfigReader:
    """Checks the parsed TOML and builds a Config, naming lines in errors."""

    def __init__(self, root: Path, path: Path, text: str) -> None:
        self.root = root
        self.path = path
        self.lines = TomlLines(text.splitlines())

    def fail(
        self, text: str, key: str | None = None, table: str | None = None, /, **values: object
    ) -> ConfigError:
        """An error at the line of ``key``."""
        line = self._line_of(key, table) if key else None
        where = f"{self.path}:{line}" if line else str(self.path)
        return ConfigError(text, where=where, **values)

    def _line_of(self, key: str, table: str | None) -> int | None:
        """Find the line of ``key`` (inside ``[table]`` when given), or of its own table."""
        if table is not None:
            return self.lines.line(key, table)
        return self.lines.line(key, key) or self.lines.line(key)

    def read(self, data: dict[str, Any], digest: str) -> Config:
        for key in data:
            if key not in _TOP_KEYS:
                said = N_("unknown key '{key}'{hint}")
                raise self.fail(said, key, key=key, hint=hint(key, _TOP_KEYS))
        statuses = self._statuses(data.get("statuses"))
        teams = self._teams(data.get("teams", []))
        roster = self._roster(teams)
        return Config(
            root=self.root,
            path=self.path,
            group=self._string(data, "group") or str(default("group")),
            city=self._string(data, "city"),
            meeting_day_name=self._meeting_day(data.get("meeting_day", default("meeting_day"))),
            meeting_day_source=self._where("meeting_day"),
            stale_after_weeks=self._weeks(
                data.get("stale_after_weeks", default("stale_after_weeks"))
            ),
            language=self._language(data.get("language", default("language"))),
            statuses=statuses,
            aliases=self._aliases(data.get("aliases", {}), roster),
            alias_spellings=tuple(data.get("aliases", {})),
            people=self._people(data.get("people", [])),
            indicators=self._indicators(data.get("indicators", {})),
            figures={**DEFAULT_FIGURES, **self._figures(data.get("figures", {}))},
            teams=teams,
            digest=digest,
        )

    def _string(self, data: Mapping[str, Any], key: str, table: str | None = None) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(N_("'{key}' must be a string"), key, table, key=key)
        return value.strip() or None

    def _string_list(self, value: Any, key: str, table: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(N_("'{key}' must be a list of strings"), key, table, key=key)
        return tuple(item.strip() for item in value if item.strip())

    def _meeting_day(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(WEEKDAY_NEEDED, "meeting_day", value=repr(value))
        return value.strip()

    def _where(self, key: str) -> str:
        line = self._line_of(key, None)
        return f"{self.path}:{line}" if line else str(self.path)

    def _weeks(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WEEKS:
            raise self.fail(
                N_(
                    "stale_after_weeks must be a whole number of weeks from 1 to {most}, "
                    "not {value}"
                ),
                "stale_after_weeks",
                most=MAX_WEEKS,
                value=brief(value),
            )
        return value

    def _language(self, value: Any) -> str:
        if value not in LANGUAGES:
            raise self.fail(
                N_("language must be one of {languages}, not {value}"),
                "language",
                languages=", ".join(LANGUAGES),
                value=repr(value),
            )
        return str(value)

    def _statuses(self, value: Any) -> Mapping[str, str]:
        if value is None:
            return dict(DEFAULT_STATUSES)
        if not isinstance(value, dict) or not value:
            raise self.fail(N_('[statuses] must be a table of word = "description"'), "statuses")
        statuses: dict[str, str] = {}
        for word, description in value.items():
            if not isinstance(description, str):
                raise self.fail(
                    N_("status '{word}' needs a description string"), word, "statuses", word=word
                )
            if not re.fullmatch(r"[\w-]+", word):
                raise self.fail(N_("status '{word}' must be one word"), word, "statuses", word=word)
            statuses[word.casefold()] = description
        return statuses

    def _roster(self, teams: tuple[Team, ...]) -> dict[str, str]:
        try:
            return official_roster((team.number, team.kelurahan) for team in teams)
        except NameRuleError as error:
            raise self._broken(error) from None

    def _broken(self, error: NameRuleError) -> ConfigError:
        line = self._line_of(error.key, error.table)
        where = f"{self.path}:{line}" if line else str(self.path)
        return ConfigError(error.text, where=where, **error.values)

    def _aliases(self, value: Any, roster: Mapping[str, str]) -> Mapping[str, str]:
        if not isinstance(value, dict):
            raise self.fail(
                N_('[aliases] must be a table of "name as written" = "official name"'), "aliases"
            )
        try:
            return official_aliases(value, roster)
        except NameRuleError as error:
            raise self._broken(error) from None

    def _indicators(self, value: Any) -> Mapping[str, Indicator]:
        if not isinstance(value, dict):
            raise self.fail(
                N_("[indicators.NAME] must be tables of good = ..., adequate = ..."), "indicators"
            )
        indicators = dict(DEFAULT_INDICATORS)
        for name, settings in value.items():
            table = f"indicators.{name}"
            if not isinstance(settings, dict):
                raise self.fail(N_("[{table}] must be a table"), name, "indicators", table=table)
            self._no_unknown_keys(settings, _INDICATOR_KEYS, table)
            base = indicators.get(name)
            better = settings.get("better", base.better if base else None)
            if better not in ("higher", "lower"):
                raise self.fail(
                    N_('[{table}] needs better = "higher" or "lower"'), "better", table, table=table
                )
            numbers = {}
            for key in ("good", "adequate", "low", "high"):
                number = settings.get(key, getattr(base, key) if base else None)
                if number is not None and (
                    isinstance(number, bool) or not isinstance(number, int | float)
                ):
                    raise self.fail(
                        N_("{key} in [{table}] must be a number"), key, table, key=key, table=table
                    )
                numbers[key] = number
            if numbers["good"] is None or numbers["adequate"] is None:
                raise self.fail(
                    N_("[{table}] needs good = ... and adequate = ..."),
                    name,
                    "indicators",
                    table=table,
                )
            wrong_way = (
                numbers["good"] < numbers["adequate"]
                if better == "higher"
                else numbers["good"] > numbers["adequate"]
            )
            if wrong_way:
                said = (
                    N_("in [{table}], good must be above adequate")
                    if better == "higher"
                    else N_("in [{table}], good must be below adequate")
                )
                raise self.fail(said, "good", table, table=table)
            label = settings.get("label", base.label if base else name.upper())
            indicators[name] = Indicator(
                name,
                str(label),
                better,
                numbers["good"],
                numbers["adequate"],
                numbers["low"],
                numbers["high"],
            )
        return indicators

    def _figures(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(N_('[figures] must be a table of name = "description"'), "figures")
        return dict(value)

    def _people(self, value: Any) -> tuple[Person, ...]:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(N_("[[people]] must be tables with a name"), "people")
        people = []
        for item in value:
            self._no_unknown_keys(item, _PERSON_KEYS, "people")
            name = self._string(item, "name", "people")
            if not name:
                raise self.fail(N_("each [[people]] needs a name"), "people")
            people.append(
                Person(
                    name=name,
                    role=self._string(item, "role", "people"),
                    display=self._string(item, "display", "people"),
                )
            )
        return tuple(people)

    def _teams(self, value: Any) -> tuple[Team, ...]:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(N_("[[teams]] must be tables with a number"), "teams")
        teams: list[Team] = []
        numbers: set[int] = set()
        for item in value:
            self._no_unknown_keys(item, _TEAM_KEYS, "teams")
            number = item.get("number")
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise self.fail(N_("each [[teams]] needs a number, 1 or more"), "number", "teams")
            if number in numbers:
                raise self.fail(N_("team {number} is defined twice"), "teams", number=number)
            numbers.add(number)
            teams.append(
                Team(
                    number=number,
                    members=self._string_list(item.get("members", []), "members", "teams"),
                    kelurahan=self._string_list(item.get("kelurahan", []), "kelurahan", "teams"),
                )
            )
        return tuple(sorted(teams, key=lambda team: team.number))

    def _no_unknown_keys(self, item: Mapping[str, Any], known: tuple[str, ...], table: str) -> None:
        for key in item:
            if key not in known:
                raise self.fail(
                    N_("unknown key '{key}' in [[{table}]]{hint}"),
                    key,
                    table,
                    key=key,
                    table=table,
                    hint=hint(key, known),
                )


def describe(config: Config) -> list[tuple[str, str, str]]:
    """Return (key, where it came from, effective value) for every setting."""
    lines = TomlLines([])
    if config.path is not None:
        lines = TomlLines(config.path.read_text(encoding="utf-8-sig").splitlines())
    name = config.path.name if config.path else CONFIG_NAME

    def source(key: str, table: str | None = None, nth: int = 0) -> str:
        line = lines.line(key, table, nth)
        return f"{name}:{line}" if line else "default"

    values = {
        "group": config.group,
        "city": config.city or "",
        "meeting_day": config.meeting_day_name,
        "stale_after_weeks": str(config.stale_after_weeks),
        "language": config.language,
    }
    rows = [(name, source(name), value) for name, value in values.items()]
    rows.append(("statuses", source("statuses", "statuses"), ", ".join(config.statuses)))
    for written in config.alias_spellings:
        rows.append((f"aliases.{written}", source(written, "aliases"), config.official(written)))
    for index, person in enumerate(config.people):
        shown = person.name + (f" ({person.role})" if person.role else "")
        rows.append((f"people.{index + 1}", source("people", "people", index), shown))
    for index, team in enumerate(config.teams):
        shown = f"{', '.join(team.members) or '-'}; kelurahan: {', '.join(team.kelurahan) or '-'}"
        rows.append((f"teams.{team.number}", source("teams", "teams", index), shown))
    return rows


_HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]#]*?)\s*\]\]?\s*(#.*)?$")
_ASSIGNMENT = re.compile(r"^\s*[\"']?([^\"'=]*?)[\"']?\s*=")


class TomlLines:
    """Where keys and table headers stand in a kbik.toml, indexed in one pass."""

    def __init__(self, lines: list[str]) -> None:
        self.top: dict[str, int] = {}  # top-level key -> line
        self.headers: dict[tuple[str, int], int] = {}  # (table, nth header) -> line
        self.keys: dict[tuple[str, str], int] = {}  # (table, key) -> its first line
        table: str | None = None
        counts: dict[str, int] = {}
        for number, line in enumerate(lines, start=1):
            header = _HEADER.match(line)
            if header:
                table = header[1]
                nth = counts.get(table, 0)
                counts[table] = nth + 1
                self.headers[(table, nth)] = number
                continue
            if line.lstrip().startswith("["):
                table = ""  # a header this index does not read: its keys belong to no table
                continue
            assignment = _ASSIGNMENT.match(line)
            if assignment:
                key = assignment[1].strip()
                where = self.top if table is None else None
                if where is not None:
                    where.setdefault(key, number)
                elif table:
                    self.keys.setdefault((table, key), number)

    def line(self, key: str, table: str | None = None, nth: int = 0) -> int | None:
        """The line of a top-level key, of a table's nth header (``key == table``), or of a
        key in a table."""
        if table is None:
            return self.top.get(key)
        if key == table:
            return self.headers.get((table, nth))
        return self.keys.get((table, key))
