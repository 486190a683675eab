"""The outbox's claims: one owner per message, in order per resident, uncertain after a lost lease."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from store import outbox_repo
from store.models import OutboxMessage, utcnow


def queue(session_factory, *addresses: str) -> list[int]:
    with session_factory.begin() as session:
        rows = [
            OutboxMessage(channel="telegram", address=a, text=f"reply {i}")
            for i, a in enumerate(addresses)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def claim(session_factory, owner: str = "a", lease: float = 60) -> OutboxMessage | None:
    with session_factory.begin() as session:
        return outbox_repo.claim(session, channel="telegram", owner=owner, lease_seconds=lease)


def state_of(session_factory, message_id: int) -> OutboxMessage:
    with session_factory.begin() as session:
        return session.get(OutboxMessage, message_id)


def test_a_claimed_message_is_sending_and_nobody_else_gets_it(session_factory):
    (only,) = queue(session_factory, "tg-1")
    first = claim(session_factory, "a")
    assert first.id == only and first.state == "sending" and first.claimed_by == "a"
    assert first.lease_until > utcnow() and first.attempts == 1
    assert claim(session_factory, "b") is None
    with session_factory.begin() as session:
        assert outbox_repo.finish(session, only, owner="b", state="sent") is False
        assert outbox_repo.finish(session, only, owner="a", state="sent") is True
    done = state_of(session_factory, only)
    assert done.state == "sent" and done.sent_at is not None


def test_one_residents_replies_go_in_order_others_are_not_held_up(session_factory):
    first, second, other = queue(session_factory, "tg-1", "tg-1", "tg-2")
    assert claim(session_factory, "a").id == first
    assert claim(session_factory, "b").id == other  # tg-1's second waits for its first
    assert claim(session_factory, "b") is None
    with session_factory.begin() as session:
        outbox_repo.finish(session, first, owner="a", state="sent")
    assert claim(session_factory, "b").id == second


def test_concurrent_claims_never_share_a_message(session_factory):
    ids = queue(session_factory, *[f"tg-{i}" for i in range(40)])
    claimed: dict[str, list[int]] = {"a": [], "b": [], "c": []}

    def worker(owner: str) -> None:
        while (message := claim(session_factory, owner)) is not None:
            claimed[owner].append(message.id)

    threads = [threading.Thread(target=worker, args=(owner,)) for owner in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for owned in claimed.values() for i in owned]
    assert sorted(everything) == ids  # each once, none lost


def test_an_expired_lease_becomes_uncertain_and_is_never_claimed_again(session_factory):
    (only,) = queue(session_factory, "tg-1")
    claim(session_factory, "dead-bridge", lease=0.01)
    with session_factory.begin() as session:
        assert (
            outbox_repo.expire_leases(
                session, channel="telegram", now=utcnow() + timedelta(seconds=1)
            )
            == 1
        )
    assert state_of(session_factory, only).state == "uncertain"
    assert claim(session_factory, "b") is None


def test_a_live_lease_is_not_expired(session_factory):
    (only,) = queue(session_factory, "tg-1")
    claim(session_factory, "a", lease=60)
    with session_factory.begin() as session:
        assert outbox_repo.expire_leases(session, channel="telegram") == 0
    assert state_of(session_factory, only).state == "sending"


def test_nothing_sent_gives_the_claim_back(session_factory):
    (only,) = queue(session_factory, "tg-1")
    claim(session_factory, "a")
    with session_factory.begin() as session:
        assert outbox_repo.release(session, only, owner="a", error="429")
    assert claim(session_factory, "b").id == only


def test_staff_resolve_uncertain_messages_as_delivered_or_to_resend(session_factory):
    delivered, resend = queue(session_factory, "tg-1", "tg-2")
    for _ in range(2):
        claim(session_factory, "dead", lease=0.01)
    with session_factory.begin() as session:
        outbox_repo.expire_leases(session, channel="telegram", now=utcnow() + timedelta(seconds=1))
        assert [m.id for m in outbox_repo.uncertain(session)] == [delivered, resend]
        outbox_repo.resolve(session, delivered, delivered=True, by="wang")
        outbox_repo.resolve(session, resend, delivered=False, by="wang")
        with pytest.raises(ValueError):
            outbox_repo.resolve(session, delivered, delivered=False, by="wang")  # not uncertain
    done, again = state_of(session_factory, delivered), state_of(session_factory, resend)
    assert (done.state, done.resolved_by) == ("sent", "wang")
    assert (again.state, again.resolved_by, again.claimed_by) == ("pending", "wang", None)
    assert claim(session_factory, "b").id == resend
    with session_factory.begin() as session:
        assert outbox_repo.finish(session, resend, owner="b", state="sent")


def test_clearing_addresses_stops_queued_messages(session_factory):
    from store import category_repo, reply_repo, suggestion_repo

    with session_factory.begin() as session:
        category_repo.import_categories(session)
        saved, _ = suggestion_repo.create_suggestion(
            session,
            suggestion_repo.NewSuggestion(
                draft_id="d", text="建议增设路灯", category_key="other", channel="telegram",
                sender_hash="h", reply_address="tg-7", wants_reply=True,
            ),
        )  # fmt: skip
        reply_repo.publish_reply(session, saved, text="收到", by="clerk")
        reply_repo.publish_reply(session, saved, text="已处理", by="clerk")
        first = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
        first.state = "sent"
        assert outbox_repo.clear_addresses(session, [saved.id], reason="deleted") == 1
    with session_factory.begin() as session:
        rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        assert [(m.state, m.address) for m in rows] == [("sent", ""), ("failed", "")]
    assert claim(session_factory, "a") is None


def web_queue(session_factory, address: str, count: int) -> list[int]:
    with session_factory.begin() as session:
        rows = [
            OutboxMessage(channel="webchat", address=address, text=f"reply {i}")
            for i in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def web_claim(session_factory, owner: str, now=None, address: str = "web-a") -> list[int]:
    with session_factory.begin() as session:
        claimed = outbox_repo.claim_address(
            session, channel="webchat", address=address, owner=owner, lease_seconds=60, now=now
        )
        return [m.id for m in claimed]


def test_threads_claiming_one_residents_replies_at_once_get_each_once(session_factory):
    expected = web_queue(session_factory, "web-a", 5)
    start = threading.Barrier(8)
    taken: list[list[int]] = []

    def reader(owner: str) -> None:
        start.wait()
        taken.append(web_claim(session_factory, owner))

    threads = [threading.Thread(target=reader, args=(f"r{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(i for ids in taken for i in ids) == expected
    assert [ids for ids in taken if ids] == [expected]  # one reader, in order


def test_a_lapsed_web_chat_claim_is_claimed_again_and_never_made_uncertain(session_factory):
    first, second = web_queue(session_factory, "web-a", 2)
    (other,) = web_queue(session_factory, "web-b", 1)
    assert web_claim(session_factory, "tab1") == [first, second]
    assert web_claim(session_factory, "tab2") == []
    assert web_claim(session_factory, "tab2", address="web-b") == [other]
    later = utcnow() + timedelta(seconds=61)
    with session_factory.begin() as session:  # the Telegram bridge's pass leaves them alone
        assert outbox_repo.expire_leases(session, channel="telegram", now=later) == 0
        assert (
            outbox_repo.finish(session, first, owner="tab1", state="sent", address="web-b") is False
        )
        assert outbox_repo.finish(session, first, owner="tab1", state="sent", address="web-a")
    assert web_claim(session_factory, "tab2", now=later) == [second]
    assert state_of(session_factory, second).attempts == 2
    with session_factory.begin() as session:
        assert outbox_repo.finish(session, second, owner="tab1", state="sent") is False
        assert outbox_repo.finish(session, second, owner="tab2", state="sent")
    assert [state_of(session_factory, i).state for i in (first, second)] == ["sent", "sent"]
