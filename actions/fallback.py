"""Low confidence or two close intents: say so kindly, offer the closest entries and 12345."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.faq import ActionAnswerFaq, answer_staff_example
from actions.followup import FOLLOW_UP_LENGTH, follow_up_intent
from actions.helpers import (
    emergency_answer,
    emergency_kinds_of,
    entry_button,
    known_intents,
    record_own_turn,
    record_turn,
    render_answer,
    reply_language,
    with_report_fact,
)
from actions.suggestion_status import look_up
from actions.suggestions import ActionStartSuggestion, announces, emergency_reported_before
from knowledge import faq_repo, topics
from knowledge import faq_search as search
from language.catalogue import say
from language.nlp import mask
from language.reference import find_reference
from language.report import stating_sentence
from store.db import get_sessionmaker

logger = logging.getLogger(__name__)
MIN_CONFIDENCE = 0.1
TEXT = {
    "zh": "不好意思，我不太确定您想问的是什么。是下面这些问题吗？也可以拨打12345市民服务热线。",
    "en": "Sorry, I'm not sure what you mean. Is it one of these? You can also call the 12345 citizen hotline.",
}


def nothing_close(lang: str) -> str:
    """No entry comes close: what the assistant answers (the registry's topics, read at run time:
    the action needs no retraining when topics.yml changes), a suggestion, else 12345."""
    if lang == "en":
        return (f"Sorry, I didn't understand. Ask me about {topics.answerable_list('en')}, or "
                "leave a suggestion; for anything else call 12345.")  # fmt: skip
    return (f"不好意思，我没太听明白。您可以问我{topics.answerable_list('zh')}，或者给镇里提建议；"
            "其他事情请拨打12345市民服务热线。")  # fmt: skip


TOPIC_CONFIDENCE = 0.15


FOLLOW_UP_TOPIC = 0.5  # ... unless the model is this sure of its own topic


def follow_up_topic(tracker: Tracker) -> str | None:
    """The topic of the previous answer, for a short follow-up the model cannot place by itself
    ("那要找居委会吗" after an elevator answer, "and home care?")."""
    text = (tracker.latest_message.get("text") or "").strip()
    topic = tracker.latest_message.get("topic") or {}
    if len(text) > FOLLOW_UP_LENGTH or topic.get("confidence", 0) >= FOLLOW_UP_TOPIC:
        return None
    return tracker.get_slot("last_topic")


def likely_topic(tracker: Tracker) -> str | None:
    """The topic the model leans to, when it leans at all (buttons never come from other topics);
    a short follow-up leans on the previous answer's topic."""
    follow_up = follow_up_topic(tracker)
    if follow_up:
        return follow_up
    topic = tracker.latest_message.get("topic") or {}
    return topic.get("name") if topic.get("confidence", 0) >= TOPIC_CONFIDENCE else None


def ranked_intents(tracker: Tracker) -> list[str]:
    """The NLU's own candidates above a small confidence, best first, within the likely topic."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    topic = likely_topic(tracker)
    return [
        r["name"]
        for r in ranking
        if r.get("confidence", 0) >= MIN_CONFIDENCE
        and (topic is None or r["name"].startswith(f"{topic}_"))
    ]


class ActionFallback(Action):
    """Answers an example question of an entry asked word for word, or a clear match of the
    entries' example questions within the model's likely topic (also entries no model knows yet);
    otherwise offers up to three entries as buttons: the NLU's candidates, then the search's."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = reply_language(tracker)
        question = tracker.latest_message.get("text") or ""
        kinds = emergency_kinds_of(tracker)
        if kinds:  # an emergency the intent model did not recognise: the number first
            dispatcher.utter_message(text=emergency_answer(kinds, lang))
            record_own_turn(tracker, outcome="handoff", lang=lang, masked_text=mask(question))
            return []
        reference = find_reference(question)
        if reference:  # a reference number the model did not recognise is still a status lookup
            look_up(dispatcher, tracker, reference)
            return []
        if follow_up_intent(tracker):  # a short follow-up of the previous answer's topic
            return await ActionAnswerFaq().run(dispatcher, tracker, domain)
        # "侬好，我要讲个事体": a suggestion is coming; or what to do about the emergency just answered
        if announces(tracker) or emergency_reported_before(tracker):
            started = await ActionStartSuggestion().run(dispatcher, tracker, domain)
            return [*started, FollowupAction("suggestion_form")]
        answered = answer_staff_example(dispatcher, tracker)  # whatever topic the model leans to
        if answered is not None:
            return answered
        known, topic, answer = known_intents(domain), likely_topic(tracker), None
        try:
            with get_sessionmaker().begin() as session:
                candidates = [
                    faq_repo.get_by_intent(session, intent=i) for i in ranked_intents(tracker)
                ]
                found = search.ranked(session, question, limit=3)
                clear = search.clear_answer(found)
                if clear and (topic is None or clear.topic == topic):
                    text, next_buttons = render_answer(clear, lang, question)
                    answer = clear.topic, (with_report_fact(question, lang, text, clear),
                                           next_buttons)  # fmt: skip
                elif stating_sentence(question):  # no entry, but the report states it
                    answer = (
                        topic,
                        (with_report_fact(question, lang, say("not_in_entries", lang)), []),
                    )
                candidates += [e for e, _ in found if topic is None or e.topic == topic]
                chosen = list({e.id: e for e in candidates if e and e.examples}.values())[:3]
                buttons = [entry_button(entry, lang, known) for entry in chosen]
                outcome = "answered" if answer else "fallback" if buttons else "handoff"
                record_turn(session, tracker, lang=lang, outcome=outcome,
                            entry=clear if answer else None,
                            masked_text=None if answer else mask(question))  # fmt: skip
        except SQLAlchemyError:
            logger.exception("knowledge base unavailable in fallback")
            buttons = []
        if answer:
            (topic_key, (text, next_buttons)) = answer
            dispatcher.utter_message(text=text, buttons=next_buttons)
            return [SlotSet("language", lang), SlotSet("last_topic", topic_key)]
        dispatcher.utter_message(
            text=TEXT[lang] if buttons else nothing_close(lang), buttons=buttons
        )
        return []
