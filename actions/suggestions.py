"""Start and submit a suggestion; everything stored in one transaction, once per draft."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.helpers import (
    channel_of,
    emergency_answer,
    emergency_kinds_of,
    identity,
    record_own_turn,
    reply_language,
)
from actions.suggestion_contact import GIVEN, ref_of, sealed_events
from actions.suggestion_drafts import restorable
from actions.suggestion_text import SLOTS, read_text, refusal, tell
from core.settings import get_settings
from language import moderation
from language.emergency import read_kinds
from store import contact_repo, rate_repo, settings_repo, suggestion_repo
from store.db import get_sessionmaker

logger = logging.getLogger(__name__)


class ActionStartSuggestion(Action):
    """Opens a draft; takes the first message as the text when it says enough."""

    def name(self) -> str:
        return "action_start_suggestion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        return sealed_events(tracker, await self.start(dispatcher, tracker, domain))

    async def start(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        lang, who, text = (
            reply_language(tracker),
            identity(tracker),
            tracker.latest_message.get("text") or "",
        )
        if unclear(tracker):  # "那个事情": not a suggestion the model is sure of: the choices
            from actions.fallback import ActionFallback  # (the fallback starts suggestions too)

            shown = await ActionFallback().run(dispatcher, tracker, domain)
            return [*shown, SlotSet("suggestion_outcome", "unclear")]
        kinds = emergency_kinds_of(tracker)
        before = emergency_reported_before(tracker)
        if before:  # its number was just given: again only for an emergency in a rule's words
            kinds = read_kinds(text, None)
        events = [SlotSet(slot, None) for slot in (*SLOTS, "requested_slot")] + [
            SlotSet("suggestion_draft_id", uuid.uuid4().hex)
        ]
        if self.changes_mind(tracker):
            kept = restorable(tracker)
            if kept:  # read back again: only an explicit yes saves
                dispatcher.utter_message(response="utter_suggestion_restored")
                return [*events, SlotSet("suggestion_cancelled", None),
                        *(SlotSet(name, value) for name, value in kept.items())]  # fmt: skip
            dispatcher.utter_message(response="utter_suggestion_nothing_to_restore")
            return events
        # its own short write: this session reads text (masking, moderation) and must not hold
        # SQLite's write lock meanwhile
        record_own_turn(tracker, outcome="suggestion", lang=lang)
        with get_sessionmaker().begin() as session:
            if (
                rate_repo.count_recent(session, sender_hash=who)
                >= get_settings().suggestions_per_hour
            ):
                tell(dispatcher, "suggestion_flood", lang)
                return [*events, SlotSet("suggestion_outcome", "blocked")]
            announced_only = not kinds and not says_what(tracker)  # an emergency says what it is
            if text.startswith("/") or announced_only or not moderation.is_meaningful(text):
                return events  # "我想提个建议", "烦死了 什么破系统": the form asks what it is
            reason, values = refusal(session, text, who)
            if reason:
                tell(dispatcher, reason, lang, **values)
                return [*events, SlotSet("suggestion_outcome", "blocked")]
            if before:  # the emergency just answered is what this suggestion is about
                text = f"{before}\n{text}"
            slots = read_text(session, text, emergency=bool(kinds or before))
        if kinds:  # the number to call first; the suggestion only if they go on
            dispatcher.utter_message(text=emergency_answer(kinds, lang))
            slots["suggestion_paused"] = True
        elif slots.get("suggestion_urgent"):
            tell(dispatcher, "suggestion_urgent", lang)
        return events + [SlotSet(name, value) for name, value in slots.items()]

    @staticmethod
    def changes_mind(tracker: Tracker) -> bool:
        """ "还是提交吧" after a cancel: the resident wants the draft set aside back."""
        if (tracker.latest_message.get("intent") or {}).get("name") == "suggestion_resume":
            return True
        act = tracker.latest_message.get("form_act") or {}
        return (
            act.get("name") == "resume"
            and act.get("confidence", 0) >= 0.5
            and bool(restorable(tracker))
        )


ANNOUNCE_CONFIDENCE = 0.5
ANNOUNCE_CLEARLY = 0.6  # read as another intent (or none), but clearly announcing a suggestion


GIVEN_CONFIDENCE = 0.5


def says_what(tracker: Tracker) -> bool:
    """The first message says what the suggestion is: read as one (a clear suggestion, or content
    by the form's reading), not as only announcing one or as venting."""
    if emergency_reported_before(tracker):  # what to do about the emergency just answered,
        return True  # however it is put ("I want someone to come and check the pipes")
    if announces(tracker):
        return False
    intent = tracker.latest_message.get("intent") or {}
    act = tracker.latest_message.get("form_act") or {}
    content = act.get("name") == "inform" and act.get("confidence", 0) >= 0.4
    return content or (intent.get("confidence") or 0) >= GIVEN_CONFIDENCE


UNCLEAR_START = 0.4


def unclear(tracker: Tracker) -> bool:
    """A message read as a suggestion only faintly, that neither announces one nor says what."""
    intent = tracker.latest_message.get("intent") or {}
    if intent.get("name") != "suggestion_give" or (intent.get("confidence") or 0) >= UNCLEAR_START:
        return False
    if emergency_reported_before(tracker):  # what to do about it: the suggestion it becomes
        return False
    act = tracker.latest_message.get("form_act") or {}
    return act.get("name") not in ("inform", "announce") or act.get("confidence", 0) < 0.5


def emergency_reported_before(tracker: Tracker) -> str | None:
    """The resident's previous message, when it was answered as an emergency: a suggestion that
    follows it ("我不想打电话，我要有人来查管道") keeps what the emergency was."""
    users = [i for i, e in enumerate(tracker.events) if e.get("event") == "user"]
    if len(users) < 2:
        return None
    between = tracker.events[users[-2] + 1 : users[-1]]
    answered = any(e.get("event") == "action" and e.get("name") == "action_answer_emergency"
                   for e in between)  # fmt: skip
    return (tracker.events[users[-2]].get("text") or None) if answered else None


def announces(tracker: Tracker, confidence: float = ANNOUNCE_CONFIDENCE) -> bool:
    """The message only says that a suggestion is coming ("Hi, can I leave a suggestion?")."""
    act = tracker.latest_message.get("form_act") or {}
    return act.get("name") == "announce" and act.get("confidence", 0) >= confidence


def save_confirmed(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Store the confirmed draft once (one transaction) and give its number; False if it failed.

    Called when the resident confirms, inside the form: if the action server dies here, the form
    is still waiting for the confirmation, and confirming again returns the same number.
    """
    lang, slot = reply_language(tracker), tracker.get_slot
    reply = slot("suggestion_reply") or "none"
    location = slot("suggestion_location")
    new = suggestion_repo.NewSuggestion(
        draft_id=slot("suggestion_draft_id") or uuid.uuid4().hex,
        text=slot("suggestion_text"),
        category_key=slot("suggestion_category") or "other",
        channel=channel_of(tracker),
        sender_hash=identity(tracker),
        reply_address=tracker.sender_id,
        language=lang,
        location_text=None if location in (None, "-") else location,
        location_std=slot("suggestion_location_std"),
        urgent=bool(slot("suggestion_urgent")),
        wants_reply=reply in ("chat", "phone"),
    )
    held = ref_of(slot("suggestion_phone")) if reply == "phone" else None
    try:
        with get_sessionmaker().begin() as session:  # the held number moves into the suggestion
            phone = contact_repo.take(session, held, new.sender_hash)
            saved, _ = suggestion_repo.create_suggestion(session, replace(new, contact_phone=phone))
            reference, due = saved.reference, saved.answer_due
            days = settings_repo.get_int(session, "suggestion_answer_days")  # the due date's
    except SQLAlchemyError:
        logger.exception("saving a suggestion failed")
        dispatcher.utter_message(response="utter_suggestion_not_saved")
        return False
    if new.urgent:  # staff act at once: no promise of the usual days
        dispatcher.utter_message(response="utter_suggestion_saved_urgent", reference=reference)
        return True
    dispatcher.utter_message(
        response="utter_suggestion_saved", reference=reference, due=f"{due:%Y-%m-%d}",
        days=days,
    )  # fmt: skip
    return True


class ActionSubmitSuggestion(Action):
    """Ends the flow: the confirmed suggestion is already saved; a cancel says nothing was saved."""

    def name(self) -> str:
        return "action_submit_suggestion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        record_own_turn(tracker, outcome="suggestion")  # the form's last step, or a cancel
        if tracker.get_slot("suggestion_outcome") == "cancel":
            dispatcher.utter_message(response="utter_suggestion_cancelled")
        return [SlotSet(name, None) for name in (*SLOTS, GIVEN)]
