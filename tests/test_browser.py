"""The HTML rangkuman in a real browser: a phone's width, colour contrast, A4 pages.

These run headless Chromium (Debian's package ``chromium``). Without one they are
skipped with the reason; ``.ci/run`` installs it and sets KBIK_REQUIRE_BROWSER=1,
so that in CI a missing browser fails instead.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
PHONE = 360  # px, the narrowest common phone

# Written into a page that frames the report at a given width, so the measure does not
# depend on the smallest window the browser allows.
_MEASURE = """
window.addEventListener("load", () => {
  const d = document.getElementById("report").contentDocument, w = d.defaultView;
  const seen = {width: d.documentElement.clientWidth, scroll: d.documentElement.scrollWidth,
                badges: [], board: []};
  for (const el of d.querySelectorAll(".status, td.cell")) {
    const s = w.getComputedStyle(el);
    seen.badges.push({text: el.textContent, color: s.color, background: s.backgroundColor});
  }
  seen.codes = [];  // the letter code inside each badge, with its own colour and opacity
  for (const el of d.querySelectorAll(".status abbr")) {
    const s = w.getComputedStyle(el), back = w.getComputedStyle(el.parentElement);
    seen.codes.push({text: el.textContent, color: s.color, opacity: parseFloat(s.opacity),
                     background: back.backgroundColor});
  }
  for (const el of d.querySelectorAll("table.board th, table.board td")) {
    seen.board.push(parseFloat(w.getComputedStyle(el).fontSize));
  }
  document.body.setAttribute("data-seen", JSON.stringify(seen));
});
"""


@pytest.fixture(scope="module")
def browser() -> str:
    found = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if found is None:
        if os.environ.get("KBIK_REQUIRE_BROWSER"):
            pytest.fail("KBIK_REQUIRE_BROWSER is set but no Chromium is installed")
        pytest.skip("no Chromium here (apt-get install chromium)")
    return found


def _chromium(browser: str, tmp_path: Path, *args: str) -> str:
    profile = tmp_path / "profile"
    result = subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def measure(browser: str, page: str, width: int, tmp_path: Path) -> dict:
    """Lay the page out ``width`` pixels wide and read what the browser computed."""
    frame = tmp_path / "frame.html"
    frame.write_text(
        f'<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe id="report" style="width:{width}px;height:900px;border:0" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
        f"<script>{_MEASURE}</script></body></html>",
        encoding="utf-8",
    )
    dom = _chromium(browser, tmp_path, "--dump-dom", frame.as_uri())
    found = re.search(r'data-seen="([^"]*)"', dom)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found[1]))


def pages(browser: str, page: str, tmp_path: Path) -> int:
    """Print the page to A4 as Chromium does, and count the PDF's pages."""
    source, pdf = tmp_path / "page.html", tmp_path / "page.pdf"
    source.write_text(page, encoding="utf-8")
    _chromium(browser, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri())
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def _rgb(text: str) -> tuple[float, float, float]:
    r, g, b = (int(part) for part in re.findall(r"\d+", text)[:3])
    return r, g, b


def contrast(one: str, other: str) -> float:
    """The WCAG 2 contrast ratio of two CSS ``rgb()`` colours."""

    def luminance(colour: str) -> float:
        def linear(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(c) for c in _rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_says() -> None:
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    # The colours of 2016's board that failed: PN on #c49000, BM on #ef6c00.
    assert round(contrast("rgb(255, 255, 255)", "rgb(196, 144, 0)"), 2) == 2.86
    assert round(contrast("rgb(255, 255, 255)", "rgb(239, 108, 0)"), 2) == 3.08


@pytest.fixture
def reports(run, example: Path, four_weeks: Path) -> dict[str, str]:
    """The example session (Indonesian and English) and a four-week period, as HTML."""
    # A link pasted into the minutes is one long word that must wrap too.
    session = example / "meetings" / "2016-05-11.md"
    link = "https://drive.example.org/rangkuman/kbiktimmk/20160511/lampiranpembukuanusahaksm.pdf"
    text = session.read_text(encoding="utf-8").replace("## Materi\n", f"## Materi\n\n{link}\n")
    session.write_text(text, encoding="utf-8")
    return {
        "session": run("report", "--format", "html", cwd=example).stdout,
        "session-en": run("report", "--format", "html", "--lang", "en", cwd=example).stdout,
        "period": run("report", "--month", "2016-05", "--format", "html", cwd=four_weeks).stdout,
    }


def test_no_sideways_scrolling_on_a_phone(browser: str, reports, tmp_path: Path) -> None:
    for name, page in reports.items():
        seen = measure(browser, page, PHONE, tmp_path)
        assert seen["width"] <= PHONE
        assert seen["scroll"] <= seen["width"], (name, seen["scroll"], seen["width"])


def test_every_badge_is_readable_without_and_with_colour(
    browser: str, reports, tmp_path: Path
) -> None:
    seen = measure(browser, reports["period"], 1200, tmp_path)
    assert len(seen["badges"]) > 40 and seen["board"]
    for badge in seen["badges"]:
        ratio = contrast(badge["color"], badge["background"])
        assert ratio >= 4.5, (badge, round(ratio, 2))
        # The letter code is there too, so colour never carries the meaning alone.
        assert re.match(r"[A-Z]{2}\b", badge["text"].strip()), badge
    assert min(seen["board"]) >= 12, "status board text under 12 px"
    for code in seen["codes"]:  # the code itself: no opacity thins it below 4.5:1
        background = _rgb(code["background"])
        shown = tuple(  # the code's colour as drawn over the badge, opacity and all
            code["opacity"] * c + (1 - code["opacity"]) * b
            for c, b in zip(_rgb(code["color"]), background, strict=True)
        )
        ratio = contrast(f"rgb{tuple(round(c) for c in shown)}", code["background"])
        assert ratio >= 4.5, (code, round(ratio, 2))


def test_codes_print_at_8pt_or_more_and_the_rktl_keeps_its_first_item(reports) -> None:
    style = reports["period"].split("@media print", 1)[1].split("</style>", 1)[0]
    sizes = re.findall(r"\.status abbr \{[^}]*font-size: ([\d.]+)pt", style)
    assert sizes and all(float(size) >= 8 for size in sizes)
    assert re.search(r"ol\.rktl > li:first-child \{[^}]*break-after: avoid", style)


def test_the_print_stays_short(browser: str, reports, tmp_path: Path) -> None:
    assert pages(browser, reports["session"], tmp_path) <= 3
    assert pages(browser, reports["period"], tmp_path) <= 5


def test_the_board_prints_at_12px_or_more(reports) -> None:
    style = reports["period"].split("@media print", 1)[1].split("</style>", 1)[0]
    sizes = re.findall(r"table\.board \{[^}]*font-size: ([\d.]+)pt", style)
    assert sizes and all(float(size) * 4 / 3 >= 12 for size in sizes)
