"""The commands of the kbik command line, one module each; ``kbik.cli`` assembles them.

Every command module is imported at start-up to build the app, and ``kbik --version``
and ``--help`` stay within 1.3 times ``import typer`` (bench/RESULTS.md) only because a
command imports the heavy part of what it works with (SQLite, YAML, Jinja2, rich: all
of them together would add 300 ms) inside its own function. Each such import says above
it what it would add to start-up, measured on top of ``import kbik.cli``; a module that
costs a millisecond or two (``kbik.dates``, ``kbik.names``) is imported at the top.
"""
