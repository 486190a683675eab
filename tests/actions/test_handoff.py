"""Asking for a person: the live queue in office hours, else when someone will be there with 12345
and a suggestion; the REST channel, which staff cannot write to, is pointed to 12345."""

from __future__ import annotations

from datetime import UTC, datetime

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff
from core import clock
from store import handoff_repo

MONDAY_10 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
SATURDAY_10 = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)


def asking(channel: str, sender: str = "tg-5", text: str = "转人工") -> Tracker:
    return Tracker(
        sender_id=sender, slots={"language": None},
        latest_message={"text": text, "intent": {"name": "human", "confidence": 0.99}},
        events=[{"event": "user", "text": text, "input_channel": channel}],
        paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )  # fmt: skip


async def said(tracker: Tracker) -> dict:
    dispatcher = CollectingDispatcher()
    await ActionHandoff().run(dispatcher, tracker, {})
    return dispatcher.messages[0]


async def test_in_office_hours_the_resident_joins_the_live_queue(imported, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MONDAY_10)
    message = await said(asking("telegram"))
    assert "转接工作人员" in message["text"] and not message["buttons"]
    with imported.begin() as session:
        queued = handoff_repo.queue(session)
        assert [(h.sender_id, h.channel, h.state) for h in queued] == [
            ("tg-5", "telegram", "waiting")
        ]


async def test_outside_office_hours_the_next_opening_12345_and_a_suggestion(imported, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: SATURDAY_10)
    message = await said(asking("webchat", "web-x"))
    assert "12月14日（周一）09:00" in message["text"] and "12345" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/suggestion_give"]
    english = await said(asking("webchat", "web-x", "can I talk to a person"))
    assert "Mon 14 Dec 09:00" in english["text"] and english["buttons"][0]["title"] == (
        "Leave a suggestion"
    )
    with imported.begin() as session:
        assert handoff_repo.queue(session) == []


async def test_the_rest_channel_is_pointed_to_12345(imported, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MONDAY_10)
    assert "12345" in (await said(asking("rest", "r-1")))["text"]
    with imported.begin() as session:
        assert handoff_repo.queue(session) == []
