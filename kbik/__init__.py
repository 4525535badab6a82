"""kbik: minutes of the weekly KBIK learning sessions."""

__version__ = "0.1.0"
