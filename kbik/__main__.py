"""Run kbik: ``python -m kbik``, and the ``kbik`` command (``run``)."""

import gc


def run() -> None:
    """Start the command line with the cyclic collector off, from the first import on.

    A command makes millions of small tuples and no reference cycles to speak of: the
    collector would rescan them again and again while a large archive loads (100,000
    sessions took half as long again), and while Typer, Click and kbik are imported
    (5 ms of every start). Parsing workers are forked with it off too. Exiting, the
    interpreter would look for cycles among every object once more: frozen, they are
    left to the process's end (10 ms of a warm run over 10,000 sessions). The only gc
    calls of kbik are these, here at its entry point.
    """
    gc.disable()
    from kbik.cli import main  # noqa: PLC0415 - after gc.disable(), as said above

    try:
        main()
    finally:
        gc.freeze()


if __name__ == "__main__":
    run()
