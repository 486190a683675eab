"""How an entry reads in the chat: what to do first (or the fact asked for), detail, staff detail,
then the source with the report's date. Pure text (no Rasa, no database): the actions answer with
it and the console previews with it, so the preview is what residents see."""

from __future__ import annotations

import re
from datetime import date
from typing import Protocol

from language.catalogue import say


class Answerable(Protocol):
    """What rendering reads of an entry (a `store.models.FaqEntry`, or a draft of one)."""

    answer_zh: str
    answer_en: str
    detail_zh: str
    detail_en: str
    staff_detail_zh: str
    staff_detail_en: str
    source_zh: str
    source_en: str
    source_date: date | None
    awaiting_detail: bool
    next_questions_zh: list[str]
    next_questions_en: list[str]


AWAITING_SAID = ("待工作人员补充", "awaiting staff", "to be added by staff", "awaiting town staff")
FACT_CUES = re.compile(
    r"多少|几|哪一?年|什么时候|何时|什么|哪些|哪个|哪两|名字|名称|比例|百分|[率]|数据|称号|"
    r"啥|哪几|辰光|几时|叫啥|是哪|"  # Shanghainese and spoken: 叫啥, 啥辰光, 哪几只
    r"how many|how much|what year|when|name|percent|rate|number|figure|which|what (is|was|are)",
    re.IGNORECASE,
)
NUMERIC_CUES = re.compile(
    r"多少|几|哪一?年|什么时候|何时|比例|百分|率|数据|how many|how much|year|when|percent|rate|number|figure",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[。；;！？!?])|(?<=\.)\s+")
_ATTRIBUTION = re.compile(r"^(据[^，,]*报告[，,]|According to [^,]*report[^,]*, )")


_AWAITING_NOTE = re.compile(
    r"\s*[（(][^（）()]*(待工作人员补充|awaiting staff)[^（）()]*[）)]", re.I
)


def format_source(entry: Answerable, lang: str) -> str:
    """The source line: document and section, with the report's date (the awaiting note is said
    once, in the answer, not again here)."""
    source = _AWAITING_NOTE.sub("", entry.source_en if lang == "en" else entry.source_zh)
    day = entry.source_date
    if day is None:
        return say("answer_source", lang, source=source)
    month = say("month_names", lang).split()[day.month - 1]
    return say("answer_source_dated", lang, source=source, year=day.year, month=month, day=day.day)


_STOP_PAIRS = frozenset(
    [
        "镇里",
        "我们",
        "什么",
        "多少",
        "怎么",
        "哪些",
        "哪个",
        "是不",
        "不是",
        "有没",
        "没有",
        "这个",
        "那个",
        "今年",
        "去年",
        "明年",
        "一共",
        "现在",
        "的是",
        "是什",
        "里要",
        "要的",
        "了吗",
        "的吗",
        "请问",
        "知道",
        "一下",
    ]
)
_STOP_WORDS = frozenset(
    [
        "how",
        "many",
        "much",
        "what",
        "which",
        "was",
        "were",
        "the",
        "this",
        "that",
        "year",
        "years",
        "town",
        "there",
        "are",
        "is",
        "did",
        "does",
        "for",
        "and",
        "with",
        "have",
        "has",
        "been",
        "over",
        "new",
        "last",
        "who",
        "when",
        "where",
        "why",
        "can",
        "could",
        "will",
        "would",
        "about",
        "into",
        "from",
    ]
)
_CJK_PAIR = re.compile(r"(?=([\u3400-\u9fff]{2}))")


def content_units(question: str) -> set[str]:
    """A question's content, lower-cased: its Chinese character pairs, numbers of 3+ digits and
    English words (not the ones every question has)."""
    q = question.lower()
    pairs = {p for p in _CJK_PAIR.findall(q) if p not in _STOP_PAIRS}
    numbers = set(re.findall(r"\d{3,}", q))
    words = {w for w in re.findall(r"[a-z]{3,}", q) if w not in _STOP_WORDS}
    return pairs | numbers | words


def overlap(question: str, sentence: str) -> int:
    """Shared content (`content_units`) between a question and a sentence."""
    s = sentence.lower()
    return sum(unit in s for unit in content_units(question))


def _sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE.split(text or "") if part and part.strip()]


def _score(question: str, sentence: str, numeric: bool) -> int:
    has_number = bool(re.search(r"\d", _ATTRIBUTION.sub("", sentence)))
    return overlap(question, sentence) + (4 if numeric and has_number else 0)


def asks_for_fact(question: str) -> bool:
    """The question asks for one fact: a number, a name, a year, a rate."""
    return bool(question and FACT_CUES.search(question))


def fact_score(question: str, entry: Answerable, lang: str) -> int:
    """How many of the question's words the entry's best fact sentence shares (a sentence with a
    number when a number is asked for); 0 when the question asks for no fact."""
    if not asks_for_fact(question):
        return 0
    answer, detail = _texts(entry, lang)
    numeric = bool(NUMERIC_CUES.search(question))
    return max(
        (
            overlap(question, s)
            for s in _sentences(f"{answer}{detail}")
            if not numeric or re.search(r"\d", _ATTRIBUTION.sub("", s))
        ),
        default=0,
    )


def lead_with_fact(question: str, answer: str, detail: str = "") -> tuple[str, str]:
    """When the question asks for one fact (a number, a name, a year), the sentence stating it leads,
    taken from the answer or the detail."""
    if not asks_for_fact(question):
        return answer, detail
    first, rest = _sentences(answer), _sentences(detail)
    sentences = first + rest
    if len(sentences) < 2:
        return answer, detail
    numeric = bool(NUMERIC_CUES.search(question))
    best = max(range(len(sentences)), key=lambda i: (_score(question, sentences[i], numeric), -i))
    if best == 0 or _score(question, sentences[best], numeric) <= _score(
        question, sentences[0], numeric
    ):
        return answer, detail
    attribution = _ATTRIBUTION.match(sentences[0])
    lead = sentences[best].strip()
    if attribution and not _ATTRIBUTION.match(lead):
        lead = attribution.group(0) + lead
    if best < len(first):
        rest_of_answer = "".join(s for i, s in enumerate(first) if i != best).strip()
        return f"{lead}\n{rest_of_answer}", detail
    kept = "".join(s for i, s in enumerate(rest) if i != best - len(first)).strip()
    return f"{lead}\n{answer}", kept


def _texts(entry: Answerable, lang: str) -> tuple[str, str]:
    if lang == "en":
        return entry.answer_en or "", entry.detail_en or ""
    return entry.answer_zh or "", entry.detail_zh or ""


def render_answer(entry: Answerable, lang: str, question: str = "") -> tuple[str, list[dict]]:
    """What the resident can do first (or the fact asked for), then detail and source."""
    answer, detail = lead_with_fact(question, *_texts(entry, lang))
    staff = entry.staff_detail_en if lang == "en" else entry.staff_detail_zh
    parts = [answer, detail, staff or ""]
    if entry.awaiting_detail and not any(
        said in (part or "") for part in parts for said in AWAITING_SAID
    ):
        parts.append(say("answer_awaiting_staff", lang))  # said once, never also in the source line
    parts.append(format_source(entry, lang))
    text = "\n\n".join(part for part in parts if part)
    questions = entry.next_questions_en if lang == "en" else entry.next_questions_zh
    buttons = [{"title": question, "payload": question} for question in questions]
    return text, buttons
