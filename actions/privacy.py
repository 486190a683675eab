"""'删除我的信息': delete a resident's contact details and identity link, as the PI law requires."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher

from actions.helpers import identity, record_turn, reply_language
from knowledge import suggestion_repo
from knowledge.db import get_sessionmaker


class ActionDeleteMyData(Action):
    """Clears phone numbers, reply addresses and the identity link; conversations go at the next purge."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        with get_sessionmaker().begin() as session:
            record_turn(session, tracker, lang=reply_language(tracker), outcome="conversation")
            count = suggestion_repo.delete_personal_data(session, sender_hash=identity(tracker))
        dispatcher.utter_message(response="utter_data_deleted", count=count)
        return [AllSlotsReset()]
