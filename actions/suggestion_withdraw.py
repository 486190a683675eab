"""'撤回建议 JY-…': a resident takes back an open suggestion of their own."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.helpers import identity, record_own_turn, record_turn, reply_language
from language.reference import find_reference, is_valid
from store import privacy_repo
from store.db import get_sessionmaker

RESPONSES = {
    "withdrawn": "utter_suggestion_withdrawn",
    "already": "utter_suggestion_withdrawn_already",
    "closed": "utter_suggestion_withdraw_closed",
    "not_yours": "utter_suggestion_withdraw_not_yours",
    "unknown": "utter_suggestion_reference_unknown",
}


class ActionWithdrawSuggestion(Action):
    """Withdraws the resident's own suggestion that staff have not closed; clears its contact."""

    def name(self) -> str:
        return "action_withdraw_suggestion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        reference = find_reference(tracker.latest_message.get("text") or "")
        if not reference or not is_valid(reference):
            record_own_turn(tracker, outcome="suggestion")
        if not reference:
            dispatcher.utter_message(response="utter_suggestion_withdraw_which")
            return []
        if not is_valid(reference):
            dispatcher.utter_message(
                response="utter_suggestion_reference_malformed", reference=reference
            )
            return []
        with get_sessionmaker().begin() as session:
            record_turn(session, tracker, lang=reply_language(tracker), outcome="suggestion")
            outcome, _ = privacy_repo.withdraw(
                session, reference=reference, sender_hash=identity(tracker)
            )
        dispatcher.utter_message(response=RESPONSES[outcome], reference=reference)
        return []
