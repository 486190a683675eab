"""Emergencies: the number to call is the first line of the reply, before anything else."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.helpers import render_answer, reply_language
from knowledge import faq_repo
from knowledge.db import get_sessionmaker
from knowledge.emergency import emergency_intents

logger = logging.getLogger(__name__)
FALLBACK = {
    "zh": "紧急情况请立即拨打：火警119，急救120，报警110。",
    "en": "Emergency: fire 119, ambulance 120, police 110.",
}


class ActionAnswerEmergency(Action):
    """Utters the emergency entry that fits the message; never fails silently."""

    def name(self) -> str:
        return "action_answer_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = reply_language(tracker)
        intents = emergency_intents(tracker.latest_message.get("text") or "")
        try:
            with get_sessionmaker().begin() as session:
                entry = next(
                    (e for i in intents if (e := faq_repo.get_by_intent(session, intent=i))), None
                )
                text = render_answer(entry, lang)[0] if entry else FALLBACK[lang]
        except SQLAlchemyError:
            logger.exception("knowledge base unavailable for an emergency")
            text = FALLBACK[lang]
        dispatcher.utter_message(text=text)
        return []
