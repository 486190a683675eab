"""One catalogue of every word residents and staff read, in every language the assistant speaks.

The catalogue is the YAML files in `language/words/` (one per audience: `residents.yml`,
`staff.yml` …), each mapping a key to its text per language::

    apology:
      zh: 抱歉，系统暂时出了点问题……
      en: Sorry, something went wrong …

Why YAML and not gettext: every process reads it, Rasa's included (whose environment has PyYAML but
no Babel); the domain's responses are YAML already; and a reviewer sees both languages of a text
side by side. `tests/language/test_catalogue.py` fails on a key missing in one language, on
placeholders that differ between languages, and on a key the code uses that the catalogue lacks.

Standard library and PyYAML only: the actions, the bridges, the console and Rasa all import it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

WORDS_DIR = Path(__file__).resolve().parent / "words"
LANGUAGES = ("zh", "en")
DEFAULT = "zh"


class CatalogueError(ValueError):
    """A catalogue file is malformed, or two files define the same key."""


@cache
def catalogue(directory: Path = WORDS_DIR) -> dict[str, dict[str, str]]:
    """Every key of every file in `directory`: {key: {language: text}}."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.yml")):
        for key, texts in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if key in merged:
                raise CatalogueError(f"{path.name}: {key!r} is defined twice")
            if not isinstance(texts, dict):
                raise CatalogueError(f"{path.name}: {key!r} needs a text per language")
            merged[key] = {lang: str(text) for lang, text in texts.items()}
    return merged


def texts(key: str) -> dict[str, str]:
    """The text of `key` in every language (KeyError names a missing key)."""
    try:
        return catalogue()[key]
    except KeyError:
        raise KeyError(f"no {key!r} in language/words/") from None


def say(key: str, lang: str = DEFAULT, **values) -> str:
    """The text of `key` in `lang` (the default language when `lang` has none), filled in."""
    found = texts(key)
    text = found.get(lang) or found[DEFAULT]
    return text.format(**values) if values else text
