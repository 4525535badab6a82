"""The commands of the kbik command line, one module each; ``kbik.cli`` assembles them.

Each command imports what it works with (kbik's core, rich) inside its own function:
every command module is imported at start-up to build the app, and ``kbik --version``
and ``--help`` stay within 1.3 times ``import typer`` only so (bench/RESULTS.md); the
imports inside these functions have that one reason.
"""
