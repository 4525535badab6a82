"""The commands of the kbik command line, one module each; ``kbik.cli`` assembles them."""
