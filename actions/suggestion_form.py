"""Validate the suggestion form: each answer read as a sentence, at most two re-asks, then a way out.

Every turn goes the same way (`ValidateSuggestionForm.read`): a pending "go on?" is answered (only
a yes resumes; a new question is answered and "go on?" asked again); an emergency gets its number
first; a question on another topic is answered and the resident is asked whether to go on; then
the step's reader (actions/suggestion_reading.py: a question is never read as a choice); then a
cancel; else a re-ask that says what is expected. Nothing is saved before an explicit yes to the
read-back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import FormValidationAction, Tracker

from actions import rating
from actions import suggestion_reading as reading
from actions.helpers import (
    SIDE_QUESTION_CONFIDENCE,
    answer_side_question,
    emergency_answer,
    identity,
    record_own_turn,
    reply_language,
)
from actions.suggestion_text import MESSAGES, place_slots, read_text, refusal, say
from actions.suggestions import save_confirmed
from knowledge import suggestion_repo
from knowledge.db import get_sessionmaker
from language import moderation, nlp
from language.emergency import is_emergency

MAX_REASKS = 2
# a question that cannot be an answer ("低保哪能申请" at a choice, any question at "go on?") is
# answered on a less confident reading than a message that might answer the step
QUESTION_CONFIDENCE = 0.5
WAY_OUT = {
    "suggestion_category": {"suggestion_category": "other"},
    "suggestion_location": {"suggestion_location": "-"},
    "suggestion_reply": {"suggestion_reply": "none"},
    "suggestion_phone": {"suggestion_phone": None, "suggestion_reply": "chat"},
    "suggestion_confirm": {"suggestion_outcome": "cancel"},
}
EDITED = {
    "edit_text": ("suggestion_text",),
    "edit_category": ("suggestion_category", "suggestion_category_guess"),
    "edit_location": ("suggestion_location", "suggestion_location_std"),
    "edit_reply": ("suggestion_reply", "suggestion_phone"),
}
PAUSE = {"suggestion_paused": True, "suggestion_retries": 0}  # "go on?" is asked next
# Questions whose answer, typed at "go on?", resumes the form with it (not the read-back: only an
# explicit yes there saves, and not the free text, which any message would fill).
RESUMED_BY_AN_ANSWER = ("suggestion_category", "suggestion_location", "suggestion_reply",
                        "suggestion_phone")  # fmt: skip
Reader = Callable[[str], "dict[str, Any] | None"]


def categories() -> list:
    with get_sessionmaker().begin() as session:
        found = suggestion_repo.list_categories(session)
        session.expunge_all()
    return found


def side_confidence(slot: str, text: str, paused: bool = False) -> float:
    """How sure the model must be to answer `text` as a side question at the step `slot`."""
    if not reading.is_question(text):
        return SIDE_QUESTION_CONFIDENCE
    if paused or (slot != "suggestion_text" and not reading.shaped_as_answer(text)):
        return QUESTION_CONFIDENCE
    return SIDE_QUESTION_CONFIDENCE


class ValidateSuggestionForm(FormValidationAction):
    """Reads each answer as text: buttons send plain words, so typing them works as well."""

    def name(self) -> str:
        return "validate_suggestion_form"

    async def run(self, dispatcher, tracker: Tracker, domain) -> list[dict[str, Any]]:
        events = await super().run(dispatcher, tracker, domain)
        if (tracker.latest_message.get("intent") or {}).get("name") != rating.RATE_INTENT:
            record_own_turn(tracker, outcome="suggestion")  # (a 👍 / 👎 records its own)
        return events

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if tracker.get_slot("suggestion_outcome"):  # saved, cancelled or refused: the form ends
            return []
        slots = [s for s in domain_slots if s not in ("suggestion_location", "suggestion_phone")]
        category = {c.key: c for c in categories()}.get(tracker.get_slot("suggestion_category"))
        if category is None or category.location_matters:
            slots.insert(2, "suggestion_location")
        if tracker.get_slot("suggestion_reply") == "phone":
            slots.insert(-1, "suggestion_phone")
        return slots

    def read(self, slot: str, value: str, dispatcher, tracker: Tracker, reader: Reader) -> dict:
        """One turn of the form for the question `slot` (see the module's docstring)."""
        if tracker.get_slot("requested_slot") != slot:  # filled by the flow, not typed now
            return {slot: value}
        lang, text = reply_language(tracker), (value or "").strip()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == rating.RATE_INTENT and rating.is_only_a_rating(text):
            rating.thank(dispatcher, tracker)  # an old 👍 / 👎 pressed: thanks, then "go on?"
            return {slot: None, **PAUSE}
        if tracker.get_slot("suggestion_paused"):
            found = reader(text) if self.may_answer_the_question(slot, text) else None
            if found is not None:  # "go on?" answered by answering the question ("环境卫生")
                return {"suggestion_paused": False, "suggestion_retries": 0, **found}
            if not (self.may_answer_the_question(slot, text) and reading.answers_a_choice(text)):
                return self.go_on(slot, text, dispatcher, tracker, lang)
            # an attempt at the question ("文化方面的吧") not understood: ask it again
            return {**self.reask(slot, dispatcher, tracker, lang), "suggestion_paused": False}
        if is_emergency(text):
            dispatcher.utter_message(text=emergency_answer(text, lang))
            return {slot: None, **PAUSE}
        if reading.asks_about_assistant(text):
            dispatcher.utter_message(response="utter_bot")
            return {slot: None, **PAUSE}
        if reading.is_question(text) and answer_side_question(
            dispatcher, tracker, side_confidence(slot, text)
        ):
            return {slot: None, **PAUSE}
        found = None if reading.is_cancel(text) else reader(text)
        place = {} if tracker.get_slot("suggestion_location") else place_slots(text)
        if found is not None:
            return {**place, "suggestion_retries": 0, **found}
        if place:  # a place said out of turn is kept; the question is simply asked again
            return {**place, slot: None}
        if reading.is_cancel(text) or moderation.is_cancel(text) or intent == "suggestion_cancel":
            return {slot: None, "suggestion_outcome": "cancel"}
        if not reading.answers_a_choice(text) and answer_side_question(dispatcher, tracker):
            return {slot: None, **PAUSE}
        return self.reask(slot, dispatcher, tracker, lang)

    @staticmethod
    def may_answer_the_question(slot: str, text: str) -> bool:
        """At "go on?", whether the message may answer the question the form was at (a category,
        a place, a reply choice, a phone number): never at the read-back (only an explicit yes
        saves), and not a question, a yes, a no or an emergency (those are for "go on?")."""
        return (
            slot in RESUMED_BY_AN_ANSWER
            and not reading.is_question(text)
            and not reading.is_cancel(text)
            and not is_emergency(text)
            and reading.read_yes_no(text) is None
        )

    @staticmethod
    def go_on(slot: str, text: str, dispatcher, tracker: Tracker, lang: str) -> dict:
        """The answer to "go on?": only a yes resumes, a no drops the unsaved draft; anything else
        (a new question is answered) asks once more; the third time, the draft is dropped."""
        answer = reading.read_yes_no(text)
        if answer == "yes":
            return {slot: None, "suggestion_paused": False, "suggestion_retries": 0}
        if answer == "no" or reading.is_cancel(text) or moderation.is_cancel(text):
            return {slot: None, "suggestion_paused": False, "suggestion_outcome": "cancel"}
        if is_emergency(text):  # the number, and the question stays open
            dispatcher.utter_message(text=emergency_answer(text, lang))
            return {slot: None}
        if reading.asks_about_assistant(text):
            dispatcher.utter_message(response="utter_bot")
        elif not answer_side_question(
            dispatcher, tracker, side_confidence(slot, text, paused=True)
        ):
            say(dispatcher, "unknown_question" if reading.is_question(text) else "hint_go_on", lang)
        count = int(tracker.get_slot("suggestion_retries") or 0) + 1
        if count > MAX_REASKS:  # the way out: dropped, never saved without a yes
            return {slot: None, "suggestion_paused": False, "suggestion_outcome": "cancel"}
        return {slot: None, "suggestion_retries": count}

    @staticmethod
    def reask(slot: str, dispatcher, tracker: Tracker, lang: str, key: str = "hint") -> dict:
        """Say what is expected (the question follows with its buttons); the third time, a way out."""
        count = int(tracker.get_slot("suggestion_retries") or 0) + 1
        if count > MAX_REASKS:
            if f"way_out_{slot}" in MESSAGES:  # a cancelled read-back is announced at the end
                say(dispatcher, f"way_out_{slot}", lang)
            return {slot: None, **WAY_OUT[slot], "suggestion_retries": 0}
        say(dispatcher, f"{key}_{slot}", lang)
        return {slot: None, "suggestion_retries": count}

    def validate_suggestion_text(self, value: str, dispatcher, tracker, domain) -> dict:
        if tracker.get_slot("requested_slot") != "suggestion_text":
            return {"suggestion_text": value}
        lang, text = reply_language(tracker), (value or "").strip()
        if is_emergency(text) and not tracker.get_slot("suggestion_paused"):
            dispatcher.utter_message(text=emergency_answer(text, lang))
            with get_sessionmaker().begin() as session:
                slots = read_text(session, text)
            return {**slots, "suggestion_urgent": True, **PAUSE}

        def read_suggestion(text: str) -> dict | None:
            with get_sessionmaker().begin() as session:
                reason, values = refusal(session, text, identity(tracker))
                if reason:
                    say(dispatcher, reason, lang, **values)
                    return {"suggestion_text": None, "suggestion_outcome": "blocked"}
                if not moderation.is_meaningful(text):
                    say(dispatcher, "too_short", lang)
                    return {"suggestion_text": None}
                slots = read_text(session, text)
            if slots.get("suggestion_urgent") and not tracker.get_slot("suggestion_urgent"):
                say(dispatcher, "urgent", lang)
            return {
                k: v for k, v in slots.items() if k == "suggestion_text" or not tracker.get_slot(k)
            }

        return self.read("suggestion_text", value, dispatcher, tracker, read_suggestion)

    def validate_suggestion_category(self, value: str, dispatcher, tracker, domain) -> dict:
        def read_category(text: str) -> dict | None:
            key = reading.read_category(text, categories())
            guess = tracker.get_slot("suggestion_category_guess")
            answer = reading.read_yes_no(text) if guess and not key else None
            if answer == "yes":
                key = guess
            if answer == "no":  # the offered category is wrong: ask with the whole list
                return {"suggestion_category": None, "suggestion_category_guess": None}
            return {"suggestion_category": key} if key else None

        return self.read("suggestion_category", value, dispatcher, tracker, read_category)

    def validate_suggestion_location(self, value: str, dispatcher, tracker, domain) -> dict:
        def read_location(text: str) -> dict | None:
            place = reading.read_location(text, nlp.find_places)
            if place is None:
                return None
            return {
                "suggestion_location": nlp.mask(place[0])[:200],
                "suggestion_location_std": place[1],
            }

        return self.read("suggestion_location", value, dispatcher, tracker, read_location)

    def validate_suggestion_reply(self, value: str, dispatcher, tracker, domain) -> dict:
        def read_reply(text: str) -> dict | None:
            choice, phone = reading.read_reply_choice(text)
            if choice is None:
                return None
            return {"suggestion_reply": choice} | ({"suggestion_phone": phone} if phone else {})

        return self.read("suggestion_reply", value, dispatcher, tracker, read_reply)

    def validate_suggestion_phone(self, value: str, dispatcher, tracker, domain) -> dict:
        def read_phone(text: str) -> dict | None:
            found = reading.read_phone(text)
            if found is None:
                return None
            if found[0] == "phone":
                return {"suggestion_phone": found[1]}
            dispatcher.utter_message(response="utter_suggestion_no_phone")
            return {"suggestion_phone": None, "suggestion_reply": "chat"}

        return self.read("suggestion_phone", value, dispatcher, tracker, read_phone)

    def validate_suggestion_confirm(self, value: str, dispatcher, tracker, domain) -> dict:
        def read_confirm(text: str) -> dict | None:
            choice = reading.read_confirmation(text)
            if choice == "yes":
                if save_confirmed(dispatcher, tracker):
                    return {"suggestion_confirm": "yes", "suggestion_outcome": "saved"}
                return {"suggestion_confirm": None}
            if choice == "cancel":
                return {"suggestion_confirm": None, "suggestion_outcome": "cancel"}
            if choice in EDITED:
                return {"suggestion_confirm": None} | dict.fromkeys(EDITED[choice])
            if choice == "wait":  # not now: held once, then set aside (nothing saved either way)
                if int(tracker.get_slot("suggestion_retries") or 0) >= 1:
                    return {"suggestion_confirm": None, "suggestion_outcome": "cancel"}
                say(dispatcher, "wait_suggestion_confirm", reply_language(tracker))
                return {"suggestion_confirm": None, "suggestion_retries": 1}
            return None

        return self.read("suggestion_confirm", value, dispatcher, tracker, read_confirm)
