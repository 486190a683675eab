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

from actions.helpers import TECHNICAL_PROBLEM, channel_of, record_turn, reply_language
from core import clock
from store import handoff_repo
from store.db import get_sessionmaker
from core.settings import get_settings
from language.nlp import mask

logger = logging.getLogger(__name__)
CHANNELS = ("webchat", "telegram", "wechat")  # those the outbox reaches; REST residents are not

QUEUED = {
    "zh": "好的，正在为您转接工作人员，请稍候，工作人员接入后会在这里回复您。如果{minutes}分钟内无人接入，"
    "智能助手会继续为您服务。",
    "en": "All right, I am asking a staff member to join. Please wait here: they will reply in "
    "this chat. If nobody is free within {minutes} minutes, the assistant will carry on.",
}
CLOSED = {
    "zh": "现在不是人工服务时间（{hours}）。工作人员将在{next}上线，届时再说“转人工”即可。"
    "急事请拨打12345市民服务热线；也可以现在给我们提一条建议，工作人员会处理并回复。",
    "en": "Staff are not online now (hours: {hours}). Someone will be there from {next}; ask for "
    "a person again then. For anything urgent, call the 12345 citizen hotline, or leave us a "
    "suggestion now and staff will follow it up.",
}
ELSEWHERE = {
    "zh": "这个渠道暂时无法转接工作人员。请拨打12345市民服务热线，或到居委会、社区事务受理服务中心咨询。",
    "en": "This channel cannot reach a staff member. Please call the 12345 citizen hotline, or "
    "visit your residents' committee or the community affairs service centre.",
}
SUGGEST = {"zh": "提建议", "en": "Leave a suggestion"}


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
                    reply = ELSEWHERE[lang]
                elif hours.open_at(now):
                    handoff_repo.request(
                        session, sender_id=tracker.sender_id, channel=channel, language=lang
                    )
                    reply = QUEUED[lang].format(minutes=get_settings().handoff_wait_minutes)
                else:
                    opening = hours.next_opening(now)
                    reply = CLOSED[lang].format(
                        hours=handoff_repo.describe(hours, lang),
                        next=handoff_repo.when(opening, lang),
                    )
                    buttons = [{"title": SUGGEST[lang], "payload": "/suggestion_give"}]
                record_turn(session, tracker, lang=lang, outcome="handoff", masked_text=mask(text))
        except SQLAlchemyError:
            logger.exception("handoff request not recorded")
            dispatcher.utter_message(text=TECHNICAL_PROBLEM[lang])
            return []
        dispatcher.utter_message(text=reply, buttons=buttons)
        return []
