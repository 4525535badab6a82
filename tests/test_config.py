"""kbik.toml: discovery, defaults, and errors that name the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbik.config import DEFAULT_STATUSES, load_config
from kbik.errors import ConfigError, UsageError
from kbik.locate import find_root


def test_workspace_is_found_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / "kbik.toml").write_text('group = "G"\n', encoding="utf-8")
    deep = tmp_path / "meetings" / "2016"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()


def test_without_config_a_folder_with_meetings_is_the_workspace(tmp_path: Path) -> None:
    (tmp_path / "meetings" / "2016").mkdir(parents=True)
    assert find_root(tmp_path / "meetings" / "2016") == tmp_path.resolve()
    config = load_config(tmp_path)
    assert config.path is None
    assert dict(config.statuses) == dict(DEFAULT_STATUSES)
    assert config.meeting_day == 2


def test_explicit_workspace_must_exist(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        find_root(tmp_path, tmp_path / "nowhere")
    with pytest.raises(UsageError, match="is not a kbik workspace"):
        find_root(tmp_path, tmp_path)


def test_no_workspace_is_a_usage_error_that_says_what_to_do(run, tmp_path: Path) -> None:
    for command in (["status"], ["validate"], ["list"], ["report"], ["followups"], ["new"]):
        result = run(*command, cwd=tmp_path)
        assert result.exit_code == 2, command
        assert "no kbik.toml or meetings/ folder here" in result.stderr
        assert "kbik init" in result.stderr and "-C DIR" in result.stderr


def test_example_roster_resolves_names() -> None:
    config = load_config(Path(__file__).resolve().parent.parent)
    assert config.group == "KBIK Tim MK"
    assert config.official("tuatunu") == "Tua Tunu Indah"
    assert config.official("  Bukit   Merapen ") == "Bukit Merapin"
    assert config.official("keramat") == "Keramat"
    assert config.roster_team("Air Salemba") == 4
    assert config.team(6) is not None and config.team(6).members == ()
    assert "Iwan" in config.roster_people


@pytest.mark.parametrize(
    "day, number", [("rabu", 2), ("Wednesday", 2), ("Jum'at", 4), ("minggu", 6), ("Senin", 0)]
)
def test_meeting_day_in_indonesian_or_english(tmp_path: Path, day: str, number: int) -> None:
    (tmp_path / "kbik.toml").write_text(f'meeting_day = "{day}"\n', encoding="utf-8")
    assert load_config(tmp_path).meeting_day == number


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            'group = "G"\ngrup = "x"\n',
            r"kbik.toml:2: error: unknown key 'grup' \(did you mean 'group'\?\)",
        ),
        ('group = "G\n', r"kbik.toml:1:\d+: error: invalid TOML"),
        ("meeting_day = 3\n", r"kbik.toml:1: error: meeting_day must be a weekday"),
        ("stale_after_weeks = 0\n", r"kbik.toml:1: error: stale_after_weeks"),
        ('language = "fr"\n', r"kbik.toml:1: error: language must be one of id, en"),
        (
            '[[teams]]\nnumber = 1\nmembres = ["a"]\n',
            r"kbik.toml:3: error: unknown key 'membres' in \[\[teams\]\] "
            r"\(did you mean 'members'\?\)",
        ),
        ("[[teams]]\nnumber = 1\n[[teams]]\nnumber = 1\n", r"team 1 is defined twice"),
        ('[statuses]\n"two words" = "x"\n', r"status 'two words' must be one word"),
    ],
)
def test_config_errors_name_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "kbik.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_config(tmp_path)


def test_unknown_meeting_day_is_an_error_where_the_day_is_needed(tmp_path: Path) -> None:
    (tmp_path / "kbik.toml").write_text('group = "G"\nmeeting_day = "someday"\n', encoding="utf-8")
    config = load_config(tmp_path)  # status and list do not need the day
    with pytest.raises(ConfigError, match=r"kbik.toml:2: error: meeting_day must be a weekday"):
        _ = config.meeting_day


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "kbik.toml").write_bytes('city = "Pangkalpinang é"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(tmp_path)


def test_custom_vocabulary_replaces_the_default(tmp_path: Path) -> None:
    (tmp_path / "kbik.toml").write_text('[statuses]\nAktif = "a"\nmacet = "b"\n', encoding="utf-8")
    assert list(load_config(tmp_path).statuses) == ["aktif", "macet"]


def test_every_setting_is_declared_once_and_documented() -> None:
    from kbik.config import _TOP_KEYS
    from kbik.init import Answers, config_text
    from kbik.settings import SETTINGS, readme_table

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme
    assert tuple(s.name for s in SETTINGS) == _TOP_KEYS
    text = config_text(Answers("G", None, 1))
    for setting in SETTINGS:
        assert setting.name in text, setting.name
    defaults = load_config(Path(__file__).resolve().parent / "assets" / "none")
    assert (defaults.group, defaults.meeting_day_name, defaults.stale_after_weeks) == (
        "KBIK",
        "rabu",
        4,
    )
    assert defaults.language == "id"


def test_alias_resolution_rule() -> None:
    from kbik.names import resolve_name

    aliases = {"tuatunu": "Tua Tunu Indah", "bacang": "Bacang Lama"}
    roster = {"bacang": "Bacang", "air salemba": "Air Salemba"}
    assert resolve_name("  TUATUNU ", aliases, roster) == ("Tua Tunu Indah", True)
    assert resolve_name("Air  salemba", aliases, roster) == ("Air Salemba", True)
    # An alias wins over a roster name written the same way.
    assert resolve_name("Bacang", aliases, roster) == ("Bacang Lama", True)
    assert resolve_name(" Kampung   Baru ", aliases, roster) == ("Kampung Baru", False)


def test_did_you_mean_threshold_is_sixty_percent() -> None:
    from kbik.names import suggest

    # "abcde" and "abcxy" share 3 of 10 characters: exactly 60% alike.
    assert suggest("abcde", ["abcxy"]) == "abcxy"
    assert suggest("abcdef", ["abcxyz"]) is None  # 50%


# One identity for a kelurahan (issue 22): every spelling goes to the roster's.

ROSTER = """
[[teams]]
number = 1
members = ["Yuri"]
kelurahan = ["Tua Tunu Indah", "Air Saga"]
"""


def test_an_alias_target_takes_the_rosters_spelling(tmp_path: Path) -> None:
    (tmp_path / "kbik.toml").write_text(
        '[aliases]\n"Tuatunu" = "tua tunu  indah"\n' + ROSTER, encoding="utf-8"
    )
    config = load_config(tmp_path)
    assert config.official("TUATUNU") == "Tua Tunu Indah"
    assert config.official("tua tunu indah") == "Tua Tunu Indah"


@pytest.mark.parametrize(
    "aliases, line, message",
    [
        (
            '"Tuatunu" = "Tua Tunu"',
            3,
            "alias 'Tuatunu' points to 'Tua Tunu', which is on no "
            "team's kelurahan list (did you mean 'Tua Tunu Indah'?)",
        ),
        ('"A" = "B"\n"B" = "A"', 3, "alias 'A' points to 'B', which is itself an alias"),
        (
            '"T" = "Tuatunu"\n"Tuatunu" = "Tua Tunu Indah"',
            3,
            "alias 'T' points to 'Tuatunu', which is itself an alias",
        ),
        (
            '"Air Saga" = "Tua Tunu Indah"',
            3,
            "alias 'Air Saga' is itself a kelurahan of the roster",
        ),
    ],
)
def test_alias_slips_are_errors_at_their_line(tmp_path: Path, aliases, line, message) -> None:
    (tmp_path / "kbik.toml").write_text(
        f"group = 'x'\n[aliases]\n{aliases}\n" + ROSTER, encoding="utf-8"
    )
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert f"kbik.toml:{line}: error: {message}" in str(raised.value)


def test_two_roster_names_equal_but_for_case_or_spaces_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "kbik.toml").write_text(
        ROSTER + '\n[[teams]]\nnumber = 2\nkelurahan = ["air saga "]\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert "kelurahan 'air saga' (team 2) and 'Air Saga' (team 1) are one name" in str(raised.value)


def test_an_alias_written_in_other_case_is_one_kelurahan_in_status(run, tmp_path: Path) -> None:
    (tmp_path / "meetings").mkdir()
    (tmp_path / "kbik.toml").write_text(
        '[aliases]\n"Tuatunu" = "tua tunu indah"\n' + ROSTER, encoding="utf-8"
    )
    for day, name, status in (("04", "Tua Tunu Indah", "vakum"), ("11", "Tuatunu", "bergulir")):
        (tmp_path / "meetings" / f"2016-05-{day}.md").write_text(
            f"---\ndate: 2016-05-{day}\nattendees: [Yuri]\nkelurahan:\n  {name}: {status}\n---\n",
            encoding="utf-8",
        )
    result = run("status", "--format", "json", cwd=tmp_path)
    rows = [row for row in json.loads(result.stdout) if "unu" in row["kelurahan"]]
    assert [(row["kelurahan"], row["status"], row["previous"]) for row in rows] == [
        ("Tua Tunu Indah", "bergulir", "vakum")
    ]
