"""Text helpers shared by the actions and the channels: language of a message."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str | None, default: str = "zh") -> str:
    """'zh' when the message has Chinese characters, 'en' when it has English words, else `default`."""
    if not text:
        return default
    if _CJK.search(text):
        return "zh"
    if _LATIN_WORD.search(text):
        return "en"
    return default
