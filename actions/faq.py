"""Answer a resident's question from the knowledge base, live from the database."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.followup import follow_up_intent
from actions.helpers import (
    entry_button,
    entry_stating_fact,
    known_intents,
    new_entry_for,
    record_turn,
    render_answer,
    reply_language,
    staff_example_entry,
    topic_entries,
    with_report_fact,
)
from actions.rating import rating_buttons
from actions.suggestions import ActionStartSuggestion, announces
from knowledge import faq_repo
from language.catalogue import say
from language.nlp import mask
from store.db import get_sessionmaker

logger = logging.getLogger(__name__)
UNSURE = 0.7  # below this, an entry the model does not know yet may fit better
HANDOFF_INTENTS = ("human",)  # answered by pointing to a person or 12345: a handoff, not rated


SECOND_ANSWERED = 0.7  # a second question this clear is answered too; a less clear one is a button


def also_asked(session, tracker: Tracker, rendered: tuple, lang: str, known) -> tuple:
    """A second question in the same message (found by the pipeline, `other_questions`): answered
    after the first, or offered as a button when the model is less sure of it."""
    text, buttons = rendered
    for other in (tracker.latest_message.get("other_questions") or [])[:1]:
        entry = faq_repo.get_by_intent(session, intent=other["intent"])
        if entry is None:
            continue
        if other["confidence"] >= SECOND_ANSWERED:
            second = render_answer(entry, lang, other["text"])[0]
            text = f"{text}\n\n{say('also_asked', lang)}\n{second}"
        else:
            buttons = [entry_button(entry, lang, known), *buttons]
    return text, buttons


class ActionAnswerFaq(Action):
    """Looks up the entry for the predicted intent and utters it with its source."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        predicted = tracker.latest_message.get("intent") or {}
        follow_up = follow_up_intent(tracker)
        if follow_up:  # a short follow-up of the previous answer's topic
            predicted = {"name": follow_up, "confidence": 1.0}
        intent, lang = predicted.get("name") or "", reply_language(tracker)
        if intent == "suggestion_about" and announces(tracker):  # "可以提建议吗？": yes, go on
            started = await ActionStartSuggestion().run(dispatcher, tracker, domain)
            return [*started, FollowupAction("suggestion_form")]
        question, known = tracker.latest_message.get("text") or "", known_intents(domain)
        try:
            with get_sessionmaker().begin() as session:
                entry = staff_example_entry(session, tracker)  # staff's word wins
                if entry is None:
                    entry = faq_repo.get_by_intent(session, intent=intent)
                    if intent.endswith("_other") or predicted.get("confidence", 1) < UNSURE:
                        topic = intent.split("_", 1)[0] if entry else None
                        entry = new_entry_for(session, question, topic, known) or entry
                    if entry:
                        entry = entry_stating_fact(session, question, entry, lang)
                rendered = render_answer(entry, lang, question) if entry else None
                if rendered:
                    rendered = (with_report_fact(question, lang, rendered[0], entry), rendered[1])
                if rendered:
                    rendered = also_asked(session, tracker, rendered, lang, known)
                if rendered and entry.intent.endswith("_other"):  # topic level: its entries
                    entries = topic_entries(session, tracker, entry.topic)
                    rendered = (rendered[0], [entry_button(e, lang, known) for e in entries])
                handoff = not rendered or entry.intent in HANDOFF_INTENTS
                outcome = "handoff" if handoff else "answered"
                turn = record_turn(session, tracker, lang=lang, outcome=outcome, entry=entry,
                                   masked_text=None if outcome == "answered" else mask(question))  # fmt: skip
                if outcome == "answered":
                    session.flush()  # the turn's id, for the 👍 / 👎 buttons
                    rendered = (rendered[0], rendered[1] + rating_buttons(turn.id, lang))
        except SQLAlchemyError:
            logger.exception("knowledge base unavailable for intent %s", intent)
            dispatcher.utter_message(text=say("technical_problem", lang))
            return []
        if rendered is None:
            logger.warning("no knowledge entry for intent %s", intent)
            dispatcher.utter_message(text=say("no_answer", lang))
            return []
        text, buttons = rendered
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet("language", lang), SlotSet("last_topic", entry.topic)]


def answer_staff_example(dispatcher: CollectingDispatcher, tracker: Tracker) -> list | None:
    """When the model did not answer (out of scope, unsure): the entry one of whose example
    questions the message is, word for word, with 👍 / 👎; the events, or None when there is none."""
    lang, question = reply_language(tracker), tracker.latest_message.get("text") or ""
    try:
        with get_sessionmaker().begin() as session:
            entry = staff_example_entry(session, tracker)
            if entry is None:
                return None
            text, buttons = render_answer(entry, lang, question)
            turn = record_turn(session, tracker, lang=lang, outcome="answered", entry=entry)
            session.flush()  # the turn's id, for the 👍 / 👎 buttons
            buttons, topic = buttons + rating_buttons(turn.id, lang), entry.topic
    except SQLAlchemyError:
        logger.exception("knowledge base unavailable for an example question")
        return None
    dispatcher.utter_message(text=text, buttons=buttons)
    return [SlotSet("language", lang), SlotSet("last_topic", topic)]
