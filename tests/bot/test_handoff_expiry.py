"""A request for a person nobody takes in time: the delivery pass of a bridge expires it and the
resident's apology goes out through the outbox, without the console open."""

from __future__ import annotations

from datetime import timedelta

from store import handoff_repo
from store.models import Handoff, utcnow


async def test_a_bridge_pass_expires_an_unanswered_request_and_sends_the_apology(session_factory):
    from bot import outbox

    with session_factory.begin() as session:
        old = handoff_repo.request(session, sender_id="tg-7", channel="telegram", language="en")
        old.requested_at = utcnow() - timedelta(minutes=30)
        fresh = handoff_repo.request(session, sender_id="tg-8", channel="telegram", language="zh")
        ids = old.id, fresh.id
    sent = []

    async def send(address: str, text: str) -> None:
        sent.append((address, text))

    await outbox.deliver_once("telegram", send, lambda error: ("failed", 0.0), owner="test")
    assert sent == [("tg-7", handoff_repo.TOLD["expired"]["en"])]
    with session_factory.begin() as session:
        assert [session.get(Handoff, i).state for i in ids] == ["expired", "waiting"]
