"""Low confidence or two close intents: say so kindly, offer the closest entries and 12345."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.helpers import entry_button, reply_language
from actions.suggestion_status import look_up
from knowledge import faq_repo, search
from knowledge.db import get_sessionmaker
from knowledge.reference import find_reference

logger = logging.getLogger(__name__)
MIN_CONFIDENCE = 0.1
TEXT = {
    "zh": "不好意思，我不太确定您想问的是什么。是下面这些问题吗？也可以拨打12345市民服务热线。",
    "en": "Sorry, I'm not sure what you mean. Is it one of these? You can also call the 12345 citizen hotline.",
}
NOTHING_CLOSE = {
    "zh": "不好意思，我没太听明白。您可以问我加装电梯、养老服务、就业创业、12345热线、办事服务、社会救助、住房小区和社区生活，或者给镇里提建议；其他事情请拨打12345市民服务热线。",
    "en": "Sorry, I didn't understand. Ask me about elevator installation, elder care, jobs, the 12345 hotline, government services, social assistance, housing, community life, or leave a suggestion; for anything else call 12345.",
}


def ranked_intents(tracker: Tracker) -> list[str]:
    """The NLU's own candidates above a small confidence, best first."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    return [r["name"] for r in ranking if r.get("confidence", 0) >= MIN_CONFIDENCE]


class ActionFallback(Action):
    """Offers up to three knowledge entries as buttons: the NLU's candidates, then a keyword search."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = reply_language(tracker)
        question = tracker.latest_message.get("text") or ""
        reference = find_reference(question)
        if reference:  # a reference number the model did not recognise is still a status lookup
            look_up(dispatcher, tracker, reference)
            return []
        try:
            with get_sessionmaker().begin() as session:
                candidates = [
                    faq_repo.get_by_intent(session, intent=i) for i in ranked_intents(tracker)
                ]
                candidates += search.search(session, question, limit=3)
                chosen = list({e.id: e for e in candidates if e and e.examples}.values())[:3]
                buttons = [entry_button(entry, lang) for entry in chosen]
        except SQLAlchemyError:
            logger.exception("knowledge base unavailable in fallback")
            buttons = []
        dispatcher.utter_message(
            text=TEXT[lang] if buttons else NOTHING_CLOSE[lang], buttons=buttons
        )
        return []
