"""A resident asks for a person ("转人工", "talk to a person", the `human` intent).

During office hours the request joins the console's live queue (store/handoff_repo.py); a
staff member who takes it pauses the assistant and writes through the outbox. Outside office
hours the resident is told when someone will be there, and offered 12345 and a suggestion.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.helpers import channel_of, record_turn, reply_language
from core import clock
from language.catalogue import say
from language.nlp import mask
from store import handoff_repo
from store.db import get_sessionmaker

logger = logging.getLogger(__name__)
CHANNELS = ("webchat", "telegram", "wechat")  # those the outbox reaches; REST residents are not


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang, channel = reply_language(tracker), channel_of(tracker)
        text = tracker.latest_message.get("text") or ""
        buttons: list[dict] = []
        try:
            with get_sessionmaker().begin() as session:
                hours = handoff_repo.hours(session)
                now = clock.now()
                if channel not in CHANNELS:
                    reply = say("handoff_elsewhere", lang)
                elif hours.open_at(now):
                    handoff_repo.request(
                        session, sender_id=tracker.sender_id, channel=channel, language=lang
                    )
                    minutes = handoff_repo.wait_minutes(session)
                    reply = say("handoff_queued", lang, minutes=minutes)
                else:
                    opening = hours.next_opening(now)
                    reply = say(
                        "handoff_closed",
                        lang,
                        hours=handoff_repo.describe(hours, lang),
                        next=handoff_repo.when(opening, lang),
                    )
                    buttons = [
                        {"title": say("handoff_suggest", lang), "payload": "/suggestion_give"}
                    ]
                record_turn(session, tracker, lang=lang, outcome="handoff", masked_text=mask(text))
        except SQLAlchemyError:
            logger.exception("handoff request not recorded")
            dispatcher.utter_message(text=say("technical_problem", lang))
            return []
        dispatcher.utter_message(text=reply, buttons=buttons)
        return []
