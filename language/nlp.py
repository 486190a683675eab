"""spaCy (Chinese language class, jieba segmentation) with rules: personal data and town places.

Phone, ID-card and e-mail are found with Matcher rules and masked; places from places.yml with an
EntityRuler. No pretrained pipeline is needed or downloaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from language.text import jieba_tokenizer

PLACES_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "places.yml"
MOBILE = r"^1[3-9]\d{9}$"
LANDLINE = r"^0\d{2,3}-?\d{7,8}$|^\d{8}$"
ID_CARD = r"^\d{17}[\dXx]$|^\d{15}$"
EMAIL_PART = r"^[A-Za-z0-9_%+\-.]+$"
# Safety net after the rules: any long digit run is a number nobody should read in our tables.
LONG_DIGITS = re.compile(r"(?<!\d)(\d[\d\s\-]{5,}\d)(?!\d)")


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
    """The spaCy pipeline, built once on first use."""
    import spacy
    from spacy.matcher import Matcher

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
    matcher = Matcher(pipeline.vocab)
    digit = {"TEXT": {"REGEX": r"^\d+$"}}
    sep = {"TEXT": {"REGEX": r"^[\s\-]+$"}, "OP": "?"}
    matcher.add("PHONE", [[{"TEXT": {"REGEX": MOBILE}}], [{"TEXT": {"REGEX": LANDLINE}}],
                          [digit, sep, digit, sep, digit]])  # fmt: skip
    matcher.add("ID_CARD", [[{"TEXT": {"REGEX": ID_CARD}}]])
    matcher.add(
        "EMAIL",
        [
            [
                {"TEXT": {"REGEX": EMAIL_PART}, "OP": "+"},
                {"TEXT": "@"},
                {"TEXT": {"REGEX": EMAIL_PART}, "OP": "+"},
            ]
        ],
        greedy="LONGEST",
    )
    return pipeline, matcher


def _mask_value(label: str, value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if label == "EMAIL":
        user, _, domain = value.partition("@")
        return f"{user[:1]}***@{domain}"
    if label == "ID_CARD":
        return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) == 11 else "*" * len(digits)
    return value


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(label, text) of every phone number, ID-card number and e-mail address in `text`."""
    pipeline, matcher = nlp()
    doc = pipeline(text or "")
    found = []
    for match_id, start, end in matcher(doc):
        span = doc[start:end]
        label = pipeline.vocab.strings[match_id]
        if label == "PHONE" and len(re.sub(r"\D", "", span.text)) < 7:
            continue
        found.append((label, span.text))
    return found


def mask(text: str) -> str:
    """The text with phone, ID-card and e-mail values masked (e.g. 138****5678)."""
    if not text:
        return text
    masked = text
    for label, value in sorted(find_personal_data(text), key=lambda item: -len(item[1])):
        masked = masked.replace(value, _mask_value(label, value))
    return LONG_DIGITS.sub(lambda m: _mask_value("PHONE", m.group(1)), masked)


def find_places(text: str) -> list[Place]:
    """The town's places mentioned in `text`, in order, without repeats."""
    pipeline, _ = nlp()
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
