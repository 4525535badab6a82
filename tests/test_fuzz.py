"""Generated and mutated session files and kbik.toml files, thrown at every read-only command.

Whatever the bytes, kbik answers with exit code 0, 1 or 2, never an exception, and
every problem names the file (and a line where the file has one).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from conftest import ROOT, Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEED = (ROOT / "meetings" / "2016-05-11.md").read_bytes()
CONFIG = (ROOT / "kbik.toml").read_bytes()
PROBLEM_LINE = re.compile(r"^meetings/x\.md(:\d+(:\d+)?)?: (error|warning): .+$")
COMMANDS = (
    ["validate"],
    ["list", "--format", "json"],
    ["status", "--as-of", "2016-06-01"],
    ["report", "--format", "txt"],
    ["report", "--format", "html"],
)


@st.composite
def mutated(draw: st.DrawFn, source: bytes) -> bytes:
    """Apply a few random mutations of the kinds hand-edited files suffer."""
    data = source
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(["truncate", "flip", "delete", "duplicate", "indent", "unicode", "nul"])
        )
        lines = data.split(b"\n")
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif kind == "flip" and data:
            index = draw(st.integers(0, len(data) - 1))
            data = data[:index] + bytes([draw(st.integers(0, 255))]) + data[index + 1 :]
        elif kind == "delete":
            data = b"\n".join(lines[:at] + lines[at + 1 :])
        elif kind == "duplicate":
            data = b"\n".join(lines[: at + 1] + lines[at:])
        elif kind == "indent":
            line = lines[at]
            stripped = line.lstrip(b" ")
            lines[at] = draw(st.sampled_from([b"\t", b" ", b"   ", b""])) + stripped
            data = b"\n".join(lines)
        elif kind == "unicode":
            text = draw(st.text(max_size=8)).encode("utf-8", "surrogatepass")
            index = draw(st.integers(0, len(data)))
            data = data[:index] + text + data[index:]
        elif kind == "nul":
            index = draw(st.integers(0, len(data)))
            data = data[:index] + b"\x00" + data[index:]
    return data


def run_all(config: bytes, session: bytes) -> list[tuple[list[str], int, str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "meetings").mkdir()
        (root / "kbik.toml").write_bytes(config)
        (root / "meetings" / "x.md").write_bytes(session)
        runner = Run()
        return [(command, *_result(runner(*command, cwd=root))) for command in COMMANDS]


def _result(result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(mutated(SEED))
def test_mutated_sessions_never_crash(session: bytes) -> None:
    for command, code, out, err in run_all(CONFIG, session):
        assert code in (0, 1, 2), (command, err)
        assert "Traceback" not in out + err
        if command == ["validate"]:
            for line in out.splitlines():
                assert PROBLEM_LINE.match(line), line
        if code == 2:
            assert "kbik:" in err


@FUZZ
@given(mutated(CONFIG))
def test_mutated_configs_never_crash(config: bytes) -> None:
    for command, code, out, err in run_all(config, SEED):
        assert code in (0, 1, 2), (command, err)
        assert "Traceback" not in out + err
        if code == 2 and "kbik.toml" not in err:
            # A usage error would name the option; a config error names the file.
            raise AssertionError((command, err))


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_as_a_session(session: bytes) -> None:
    for command, code, out, err in run_all(CONFIG, session):
        assert code in (0, 1, 2), (command, err)
        assert "Traceback" not in out + err


def test_fuzz_helpers_are_not_vacuous() -> None:
    results = run_all(CONFIG, SEED)
    assert [code for _, code, _, _ in results] == [0, 0, 0, 0, 0]
    results = run_all(CONFIG, b"---\nno closing fence")
    assert results[0][1] == 1 and PROBLEM_LINE.match(results[0][2].splitlines()[0])
