"""Withdrawing a suggestion, deleting personal data (queued replies too) and the retention purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from store import category_repo, outbox_repo, privacy_repo, reply_repo, suggestion_repo
from store.contact_cipher import unseal
from store.models import OutboxMessage, Suggestion


@pytest.fixture
def categories(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
    return session_factory


def save(session, draft: str, sender: str = "h1", **changes) -> Suggestion:
    values = dict(
        draft_id=draft, text="建议小区增设充电桩", category_key="facilities", channel="telegram",
        sender_hash=sender, reply_address=f"tg-{draft}", wants_reply=True,
        contact_phone="13812345678",
    )  # fmt: skip
    saved, _ = suggestion_repo.create_suggestion(
        session, suggestion_repo.NewSuggestion(**{**values, **changes})
    )
    return saved


def outbox(session) -> list[tuple[str, str]]:
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return [(m.state, m.address) for m in rows]


def test_a_resident_withdraws_an_open_suggestion_of_their_own(categories):
    with categories.begin() as session:
        saved = save(session, "a")
        reply_repo.publish_reply(session, saved, text="正在研究", by="clerk")  # queued
        outcome, _ = privacy_repo.withdraw(session, reference=saved.reference, sender_hash="h1")
        assert outcome == "withdrawn"
    with categories.begin() as session:
        saved = suggestion_repo.get_by_reference(session, reference=saved.reference)
        assert saved.status == "withdrawn" and saved.closed_at is not None
        assert (unseal(saved.contact_phone_sealed), saved.reply_address, saved.wants_reply) == (
            None,
            None,
            False,
        )
        assert saved.text == "建议小区增设充电桩"  # staff still see what it was
        assert [(h.to_status, h.changed_by) for h in saved.history][-1] == ("withdrawn", "resident")
        assert [
            s.reference for s in suggestion_repo.list_suggestions(session, status="withdrawn")
        ] == [saved.reference]
        assert outbox(session) == [("failed", "")]  # the queued reply is never delivered
        assert not suggestion_repo.is_overdue(saved)
        again, _ = privacy_repo.withdraw(session, reference=saved.reference, sender_hash="h1")
        assert again == "already"


def test_another_residents_or_a_closed_suggestion_cannot_be_withdrawn(categories):
    with categories.begin() as session:
        theirs, closed = save(session, "t", sender="h2"), save(session, "c")
        reply_repo.publish_reply(session, closed, text="已修好", by="clerk", close_as="answered")
        assert privacy_repo.withdraw(session, reference=theirs.reference, sender_hash="h1") == (
            "not_yours",
            None,
        )
        assert (
            privacy_repo.withdraw(session, reference=closed.reference, sender_hash="h1")[0]
            == "closed"
        )
        unknown = privacy_repo.withdraw(session, reference="JY-20260101-ABCD-2", sender_hash="h1")
        assert unknown == ("unknown", None)
        assert theirs.status == "received" and unseal(theirs.contact_phone_sealed) == "13812345678"
        assert closed.status == "answered"


def test_staff_cannot_set_withdrawn(categories):
    with categories.begin() as session:
        saved = save(session, "s")
        with pytest.raises(ValueError):
            reply_repo.change_status(session, saved, status="withdrawn", by="clerk")


def test_deleting_my_data_also_clears_queued_reply_addresses(categories):
    with categories.begin() as session:
        mine, other = save(session, "m"), save(session, "o", sender="h2")
        for s in (mine, other):
            reply_repo.publish_reply(session, s, text="收到", by="clerk")
        assert privacy_repo.delete_personal_data(session, sender_hash="h1") == 1
    with categories.begin() as session:
        assert outbox(session) == [("failed", ""), ("pending", "tg-o")]
        assert (
            outbox_repo.claim(session, channel="telegram", owner="b", lease_seconds=60).address
            == "tg-o"
        )


def test_contact_details_expire_after_closing_and_after_retention_when_never_closed(categories):
    now = datetime.now(UTC)
    with categories.begin() as session:
        closed_long_ago, closed_recently = save(session, "cl"), save(session, "cr")
        open_old, open_new = save(session, "oo"), save(session, "on")
        for s in (closed_long_ago, closed_recently):
            reply_repo.publish_reply(session, s, text="好", by="clerk", close_as="answered")
        reply_repo.publish_reply(session, open_old, text="还在研究", by="clerk")
        closed_long_ago.closed_at = now - timedelta(days=181)
        closed_long_ago.created_at = closed_recently.created_at = now - timedelta(days=400)
        open_old.created_at = now - timedelta(days=181)
        open_new.created_at = now - timedelta(days=179)
    with categories.begin() as session:
        assert privacy_repo.purge_expired(session, now=now) == 2
    with categories.begin() as session:
        phones = {
            s.draft_id: (unseal(s.contact_phone_sealed), s.reply_address)
            for s in session.scalars(select(Suggestion))
        }
        assert phones == {
            "cl": (None, None), "oo": (None, None),
            "cr": ("13812345678", "tg-cr"), "on": ("13812345678", "tg-on"),
        }  # fmt: skip
        queued = session.scalars(
            select(OutboxMessage).where(OutboxMessage.suggestion_id == open_old.id)
        ).one()
        assert (queued.state, queued.address) == ("failed", "")
