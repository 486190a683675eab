"""English words residents use, said in the Chinese words of the data (`language/glossary.yml`)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary.yml"


@lru_cache(maxsize=1)
def glossary() -> list[tuple[re.Pattern, str]]:
    """(pattern of a lower-case English word stem, the Chinese words it stands for)."""
    entries = yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8")) or {}
    return [(re.compile(r"\b" + re.escape(key)), value) for key, value in entries.items()]


def chinese_words(text: str) -> list[str]:
    """The Chinese words of the glossary that the (lower-case) English words of `text` stand for."""
    return [zh for pattern, zh in glossary() if pattern.search(text)]
