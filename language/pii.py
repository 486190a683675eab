"""Personal numbers in residents' text (phone, ID-card and e-mail values), found and masked with
regular expressions only: fast, and at hand in every process. Rasa's own (its tracker store,
`rasa_addons/tracker_store.py`) has no spaCy and masks what it stores exactly as the actions mask
what they store. A valid suggestion reference number (JY-20261206-ABCD-E) and the assistant's own
hexadecimal ids (drafts, messages, turns) are kept.
"""

from __future__ import annotations

import re

from language.reference import find_reference, is_valid

# Personal data as residents type it: ASCII or full-width (or any other script's) digits, groups
# parted by spaces or any dash, an ID's closing X, an e-mail address in either width. `\d` and
# `\s` are Unicode-aware: "１３８－１２３４－５６７８" is a number like "138-1234-5678".
_SEPARATOR = r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]"
_EMAIL_CHAR = r"[A-Za-z0-9._%+\-Ａ-Ｚａ-ｚ０-９．＿％＋－]"
_DOMAIN = r"[A-Za-z0-9\-Ａ-Ｚａ-ｚ０-９－]+(?:[.．。][A-Za-z0-9\-Ａ-Ｚａ-ｚ０-９－]+)*"
_ALNUM = r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]"
MIN_DIGITS = 7  # a shorter number is a house, a room or an amount ("3号楼202室")
EMAIL = re.compile(rf"(?<!{_EMAIL_CHAR})(?P<name>{_EMAIL_CHAR}+)(?P<domain>(?:[@＠﹫]{_DOMAIN})+)")
NUMBER = re.compile(
    # a suggestion's reference number (JY-20261206-ABCD-E), kept when its check character holds
    rf"(?P<reference>[JjＪｊ][YyＹｙ][\s\-_－—]*\d{{8}}[\s\-_－—]*{_ALNUM}{{4}}[\s\-_－—]*{_ALNUM}"
    rf"(?!{_ALNUM}))"
    rf"|(?<!\d)(?P<number>\d(?:{_SEPARATOR}*\d){{{MIN_DIGITS - 1},}})"
    rf"(?:(?P<gap>{_SEPARATOR}*)(?P<check>[XxＸｘ]))?"
)
# Cheap: no personal data without an @ or 7 digits (most messages need no more than this).
_MAYBE = re.compile(rf"[@＠﹫]|\d(?:\D*\d){{{MIN_DIGITS - 1}}}")


# The assistant's own ids (uuid4, as hex or with dashes): long digit runs that are no one's number.
_ID = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9a-f]{32}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})(?![0-9A-Za-z])"
)


def _digits(match: re.Match) -> str:
    return "".join(char for char in match["number"] if char.isdecimal())


def _number_label(match: re.Match) -> str | None:
    """ID_CARD (18 characters, or 15 digits), PHONE (any other number), REFERENCE (one whose
    check character does not hold: read as text) or None (a valid reference number)."""
    if match["reference"]:
        return None if is_valid(find_reference(match[0]) or "") else "REFERENCE"
    digits, check = _digits(match), match["check"] or ""
    return "ID_CARD" if len(digits) + len(check) == 18 or len(digits) == 15 else "PHONE"


def _masked_email(match: re.Match) -> str:
    """The first character of a name of 3 or more, and the domain (its numbers masked)."""
    name = match["name"]
    return f"{name[0] if len(name) >= 3 else ''}***{mask(match['domain'])}"


def _masked_number(match: re.Match) -> str:
    """11 digits (a mobile, a landline with its area code) and an ID number keep their first 3
    and last 4; any other number only its length; a valid reference number is kept."""
    label = _number_label(match)
    if label is None:
        return match[0]
    if label == "REFERENCE":
        return match[0][:2] + NUMBER.sub(_masked_number, match[0][2:])
    digits, check = _digits(match), match["check"] or ""
    if check and len(digits) != 17:  # an X after a number that is not an ID is just a letter
        return "*" * len(digits) + match["gap"] + check
    if len(digits) + len(check) == 18:
        return f"{digits[:3]}{'*' * 11}{(digits + check)[-4:]}"
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(digits)


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(label, text) of every e-mail address (EMAIL), then every phone number (PHONE) and ID-card
    number (ID_CARD) in `text`."""
    if not text or not _MAYBE.search(text):
        return []
    found = [("EMAIL", match[0]) for match in EMAIL.finditer(text)]
    rest = EMAIL.sub(lambda match: "*" * len(match[0]), text)  # an address's digits are its own
    for match in NUMBER.finditer(rest):
        label = _number_label(match)
        if label == "REFERENCE":
            found += find_personal_data(match[0][2:])
        elif label:
            found.append((label, match[0]))
    return found


def _mask_text(text: str) -> str:
    """The text with e-mail addresses (wan***@qq.com), then phone numbers (138****5678), ID-card
    numbers (310***********123X) and any other run of 7 or more digits (********) masked; a valid
    reference number (JY-20261206-ABCD-E) kept. Regular expressions only: fast, and at hand in
    any process (Rasa's has no spaCy)."""
    if not text or not _MAYBE.search(text):
        return text
    return NUMBER.sub(_masked_number, EMAIL.sub(_masked_email, text))


def may_hold_personal_data(text: str) -> bool:
    """A cheap test: False when `text` cannot hold a phone, ID-card number or e-mail address."""
    return bool(text) and _MAYBE.search(text) is not None


def mask(text: str) -> str:
    """`text` with every personal number masked (see `_mask_text`), the assistant's ids kept."""
    if not may_hold_personal_data(text):
        return text
    parts, start = [], 0
    for match in _ID.finditer(text):
        parts += [_mask_text(text[start : match.start()]), match[0]]
        start = match.end()
    return "".join([*parts, _mask_text(text[start:])])


def mask_tree(value):
    """`value` (a string, or lists and dicts of them, as JSON) with every string masked."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [mask_tree(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_tree(item) for key, item in value.items()}
    return value
