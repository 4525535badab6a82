"""Text from session files made safe to show: control characters escaped."""

from __future__ import annotations

import re

from kbik.i18n import message

# C0 controls but tab and newline, DEL, and C1 controls: a terminal would obey them
# (an ESC sequence can rewrite the screen or set the clipboard).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_AND_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match[0]):02x}"


def escape_controls(text: str, *, one_line: bool = False) -> str:
    r"""Show control characters as ``\x1b``; with ``one_line``, tabs and newlines too."""
    pattern = _CONTROLS_AND_BREAKS if one_line else _CONTROLS
    return pattern.sub(_escape, text)


def has_controls(text: str) -> bool:
    """Tell whether text holds a control character other than tab and newline."""
    return _CONTROLS.search(text) is not None


def brief(value: object, language: str = "en") -> str:
    """A value for a message, cut short: huge numbers by their size, long text by its start."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        digits = int(value.bit_length() * 0.30103) + 1
        return message(language, "a number of about {digits} digits", digits=digits)
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
