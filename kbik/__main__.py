"""Run kbik: ``python -m kbik``, and the ``kbik`` command (``run``)."""

import gc


def run() -> None:
    """Start the command line, with the cyclic collector off from the first import on.

    Importing Typer, Click and kbik makes tens of thousands of objects, and the
    collector would scan them again and again while they load (5 ms of every start);
    ``kbik.cli.main`` keeps it off for the command itself.
    """
    gc.disable()
    from kbik.cli import main

    main()


if __name__ == "__main__":
    run()
