"""The topic registry (topics.yml at the repository's root): the one list of topic keys, with
their names, the console's labels, the web chat's buttons and what residents ask about.

Everything that lists topics reads it: the console (`label`), the web chat's first-screen buttons
(`buttons`), the fallback's and the domain's "you can ask me about …" (`answerable_list`, filled
into the generated domain by `fill_domain`), and the training data (`topic_of`: an entry's intent
must start with a registered key). `topics()` reads the file once per process (`REGISTRY`; tests
point it at a copy and call `topics.cache_clear()`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from language.catalogue import say

REGISTRY = Path(__file__).resolve().parent.parent / "topics.yml"  # Rasa's process reads it too
LANGS = ("zh", "en")
KINDS = ("topic", "conversation")
KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
MARKER = "{{topics}}"  # in a domain response: the answerable topics' names, in its language
FIELDS = {"key", "kind", "core", "name", "label", "button", "question", "answerable", "asks"}


class TopicsError(ValueError):
    """topics.yml is not a valid registry (the message says which topic and why)."""


@dataclass(frozen=True)
class Words:
    """One text in Chinese and in English."""

    zh: str
    en: str

    def in_(self, lang: str) -> str:
        """The text in `lang` (Chinese for anything but "en")."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Topic:
    """One topic of the registry."""

    key: str
    kind: str  # "topic" (residents ask about it) or "conversation"
    core: bool  # one of the mission's core topics
    name: Words  # in a sentence: "ask me about elevator installation"
    label: Words  # the console's word
    asks: str  # what residents ask about
    answerable: bool = False  # listed in "I can answer questions about …"
    button: Words | None = None  # the web chat's button, None: no button
    question: Words | None = None  # the question the button sends


def _words(raw: object, key: str, field: str) -> Words:
    if not isinstance(raw, dict) or set(raw) != set(LANGS):
        raise TopicsError(f"topic {key!r}: {field} needs zh and en (and nothing else)")
    zh, en = (str(raw[lang] if raw[lang] is not None else "").strip() for lang in LANGS)
    if not zh or not en:
        raise TopicsError(f"topic {key!r}: {field} is empty in {'zh' if not zh else 'en'}")
    return Words(zh, en)


def parse(raw: dict) -> Topic:
    """One topic from its mapping in the file; TopicsError when a field is missing or wrong."""
    if not isinstance(raw, dict):
        raise TopicsError(f"a topic must be a mapping, not {raw!r}")
    key = str(raw.get("key") or "")
    if not KEY.match(key):
        raise TopicsError(f"topic key {key!r} must be lower-case words joined by _")
    if set(raw) - FIELDS:
        raise TopicsError(f"topic {key!r}: unknown fields {sorted(set(raw) - FIELDS)}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise TopicsError(f"topic {key!r}: kind must be one of {KINDS}, not {kind!r}")
    asks = " ".join(str(raw.get("asks") or "").split())
    if not asks:
        raise TopicsError(f"topic {key!r}: asks (what residents ask about) is missing")
    has_button = raw.get("button") is not None or raw.get("question") is not None
    topic = Topic(
        key=key,
        kind=kind,
        core=bool(raw.get("core", False)),
        name=_words(raw.get("name"), key, "name"),
        label=_words(raw.get("label"), key, "label"),
        asks=asks,
        answerable=bool(raw.get("answerable", False)),
        button=_words(raw.get("button"), key, "button") if has_button else None,
        question=_words(raw.get("question"), key, "question") if has_button else None,
    )
    if kind == "conversation" and (topic.button or topic.answerable or topic.core):
        raise TopicsError(f"topic {key!r}: a conversation key has no button and is not listed")
    return topic


def load(path: Path) -> tuple[Topic, ...]:
    """The registry in `path`, validated: unique keys, no key the start of another's intents
    (`suggestion` and `suggestion_x` could not both own `suggestion_x_y`), both languages."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list) or not raw:
        raise TopicsError(f"{path.name} must be a list of topics")
    found = tuple(parse(item) for item in raw)
    keys = [t.key for t in found]
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    if doubled:
        raise TopicsError(f"topic keys listed twice: {doubled}")
    nested = sorted(f"{a} / {b}" for a in keys for b in keys if b.startswith(f"{a}_"))
    if nested:
        raise TopicsError(f"a key starts another (intents would have two topics): {nested}")
    return found


@cache
def topics() -> tuple[Topic, ...]:
    """Every topic of the registry, in its order (read once per process)."""
    return load(REGISTRY)


def keys() -> tuple[str, ...]:
    """Every registered key, in the registry's order."""
    return tuple(t.key for t in topics())


def get(key: str) -> Topic | None:
    """The topic with this key, or None."""
    return next((t for t in topics() if t.key == key), None)


def topic_of(intent: str) -> str | None:
    """The registered key an intent's name starts with (`faq/elevator_cost` → elevator), or None."""
    name = intent.rsplit("/", 1)[-1]
    return next((k for k in keys() if name == k or name.startswith(f"{k}_")), None)


def label(key: str, lang: str) -> str:
    """A topic key in the staff's words (the console's label); an unknown key as it is."""
    topic = get(key)
    return topic.label.in_(lang) if topic else key


def buttons(lang: str) -> list[dict[str, str]]:
    """The web chat's first-screen buttons in `lang`: [{key, label, question}] in order."""
    return [
        {"key": t.key, "label": t.button.in_(lang), "question": t.question.in_(lang)}
        for t in topics()
        if t.button and t.question
    ]


def answerable_list(lang: str) -> str:
    """The answerable topics' names as one list: "A、B和C" / "A, B and C"."""
    names = [t.name.in_(lang) for t in topics() if t.answerable]
    if len(names) < 2:
        return "".join(names)
    return say("list_comma", lang).join(names[:-1]) + say("list_and", lang) + names[-1]


def answerable_prose(lang: str) -> str:
    """One sentence saying what the assistant answers ("I can answer questions about …")."""
    return say("topics_answerable", lang, topics=answerable_list(lang))


def _response_language(variant: dict) -> str:
    """A response variant's language: "en" under the condition language = en, else "zh"."""
    for condition in variant.get("condition") or []:
        if condition.get("name") == "language":
            return str(condition.get("value"))
    return "zh"


def fill_domain(text: str) -> str:
    """A domain file with every `{{topics}}` of its responses replaced by the answerable topics'
    names in the variant's language (the file as it is when it has none)."""
    if MARKER not in text:
        return text
    domain = yaml.safe_load(text)
    for variants in (domain.get("responses") or {}).values():
        for variant in variants:
            if MARKER in (variant.get("text") or ""):
                lang = _response_language(variant)
                variant["text"] = variant["text"].replace(MARKER, answerable_list(lang))
    filled = yaml.safe_dump(domain, allow_unicode=True, sort_keys=False, width=10**6)
    if MARKER in filled:
        raise TopicsError(f"{MARKER} outside a response's text")
    return filled
