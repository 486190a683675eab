"""Does an unanswered message look like random typing ("asdfjkl", "？？？", "11111", "啊啊啊")
rather than a question? Such groups go to the end of the unanswered list, marked, to be
dismissed together. Text only: no database, no model."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z]+")
_VOWELS = re.compile(r"[aeiouy]")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")
_MASK = re.compile(r"[*＊]")


def _gibberish_word(word: str) -> bool:
    if len(word) <= 2:
        return False  # "ok", "hi", "wi" (in wifi): too short to judge
    if not _VOWELS.search(word) or _CONSONANT_RUN.search(word):
        return True
    return len(set(word)) <= max(1, len(word) // 4)  # "aaaaaa", "abababab"


def looks_random(text: str) -> bool:
    """True for keyboard mashing, a run of one character, or nothing but digits, punctuation
    and symbols; False for anything with words in it (Chinese or English) or a masked value."""
    plain = (text or "").strip().lower()
    if not plain:
        return True
    if _MASK.search(plain):
        return False  # a masked phone or address: a real message, to be rewritten
    chinese = _CJK.findall(plain)
    if chinese:
        return len(chinese) >= 3 and len(set(chinese)) == 1  # "啊啊啊啊"
    words = _LATIN_WORD.findall(plain)
    if not words:
        return True  # digits, punctuation, emoji only
    gibberish = sum(len(w) for w in words if _gibberish_word(w))
    return gibberish * 2 > sum(len(w) for w in words)
