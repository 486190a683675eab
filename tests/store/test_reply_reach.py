"""A reply reaches every duplicate's resident per their own consent; a REST resident gets it on
their look-up (the queued message is then marked sent), and their list says a reply waits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from actions.suggestion_status import ActionListMySuggestions, ActionSuggestionStatus
from store import category_repo, reply_reach, reply_repo, suggestion_repo
from store.identity import sender_hash
from store.models import OutboxMessage
from tests.actions.conftest import run_action, tracker_for

ME = sender_hash("rest", "resident-1")


def _new(session, draft, **fields):
    values = {"draft_id": draft, "text": "中江路路灯坏了", "category_key": "facilities",
              "channel": "webchat", "sender_hash": f"h-{draft}", "reply_address": f"web-{draft}",
              "wants_reply": True} | fields  # fmt: skip
    return suggestion_repo.create_suggestion(session, suggestion_repo.NewSuggestion(**values))[0]


@pytest.fixture
def categories(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
    return session_factory


def _messages(session, suggestion):
    query = select(OutboxMessage).where(OutboxMessage.suggestion_id == suggestion.id)
    return [
        (m.channel, m.address, m.text) for m in session.scalars(query.order_by(OutboxMessage.id))
    ]


def test_the_originals_reply_reaches_each_duplicate_per_consent(categories):
    with categories.begin() as session:
        original = _new(session, "o")
        chat = _new(session, "a")
        telegram = _new(session, "b", channel="telegram", reply_address="tg-7")
        silent = _new(session, "c", wants_reply=False)
        for duplicate in (chat, telegram, silent):
            reply_repo.mark_duplicate(session, duplicate, original=original, by="wang")
        assert [d.id for d in reply_reach.duplicates_of(session, original)] == [
            chat.id, telegram.id, silent.id,
        ]  # fmt: skip
        reply_repo.publish_reply(session, original, text="已修好路灯。", by="wang",
                                      close_as="answered")  # fmt: skip
        forwarded = _messages(session, chat)[-1]
        assert forwarded[:2] == ("webchat", "web-a") and "已修好路灯。" in forwarded[2]
        assert chat.reference in forwarded[2] and original.reference in forwarded[2]
        assert _messages(session, telegram)[-1][:2] == ("telegram", "tg-7")
        assert _messages(session, silent) == []  # no reply wanted: none sent
        assert silent.replies[-1].text == "已修好路灯。"  # a look-up still shows it
        late = _new(session, "d")  # marked after the answer: gets it at once
        reply_repo.mark_duplicate(session, late, original=original, by="wang")
        assert "已修好路灯。" in _messages(session, late)[-1][2]


async def test_a_rest_resident_gets_the_reply_on_look_up(categories):
    with categories.begin() as session:
        mine = _new(session, "r", channel="rest", sender_hash=ME, reply_address="resident-1")
        reply_repo.publish_reply(session, mine, text="正在研究。", by="wang")
        reference = mine.reference
    messages, _ = await run_action(
        ActionListMySuggestions(), tracker_for("我的建议", "suggestion_list")
    )
    assert "有新答复" in messages[0]["items"]
    messages, _ = await run_action(
        ActionSuggestionStatus(), tracker_for(reference, "suggestion_status")
    )
    assert "正在研究。" in messages[0]["text"]
    with categories.begin() as session:
        (message,) = session.scalars(select(OutboxMessage))
        assert message.state == "sent" and message.sent_at is not None
    messages, _ = await run_action(
        ActionListMySuggestions(), tracker_for("我的建议", "suggestion_list")
    )
    assert "有新答复" not in messages[0]["items"]
