"""Personal numbers in residents' text, found and masked with regular expressions only.

Phone numbers, ID-card numbers and e-mail addresses; standard library only, so that Rasa's own
process (its tracker store, `rasa_addons/tracker_store.py`) masks what it stores exactly as the
actions mask what they store. `\\d` matches every script's digits (full-width ones too), and a
number may be split by spaces, dashes or dots, as residents type them. Suggestion reference
numbers (`JY-20261206-ABCD-E`) and the assistant's own ids are not personal: they are kept.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9_%+\-.]+\s*[@＠]\s*[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d(?:[\s\-]?\d){16}[\s\-]?[\dXx]|\d{15})(?![0-9A-Za-z])")
# Any run of at least 7 digits, spaces, dashes and dots between them allowed: every phone number
# (mobile, landline with or without area code, +86) and any other long number.
LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s\-.－—·]{0,2}\d){6,}(?!\d)")
# Kept as they are: suggestion reference numbers, and the hexadecimal ids (uuid4) the assistant
# makes for drafts, messages and turns.
KEEP = re.compile(
    r"JY[\s\-_]*\d{8}[\s\-_]*[0-9A-Z]{4}[\s\-_]*[0-9A-Z](?![0-9A-Z])"
    r"|(?<![0-9A-Za-z])(?:[0-9a-f]{32}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})(?![0-9A-Za-z])"
)
_QUICK = re.compile(r"\d(?:[^\d]{0,2}\d){6}|[@＠]")


def _masked_email(value: str) -> str:
    user, domain = re.split(r"\s*[@＠]\s*", value, maxsplit=1)
    return f"{user[:1]}***@{domain}"


def _masked_number(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11:  # a mobile number: the resident can still recognise their own
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(digits)


def _mask_plain(text: str) -> str:
    text = EMAIL.sub(lambda m: _masked_email(m.group(0)), text)
    text = ID_CARD.sub(lambda m: _masked_id(m.group(0)), text)
    return LONG_NUMBER.sub(lambda m: _masked_number(m.group(0)), text)


def _masked_id(value: str) -> str:
    compact = re.sub(r"[\s\-]", "", value)
    return f"{compact[:3]}{'*' * (len(compact) - 7)}{compact[-4:]}"


def may_hold_personal_data(text: str) -> bool:
    """A cheap test: False when `text` cannot hold a phone, ID-card number or e-mail address."""
    return bool(text) and _QUICK.search(text) is not None


def mask(text: str) -> str:
    """`text` with every phone, ID-card and e-mail value masked (13812345678 → 138****5678);
    reference numbers and ids kept."""
    if not may_hold_personal_data(text):
        return text
    kept = list(KEEP.finditer(text))
    if not kept:
        return _mask_plain(text)
    parts, start = [], 0
    for match in kept:
        parts += [_mask_plain(text[start : match.start()]), match.group(0)]
        start = match.end()
    return "".join([*parts, _mask_plain(text[start:])])


def mask_tree(value):
    """`value` (a string, or lists and dicts of them, as JSON) with every string masked."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [mask_tree(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_tree(item) for key, item in value.items()}
    return value
