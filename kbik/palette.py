"""One colour and one short code per status word, shared by the terminal and HTML."""

from __future__ import annotations

_COLOURS = {
    "vakum": "#8d8d8d",
    "persiapan": "#1e88e5",
    "pencairan": "#00897b",
    "bergulir": "#2e7d32",
    "bermasalah": "#ef6c00",
    "penagihan": "#c49000",
    "terhenti": "#c62828",
    "selesai": "#6a1b9a",
}
_CODES = {
    "vakum": "VK",
    "persiapan": "PS",
    "pencairan": "PC",
    "bergulir": "BG",
    "bermasalah": "BM",
    "penagihan": "PN",
    "terhenti": "TH",
    "selesai": "SL",
}
# For words a workspace adds to the vocabulary: stable, distinct from the defaults.
_SPARE = ("#5d4037", "#3949ab", "#00838f", "#ad1457", "#558b2f", "#4e342e")


def colour(status: str) -> str:
    """Return the status word's colour as ``#rrggbb``."""
    if status in _COLOURS:
        return _COLOURS[status]
    return _SPARE[sum(map(ord, status)) % len(_SPARE)]


def code(status: str) -> str:
    """Return a two-letter code, so a status reads without colour too."""
    return _CODES.get(status, status[:2].upper())
