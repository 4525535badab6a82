"""Fitting the user's habits: init, git and pre-commit, schema, completion, queries, config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, in_english

from kbik import parsing
from kbik.cli.commands import init as init_command
from kbik.cli.output import github_annotation
from kbik.config import load_config
from kbik.listing import matches
from kbik.problems import Problem
from kbik.schema import front_matter_schema
from kbik.workspace import Workspace

CASES = Path(__file__).resolve().parent / "cases"


def test_init_with_options_makes_a_working_workspace(run, tmp_path: Path) -> None:
    target = tmp_path / "baru"
    result = run("init", str(target), "--group", 'KBIK "Uji"', "--city", "Bandung", "--teams", "3")
    assert result.exit_code == 0, result.stderr
    for name in (
        "kbik.toml",
        "meetings/.gitkeep",
        "templates/README.md",
        ".gitignore",
        ".pre-commit-config.yaml",
        "kbik-schema.json",
        ".vscode/settings.json",
    ):
        assert (target / name).exists(), name
    config = load_config(target)
    assert (config.group, config.city, [t.number for t in config.teams]) == (
        'KBIK "Uji"',
        "Bandung",
        [1, 2, 3],
    )
    ignored = (target / ".gitignore").read_text(encoding="utf-8").split()
    assert ".kbik-cache/" in ignored and "*.sqlite" in ignored  # the index, and an export
    assert run("validate", cwd=target).exit_code == 0
    # The roster changes; the schema editors read is then said to be out of date.
    with (target / "kbik.toml").open("a", encoding="utf-8") as config_file:
        config_file.write('\n[[teams]]\nnumber = 4\nkelurahan = ["Kampung Baru"]\n')
    stale = run("validate", cwd=target)
    assert (
        "kbik-schema.json: warning: sudah usang terhadap kbik.toml (daftar tim atau kata "
        "statusnya berubah), sehingga editor memeriksa berkas sesi dengan yang lama: tulis "
        "ulang dengan 'kbik schema > kbik-schema.json'"
    ) in " ".join(stale.stdout.split())
    (target / "kbik-schema.json").write_text(run("schema", cwd=target).stdout, encoding="utf-8")
    assert "kbik-schema.json" not in run("validate", cwd=target).stdout
    hooks = yaml.safe_load((target / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["id"] == "kbik-validate"
    settings = json.loads((target / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"yaml.schemas": {"./kbik-schema.json": ["meetings/**/*.md"]}}
    assert run("new", "--date", "2016-05-18", cwd=target).exit_code == 0
    assert run("validate", "--strict", cwd=target).exit_code == 0
    steps = result.stdout.split("\nNext:\n")[1].splitlines()
    assert steps[0].strip() == f"cd {target}"
    assert steps[1].strip().startswith("git init")
    assert any(step.strip().startswith("kbik new") for step in steps)


def test_init_asks_on_a_terminal(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(init_command, "_is_terminal", lambda: True)
    result = run("init", str(tmp_path / "tanya"), input="KBIK Tanya\nPalu\n2\ny\n")
    assert result.exit_code == 0, result.stderr
    config = load_config(tmp_path / "tanya")
    assert (config.group, config.city, len(config.teams)) == ("KBIK Tanya", "Palu", 2)
    assert (tmp_path / "tanya" / ".git").is_dir()
    assert "git init" not in result.stdout.split("Next:")[1]


def test_init_never_touches_an_existing_workspace(run, example: Path) -> None:
    in_english(example)
    before = (example / "kbik.toml").read_bytes()
    result = run("init", str(example), "--teams", "2")
    assert result.exit_code == 1 and "exists already" in result.stderr
    assert (example / "kbik.toml").read_bytes() == before
    assert not (example / ".gitignore").exists()


def test_init_keeps_other_existing_files(run, tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.pyc\n", encoding="utf-8")
    result = run("init", str(tmp_path), "--teams", "1")
    assert result.exit_code == 0
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*.pyc\n"
    assert "kept" in result.stdout and ".gitignore" in result.stdout


class _DatesAsText(yaml.SafeLoader):
    """YAML as an editor's YAML extension sees it: dates are strings."""


_DatesAsText.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def schema_instance(path: Path) -> object:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    front = text.split("\n---", 1)[0].removeprefix("---\n")
    return yaml.load(front, Loader=_DatesAsText)


def test_schema_accepts_the_example_sessions() -> None:
    config = load_config(ROOT)
    schema = front_matter_schema(config)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in [*(ROOT / "meetings").glob("*.md"), *(CASES / "valid").glob("*.md")]:
        jsonschema.validate(schema_instance(path), schema)


@pytest.mark.parametrize(
    "name", ["types", "unknown-status", "missing", "date-format", "duplicate-kelurahan"]
)
def test_schema_rejects_what_the_validator_rejects(name: str) -> None:
    schema = front_matter_schema(load_config(CASES))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(schema_instance(CASES / "invalid" / f"{name}.md"), schema)


def test_schema_command_uses_the_workspace_vocabulary(run, example: Path) -> None:
    schema = json.loads(run("schema", cwd=example).stdout)
    assert schema["properties"]["kelurahan"]["additionalProperties"] == {"$ref": "#/$defs/entry"}
    assert schema["$defs"]["entry"]["anyOf"][1] == {"$ref": "#/$defs/status"}
    assert schema["$defs"]["status"]["enum"][:2] == ["vakum", "persiapan"]
    assert "Tuatunu" in schema["properties"]["kelurahan"]["properties"]
    assert schema["properties"]["absent"]["items"]["anyOf"][0] == {"$ref": "#/$defs/team"}
    assert schema["$defs"]["team"]["anyOf"][0]["enum"] == [1, 2, 3, 4, 5, 6, 7]


def test_schema_grows_linearly_with_the_roster(run, workspace) -> None:
    def size(teams: int) -> int:
        config = "".join(
            f'[[teams]]\nnumber = {n}\nmembers = ["M{n}"]\nkelurahan = ["K{n}"]\n'
            for n in range(1, teams + 1)
        )
        return len(run("schema", cwd=workspace(config)).stdout)

    small, large = size(100), size(1000)
    assert large < 12 * small


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_validate_changed_checks_only_changed_and_new_files(run, multi: Path) -> None:
    (multi / "meetings" / "2016" / "2016-06-01.md").unlink()  # a clean start
    git(multi, "init", "-q")
    git(multi, "add", ".")
    git(multi, "commit", "-q", "-m", "start")
    assert (
        run("validate", "--changed", cwd=multi).stderr.strip()
        == "Tidak ada berkas sesi yang berubah."
    )
    edited = multi / "meetings" / "2016" / "2016-05-11.md"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("bergulir", "bergulr"), encoding="utf-8"
    )
    (multi / "meetings" / "baru.md").write_text(
        "---\ndate: 2016-05-25\nattendees: []\n---\n", encoding="utf-8"
    )
    result = run("validate", "--changed", "--format", "json", cwd=multi / "meetings")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["files"] == 2
    assert {p["path"] for p in report["problems"]} == {
        "meetings/2016/2016-05-11.md",
        "meetings/baru.md",
    }


def test_validate_changed_outside_git_is_a_usage_error(run, multi: Path) -> None:
    result = run("validate", "--changed", cwd=multi)
    assert result.exit_code == 2 and "git" in result.stderr


def test_github_annotations(run, multi: Path) -> None:
    result = run("validate", "--format", "github", cwd=multi)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=meetings/2016/2016-06-01.md,line=3,col=12,title=kbik yaml-syntax::"
        "'[' yang dibuka di sini tidak pernah ditutup dengan ']'"
    ]


def test_github_annotation_escapes() -> None:
    problem = Problem("meetings/a,b:c.md", "warning", "x", "50% done\nnext", 3, None)
    assert github_annotation(problem) == (
        "::warning file=meetings/a%2Cb%3Ac.md,line=3,title=kbik x::50%25 done%0Anext"
    )


def test_pre_commit_hook_definition_runs_validate() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "kbik-validate" and hook["entry"] == "kbik validate"
    assert hook["files"] == r"^meetings/.*\.md$" and hook["pass_filenames"] is True


def test_where_matches_any_front_matter_key(example: Path) -> None:
    ws = Workspace.open(example)
    [session] = ws.load().sessions
    config = ws.config
    assert matches(session, config, "facilitator", "iwan")
    assert matches(session, config, "attendees", "  yuri ")
    assert matches(session, config, "absent", "6")
    assert not matches(session, config, "absent", "5")
    assert matches(session, config, "kelurahan", "tuatunu")
    assert matches(session, config, "kelurahan.Tuatunu", "persiapan")
    assert not matches(session, config, "kelurahan.Tuatunu", "vakum")
    assert matches(session, config, "topics", "pembukuan usaha ksm")
    assert matches(session, config, "date", "2016-05-11")
    assert matches(session, config, "followups", "2016-05-11#3")


def test_list_where_and_formats(run, multi: Path) -> None:
    out = run("list", "--where", "absent=4", "--format", "jsonl", cwd=multi).stdout
    assert [json.loads(line)["date"] for line in out.splitlines()] == ["2016-05-04"]
    md = run("list", "--where", "kelurahan.keramat=penagihan", "--format", "md", cwd=multi)
    assert (
        md.stdout.splitlines()[0]
        == "| date | file | attendees | absent teams | kelurahan reported |"
    )
    assert md.stdout.splitlines()[2].startswith("| 2016-05-18 | meetings/2016/2016-05-18.md |")
    bad = run("list", "--where", "facilitater=Iwan", cwd=multi)
    assert bad.exit_code == 2 and "maksudnya 'facilitator'" in bad.stderr
    assert run("list", "--where", "nonsense", cwd=multi).exit_code == 2


def test_status_jsonl_and_md(run, multi: Path) -> None:
    lines = run("status", "--format", "jsonl", "--as-of", "2016-06-30", cwd=multi).stdout
    assert len(lines.splitlines()) == 4 and json.loads(lines.splitlines()[0])["kelurahan"]
    md = run("status", "--format", "md", "--as-of", "2016-06-30", cwd=multi).stdout
    assert md.startswith("| kelurahan | team | status | since | previous | last_reported |")


def test_config_shows_where_each_value_comes_from(run, example: Path) -> None:
    rows = json.loads(run("config", "--format", "json", cwd=example).stdout)
    by_key = {row["key"]: row for row in rows}
    assert by_key["group"] == {"key": "group", "from": "kbik.toml:4", "value": "KBIK Tim MK"}
    assert by_key["statuses"]["from"] == "default"
    assert by_key["aliases.Tuatunu"]["value"] == "Tua Tunu Indah"
    assert by_key["teams.6"]["from"] == "kbik.toml:53"
    lines = (example / "kbik.toml").read_text(encoding="utf-8").splitlines()
    for row in rows:
        if row["from"] != "default":
            line = lines[int(row["from"].split(":")[1]) - 1]
            assert (
                row["key"].split(".")[0] in line
                or "[[" in line
                or row["key"].split(".")[-1] in line
            )


def test_templates_list_and_copy(run, example: Path) -> None:
    in_english(example)
    listing = run("templates", "list", cwd=example).stdout
    assert "report.md.j2\tdefault:" in listing and "session.md.j2\tdefault:" in listing
    copied = run("templates", "copy", "report.txt.j2", cwd=example)
    assert copied.exit_code == 0 and copied.stdout.strip() == "templates/report.txt.j2"
    assert (
        "report.txt.j2\tworkspace: templates/report.txt.j2"
        in run("templates", "list", cwd=example).stdout
    )
    again = run("templates", "copy", "report.txt.j2", cwd=example)
    assert again.exit_code == 1 and "exists already" in again.stderr
    unknown = run("templates", "copy", "report.pdf.j2", cwd=example)
    assert unknown.exit_code == 2 and "did you mean 'report.md.j2'" in unknown.stderr


def complete(root: Path, words: str) -> list[str]:
    env = {
        **os.environ,
        "_KBIK_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    out = subprocess.run(
        [sys.executable, "-m", "kbik"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return out.split()


def test_completion_offers_the_roster(example: Path) -> None:
    # Multi-word names: tests/test_completion.py.
    assert complete(example, "kbik status --status ber") == ["bergulir", "bermasalah"]
    assert complete(example, "kbik list --team ") == ["1", "2", "3", "4", "5", "6", "7"]


def test_progress_is_reported_for_many_files(example: Path, monkeypatch) -> None:
    monkeypatch.setattr(parsing, "PROGRESS_FROM", 1)
    seen: list[tuple[int, int]] = []
    Workspace.open(example).load(use_cache=False, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 1)]


def test_no_progress_bar_when_piped(run, example: Path, monkeypatch) -> None:
    monkeypatch.setattr(parsing, "PROGRESS_FROM", 1)
    result = run("status", "--no-cache", cwd=example)
    assert "Reading sessions" not in result.stderr + result.stdout
