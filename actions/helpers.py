"""Plain functions shared by the actions: language, identity, answer rendering, side questions."""

from __future__ import annotations

import logging
import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from knowledge import faq_repo
from knowledge.db import get_sessionmaker
from knowledge.identity import sender_hash
from knowledge.models import FaqEntry
from language.emergency import emergency_intents
from language.text import detect_language

logger = logging.getLogger(__name__)
TECHNICAL_PROBLEM = {
    "zh": "抱歉，系统暂时查不到答案，请稍后再试，或拨打12345市民服务热线。",
    "en": "Sorry, I can't look up the answer right now. Please try again in a moment, "
    "or call the 12345 citizen hotline.",
}
NO_ANSWER = {
    "zh": "抱歉，这个问题我暂时还没有答案。请拨打12345市民服务热线，或咨询所在居委会。",
    "en": "Sorry, I have no answer for that yet. Please call the 12345 citizen hotline "
    "or ask your residents' committee.",
}
EMERGENCY_NUMBERS = {
    "zh": "紧急情况请立即拨打：火警119，急救120，报警110。",
    "en": "Emergency: fire 119, ambulance 120, police 110.",
}
SIDE_QUESTION_CONFIDENCE = 0.75
RESPONSE_INTENTS = ("bot",)


def reply_language(tracker: Tracker) -> str:
    """The language of the latest message when clear, else the resident's chosen one."""
    chosen = tracker.get_slot("language") or "zh"
    return detect_language(tracker.latest_message.get("text"), default=chosen)


def channel_of(tracker: Tracker) -> str:
    """The channel the resident writes from (the channel layer names it; REST otherwise)."""
    return tracker.get_latest_input_channel() or "rest"


def identity(tracker: Tracker) -> str:
    """The keyed hash that stands for this resident on this channel."""
    return sender_hash(channel_of(tracker), tracker.sender_id)


AWAITING = {
    "zh": "具体细节待工作人员补充，请以居委会或12345的答复为准。",
    "en": "Details are awaiting town staff; please confirm with 12345 or your residents' committee.",
}
AWAITING_SAID = ("待工作人员补充", "awaiting staff", "to be added by staff", "awaiting town staff")
FACT_CUES = re.compile(
    r"多少|几[台个家位年岁次条人万元%]|几|哪一?年|什么时候|何时|叫什么|名字|名称|比例|百分|[率]|数据|"
    r"how many|how much|what year|when|name|percent|rate|number|figure",
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


def format_source(entry: FaqEntry, lang: str) -> str:
    """The source line: document and section, with the report's date (the awaiting note is said
    once, in the answer, not again here)."""
    if lang == "en":
        dated = f" ({entry.source_date:%d %b %Y})" if entry.source_date else ""
        return f"Source: {_AWAITING_NOTE.sub('', entry.source_en)}{dated}"
    dated = (
        f"（{entry.source_date.year}年{entry.source_date.month}月{entry.source_date.day}日）"
        if entry.source_date
        else ""
    )
    return f"来源：{_AWAITING_NOTE.sub('', entry.source_zh)}{dated}"


def _overlap(question: str, sentence: str) -> int:
    """Shared character pairs (Chinese) or words (English) between a question and a sentence."""
    q, s = question.lower(), sentence.lower()
    pairs = {q[i : i + 2] for i in range(len(q) - 1) if not q[i : i + 2].isspace()}
    words = set(re.findall(r"[a-z]{3,}", q))
    return sum(p in s for p in pairs) + sum(w in s for w in words)


def lead_with_fact(question: str, answer: str) -> str:
    """When the question asks for one fact (a number, a name, a year), the sentence stating it leads."""
    if not question or not FACT_CUES.search(question):
        return answer
    sentences = [part for part in _SENTENCE.split(answer) if part and part.strip()]
    if len(sentences) < 2:
        return answer
    numeric = bool(NUMERIC_CUES.search(question))

    def score(sentence: str) -> int:
        has_number = bool(re.search(r"\d", _ATTRIBUTION.sub("", sentence)))
        return _overlap(question, sentence) + (4 if numeric and has_number else 0)

    best = max(range(len(sentences)), key=lambda i: (score(sentences[i]), -i))
    if best == 0 or score(sentences[best]) <= score(sentences[0]):
        return answer
    attribution = _ATTRIBUTION.match(sentences[0])
    lead = sentences[best].strip()
    if attribution and not _ATTRIBUTION.match(lead):
        lead = attribution.group(0) + lead
    rest = "".join(s for i, s in enumerate(sentences) if i != best).strip()
    return f"{lead}\n{rest}"


def render_answer(entry: FaqEntry, lang: str, question: str = "") -> tuple[str, list[dict]]:
    """What the resident can do first (or the fact asked for), then detail and source."""
    answer, detail = (
        (entry.answer_en, entry.detail_en) if lang == "en" else (entry.answer_zh, entry.detail_zh)
    )
    answer = lead_with_fact(question, answer or "")
    parts = [answer, detail]
    if entry.awaiting_detail and not any(
        said in (part or "") for part in parts for said in AWAITING_SAID
    ):
        parts.append(AWAITING[lang])  # said once, never also in the source line
    parts.append(format_source(entry, lang))
    text = "\n\n".join(part for part in parts if part)
    questions = entry.next_questions_en if lang == "en" else entry.next_questions_zh
    buttons = [{"title": question, "payload": question} for question in questions]
    return text, buttons


def entry_button(entry: FaqEntry, lang: str) -> dict:
    """A button that asks for `entry` directly: its title, and its intent as the payload."""
    return {
        "title": entry.title_en if lang == "en" else entry.title_zh,
        "payload": f"/{entry.intent}",
    }


def topic_entries(session, tracker: Tracker, topic: str, limit: int = 3) -> list[FaqEntry]:
    """A topic's specific entries (not its topic-level one), the model's likeliest first."""
    ranking = [r["name"] for r in tracker.latest_message.get("intent_ranking") or []]
    entries = [
        e
        for e in faq_repo.list_entries(session, topic=topic)
        if not e.intent.endswith("_other") and e.examples
    ]
    order = {name: i for i, name in enumerate(ranking)}
    entries.sort(key=lambda e: order.get(e.intent, len(order)))
    return entries[:limit]


def answer_side_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Inside a flow: answer a confident question on another topic (without buttons); True if so."""
    intent = tracker.latest_message.get("intent") or {}
    name = intent.get("name") or ""
    if intent.get("confidence", 0) < SIDE_QUESTION_CONFIDENCE or name.startswith("suggestion"):
        return False
    if name in RESPONSE_INTENTS:  # "你能做什么": answered by the domain's response
        dispatcher.utter_message(response=f"utter_{name}")
        return True
    with get_sessionmaker().begin() as session:
        entry = faq_repo.get_by_intent(session, intent=name)
        text = render_answer(entry, reply_language(tracker))[0] if entry else None
    if text:
        dispatcher.utter_message(text=text)
    return bool(text)


def emergency_answer(text: str, lang: str) -> str:
    """The emergency entry that fits `text` (its number first); the plain numbers if the base fails."""
    try:
        with get_sessionmaker().begin() as session:
            entries = (faq_repo.get_by_intent(session, intent=i) for i in emergency_intents(text))
            entry = next((e for e in entries if e), None)
            return render_answer(entry, lang)[0] if entry else EMERGENCY_NUMBERS[lang]
    except SQLAlchemyError:
        logger.exception("knowledge base unavailable for an emergency")
        return EMERGENCY_NUMBERS[lang]
