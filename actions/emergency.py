"""Emergencies: the number to call is the first line of the reply, before anything else."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.helpers import emergency_answer, emergency_kinds_of, record_own_turn, reply_language
from actions.suggestions import ActionStartSuggestion, emergency_reported_before
from language.emergency import read_kinds
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
        kinds, after_one = emergency_kinds_of(tracker), emergency_reported_before(tracker)
        if after_one and not read_kinds(text, None):
            kinds = []  # what to do about the emergency just answered: it becomes a suggestion
        nuisance = (tracker.latest_message.get("emergency") or {}).get("name") == "nuisance"
        if not kinds and (after_one or nuisance):
            # a nuisance ("垃圾房臭得要命") or the emergency's follow-up: no numbers, but a matter
            # to pass on to staff
            started = await ActionStartSuggestion().run(dispatcher, tracker, domain)
            return [*started, FollowupAction("suggestion_form")]
        if not kinds:  # a question the intent model misread: the fallback's choices
            return await ActionFallback().run(dispatcher, tracker, domain)
        lang = reply_language(tracker)
        dispatcher.utter_message(text=emergency_answer(kinds, lang))
        record_own_turn(tracker, outcome="handoff", lang=lang, masked_text=mask(text))
        return []
