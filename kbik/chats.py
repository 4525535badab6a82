"""WhatsApp chat exports: messages out of the text an Android or iOS phone writes.

whatstk knows these formats too, but brings pandas, numpy, plotly and seaborn with it
for what is two line formats; this small parser is tested on exports from both kinds
of phone set to Indonesian and to English (see the README, "Bringing in your history").

Android: ``25/05/16 19.21 - Hendra Putra: ...`` (English: ``25/05/2016, 19:21 - ...``)
iOS:     ``[25/05/16 19.21.10] Hendra Putra: ...`` (English: ``[25/05/2016, 19:21:10] ...``)
Dates are day first, as phones in Indonesia write them; a message runs on over the lines
that do not start another; system lines and media placeholders are no one's message.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

_DATE = (
    r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),?\s+(\d{1,2})[.:](\d{2})(?:[.:]\d{2})?"
    r"(?:\s*([AaPp])\.?[Mm]\.?)?"
)
_ANDROID = re.compile(rf"^\u200e?{_DATE}\s+-\s+(.*)$")
_IOS = re.compile(rf"^\u200e?\[{_DATE}\]\s+(.*)$")
_SENDER = re.compile(r"^([^:]{1,60}?):\s(.*)$", re.DOTALL)
# What no one wrote: the chat's own notices, and media left out of the export.
_SYSTEM = re.compile(
    r"dienkripsi|end-to-end encrypted|membuat grup|created group|menambahkan|added|"
    r"keluar$|left$|mengubah|changed|bergabung|joined",
    re.IGNORECASE,
)
_MEDIA = re.compile(
    r"^\u200e?(?:<Media tidak disertakan>|<Media omitted>|(?:gambar|video|audio|stiker|"
    r"image|sticker|document)\s+(?:tidak disertakan|omitted))$",
    re.IGNORECASE,
)
RANGKUMAN_FROM = 200  # characters: a shorter message is chatter, not a session's summary


@dataclass(frozen=True)
class Message:
    """One message of a chat: when, who, what (its lines joined back)."""

    sent: dt.datetime
    sender: str
    text: str


def _start(line: str) -> tuple[dt.datetime, str] | None:
    """When a line starts a message (or a notice), and the rest of it; None otherwise."""
    match = _IOS.match(line) or _ANDROID.match(line)
    if match is None:
        return None
    day, month, year, hour, minute, half, rest = match.groups()
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    hour_of_day = (
        int(hour) % 12 + (12 if half and half.lower() == "p" else 0) if half else int(hour)
    )
    try:
        return dt.datetime(full_year, int(month), int(day), hour_of_day, int(minute)), rest
    except ValueError:
        return None


def is_chat(text: str) -> bool:
    """Tell whether a text is a chat export: its first line that holds something starts
    a message."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return _start(first.lstrip("\ufeff")) is not None


def messages(text: str) -> list[Message]:
    """The people's messages of a chat export, in order, without notices and media."""
    found: list[tuple[dt.datetime, str | None, list[str]]] = []
    for line in text.lstrip("\ufeff").splitlines():
        started = _start(line)
        if started is None:
            if found:
                found[-1][2].append(line)  # a message over several lines
            continue
        sent, rest = started
        who = _SENDER.match(rest)
        if who is None or (_SYSTEM.search(rest) and len(rest) < 200):
            found.append((sent, None, [rest]))  # a notice of the chat's own
        else:
            found.append((sent, who[1].lstrip("\u200e~ ").strip(), [who[2]]))
    result = []
    for sent, sender, lines in found:
        body = "\n".join(lines).strip()
        if sender is None or not body or _MEDIA.match(body):
            continue
        result.append(Message(sent, sender, body))
    return result


def is_rangkuman(message: Message) -> bool:
    """Tell whether a message is a session's summary rather than chatter: long enough,
    naming the KBIK (or a rangkuman) and a team."""
    text = message.text
    return (
        len(text) >= RANGKUMAN_FROM
        and re.search(r"\b(?:kbik|rangkuman)\b", text, re.IGNORECASE) is not None
        and re.search(r"\btim\s*\d", text, re.IGNORECASE) is not None
    )


def chat_text(path: Path) -> str:
    """The chat's text, from an export's .txt or the .zip WhatsApp makes (media ignored)."""
    if path.suffix.lower() != ".zip":
        return path.read_bytes().decode("utf-8-sig")
    with zipfile.ZipFile(path) as archive:
        texts = [info for info in archive.infolist() if info.filename.lower().endswith(".txt")]
        if not texts:
            raise ValueError("the .zip holds no chat text (.txt)")
        chat = max(texts, key=lambda info: info.file_size)
        if chat.file_size > 64 * 1024 * 1024:
            raise ValueError("the chat text is larger than 64 MiB")
        return archive.read(chat).decode("utf-8-sig")
