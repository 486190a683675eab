"""Emergencies: the number to call is the first line of the reply, before anything else."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.helpers import emergency_answer, record_own_turn, reply_language
from language.emergency import is_emergency
from language.nlp import mask

QUESTION_WORDS = ("?", "？", "吗", "怎么", "哪里", "谁", "how", "what", "where", "who", "which")


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
        lang = reply_language(tracker)
        dispatcher.utter_message(text=emergency_answer(text, lang))
        record_own_turn(tracker, outcome="handoff", lang=lang, masked_text=mask(text))
        return []
