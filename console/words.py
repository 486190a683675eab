"""The console's words: the request's language and its texts from the catalogue
(`language/words/staff.yml`, read by `language.catalogue`), Chinese by default."""

from __future__ import annotations

from flask import session

from knowledge import topics
from language.catalogue import LANGUAGES, catalogue, say

__all__ = ["LANGUAGES", "known", "lang", "t", "topic_label", "translate", "value_label"]

VERSION_NOTES = {  # the notes the data layer writes → their keys
    "created": "version_created",
    "imported": "version_imported",
    "example question from the unanswered list": "version_from_unanswered",
}


def lang() -> str:
    """The signed-in staff member's language (chosen at /lang/<code>), Chinese by default."""
    return session.get("lang", "zh")


def known(key: str) -> bool:
    """Whether the catalogue has `key` (a word shown only when there is one)."""
    return key in catalogue()


def translate(key: str, lang: str, **values) -> str:
    """The word for `key` in `lang`, `{name}` placeholders filled; an unknown key as it is
    (tests/console/test_i18n_keys.py fails on a key the console uses that the catalogue lacks)."""
    return say(key, lang, **values) if known(key) else key


def t(key: str, **values) -> str:
    """The word for `key` in the request's language."""
    return translate(key, lang(), **values)


def value_label(kind: str, value: str, lang: str) -> str:
    """A stored value (a delivery state, a role, a channel…) in the staff's words: the key
    `{kind}_{value}`; an unknown value as it is."""
    return translate(f"{kind}_{value}", lang) if known(f"{kind}_{value}") else value


def version_note(note: str, lang: str) -> str:
    """The note the data layer keeps with an entry's version, in the staff's words."""
    if note.startswith("restored version "):
        return translate("version_restored", lang, n=note.removeprefix("restored version "))
    return translate(VERSION_NOTES[note], lang) if note in VERSION_NOTES else note


def topic_label(key: str, lang: str) -> str:
    """A topic key in the staff's words, from the topic registry (topics.yml): "not given" for
    none, an unknown key as it is."""
    return topics.label(key, lang) if key else translate("no_topic", lang)
