"""A suggestion's status by its reference number, and a resident's own suggestions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.helpers import identity, record_turn, reply_language
from core.settings import get_settings
from language.catalogue import say
from language.reference import find_reference, is_valid
from store import rate_repo, reply_reach, suggestion_repo
from store.db import get_sessionmaker
from store.models import Suggestion


def describe(suggestion: Suggestion, lang: str, owner: bool) -> str:
    """Status for anyone with the number; the text and the staff reply only for its author."""
    status = suggestion_repo.STATUS_NAMES[lang][suggestion.status]
    day = f"{suggestion_repo.shanghai_day(suggestion.created_at):%Y-%m-%d}"
    changes = [c for c in suggestion.history if c.from_status]
    if changes:  # since when it has had its status, as a Shanghai date too
        status += f" ({suggestion_repo.shanghai_day(changes[-1].changed_at):%Y-%m-%d})"
    lines = [say("status_line", lang, reference=suggestion.reference, day=day, status=status)]
    if owner:
        lines.append(say("status_text", lang, text=suggestion.text))
        for reply in suggestion.replies:
            lines.append(say("status_staff_reply", lang, text=reply.text))
    return "\n".join(lines)


def look_up(dispatcher: CollectingDispatcher, tracker: Tracker, reference: str) -> None:
    """Answer a lookup of `reference` (rate-limited per resident)."""
    lang, who = reply_language(tracker), identity(tracker)
    with get_sessionmaker().begin() as session:
        record_turn(session, tracker, lang=lang, outcome="suggestion")
        allowed = rate_repo.hit(
            session, sender_hash=who, kind="lookup",
            limit=get_settings().lookups_per_10_minutes, window=timedelta(minutes=10),
        )  # fmt: skip
        found = suggestion_repo.get_by_reference(session, reference=reference) if allowed else None
        owner = found is not None and found.sender_hash == who
        text = describe(found, lang, owner=owner) if found else None
        if owner:  # a REST resident's reply is delivered by this look-up
            reply_reach.seen_by_resident(session, found)
    if not allowed:
        dispatcher.utter_message(response="utter_suggestion_lookup_limit")
    elif text:
        dispatcher.utter_message(text=text)
    elif not is_valid(reference):
        dispatcher.utter_message(
            response="utter_suggestion_reference_malformed", reference=reference
        )
    else:
        dispatcher.utter_message(response="utter_suggestion_reference_unknown", reference=reference)


class ActionSuggestionStatus(Action):
    """'我的建议 JY-… 怎么样了', or the number alone; without a number, the resident's list."""

    def name(self) -> str:
        return "action_suggestion_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        reference = find_reference(tracker.latest_message.get("text") or "")
        if reference:
            look_up(dispatcher, tracker, reference)
            return []
        return await ActionListMySuggestions().run(dispatcher, tracker, domain)


class ActionListMySuggestions(Action):
    """The resident's own suggestions on this channel, newest first."""

    def name(self) -> str:
        return "action_list_my_suggestions"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        lang = reply_language(tracker)
        with get_sessionmaker().begin() as session:
            record_turn(session, tracker, lang=lang, outcome="suggestion")
            mine = suggestion_repo.list_for_sender(session, sender_hash=identity(tracker))
            waiting = reply_reach.waiting_for_resident(session, [s.id for s in mine])
            new_reply = say("status_new_reply", lang)
            lines = [
                f"{s.reference}  {suggestion_repo.shanghai_day(s.created_at):%Y-%m-%d}  "
                f"{suggestion_repo.STATUS_NAMES[lang][s.status]}"
                + (new_reply if s.id in waiting else "")
                for s in mine
            ]
        if not lines:
            dispatcher.utter_message(response="utter_suggestion_none_yet")
            return []
        dispatcher.utter_message(response="utter_suggestion_list", items="\n".join(lines))
        return []
