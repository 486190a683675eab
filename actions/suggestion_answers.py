"""What a reply to each question of the suggestion form says, read for that question's slot.

`ValidateSuggestionForm.read` (actions/suggestion_form.py) first deals with what a reply may do at
any step (an emergency, "go on?", cancel, a correction, a reply choice); what is left goes to the
reader of the question asked, made here for the turn. A reader takes the reply's text and the act
the model read in it and returns the slots the reply fills, or None when it answers nothing (the
form asks again, then offers a way out).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker

from actions import suggestion_reading as reading
from actions.helpers import identity, reply_language
from actions.suggestion_text import read_text, refusal, tell
from actions.suggestions import save_confirmed
from language import moderation, nlp
from store import category_repo
from store.db import get_sessionmaker

MAX_REASKS = 2  # a question asked again this often, then the way out
DETAIL_LENGTH = 12  # a reply this long that names no category or place is more of the suggestion
Reader = Callable[[str, "str | None"], "dict[str, Any] | None"]


def categories() -> list:
    """The suggestion categories (detached from their session)."""
    with get_sessionmaker().begin() as session:
        found = category_repo.list_categories(session)
        session.expunge_all()
    return found


def added_detail(tracker: Tracker, text: str, act: str | None) -> dict | None:
    """More of the suggestion given at a later step ("还有，晚上那边也没有灯"): added to its text,
    and the step's question asked again."""
    current = tracker.get_slot("suggestion_text") or ""
    retries = int(tracker.get_slot("suggestion_retries") or 0)
    if act not in (None, "inform") or len(text) < DETAIL_LENGTH or not current:
        return None
    if retries >= MAX_REASKS:  # asked often enough: the way out instead
        return None
    return {"suggestion_text": f"{current}\n{nlp.mask(text)}"[:2000],
            tracker.get_slot("requested_slot"): None,  # asked again, counted as a re-ask
            "suggestion_retries": retries + 1}  # fmt: skip


def text_reader(dispatcher, tracker: Tracker, emergency: bool) -> Reader:
    """The suggestion itself: refused (abuse, advertising, a flood, a repeat), too short to be one
    ("我想提个建议"), or read for its text, category guess, place and urgency."""
    lang = reply_language(tracker)

    def read(text: str, act: str | None) -> dict | None:
        with get_sessionmaker().begin() as session:
            reason, values = refusal(session, text, identity(tracker))
            if reason:
                tell(dispatcher, reason, lang, **values)
                return {"suggestion_text": None, "suggestion_outcome": "blocked"}
            if act == "announce" or not moderation.is_meaningful(text):
                tell(dispatcher, "suggestion_too_short", lang)  # "我想提个建议": say what it is
                return {"suggestion_text": None}
            slots = read_text(session, text, emergency=emergency)
        if slots.get("suggestion_urgent") and not tracker.get_slot("suggestion_urgent"):
            tell(dispatcher, "suggestion_urgent", lang)
        return {k: v for k, v in slots.items() if k == "suggestion_text" or not tracker.get_slot(k)}

    return read


def category_reader(tracker: Tracker) -> Reader:
    """The category named, or the one offered when the reply is a yes; a no asks with the list."""

    def read(text: str, act: str | None) -> dict | None:
        guess = tracker.get_slot("suggestion_category_guess")
        if act == "deny":  # the offered category is wrong: ask with the whole list
            return {"suggestion_category": None, "suggestion_category_guess": None}
        key = reading.read_category(text, categories())
        if act == "affirm" and guess and not key:
            key = guess
        return {"suggestion_category": key} if key else added_detail(tracker, text, act)

    return read


def location_reader(tracker: Tracker) -> Reader:
    """The place named (masked, with its standard name), or "-" when skipped."""

    def read(text: str, act: str | None) -> dict | None:
        if act in ("skip", "deny"):
            return {"suggestion_location": "-"}
        place = reading.read_location(text, nlp.find_places)
        if place is None:
            return added_detail(tracker, text, act)
        return {
            "suggestion_location": nlp.mask(place[0])[:200],
            "suggestion_location_std": place[1],
        }

    return read


def read_reply(text: str, act: str | None) -> dict | None:
    """How the resident wants the answer: a number typed is a call-back to it, a yes this chat, a
    no or a skip none."""
    phone = reading.find_phone(text)
    if phone:  # a number typed at the reply question: a call-back to it
        return {"suggestion_reply": "phone", "suggestion_phone": phone}
    if act == "affirm":
        return {"suggestion_reply": "chat"}
    if act in ("deny", "skip"):
        return {"suggestion_reply": "none"}
    return None


def phone_reader(dispatcher) -> Reader:
    """The number to call back; none given: the answer comes to this chat."""

    def read(text: str, act: str | None) -> dict | None:
        phone = reading.find_phone(text)
        if phone:
            return {"suggestion_phone": phone}
        if act in ("skip", "deny"):
            dispatcher.utter_message(response="utter_suggestion_no_phone")
            return {"suggestion_phone": None, "suggestion_reply": "chat"}
        return None

    return read


def confirm_reader(dispatcher, tracker: Tracker) -> Reader:
    """The yes to the read-back saves the suggestion (a failed save asks again); a no says nothing
    of what to change, so the buttons are explained."""

    def read(text: str, act: str | None) -> dict | None:
        if act == "affirm":
            if save_confirmed(dispatcher, tracker):
                return {"suggestion_confirm": "yes", "suggestion_outcome": "saved"}
            return {"suggestion_confirm": None}
        return None

    return read
