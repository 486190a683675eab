"""Text helpers shared by the actions, the channels and Rasa's tokenizer (pure: no Rasa, no database).

`normalise` keeps the length of the text, so token offsets computed on it hold for the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from language.reference import find_reference

DICTIONARY_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "dictionary"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _fold_char(char: str) -> str:
    """One character half-width and lower case, or as it is when either would make it longer
    ("ﬁ" → "fi", "İ".lower() → "i̇")."""
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        return char
    lower = folded.lower()
    return lower if len(lower) == 1 else folded


def to_simplified(text: str) -> str:
    """Traditional characters to Simplified (OpenCC), keeping the text's length."""
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in text)


_LONG_NUMBER = re.compile(r"\d{6,}")


def normalise(text: str) -> str:
    """Simplified characters, half-width letters and digits, lower case; same length as `text`.

    Long digit runs become zeros (6–8 digits: dates, as in reference numbers) or nines (9 and
    more: phone and ID numbers), so that their digits do not look like the 12345 hotline, and a
    phone number does not look like a reference number, to a character n-gram model.
    """
    if not text:
        return text
    folded = "".join(_fold_char(char) for char in to_simplified(text))
    return _LONG_NUMBER.sub(
        lambda m: ("0" if len(m.group()) <= 8 else "9") * len(m.group()), folded
    )


CJK_PER_WORD = 2  # Chinese characters that weigh as much as one English word


def detect_language(text: str | None, default: str | None = "zh") -> str | None:
    """The language most of the message is written in: 'en' for English words only, or for at
    least two English words outweighing its Chinese characters (two characters weigh one word:
    "What is 长护险?", "how to apply 低保"); 'zh' for any other message with Chinese characters
    ("我想问下APP怎么下载"); else `default` (the web chat's app.js `languageOf` is the same rule).

    A button payload (`/intent`) says nothing about the resident's language.
    """
    if not text or text.startswith("/"):
        return default
    reference = find_reference(text)
    if reference:  # a reference number's letters are not English
        text = re.sub(r"(?i)jy[\s\-_－]*\d{8}[\s\-_－]*[0-9a-z]{4}[\s\-_－]*[0-9a-z]", " ", text)
    words, characters = len(_LATIN_WORD.findall(text)), len(_CJK.findall(text))
    if characters:
        return "en" if words >= 2 and words * CJK_PER_WORD > characters else "zh"
    return "en" if words else default


@lru_cache(maxsize=1)
def jieba_tokenizer():
    """The one jieba set-up: jieba's default tokenizer with the town's user dictionary (programme
    names, misspellings, places), used by Rasa's tokenizer, the topic model, spaCy and search."""
    import jieba

    jieba.setLogLevel(60)
    for path in sorted(DICTIONARY_DIR.glob("*.txt")):
        jieba.dt.load_userdict(str(path))
    return jieba.dt


# characters of a resident's message read; the rest is cut (every channel), and the resident is
# told so: `say("too_long", lang)` (language/words/residents.yml, which names the same number)
MAX_INPUT = 2000


def clean_input(text: str | None) -> str:
    """A resident's message, trimmed to MAX_INPUT characters (see `is_too_long`)."""
    return (text or "").strip()[:MAX_INPUT]


def is_too_long(text: str | None) -> bool:
    """True when `clean_input` had to cut the message: the resident is told so."""
    return len((text or "").strip()) > MAX_INPUT


def split_text(text: str, limit: int = 4096) -> list[str]:
    """Split a reply at paragraph or line ends so that each part fits an app's `limit` characters."""
    parts: list[str] = []
    rest = text or ""
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit))
        cut = cut if cut > limit // 2 else limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest or not parts:
        parts.append(rest)
    return parts


FULLWIDTH_SOLIDUS = "／"


def neutralise(text: str | None, metadata: dict | None) -> str | None:
    """A typed `/intent{...}` as plain text (its slash made full-width), unless the channel layer
    marks the message as a button's payload (`metadata["payload"] is True`)."""
    if not text or (metadata or {}).get("payload") is True:
        return text
    stripped = text.lstrip()
    if stripped.startswith("/"):
        return FULLWIDTH_SOLIDUS + stripped[1:]
    return text
