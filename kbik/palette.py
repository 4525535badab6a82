"""One colour and one short code per status word, shared by the terminal and HTML."""

from __future__ import annotations

# Each carries white text at a contrast of at least 4.5:1 (WCAG AA).
_COLOURS = {
    "vakum": "#616161",
    "persiapan": "#1565c0",
    "pencairan": "#00695c",
    "bergulir": "#2e7d32",
    "bermasalah": "#b34700",
    "penagihan": "#806000",
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
_SPARE = ("#5d4037", "#3949ab", "#00727c", "#ad1457", "#476f27", "#4e342e")


def colour(status: str) -> str:
    """Return the status word's colour as ``#rrggbb``."""
    if status in _COLOURS:
        return _COLOURS[status]
    return _SPARE[sum(map(ord, status)) % len(_SPARE)]


def code(status: str) -> str:
    """Return a two-letter code, so a status reads without colour too."""
    return _CODES.get(status, status[:2].upper())
