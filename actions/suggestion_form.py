"""Validate the suggestion form: ask only what is missing; a side question is answered, then resumed."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker

from actions.helpers import answer_side_question, identity, reply_language
from actions.suggestion_text import read_text, refusal, say
from actions.suggestions import save_confirmed
from knowledge import moderation, nlp, suggestion_repo
from knowledge.db import get_sessionmaker

SKIP = re.compile(r"^(跳过|不知道|不清楚|没有|无|不用|略|skip|none|no|don'?t know|-)$", re.I)
REPLY_CHOICES = {
    "chat": re.compile(r"回复到这|这里|聊天|在这|需要|要|是|好|chat|here|yes", re.I),
    "phone": re.compile(r"电话|打给我|回电|phone|call", re.I),
    "none": re.compile(r"不用|不需要|不要|无需|^否|no", re.I),
}
CONFIRM_CHOICES = [
    ("edit_text", re.compile(r"改内容|修改内容|edit text|change text", re.I)),
    ("edit_category", re.compile(r"改类别|修改类别|换类别|category", re.I)),
    ("edit_location", re.compile(r"改地点|修改地点|location|place", re.I)),
    ("cancel", re.compile(r"取消|算了|不提了|cancel", re.I)),
    ("yes", re.compile(r"确认|确定|提交|^是|^对|^好|^可以|^行|yes|confirm|submit|ok", re.I)),
]


class ValidateSuggestionForm(FormValidationAction):
    """Reads each answer as text: buttons send plain words, so typing them works as well."""

    def name(self) -> str:
        return "validate_suggestion_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if tracker.get_slot("suggestion_confirm") in ("cancel", "blocked"):
            return []
        slots = [s for s in domain_slots if s not in ("suggestion_location", "suggestion_phone")]
        with get_sessionmaker().begin() as session:
            categories = {c.key: c for c in suggestion_repo.list_categories(session)}
        category = categories.get(tracker.get_slot("suggestion_category") or "")
        if category is None or category.location_matters:
            slots.insert(2, "suggestion_location")
        if tracker.get_slot("suggestion_reply") == "phone":
            slots.insert(-1, "suggestion_phone")
        return slots

    def validate_suggestion_text(
        self, value: str, dispatcher, tracker: Tracker, domain
    ) -> dict[str, Any]:
        lang = reply_language(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if moderation.is_cancel(value) or intent == "suggestion_cancel":
            return {"suggestion_text": None, "suggestion_confirm": "cancel"}
        with get_sessionmaker().begin() as session:
            reason, values = refusal(session, value, identity(tracker))
            if reason:
                say(dispatcher, reason, lang, **values)
                return {"suggestion_text": None, "suggestion_confirm": "blocked"}
            if not moderation.is_meaningful(value):
                say(dispatcher, "too_short", lang)
                return {"suggestion_text": None}
            slots = read_text(session, value)
        if slots.get("suggestion_urgent") and not tracker.get_slot("suggestion_urgent"):
            say(dispatcher, "urgent", lang)
        known = {
            k: v for k, v in slots.items() if k == "suggestion_text" or not tracker.get_slot(k)
        }
        return known

    def validate_suggestion_category(
        self, value: str, dispatcher, tracker, domain
    ) -> dict[str, Any]:
        wanted = (value or "").strip().lower()
        with get_sessionmaker().begin() as session:
            for category in suggestion_repo.list_categories(session):
                names = {category.key, category.name_zh.lower(), category.name_en.lower()}
                if wanted in names or wanted.strip("【】[] ") in names:
                    return {"suggestion_category": category.key}
        if moderation.is_cancel(value):
            return {"suggestion_category": None, "suggestion_confirm": "cancel"}
        answer_side_question(dispatcher, tracker)
        return {"suggestion_category": None}

    def validate_suggestion_location(
        self, value: str, dispatcher, tracker, domain
    ) -> dict[str, Any]:
        if SKIP.match((value or "").strip()):
            return {"suggestion_location": "-"}
        if moderation.is_cancel(value):
            return {"suggestion_location": None, "suggestion_confirm": "cancel"}
        places = nlp.find_places(value)
        if not places and answer_side_question(dispatcher, tracker):
            return {"suggestion_location": None}
        std = places[0].name if places else None
        return {
            "suggestion_location": nlp.mask(value.strip())[:200],
            "suggestion_location_std": std,
        }

    def validate_suggestion_reply(self, value: str, dispatcher, tracker, domain) -> dict[str, Any]:
        text = (value or "").strip()
        for choice in ("phone", "none", "chat"):
            if REPLY_CHOICES[choice].search(text):
                return {"suggestion_reply": choice}
        if moderation.is_cancel(text):
            return {"suggestion_reply": None, "suggestion_confirm": "cancel"}
        answer_side_question(dispatcher, tracker)
        return {"suggestion_reply": None}

    def validate_suggestion_phone(self, value: str, dispatcher, tracker, domain) -> dict[str, Any]:
        phone = nlp.extract_phone(value or "")
        if phone:
            return {"suggestion_phone": phone}
        if SKIP.match((value or "").strip()) or moderation.is_cancel(value):
            dispatcher.utter_message(response="utter_suggestion_no_phone")
            return {"suggestion_phone": None, "suggestion_reply": "chat"}
        if not answer_side_question(dispatcher, tracker):
            dispatcher.utter_message(response="utter_suggestion_phone_invalid")
        return {"suggestion_phone": None}

    def validate_suggestion_confirm(
        self, value: str, dispatcher, tracker, domain
    ) -> dict[str, Any]:
        text = (value or "").strip()
        if text in ("blocked", "cancel"):  # set by the flow itself, not typed
            return {"suggestion_confirm": text}
        choice = next((name for name, pattern in CONFIRM_CHOICES if pattern.search(text)), None)
        if choice == "yes":
            return {"suggestion_confirm": "yes" if save_confirmed(dispatcher, tracker) else None}
        if choice == "cancel":
            return {"suggestion_confirm": choice}
        if choice:
            field = {"edit_text": "suggestion_text", "edit_category": "suggestion_category"}.get(
                choice, "suggestion_location"
            )
            return {"suggestion_confirm": None, field: None}
        answer_side_question(dispatcher, tracker)
        return {"suggestion_confirm": None}
