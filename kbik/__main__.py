"""Run kbik as ``python -m kbik``."""

from kbik.cli import main

main()
