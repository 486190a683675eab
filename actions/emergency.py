"""Emergencies: the number to call is the first line of the reply, before anything else."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.fallback import ActionFallback
from actions.helpers import render_answer, reply_language
from knowledge import faq_repo
from knowledge.db import get_sessionmaker
from knowledge.emergency import emergency_intents, is_emergency

logger = logging.getLogger(__name__)
FALLBACK = {
    "zh": "紧急情况请立即拨打：火警119，急救120，报警110。",
    "en": "Emergency: fire 119, ambulance 120, police 110.",
}
QUESTION_WORDS = ("?", "？", "吗", "怎么", "哪里", "谁", "how", "what", "where", "who", "which")


def emergency_answer(text: str, lang: str) -> str:
    """The emergency entry that fits `text` (its number first); the plain numbers if the base fails."""
    try:
        with get_sessionmaker().begin() as session:
            entry = next(
                (
                    e
                    for i in emergency_intents(text)
                    if (e := faq_repo.get_by_intent(session, intent=i))
                ),
                None,
            )
            return render_answer(entry, lang)[0] if entry else FALLBACK[lang]
    except SQLAlchemyError:
        logger.exception("knowledge base unavailable for an emergency")
        return FALLBACK[lang]


class ActionAnswerEmergency(Action):
    """Utters the emergency entry that fits the message; never fails silently.

    A question that names no emergency at all ("who is my social assistance adviser?") was
    misread by the model: it gets the fallback's choices instead of the emergency numbers.
    """

    def name(self) -> str:
        return "action_answer_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if not is_emergency(text) and any(w in text.lower() for w in QUESTION_WORDS):
            return await ActionFallback().run(dispatcher, tracker, domain)
        dispatcher.utter_message(text=emergency_answer(text, reply_language(tracker)))
        return []
