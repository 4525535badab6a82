"""Loan-fund health indicators (POB Pinjaman Bergulir 2013) and their grades."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from kbik.i18n import message, pgettext_noop, translations

Grade = Literal["good", "adequate", "poor"]
_GRADE_WORDS: Mapping[Grade, str] = {
    "good": pgettext_noop("grade", "good"),
    "adequate": pgettext_noop("grade", "adequate"),
    "poor": pgettext_noop("grade", "poor"),
}
GRADE_MARKS: Mapping[Grade, str] = {"good": "✓", "adequate": "~", "poor": "✗"}
GRADE_COLOURS: Mapping[Grade, str] = {"good": "#2e7d32", "adequate": "#c49000", "poor": "#c62828"}


@dataclass(frozen=True)
class Indicator:
    """A ratio graded good / adequate / poor against two thresholds."""

    name: str  # as written under figures:, e.g. "par"
    label: str  # as shown, e.g. "PAR"
    better: Literal["higher", "lower"]
    good: float  # the threshold of "good", itself included
    adequate: float  # the threshold of "adequate", itself included
    low: float | None = None  # values below are impossible (an error)
    high: float | None = None  # values above are impossible (an error)

    def grade(self, value: float) -> Grade:
        """Grade a value: RR 90 is good, RR 89.9 adequate, PAR 20 adequate, PAR 20.1 poor."""
        if self.better == "higher":
            return (
                "good" if value >= self.good else "adequate" if value >= self.adequate else "poor"
            )
        return "good" if value <= self.good else "adequate" if value <= self.adequate else "poor"

    def out_of_range(self, value: float) -> bool:
        """Tell whether the value cannot be right (a percentage over 100, say)."""
        return (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        )

    def bounds(self, language: str) -> str:
        """Describe the possible values, for messages (in a language)."""
        low, high = (
            f"{self.low:g}" if self.low is not None else "",
            f"{self.high:g}" if self.high is not None else "",
        )
        if low and high:
            return message(language, "between {low} and {high}", low=low, high=high)
        if low:
            return message(language, "{low} or more", low=low)
        return message(language, "{high} or less", high=high)


# The thresholds of the POB (see shared/domain.md); a workspace may change them.
DEFAULT_INDICATORS: Mapping[str, Indicator] = {
    "rr": Indicator("rr", "RR", "higher", good=90, adequate=80, low=0, high=100),
    "par": Indicator("par", "PAR", "lower", good=10, adequate=20, low=0, high=100),
    "lar": Indicator("lar", "LAR", "lower", good=10, adequate=20, low=0, high=100),
    "ccr": Indicator("ccr", "CCr", "higher", good=125, adequate=100, low=0),
    "roi": Indicator("roi", "ROI", "higher", good=10, adequate=0),
}

# Counts a session may record besides the indicators (the seed's PWK figures), with
# the label readers see; a workspace's [figures] adds more or relabels these.
DEFAULT_FIGURES: Mapping[str, str] = {
    "peserta_pwk": pgettext_noop("figure", "Peserta PWK"),
    "layak_pinjaman": pgettext_noop("figure", "layak pinjaman"),
}


def grade_word(grade: Grade, language: str) -> str:
    """Name a grade in the report language: ``memadai``, or ``adequate``."""
    return translations(language).pgettext("grade", _GRADE_WORDS[grade])


def figure_label(name: str, labels: Mapping[str, str], language: str) -> str:
    """The label of a count: the workspace's, the default's (translated), else its key."""
    label = labels.get(name)
    if label is None:
        return name
    if label == DEFAULT_FIGURES.get(name):
        return translations(language).pgettext("figure", label)
    return label


def describe(
    name: str,
    value: float,
    indicators: Mapping[str, Indicator],
    language: str,
    labels: Mapping[str, str] = DEFAULT_FIGURES,
) -> str:
    """Write a figure as ``PAR 15% (memadai)``, or ``Peserta PWK 12``."""
    number = f"{value:g}"
    indicator = indicators.get(name)
    if indicator is None:
        return f"{figure_label(name, labels, language)} {number}"
    return f"{indicator.label} {number}% ({grade_word(indicator.grade(value), language)})"
