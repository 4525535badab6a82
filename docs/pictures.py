"""Make the README's pictures from the example workspace.

    python docs/pictures.py           # rewrite docs/*.svg, docs/report-phone.png, report-word.png
    python docs/pictures.py --check   # exit 1 when a terminal picture is out of date

Each terminal picture is kbik's real output (run with --color always at 120 columns and
a fixed date), turned into SVG by rich, so the README never shows a stale screen. The
phone picture is the HTML report in headless Chromium, 360 px wide, where Chromium is
installed (it is not checked: a browser's pixels change with its version). The Word
picture is the first page of the example's Word report as LibreOffice prints it, where
LibreOffice and poppler are installed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WIDTH = 120
PICTURES = {
    "status": ["status", "--as-of", "2016-05-18"],
    "status-figures": ["status", "--as-of", "2016-05-18", "--figures"],
    "status-kelurahan": ["status", "--as-of", "2016-05-18", "--kelurahan", "Air Salemba"],
    "followups": ["followups", "--as-of", "2016-05-18"],
    "list": ["list"],
}


def picture(name: str, args: list[str]) -> str:
    """The SVG of ``kbik ARGS`` run on the example workspace."""
    env = {**os.environ, "COLUMNS": str(WIDTH), "KBIK_TODAY": "2016-05-18"}
    env.pop("NO_COLOR", None)
    finished = subprocess.run(
        [sys.executable, "-m", "kbik", "--color", "always", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=WIDTH, file=sink)
        for line in finished.stdout.rstrip("\n").split("\n"):
            # Line by line, as the terminal showed it: no wrapping, spaces kept.
            console.print(Text.from_ansi(line), no_wrap=True, overflow="ignore", crop=False)
        return console.export_svg(title=f"kbik {' '.join(args)}", unique_id=name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check they are current")
    options = parser.parse_args()
    stale = []
    for name, args in PICTURES.items():
        path = HERE / f"{name}.svg"
        svg = picture(name, args)
        if options.check:
            if not path.exists() or path.read_text(encoding="utf-8") != svg:
                stale.append(path.name)
        else:
            path.write_text(svg, encoding="utf-8")
    if stale:
        sys.exit(f"out of date: {', '.join(stale)}; run python docs/pictures.py")
    if not options.check:
        phone(HERE / "report-phone.png")
        word(HERE / "report-word.png")


def phone(target: Path) -> None:
    """Screenshot the example's HTML rangkuman at a phone's width, if Chromium is here."""
    import shutil
    import tempfile

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("no Chromium: docs/report-phone.png left as it is", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as folder:
        page = _report("html", Path(folder))
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
        flags += ["--disable-background-networking", "--disable-component-update"]
        flags += ["--disable-sync", "--hide-scrollbars", f"--user-data-dir={folder}/profile"]
        subprocess.run(
            [browser, *flags, "--window-size=360,1500", f"--screenshot={target}", page.as_uri()],
            check=True,
            capture_output=True,
        )


def _report(output: str, folder: Path) -> Path:
    """The example's rangkuman in a format, written into ``folder``."""
    path = folder / f"rangkuman.{output}"
    subprocess.run(
        [sys.executable, "-m", "kbik", "report", "--format", output, "-o", str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return path


def word(target: Path) -> None:
    """The first page of the example's Word report, printed by LibreOffice, as a PNG."""
    import shutil
    import tempfile

    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        print("no LibreOffice or poppler: docs/report-word.png left as it is", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as folder:
        document = _report("docx", Path(folder))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(document)],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(Path(folder) / "rangkuman.pdf"),
                str(target.with_suffix("")),
            ],
            check=True,
            capture_output=True,
        )


if __name__ == "__main__":
    main()
