"""Validate the suggestion form: the model reads what each reply does, the form only acts on it.

The pipeline puts the reply's act on the parsed message (`form_act`, `rasa_addons/form_act.py`:
affirm, deny, hold, cancel, resume, reply_chat / reply_phone / reply_none, use_given_phone, skip,
correct_category / correct_place / correct_text, question, inform). Every turn goes the same
way (`ValidateSuggestionForm.read`): an emergency gets its number first; a pending "go on?" is
answered; then the act is carried out at the step asked (`by_act`); what the reply names (a
category, a place, a phone number) is found by `actions/suggestion_reading.py`, and what
answers the question asked by its reader (`actions/suggestion_answers.py`). At most two
re-asks, then a way out. Nothing is saved before an explicit yes to the read-back; a cancelled
draft is kept for `suggestion_drafts.KEEP_SECONDS`, so "submit it after all" restores it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker

from actions import rating
from actions import suggestion_answers as answers
from actions import suggestion_reading as reading
from actions.helpers import (
    answer_side_question,
    emergency_answer,
    emergency_kinds_of,
    record_own_turn,
    reply_language,
)
from actions.suggestion_answers import MAX_REASKS, Reader, categories
from actions.suggestion_contact import sealed_events
from actions.suggestion_drafts import earlier_phone, set_aside
from actions.suggestion_text import place_slots, read_text, tell
from language import moderation, nlp
from language.catalogue import catalogue
from language.form_acts import act_at
from store.db import get_sessionmaker

ACT_CONFIDENCE = 0.4  # below this the act is unclear: only what the reply names counts
QUESTION_CONFIDENCE = 0.5  # a reply read as a question is answered on a less sure topic
WAY_OUT = {
    "suggestion_category": {"suggestion_category": "other"},
    "suggestion_location": {"suggestion_location": "-"},
    "suggestion_reply": {"suggestion_reply": "none"},
    "suggestion_phone": {"suggestion_phone": None, "suggestion_reply": "chat"},
    "suggestion_confirm": {"suggestion_outcome": "cancel"},
}
PAUSE = {"suggestion_paused": True, "suggestion_retries": 0}  # "go on?" is asked next
RESUME = {"suggestion_paused": False, "suggestion_retries": 0}
REPLY_ACTS = {"reply_chat": "chat", "reply_phone": "phone", "reply_none": "none"}
# acts that steer the flow rather than add to the suggestion's text
CONTROL_ACTS = {"affirm", "deny", "hold", "cancel", "resume", "question"}
STEPS = {"suggestion_text": "text", "suggestion_category": "category",
         "suggestion_location": "location", "suggestion_reply": "reply",
         "suggestion_phone": "phone", "suggestion_confirm": "confirm"}  # fmt: skip


def act_of(tracker: Tracker, slot: str | None = None) -> str | None:
    """The likeliest act the model read in the latest message that is possible at the step asked
    ("go on?" when paused); None when the model is unsure."""
    latest = tracker.latest_message
    ranking = [(r["name"], r["confidence"]) for r in latest.get("form_act_ranking") or []]
    if not ranking:
        act = latest.get("form_act") or {}
        ranking = [(act["name"], act.get("confidence", 0))] if act.get("name") else []
    if not ranking:
        return None
    step = "go_on" if tracker.get_slot("suggestion_paused") else STEPS.get(slot or "", "")
    name, confidence = act_at(step, ranking)
    return name if confidence >= ACT_CONFIDENCE else None


def cancel(tracker: Tracker, slot: str) -> dict:
    """End the flow without saving; the draft is set aside to be restored on a change of mind."""
    return {slot: None, "suggestion_paused": False, "suggestion_outcome": "cancel",
            "suggestion_cancelled": set_aside(tracker)}  # fmt: skip


class ValidateSuggestionForm(FormValidationAction):
    """Acts on what the model read in each reply; buttons send plain words, so typing them works."""

    def name(self) -> str:
        return "validate_suggestion_form"

    async def run(self, dispatcher, tracker: Tracker, domain) -> list[dict[str, Any]]:
        events = await super().run(dispatcher, tracker, domain)
        if (tracker.latest_message.get("intent") or {}).get("name") != rating.RATE_INTENT:
            record_own_turn(tracker, outcome="suggestion")  # (a 👍 / 👎 records its own)
        return sealed_events(tracker, events)

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
        lang, text, act = reply_language(tracker), (value or "").strip(), act_of(tracker, slot)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == rating.RATE_INTENT and rating.is_only_a_rating(text):
            rating.thank(dispatcher, tracker)  # an old 👍 / 👎 pressed: thanks, then "go on?"
            return {slot: None, **PAUSE}
        # an answer that clearly does something else (a correction, a reply choice) reports an
        # emergency only in a rule's words
        answering = slot != "suggestion_text" or tracker.get_slot("suggestion_paused")
        kinds = emergency_kinds_of(tracker, answering=answering, plain=act in (None, "inform",
                                                                                 "question"))  # fmt: skip
        if kinds and not (tracker.get_slot("suggestion_urgent") and text in (
                tracker.get_slot("suggestion_text") or "")):  # fmt: skip
            dispatcher.utter_message(text=emergency_answer(kinds, lang))
            return {slot: None, **self.added_to_urgent(tracker, text), **PAUSE}
        if tracker.get_slot("suggestion_paused"):
            return self.go_on(slot, text, act, dispatcher, tracker, reader)
        if intent == "bot" and act in (None, "question"):  # "你能做什么": about the assistant
            dispatcher.utter_message(response="utter_bot")
            return {slot: None, **PAUSE}
        return self.by_act(slot, text, act, dispatcher, tracker, reader)

    def by_act(self, slot: str, text: str, act: str | None, dispatcher, tracker: Tracker,
               reader: Reader) -> dict:  # fmt: skip
        """Carry out the reply's act at the step `slot`."""
        lang, get = reply_language(tracker), tracker.get_slot
        if act == "question" and slot != "suggestion_text":
            if answer_side_question(dispatcher, tracker, QUESTION_CONFIDENCE):
                return {slot: None, **PAUSE}
            tell(dispatcher, "suggestion_unknown_question", lang)
            return {slot: None, **PAUSE}
        if act == "cancel":
            return cancel(tracker, slot)
        if act == "hold":
            if slot == "suggestion_confirm" and int(get("suggestion_retries") or 0) >= 1:
                return cancel(tracker, slot)  # held once already: set aside, nothing saved
            tell(dispatcher, "wait_suggestion_confirm", lang)
            return {slot: None, "suggestion_retries": 1} if slot == "suggestion_confirm" else {
                slot: None, **PAUSE}  # fmt: skip
        if act in REPLY_ACTS and slot != "suggestion_text":
            return {slot: None, **self.reply_choice(act, text, dispatcher, tracker)}
        if act == "use_given_phone" and slot != "suggestion_text":
            phone = reading.find_phone(text) or earlier_phone(tracker)
            if phone:
                return {slot: None, "suggestion_reply": "phone", "suggestion_phone": phone,
                        "suggestion_retries": 0}  # fmt: skip
            return self.reask("suggestion_phone", dispatcher, tracker, lang)
        if act == "correct_category" and slot != "suggestion_text":
            key = reading.read_category(text, categories())
            return {slot: None, "suggestion_category": key, "suggestion_category_guess": None,
                    "suggestion_retries": 0}  # fmt: skip
        if act == "correct_place" and slot != "suggestion_text":
            place = place_slots(text) or {"suggestion_location": None,
                                          "suggestion_location_std": None}  # fmt: skip
            return {slot: None, **place, "suggestion_retries": 0}
        if act == "correct_text" and slot != "suggestion_text":
            added = self.added_text(text)
            if added:
                return {slot: None, "suggestion_text": added, "suggestion_retries": 0}
            return {slot: None, "suggestion_text": None, "suggestion_retries": 0}
        found = reader(text, act)
        place = {} if get("suggestion_location") else place_slots(text)
        if found is not None:
            return {**place, "suggestion_retries": 0, **found}
        if place:  # a place said out of turn is kept; the question is simply asked again
            return {**place, slot: None}
        if act is None and answer_side_question(dispatcher, tracker):
            return {slot: None, **PAUSE}  # not an answer, but a confident question
        return self.reask(slot, dispatcher, tracker, lang)

    def go_on(self, slot: str, text: str, act: str | None, dispatcher, tracker: Tracker,
              reader: Reader) -> dict:  # fmt: skip
        """The answer to "go on?": a yes resumes, a no sets the draft aside, a question is
        answered and "go on?" asked again (twice, then the draft is set aside); a reply that
        answers the question the form was at resumes with it."""
        lang = reply_language(tracker)
        urgent = self.added_to_urgent(tracker, text) if act not in CONTROL_ACTS else {}
        if act in ("affirm", "resume"):
            return {slot: None, **RESUME}
        if act in ("cancel", "deny"):
            return cancel(tracker, slot)
        if urgent or (act not in (None, "question", "hold") and slot != "suggestion_confirm"):
            if urgent and act in (None, "inform"):
                return {slot: None, **urgent, **RESUME}
            done = self.by_act(slot, text, act, dispatcher, tracker, reader)
            return {**urgent, **done, "suggestion_paused": done.get("suggestion_paused", False)}
        if act == "question" or act is None:
            if not answer_side_question(dispatcher, tracker, QUESTION_CONFIDENCE):
                tell(
                    dispatcher,
                    "suggestion_unknown_question" if act == "question" else "hint_go_on",
                    lang,
                )
        else:
            tell(dispatcher, "hint_go_on", lang)
        count = int(tracker.get_slot("suggestion_retries") or 0) + 1
        if count > MAX_REASKS:  # the way out: set aside, never saved without a yes
            return cancel(tracker, slot)
        return {slot: None, "suggestion_retries": count}

    @staticmethod
    def added_text(text: str) -> str | None:
        """What a correction adds after its lead-in ("补充一下：晚上也很吵" → "晚上也很吵")."""
        for mark in ("：", ":", "，", ","):
            head, _, tail = text.partition(mark)
            if tail and moderation.is_meaningful(tail) and len(tail) >= 6:
                return tail.strip()
        return None

    @staticmethod
    def added_to_urgent(tracker: Tracker, text: str) -> dict:
        """An urgent draft keeps what it said: a later line with content is added to its text."""
        current = tracker.get_slot("suggestion_text")
        if not (
            tracker.get_slot("suggestion_urgent") and current and moderation.is_meaningful(text)
        ):
            return {}
        masked = nlp.mask(text)
        if masked in current:
            return {}
        return {"suggestion_text": f"{current}\n{masked}"[:2000], "suggestion_urgent": True}

    @staticmethod
    def reply_choice(act: str, text: str, dispatcher, tracker: Tracker) -> dict:
        """A reply choice said at any step: a call-back takes a number in the same message."""
        choice = REPLY_ACTS[act]
        if choice != "phone":
            if tracker.get_slot("requested_slot") == "suggestion_phone" and choice == "chat":
                dispatcher.utter_message(response="utter_suggestion_no_phone")
            return {"suggestion_reply": choice, "suggestion_phone": None, "suggestion_retries": 0}
        phone = reading.find_phone(text)
        return {"suggestion_reply": "phone", "suggestion_retries": 0} | (
            {"suggestion_phone": phone} if phone else {}
        )

    @staticmethod
    def reask(slot: str, dispatcher, tracker: Tracker, lang: str, key: str = "hint") -> dict:
        """Say what is expected (the question follows with its buttons); the third time, a way out."""
        count = int(tracker.get_slot("suggestion_retries") or 0) + 1
        if count > MAX_REASKS:
            if f"way_out_{slot}" in catalogue():  # a cancelled read-back is announced at the end
                tell(dispatcher, f"way_out_{slot}", lang)
            out = WAY_OUT[slot]
            if out.get("suggestion_outcome") == "cancel":
                return cancel(tracker, slot)
            return {slot: None, **out, "suggestion_retries": 0}
        tell(dispatcher, f"{key}_{slot}", lang)
        return {slot: None, "suggestion_retries": count}

    def validate_suggestion_text(self, value: str, dispatcher, tracker, domain) -> dict:
        if tracker.get_slot("requested_slot") != "suggestion_text":
            return {"suggestion_text": value}
        lang, text = reply_language(tracker), (value or "").strip()
        kinds = emergency_kinds_of(tracker)
        if kinds and not tracker.get_slot("suggestion_paused"):
            dispatcher.utter_message(text=emergency_answer(kinds, lang))
            with get_sessionmaker().begin() as session:
                slots = read_text(session, text, emergency=True)
            return {**slots, "suggestion_urgent": True, **PAUSE}
        reader = answers.text_reader(dispatcher, tracker, emergency=bool(kinds))
        return self.read("suggestion_text", value, dispatcher, tracker, reader)

    def validate_suggestion_category(self, value: str, dispatcher, tracker, domain) -> dict:
        reader = answers.category_reader(tracker)
        return self.read("suggestion_category", value, dispatcher, tracker, reader)

    def validate_suggestion_location(self, value: str, dispatcher, tracker, domain) -> dict:
        reader = answers.location_reader(tracker)
        return self.read("suggestion_location", value, dispatcher, tracker, reader)

    def validate_suggestion_reply(self, value: str, dispatcher, tracker, domain) -> dict:
        return self.read("suggestion_reply", value, dispatcher, tracker, answers.read_reply)

    def validate_suggestion_phone(self, value: str, dispatcher, tracker, domain) -> dict:
        reader = answers.phone_reader(dispatcher)
        return self.read("suggestion_phone", value, dispatcher, tracker, reader)

    def validate_suggestion_confirm(self, value: str, dispatcher, tracker, domain) -> dict:
        reader = answers.confirm_reader(dispatcher, tracker)
        return self.read("suggestion_confirm", value, dispatcher, tracker, reader)
