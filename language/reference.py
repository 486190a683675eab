"""Suggestion reference numbers `JY-YYYYMMDD-XXXX-C`: easy to read aloud, not guessable, checked."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, no 1/I
_FIND = re.compile(r"JY[\s\-_]*(\d{8})[\s\-_]*([0-9A-Z]{4})[\s\-_]*([0-9A-Z])(?![0-9A-Z])")


def _values(body: str) -> list[int]:
    """The date's digits by value, the random part by its place in the alphabet (all distinct)."""
    return [int(c) for c in body[:8]] + [ALPHABET.index(c) for c in body[8:]]


def check_char(body: str) -> str:
    """Luhn mod 32 over the date digits and the random part: catches one wrong or swapped char."""
    factor, total = 2, 0
    for value in reversed(_values(body)):
        addend = factor * value
        total += addend // len(ALPHABET) + addend % len(ALPHABET)
        factor = 1 if factor == 2 else 2
    return ALPHABET[(len(ALPHABET) - total % len(ALPHABET)) % len(ALPHABET)]


def new_reference(day: date) -> str:
    """A fresh reference for a suggestion made on `day` (Shanghai date)."""
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(4))
    body = f"{day:%Y%m%d}{random_part}"
    return f"JY-{day:%Y%m%d}-{random_part}-{check_char(body)}"


def _canonical_text(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text or "").upper()
    return folded.replace("—", "-").replace("－", "-")


def find_reference(text: str) -> str | None:
    """The first reference-like string in `text`, canonical (upper case, dashes), or None.

    Accepts lower case, full-width characters, spaces and missing dashes; does not check validity.
    """
    match = _FIND.search(_canonical_text(text))
    if not match:
        return None
    day, random_part, check = match.groups()
    return f"JY-{day}-{random_part}-{check}"


def is_valid(reference: str) -> bool:
    """True when the check character matches and the random part uses the alphabet."""
    match = re.fullmatch(r"JY-(\d{8})-([A-Z2-9]{4})-([A-Z2-9])", reference or "")
    if not match or any(c not in ALPHABET for c in match.group(2)):
        return False
    day, random_part, check = match.groups()
    return check_char(day + random_part) == check
