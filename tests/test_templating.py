"""Templates from someone else's workspace: plain data in, nothing run, clean errors out."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from conftest import in_english
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import TemplateError

from kbik.errors import ConfigError
from kbik.plain import is_record, plain
from kbik.report import ReportInput, Selection, context, select
from kbik.scaffold import context as scaffold_context
from kbik.templating import environment, render
from kbik.workspace import Workspace

ALLOWED = (str, int, float, bool, type(None), dt.date, tuple, MappingProxyType)


def report_context(root: Path, **choice: Any) -> dict[str, Any]:
    workspace = Workspace.open(root)
    catalogue = workspace.load(use_cache=False)
    selected, period = select(catalogue.sessions, Selection(**choice))
    source = ReportInput(
        workspace.config,
        catalogue.sessions,
        workspace.with_bodies(selected),
        period,
        "id",
        for_team=4,
    )
    return context(source)


def contexts(root: Path) -> list[dict[str, Any]]:
    workspace = Workspace.open(root)
    sessions = workspace.load(use_cache=False).sessions
    return [
        {key: plain(value) for key, value in report_context(root).items()},
        {key: plain(value) for key, value in report_context(root, month="2016-05").items()},
        {
            key: plain(value)
            for key, value in scaffold_context(
                workspace.config, sessions, dt.date(2016, 5, 18)
            ).items()
        },
    ]


def reachable(value: Any) -> list[Any]:
    """Every value reachable from ``value`` through fields, items and keys."""
    found: list[Any] = []
    stack = [value]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        found.append(item)
        if isinstance(item, MappingProxyType):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, tuple):
            stack.extend(item)
    return found


def test_the_context_holds_plain_data_only(multi: Path) -> None:
    for ctx in contexts(multi):
        values = reachable(MappingProxyType(ctx))
        strange = {type(v).__name__ for v in values if not isinstance(v, ALLOWED)}
        assert not strange
        # Records are immutable tuples of plain data, not the core's classes.
        records = [v for v in values if isinstance(v, tuple) and hasattr(v, "_fields")]
        assert records and all(is_record(r) for r in records)
        assert isinstance(ctx["config"].root, str)


def test_every_public_method_of_the_context_is_harmless(multi: Path, tmp_path: Path) -> None:
    """Call every public attribute of every reachable value, from a template."""
    env = environment(multi)
    before = sorted(p for p in tmp_path.rglob("*") if ".kbik-cache" not in p.parts)
    for ctx in contexts(multi):
        names_by_type: dict[type, Any] = {}
        for value in reachable(MappingProxyType(ctx)):
            names_by_type.setdefault(type(value), value)
        for kind, value in names_by_type.items():
            for name in dir(value):
                if name.startswith("_"):
                    continue
                for call in (f"{{{{ x.{name} }}}}", f"{{{{ x.{name}() }}}}"):
                    # Refused, or wrong arguments: either way nothing ran.
                    with contextlib.suppress(
                        TemplateError, TypeError, ValueError, KeyError, OverflowError
                    ):
                        env.from_string(call).render(x=value)
                # The value is unchanged by whatever was tried.
                assert plain(value) == value, (kind, name)
    after = sorted(p for p in tmp_path.rglob("*") if ".kbik-cache" not in p.parts)
    assert after == before


KNOWN_ESCAPES = [
    # The reported ones: live Path objects in the context.
    "{{ config.path.with_name('PWNED.txt').write_text('x') }}",
    "{{ config.root.joinpath('/etc/hostname').read_text() }}",
    # Classic sandbox escapes.
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED.txt') }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os }}",
    "{{ config.__class__.__init__.__globals__ }}",
    "{{ sessions[0]._asdict.__globals__ }}",
    "{{ range.__self__ }}",
    "{{ lipsum(1000000) }}",
    "{% set x = L.clear() %}",
    "{% set x = sessions.append(1) %}",
    "{{ revived.__globals__ }}",
    "{{ 'x'.format.__self__ }}",
    "{{ '{0.__class__.__mro__}'.format('') }}",
]


@pytest.mark.parametrize("payload", KNOWN_ESCAPES)
def test_known_escapes_fail_cleanly(run, example: Path, payload: str) -> None:
    (example / "templates").mkdir()
    (example / "templates" / "report.md.j2").write_text(payload + "\n", encoding="utf-8")
    result = run("report", cwd=example)
    assert result.exit_code == 2, (payload, result.stdout)
    assert "templates/report.md.j2" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(example.rglob("PWNED*"))
    assert not Path("PWNED.txt").exists()


def test_session_template_cannot_write_a_git_hook(run, example: Path) -> None:
    (example / ".git" / "hooks").mkdir(parents=True)
    (example / "templates").mkdir()
    (example / "templates" / "session.md.j2").write_text(
        "{{ config.root.joinpath('.git/hooks/pre-commit').write_text('#!/bin/sh\\necho') }}\n",
        encoding="utf-8",
    )
    result = run("new", "--date", "2016-05-18", cwd=example)
    assert result.exit_code == 2
    assert not (example / ".git" / "hooks" / "pre-commit").exists()
    assert not (example / "meetings" / "2016-05-18.md").exists()


def test_a_link_out_of_templates_is_refused(run, example: Path, tmp_path: Path) -> None:
    in_english(example)
    secret = tmp_path / "leak-target.txt"
    secret.write_text("rahasia-leak", encoding="utf-8")
    (example / "templates").mkdir()
    (example / "templates" / "leak.j2").symlink_to(secret)
    (example / "templates" / "report.md.j2").write_text(
        "{% include 'leak.j2' %}\n", encoding="utf-8"
    )
    result = run("report", cwd=example)
    assert result.exit_code == 2
    assert "rahasia-leak" not in result.stdout + result.stderr
    assert "templates/leak.j2: error: template is a link to a file outside the workspace" in (
        result.stderr
    )
    # The template itself a link out: refused too.
    (example / "templates" / "report.md.j2").unlink()
    (example / "templates" / "report.md.j2").symlink_to(secret)
    result = run("report", cwd=example)
    assert result.exit_code == 2 and "rahasia-leak" not in result.stdout


def test_a_link_inside_the_workspace_is_followed(run, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "shared.j2").write_text("shared text\n", encoding="utf-8")
    (example / "templates" / "part.j2").symlink_to(example / "shared.j2")
    (example / "templates" / "report.md.j2").write_text("{% include 'part.j2' %}", encoding="utf-8")
    result = run("report", cwd=example)
    assert result.exit_code == 0 and result.stdout == "shared text\n"


@pytest.mark.parametrize(
    "files, message",
    [
        ({"report.md.j2": "{% include 'report.md.j2' %}"}, "without end"),
        ({"report.md.j2": "{% extends 'report.md.j2' %}"}, "without end"),
        (
            {"report.md.j2": "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(1) }}"},
            "without end",
        ),
        ({"report.md.j2": "{% for i in range(10**9) %}{% endfor %}"}, "template failed"),
        ({"report.md.j2": "{{ 10**10000000 }}"}, "too large a number"),
        ({"report.md.j2": "{{ 'x' * 10**9 }}"}, "too large"),
        (
            {
                "report.md.j2": "{% set ns = namespace(x=3) %}{% for i in range(64) %}"
                "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}"
            },
            "too large a number",
        ),
        ({"report.md.j2": "{{ 1 / 0 }}"}, "templates/report.md.j2:1: error: template failed"),
        ({"report.md.j2": "line\n{{ nothing.here }}"}, "templates/report.md.j2:2: error"),
        ({"report.md.j2": "{% if %}"}, "templates/report.md.j2:1: error: template failed"),
    ],
)
def test_hostile_templates_are_clean_errors(
    run, example: Path, files: dict[str, str], message: str
) -> None:
    in_english(example)
    (example / "templates").mkdir()
    for name, text in files.items():
        (example / "templates" / name).write_text(text, encoding="utf-8")
    result = run("report", cwd=example)
    assert result.exit_code == 2, result.stdout[:200]
    assert message in result.stderr
    assert "templates/report.md.j2" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_template_not_in_utf8_is_named(run, example: Path) -> None:
    in_english(example)
    (example / "templates").mkdir()
    (example / "templates" / "report.md.j2").write_bytes(b"Rangkuman \xe9t\xe9\n")
    result = run("report", cwd=example)
    assert result.exit_code == 2
    assert "templates/report.md.j2: error: template is not UTF-8 text" in result.stderr
    included = example / "templates" / "part.j2"
    included.write_bytes(b"\xff\xfe")
    (example / "templates" / "report.md.j2").write_text("{% include 'part.j2' %}")
    result = run("report", cwd=example)
    assert result.exit_code == 2 and "templates/part.j2: error: template is not UTF-8" in (
        result.stderr
    )


def test_control_characters_from_sessions_are_escaped_in_reports(run, example: Path) -> None:
    path = example / "meetings" / "2016-05-11.md"
    text = path.read_text(encoding="utf-8").replace(
        "place:", 'title: "\\e]52;c;cHduZWQ=\\a\\e[2KLooks fine"\nplace:', 1
    )
    path.write_text(text, encoding="utf-8")
    for output in ("md", "txt", "html"):
        result = run("report", "--format", output, cwd=example)
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout


TEMPLATE_TEXT = st.lists(
    st.sampled_from(
        [
            "{{ ",
            " }}",
            "{% ",
            " %}",
            "config",
            "sessions",
            "status",
            "facts",
            "L",
            "period",
            ".",
            "[0]",
            "|",
            "join",
            "length",
            "first",
            "items()",
            "for x in ",
            "endfor",
            "if ",
            "endif",
            "x",
            "(",
            ")",
            "~",
            "*",
            "**",
            "9",
            "'a'",
            "__class__",
            "path",
            "root",
            "group",
            "teams",
            "session",
            "attendees",
            "\n",
            "text ",
        ]
    ),
    max_size=30,
).map("".join)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=TEMPLATE_TEXT)
def test_random_templates_over_the_real_context(multi: Path, source: str) -> None:
    ctx = report_context(multi)
    env = environment(multi)
    before = sorted(os.listdir(multi))
    template = multi / "random.j2"
    template.write_text(source, encoding="utf-8")
    try:
        text = render(env, [], ctx, template)
        assert isinstance(text, str)
    except ConfigError as error:
        assert "template failed" in str(error) or "not found" in str(error)
    finally:
        template.unlink()
    assert sorted(os.listdir(multi)) == before
