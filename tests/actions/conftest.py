"""Trackers built in code (the suggestion form waiting at a step among them), and a database with
the knowledge entries (and the suggestion categories: `town`) imported."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.suggestion_form import ValidateSuggestionForm
from core.settings import get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries
from store import category_repo
from store.models import Suggestion

DRAFT = {  # the suggestion form's slots with every step answered (`tracker_at`)
    "suggestion_draft_id": "draft-1",
    "suggestion_text": "建议菜场门口的垃圾桶每天多清运一次",
    "suggestion_category": "environment",
    "suggestion_location": "-",
    "suggestion_reply": "none",
}


def tracker_for(
    message: str, intent: str, language: str | None = None, ranking: list[dict] | None = None
) -> Tracker:
    """A tracker whose latest message is `message` classified as `intent`."""
    latest = {
        "text": message,
        "intent": {"name": intent, "confidence": 0.95},
        "intent_ranking": ranking or [],
        "entities": [],
    }
    return Tracker(
        sender_id="resident-1",
        slots={"language": language},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run_action(action, tracker: Tracker):
    """Run an action; return what it uttered and the events it returned."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


@pytest.fixture
def imported(session_factory):
    """The fresh database with every knowledge entry imported."""
    with session_factory.begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
    return session_factory


@pytest.fixture
def town(imported):
    with imported.begin() as session:
        category_repo.import_categories(session)
    return imported


def tracker_at(
    slot: str, message: str, intent: str = "nlu_fallback", confidence: float = 0.95,
    act: str | None = None, earlier: tuple[str, ...] = (), **slots,
) -> Tracker:  # fmt: skip
    """The form waiting for `slot`, the resident having just written `message`, read as `act`."""
    filled = {**DRAFT, **slots, slot: message, "requested_slot": slot}
    latest = {"text": message, "intent": {"name": intent, "confidence": confidence}}
    if act:
        latest["form_act"] = {"name": act, "confidence": 0.9}
    return Tracker(
        sender_id="resident-1",
        slots=filled,
        latest_message=latest,
        events=[{"event": "user", "text": text} for text in (*earlier, message)],
        paused=False,
        followup_action=None,
        active_loop={"name": "suggestion_form"},
        latest_action_name="action_listen",
    )


def answer(slot: str, message: str, **kwargs) -> tuple[dict, list[str]]:
    """What validating `message` for `slot` returns, and the texts uttered."""
    dispatcher = CollectingDispatcher()
    validate = getattr(ValidateSuggestionForm(), f"validate_{slot}")
    result = validate(message, dispatcher, tracker_at(slot, message, **kwargs), {})
    return result, [m.get("text") or m.get("response") for m in dispatcher.messages]


def saved_count(town) -> int:
    with town.begin() as session:
        return session.scalar(select(func.count()).select_from(Suggestion))
