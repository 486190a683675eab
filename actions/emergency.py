"""Emergencies: the number to call is the first line of the reply, before anything else."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.helpers import emergency_answer, emergency_kinds_of, record_own_turn, reply_language
from language.nlp import mask


class ActionAnswerEmergency(Action):
    """Utters the emergency entry that fits the message; never fails silently.

    A message in which neither the rules nor the emergency model find an emergency ("who is my
    social assistance adviser?", a noise complaint said with "救命") was misread by the intent
    model: it gets the fallback's choices instead of the emergency numbers.
    """

    def name(self) -> str:
        return "action_answer_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        kinds = emergency_kinds_of(tracker)
        if not kinds:  # a question, or a nuisance the model is sure of: no emergency numbers
            return await ActionFallback().run(dispatcher, tracker, domain)
            return await ActionFallback().run(dispatcher, tracker, domain)
        lang = reply_language(tracker)
        dispatcher.utter_message(text=emergency_answer(kinds, lang))
        record_own_turn(tracker, outcome="handoff", lang=lang, masked_text=mask(text))
        return []
