"""Personal data (phone, ID-card and e-mail values) found and masked with regular expressions; the
town's places found by spaCy (Chinese language class, jieba segmentation) with an EntityRuler over
places.yml. No pretrained pipeline is needed or downloaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.reference import find_reference, is_valid
from language.text import jieba_tokenizer

PLACES_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "places.yml"
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


@dataclass(frozen=True)
class Place:
    """A place of the town: its standard name and kind."""

    name: str
    kind: str


def load_places() -> dict[str, Place]:
    """Every written form (name and aliases) mapped to its place."""
    forms: dict[str, Place] = {}
    for raw in yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8")):
        place = Place(raw["name"], raw["kind"])
        for form in [raw["name"], *raw.get("aliases", [])]:
            forms[form] = place
    return forms


@lru_cache(maxsize=1)
def nlp():
    """The spaCy pipeline (the town's places), built once on first use."""
    import spacy

    tokenizer = jieba_tokenizer()  # spaCy's jieba segmenter uses this same set-up
    for form in load_places():
        tokenizer.add_word(form, freq=2000)
    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = pipeline.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PLACE", "pattern": form, "id": place.name}
            for form, place in load_places().items()
        ]
    )
    return pipeline


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


def mask(text: str) -> str:
    """The text with e-mail addresses (wan***@qq.com), then phone numbers (138****5678), ID-card
    numbers (310***********123X) and any other run of 7 or more digits (********) masked; a valid
    reference number (JY-20261206-ABCD-E) kept. Regular expressions only: fast, and at hand in
    any process (Rasa's has no spaCy)."""
    if not text or not _MAYBE.search(text):
        return text
    return NUMBER.sub(_masked_number, EMAIL.sub(_masked_email, text))


def find_places(text: str) -> list[Place]:
    """The town's places mentioned in `text`, in order, without repeats."""
    pipeline = nlp()
    places = load_places()
    seen: dict[str, Place] = {}
    for ent in pipeline(text or "").ents:
        if ent.label_ == "PLACE":
            place = places.get(ent.text) or Place(ent.ent_id_, "")
            seen.setdefault(place.name, place)
    return list(seen.values())


def extract_phone(text: str) -> str | None:
    """The first phone number in `text`, digits only, or None."""
    for label, value in find_personal_data(text):
        if label == "PHONE":
            return re.sub(r"\D", "", value)
    return None
