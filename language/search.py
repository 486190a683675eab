"""Search tokens: normalised text, segmented for search by the one jieba set-up, without stop words."""

from __future__ import annotations

from language.text import jieba_tokenizer, normalise

STOPWORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "嘛",
        "是",
        "我",
        "你",
        "他",
        "她",
        "们",
        "在",
        "有",
        "和",
        "就",
        "都",
        "也",
        "要",
        "想",
        "能",
        "会",
        "可以",
        "怎么",
        "什么",
        "哪里",
        "请问",
        "一下",
        "这个",
        "那个",
        "how",
        "what",
        "do",
        "i",
        "is",
        "the",
        "a",
        "to",
        "of",
        "my",
        "for",
        "can",
    ]
)


def tokens(text: str) -> list[str]:
    """Search tokens of a text: normalised, segmented for search, without stop words."""
    words = jieba_tokenizer().cut_for_search(normalise(text or ""))
    return [w for w in (w.strip() for w in words) if w and w not in STOPWORDS and not w.isspace()]
