"""Loan-fund health figures: grading at each threshold, overrides, checks, status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbik.config import load_config
from kbik.errors import ConfigError
from kbik.indicators import DEFAULT_INDICATORS, Indicator, describe


@pytest.mark.parametrize(
    "name, value, grade",
    [
        ("rr", 90, "good"),
        ("rr", 89.9, "adequate"),
        ("rr", 80, "adequate"),
        ("rr", 79.9, "poor"),
        ("par", 10, "good"),
        ("par", 10.1, "adequate"),
        ("par", 20, "adequate"),
        ("par", 20.1, "poor"),
        ("lar", 0, "good"),
        ("lar", 20, "adequate"),
        ("lar", 21, "poor"),
        ("ccr", 125, "good"),
        ("ccr", 124.9, "adequate"),
        ("ccr", 100, "adequate"),
        ("ccr", 99.9, "poor"),
        ("roi", 10, "good"),
        ("roi", 9.9, "adequate"),
        ("roi", 0, "adequate"),
        ("roi", -0.1, "poor"),
    ],
)
def test_grading_at_each_threshold(name: str, value: float, grade: str) -> None:
    assert DEFAULT_INDICATORS[name].grade(value) == grade


def test_describe_in_both_languages() -> None:
    assert describe("par", 15, DEFAULT_INDICATORS, "id") == "PAR 15% (memadai)"
    assert describe("rr", 95, DEFAULT_INDICATORS, "en") == "RR 95% (good)"
    assert describe("peserta_pwk", 12, DEFAULT_INDICATORS, "id") == "Peserta PWK 12"
    assert describe("layak_pinjaman", 11, DEFAULT_INDICATORS, "en") == "eligible for a loan 11"
    # A workspace's own label is its own words, in every language; a key without one
    # is shown as it is.
    labels = {"ksm_aktif": "KSM aktif", "peserta_pwk": "Peserta PWK"}
    assert describe("ksm_aktif", 4, DEFAULT_INDICATORS, "en", labels) == "KSM aktif 4"
    assert describe("lain", 1, DEFAULT_INDICATORS, "id", labels) == "lain 1"


@pytest.mark.parametrize(
    "low, high, said",
    [
        (0, 100, "antara 0 dan 100"),
        (0, None, "0 atau lebih"),
        (None, 2.5, "2.5 atau kurang"),  # as kbik.toml writes it
        (None, 30, "30 atau kurang"),
    ],
)
def test_bounds_say_each_side_an_indicator_has(low, high, said) -> None:
    indicator = Indicator("x", "X", "lower", 1, 2, low, high)
    assert indicator.bounds("id") == said
    english = {"antara": "between", "dan": "and", "atau lebih": "or more", "atau kurang": "or less"}
    for word, meant in english.items():
        said = said.replace(word, meant)
    assert indicator.bounds("en") == said


def test_workspace_overrides_thresholds_and_adds_indicators(tmp_path: Path) -> None:
    (tmp_path / "kbik.toml").write_text(
        "[indicators.par]\ngood = 5\nadequate = 15\n\n"
        '[indicators.npl]\nbetter = "lower"\ngood = 3\nadequate = 5\nlabel = "NPL"\n\n'
        '[figures]\nksm_aktif = "KSM aktif"\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config.indicators["par"].grade(10) == "adequate"
    assert config.indicators["par"].better == "lower"
    assert config.indicators["npl"].grade(4) == "adequate"
    assert config.indicators["rr"].grade(90) == "good"  # untouched defaults stay
    assert "ksm_aktif" in config.figures and "peserta_pwk" in config.figures


@pytest.mark.parametrize(
    "text, message",
    [
        ("[indicators.rr]\ngood = 80\nadequate = 90\n", "good must be above adequate"),
        ("[indicators.par]\ngood = 30\nadequate = 20\n", "good must be below adequate"),
        ("[indicators.new]\ngood = 1\nadequate = 2\n", 'needs better = "higher" or "lower"'),
        ("[indicators.rr]\ngod = 80\n", "did you mean 'good'"),
        ('[indicators.rr]\ngood = "high"\n', "good in [indicators.rr] must be a number"),
    ],
)
def test_bad_indicator_settings(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "kbik.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(tmp_path)


def session(figures: str) -> str:
    return (
        f"---\ndate: 2016-05-18\nattendees: []\nkelurahan:\n  Keramat:\n"
        f"    status: penagihan\n    figures: {figures}\n---\n"
    )


@pytest.mark.parametrize(
    "figures, code, severity, message",
    [
        ("{rr: 101}", "figure-range", "error", "RR harus antara 0 dan 100, bukan 101"),
        ("{par: -1}", "figure-range", "error", "PAR harus antara 0 dan 100, bukan -1"),
        ("{ccr: -5}", "figure-range", "error", "CCr harus 0 atau lebih, bukan -5"),
        ("{peserta_pwk: -2}", "figure-range", "error", "adalah hitungan: tidak bisa -2"),
        ("{pesrta_pwk: 3}", "unknown-figure", "warning", "maksudnya 'peserta_pwk'"),
        ("{rr: tinggi}", "wrong-type", "error", "harus berupa angka"),
    ],
)
def test_figures_are_checked(
    run, workspace, figures: str, code: str, severity: str, message: str
) -> None:
    root = workspace(None, {"meetings/2016-05-18.md": session(figures)})
    result = run("validate", "--format", "json", cwd=root)
    [problem] = [p for p in json.loads(result.stdout)["problems"] if p["code"] == code]
    assert problem["severity"] == severity and message in problem["message"]
    assert problem["line"] == 7


def test_negative_roi_is_poor_not_wrong(run, workspace) -> None:
    root = workspace(None, {"meetings/2016-05-18.md": session("{roi: -4}")})
    assert run("validate", cwd=root).exit_code == 0


def test_status_figures_show_latest_value_and_grade(run, multi: Path) -> None:
    rows = json.loads(
        run("status", "--figures", "--format", "json", "--as-of", "2016-06-01", cwd=multi).stdout
    )
    keramat = next(row for row in rows if row["kelurahan"] == "Keramat")
    assert keramat["figures"] == {
        "par": {"value": 15, "grade": "adequate"},
        "rr": {"value": 85, "grade": "adequate"},
        "ccr": {"value": 130, "grade": "good"},
    }
    plain = json.loads(run("status", "--format", "json", "--as-of", "2016-06-01", cwd=multi).stdout)
    assert "figures" not in plain[0]
    table = run("status", "--figures", "--as-of", "2016-06-01", cwd=multi).stdout
    assert "PAR" in table and "130✓" in table and "15~" in table
    csv_lines = run(
        "status", "--figures", "--format", "csv", "--as-of", "2016-06-01", cwd=multi
    ).stdout.splitlines()
    assert csv_lines[0].endswith(",rr,par,lar,ccr,roi")
    assert "85 (adequate),15 (adequate),,130 (good)," in csv_lines[3]


def test_report_shows_graded_figures_and_their_change(run, multi: Path) -> None:
    text = run("report", "--month", "2016-05", "--format", "txt", cwd=multi).stdout
    assert "- Keramat: PAR 24% → 15% (memadai)" in text
    assert "PAR 24% (tidak memadai)" in text
    english = run("report", "--month", "2016-05", "--lang", "en", cwd=multi).stdout
    assert "PAR 24% → 15% (adequate)" in english
