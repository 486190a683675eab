"""Numbers staff type into an answer must come from somewhere: the report (knowledge/source/) or
the entry's own staff detail (addresses, opening hours, office phone numbers). Anything else is
flagged before saving; staff may confirm it, and the confirmation is audited. Clock times
("11:00", "8点半", "18时") are not figures and are never flagged."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from core.settings import ROOT

SOURCE_DIR = ROOT / "knowledge" / "source"
# Numbers every resident may be told without a source: emergency lines and the citizen hotline.
PUBLIC_NUMBERS = frozenset({"110", "119", "120", "12345"})
CHECKED_FIELDS = ("answer_zh", "answer_en", "detail_zh", "detail_en")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Clock times are no figures to source: 11:00, 11：00-13:00, 8点, 8点半, 8点30分, 18时, 9am, 5 pm
_CLOCK = re.compile(
    r"(?<![\d.,])(?:[01]?\d|2[0-4])\s*[:：]\s*[0-5]\d(?!\d)"
    r"|(?<![\d.,])(?:[01]?\d|2[0-4])\s*(?:点|时)(?:\s*(?:半|[0-5]?\d\s*分?))?"
    r"|(?<![\d.,])(?:1[0-2]|0?\d)\s*(?:am|pm|a\.m\.|p\.m\.)(?![a-z])",
    re.IGNORECASE,
)


def _without_clock_times(text: str) -> str:
    return _CLOCK.sub(" ", text or "")


def numbers_in(text: str) -> set[str]:
    """The numbers written in digits in `text` ("1,200" and "1200" are the same number)."""
    found = set()
    for match in _NUMBER.findall(_without_clock_times(text)):
        plain = re.sub(r",(?=\d{3}\b)", "", match)
        found.add(plain)
    return found


@lru_cache(maxsize=4)
def report_numbers(directory: Path = SOURCE_DIR) -> frozenset[str]:
    """Every number in the report's text."""
    found: set[str] = set()
    for path in sorted(directory.glob("*.txt")):
        found |= numbers_in(path.read_text(encoding="utf-8"))
    return frozenset(found)


def unsourced_numbers(values: dict, *, before: dict | None = None) -> list[str]:
    """Numbers typed into the answer fields of `values` (new since `before`) that are neither in
    the report nor in the entry's staff detail, in order of first appearance."""
    allowed = report_numbers() | PUBLIC_NUMBERS
    allowed |= numbers_in(
        f"{values.get('staff_detail_zh', '')} {values.get('staff_detail_en', '')}"
    )
    if before:
        allowed |= numbers_in(" ".join(str(before.get(name) or "") for name in CHECKED_FIELDS))
    text = _without_clock_times(" ".join(str(values.get(name) or "") for name in CHECKED_FIELDS))
    seen: list[str] = []
    for match in _NUMBER.findall(text):
        number = re.sub(r",(?=\d{3}\b)", "", match)
        if number not in allowed and number not in seen:
            seen.append(number)
    return seen
