"""Plain functions shared by the actions: language, identity, answer rendering, side questions."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from knowledge import faq_repo, faq_search
from language.answer import asks_for_fact, fact_score, render_answer
from language.catalogue import say
from language.emergency import (
    EMERGENCY_BESIDE_AN_ANSWER,
    EMERGENCY_IN_A_QUESTION,
    EMERGENCY_IN_AN_ANSWER,
    EMERGENCY_LIKELY,
    asks,
    intents_for,
    read_kinds,
)
from language.report import quote, stating_sentence
from language.text import detect_language
from store import analytics_repo
from store.db import get_sessionmaker
from store.identity import sender_hash
from store.models import FaqEntry

logger = logging.getLogger(__name__)
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


def turn_key(tracker: Tracker) -> str | None:
    """Rasa's id of the resident's latest message: the actions of one turn share it."""
    key = tracker.latest_message.get("message_id")
    if not key:
        user = next((e for e in reversed(tracker.events) if e.get("event") == "user"), None)
        key = user and (user.get("message_id") or user.get("timestamp"))
    return str(key) if key else None


def record_turn(session, tracker: Tracker, *, lang: str, outcome: str, entry=None,
                masked_text: str | None = None):  # fmt: skip
    """The analytics row of this turn, in the action's own session (no extra round trip)."""
    intent = tracker.latest_message.get("intent") or {}
    return analytics_repo.record_turn(
        session, sender_hash=identity(tracker), channel=channel_of(tracker), language=lang,
        intent=intent.get("name") or "", confidence=intent.get("confidence"), outcome=outcome,
        entry_id=entry.id if entry else None, masked_text=masked_text, turn_key=turn_key(tracker),
    )  # fmt: skip


def record_own_turn(tracker: Tracker, *, outcome: str, lang: str | None = None,
                    masked_text: str | None = None) -> None:  # fmt: skip
    """The turn's row for an action with no session of its own; analytics never break a reply."""
    try:
        with get_sessionmaker().begin() as session:
            record_turn(session, tracker, lang=lang or reply_language(tracker), outcome=outcome,
                        masked_text=masked_text)  # fmt: skip
    except SQLAlchemyError:
        logger.exception("analytics row not written")


def known_intents(domain: dict) -> set[str] | None:
    """The intents the trained model knows (None when the domain was not sent)."""
    names = set()
    for intent in (domain or {}).get("intents") or []:
        names |= set(intent) if isinstance(intent, dict) else {intent}
    return names or None


def entry_button(entry: FaqEntry, lang: str, known: set[str] | None = None) -> dict:
    """A button that asks for `entry` directly: its title, and its intent as the payload; an entry
    the model does not know yet (created in the console) asks its first example question."""
    new = known is not None and entry.intent not in known and entry.examples
    return {
        "title": entry.title_en if lang == "en" else entry.title_zh,
        "payload": entry.examples[0] if new else f"/{entry.intent}",
    }


def new_entry_for(session, question: str, topic: str | None, known: set[str] | None):
    """An entry the model does not know yet that clearly matches `question` (retrieval over the
    entries' example questions), within `topic` when the model leans to one."""
    entry = faq_search.clear_answer(faq_search.ranked(session, question))
    if entry is None or (known is not None and entry.intent in known):
        return None
    return entry if topic is None or entry.topic == topic else None


def staff_example_entry(session, tracker: Tracker) -> FaqEntry | None:
    """The entry one of whose example questions the message is, word for word: what staff added
    is answered at once, whatever a model trained before leans to. Never for an emergency, a
    button's payload or inside a form (the form reads the message)."""
    text = tracker.latest_message.get("text") or ""
    if (
        not text
        or text.startswith("/")
        or (tracker.active_loop or {}).get("name")
        or emergency_kinds_of(tracker)
    ):
        return None
    return faq_search.exact_answer(session, text)


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


# another entry must state the asked fact clearly better: shared character pairs (zh) or words (en),
# at least this many in its best sentence, within the topic / across topics
FACT_MARGIN, FACT_MIN = 2, {"zh": (4, 7), "en": (2, 4)}


def entry_stating_fact(session, question: str, entry: FaqEntry, lang: str) -> FaqEntry:
    """For a question asking one fact: the entry whose text states it clearly better — of the same
    topic, or of any topic when the match is very strong."""
    if not asks_for_fact(question):
        return entry
    here = fact_score(question, entry, lang)
    same_min, any_min = FACT_MIN[lang]
    best_score, best = here, entry
    for other in faq_repo.list_entries(session):
        score = fact_score(question, other, lang)
        needed = max(here + FACT_MARGIN, same_min if other.topic == entry.topic else any_min)
        if score >= needed and score > best_score:
            best_score, best = score, other
    return best


def answer_side_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, confidence: float = SIDE_QUESTION_CONFIDENCE
) -> bool:
    """Inside a flow: answer a confident question on another topic (without buttons); True if so."""
    intent = tracker.latest_message.get("intent") or {}
    name = intent.get("name") or ""
    own_flow = name.startswith("suggestion") and name != "suggestion_about"
    if intent.get("confidence", 0) < confidence or own_flow:
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


def emergency_kinds_of(tracker: Tracker, answering: bool = False, plain: bool = True) -> list[str]:
    """The emergency kinds of the latest message (rules and the model's reading); [] for none.
    `answering`: the message answers a question of the suggestion form; not `plain`: the model
    read it as doing something else there (only a rule's words count)."""
    latest = tracker.latest_message
    likely = EMERGENCY_IN_AN_ANSWER if answering else EMERGENCY_LIKELY
    likely = likely if plain else EMERGENCY_BESIDE_AN_ANSWER
    if asks(latest.get("form_act")):
        likely = max(likely, EMERGENCY_IN_A_QUESTION)
    return read_kinds(latest.get("text") or "", latest.get("emergency"), likely)


def emergency_answer(kinds: list[str], lang: str) -> str:
    """The emergency entry that fits `kinds` (its number first); the plain numbers if the base fails."""
    try:
        with get_sessionmaker().begin() as session:
            entries = (faq_repo.get_by_intent(session, intent=i) for i in intents_for(kinds))
            entry = next((e for e in entries if e), None)
            return render_answer(entry, lang)[0] if entry else say("emergency_numbers", lang)
    except SQLAlchemyError:
        logger.exception("knowledge base unavailable for an emergency")
        return say("emergency_numbers", lang)


def with_report_fact(question: str, lang: str, text: str, entry: FaqEntry | None = None) -> str:
    """When the question asks for a fact that the report states clearly better than the entry's
    answer does, the report's sentence (with its section) leads."""
    better_than = fact_score(question, entry, lang) if entry else 0
    sentence = stating_sentence(question, better_than=better_than, known=text)
    return f"{quote(sentence, lang)}\n\n{text}" if sentence else text
