"""Messages of the suggestion flow, and reading a suggestion's text (shared by its actions)."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions import suggestion_reading as reading
from language import moderation, nlp
from language.catalogue import say
from store import category_repo, suggestion_repo

SLOTS = (
    "suggestion_draft_id", "suggestion_text", "suggestion_category", "suggestion_location",
    "suggestion_location_std", "suggestion_reply", "suggestion_phone", "suggestion_confirm",
    "suggestion_urgent", "suggestion_category_guess", "suggestion_paused", "suggestion_retries",
    "suggestion_outcome",
)  # fmt: skip


def tell(dispatcher: CollectingDispatcher, key: str, lang: str, **values: str) -> None:
    """Utter one of the flow's messages (language/words/residents.yml) in the resident's language."""
    dispatcher.utter_message(text=say(key, lang, **values))


def refusal(session: Session, text: str, sender_hash: str) -> tuple[str, dict]:
    """Why a text must not be stored, as the key of what to say ('' when it may be stored), with
    values for the message."""
    if moderation.is_advertising(text):
        return "suggestion_advertising", {}
    if moderation.is_abuse(text):
        return "suggestion_abuse", {}
    repeat = suggestion_repo.same_text_recently(
        session, sender_hash=sender_hash, text=nlp.mask(text)
    )
    if repeat:
        return "suggestion_repeat", {"reference": repeat.reference}
    return "", {}


def place_slots(text: str) -> dict:
    """The place named in `text` (a known place or an address pattern) as slots, or nothing."""
    place = reading.read_place(text, nlp.find_places)
    if not place:
        return {}
    return {"suggestion_location": nlp.mask(place[0])[:200], "suggestion_location_std": place[1]}


def read_text(session: Session, text: str, emergency: bool = False) -> dict:
    """Slots read from a suggestion's text: masked text, urgency, a category to offer, place."""
    slots: dict = {"suggestion_text": nlp.mask(text.strip())[:2000]}
    if emergency or moderation.is_urgent(text):
        slots["suggestion_urgent"] = True
    guess = reading.guess_category(text, category_repo.list_categories(session))
    if guess:
        slots["suggestion_category_guess"] = guess
    return slots | place_slots(text)
