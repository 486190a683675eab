"""The town's places (knowledge/places.yml: each place's standard name, kind and the other ways
residents write it), read in one place for everyone: spaCy's place ruler (`language/nlp.py`), the
topic model's "about this town" words, the console's place filter and the dashboard. PyYAML only:
Rasa's process and the console read it without spaCy."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PLACES_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "places.yml"


@dataclass(frozen=True)
class Place:
    """A place of the town: its standard name and kind."""

    name: str
    kind: str


@cache
def _raw() -> tuple[dict, ...]:
    return tuple(yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8")) or ())


def town_places() -> list[Place]:
    """Every place, in the file's order."""
    return [Place(raw["name"], raw["kind"]) for raw in _raw()]


def load_places() -> dict[str, Place]:
    """Every written form (name and aliases) mapped to its place."""
    forms: dict[str, Place] = {}
    for raw in _raw():
        place = Place(raw["name"], raw["kind"])
        for form in [raw["name"], *raw.get("aliases", [])]:
            forms[form] = place
    return forms
