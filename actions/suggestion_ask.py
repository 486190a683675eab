"""The questions of the suggestion form; after an interruption, "go on?" comes instead of them."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.helpers import reply_language
from actions.suggestion_contact import shown
from language.catalogue import say
from store import category_repo, settings_repo
from store.db import get_sessionmaker


def reply_name(choice: str | None, lang: str) -> str:
    """How the resident chose to hear back, as the read-back names it."""
    if choice == "chat":
        return say("reply_chat", lang)
    return say("reply_phone", lang) if choice == "phone" else say("reply_none", lang)


def paused(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """After a side question or an emergency, ask whether to go on (True) instead of the question."""
    if tracker.get_slot("suggestion_paused"):
        dispatcher.utter_message(response="utter_suggestion_go_on")
    return bool(tracker.get_slot("suggestion_paused"))


class ActionAskSuggestionText(Action):
    """Asks for the suggestion's text."""

    def name(self) -> str:
        return "action_ask_suggestion_text"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if not paused(dispatcher, tracker):
            dispatcher.utter_message(response="utter_ask_suggestion_text")
        return []


class ActionAskSuggestionLocation(Action):
    """Asks where it is, with a Skip button."""

    def name(self) -> str:
        return "action_ask_suggestion_location"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if not paused(dispatcher, tracker):
            dispatcher.utter_message(response="utter_ask_suggestion_location")
        return []


class ActionAskSuggestionReply(Action):
    """Asks whether and how the resident wants an answer."""

    def name(self) -> str:
        return "action_ask_suggestion_reply"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if not paused(dispatcher, tracker):
            dispatcher.utter_message(response="utter_ask_suggestion_reply")
        return []


class ActionAskSuggestionCategory(Action):
    """Offers the category read from the text for confirmation, else the staff-editable list."""

    def name(self) -> str:
        return "action_ask_suggestion_category"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if paused(dispatcher, tracker):
            return []
        lang, guess = reply_language(tracker), tracker.get_slot("suggestion_category_guess")
        with get_sessionmaker().begin() as session:
            names = {
                c.key: c.name_en if lang == "en" else c.name_zh
                for c in category_repo.list_categories(session)
            }
        buttons = [{"title": n, "payload": n} for key, n in names.items() if key != guess]
        if guess in names:
            yes = say("category_guess_yes", lang)
            dispatcher.utter_message(
                response="utter_ask_suggestion_category_guess",
                category=names[guess],
                buttons=[{"title": yes, "payload": yes}, *buttons],
            )
        else:
            dispatcher.utter_message(response="utter_ask_suggestion_category", buttons=buttons)
        return []


class ActionAskSuggestionPhone(Action):
    """Says why a phone number is kept and for how long, then asks for it."""

    def name(self) -> str:
        return "action_ask_suggestion_phone"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if paused(dispatcher, tracker):
            return []
        with get_sessionmaker().begin() as session:  # what the purge applies (the console's)
            days = settings_repo.get_int(session, "retention_days")
        dispatcher.utter_message(response="utter_ask_suggestion_phone", days=days)
        return []


class ActionAskSuggestionConfirm(Action):
    """Reads the suggestion back in short and asks to confirm, edit or cancel."""

    def name(self) -> str:
        return "action_ask_suggestion_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if paused(dispatcher, tracker):
            return []
        lang, slot = reply_language(tracker), tracker.get_slot
        with get_sessionmaker().begin() as session:
            categories = {c.key: c for c in category_repo.list_categories(session)}
        category = categories.get(slot("suggestion_category") or "other")
        text = slot("suggestion_text") or ""
        reply = reply_name(slot("suggestion_reply"), lang)
        if slot("suggestion_reply") == "phone" and slot("suggestion_phone"):
            reply += f" ({shown(slot('suggestion_phone'))})"
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
