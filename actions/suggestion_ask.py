"""The questions of the suggestion form that need the database: categories, phone, read-back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.helpers import reply_language
from knowledge import suggestion_repo
from knowledge.db import get_sessionmaker
from knowledge.settings import get_settings

REPLY_NAMES = {
    "zh": {"chat": "回复到这个聊天", "phone": "电话回访", "none": "不需要回复"},
    "en": {"chat": "reply in this chat", "phone": "call me back", "none": "no reply needed"},
}


class ActionAskSuggestionCategory(Action):
    """Asks for the category with the staff-editable list as buttons."""

    def name(self) -> str:
        return "action_ask_suggestion_category"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        lang = reply_language(tracker)
        with get_sessionmaker().begin() as session:
            names = [
                c.name_en if lang == "en" else c.name_zh
                for c in suggestion_repo.list_categories(session)
            ]
        dispatcher.utter_message(
            response="utter_ask_suggestion_category",
            buttons=[{"title": n, "payload": n} for n in names],
        )
        return []


class ActionAskSuggestionPhone(Action):
    """Says why a phone number is kept and for how long, then asks for it."""

    def name(self) -> str:
        return "action_ask_suggestion_phone"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        settings = get_settings()
        dispatcher.utter_message(
            response="utter_ask_suggestion_phone", days=settings.retention_days
        )
        return []


class ActionAskSuggestionConfirm(Action):
    """Reads the suggestion back in short and asks to confirm, edit or cancel."""

    def name(self) -> str:
        return "action_ask_suggestion_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        lang, slot = reply_language(tracker), tracker.get_slot
        with get_sessionmaker().begin() as session:
            categories = {c.key: c for c in suggestion_repo.list_categories(session)}
        category = categories.get(slot("suggestion_category") or "other")
        text = slot("suggestion_text") or ""
        reply = REPLY_NAMES[lang][slot("suggestion_reply") or "none"]
        if slot("suggestion_reply") == "phone" and slot("suggestion_phone"):
            phone = slot("suggestion_phone")
            reply += f" ({phone[:3]}****{phone[-4:]})"
        dispatcher.utter_message(
            response="utter_ask_suggestion_confirm",
            text_short=text if len(text) <= 80 else text[:80] + "…",
            category=(category.name_en if lang == "en" else category.name_zh) if category else "-",
            location=slot("suggestion_location")
            if slot("suggestion_location") not in (None, "-")
            else "-",
            reply=reply,
        )
        return []
