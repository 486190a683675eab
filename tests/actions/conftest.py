"""Trackers built in code, and a database with the knowledge entries imported."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from core.settings import get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries


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
