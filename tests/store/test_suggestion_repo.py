"""Suggestions: stored once per draft, statuses audited, replies queued, personal data removable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from language.reference import is_valid
from store import category_repo, privacy_repo, rate_repo, reply_repo, suggestion_repo
from store.contact_cipher import unseal
from store.models import DeletionRequest, OutboxMessage, Suggestion


@pytest.fixture
def categories(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
    return session_factory


def new(draft: str = "d1", **changes) -> suggestion_repo.NewSuggestion:
    values = dict(
        draft_id=draft, text="建议小区增设充电桩", category_key="facilities", channel="rest",
        sender_hash="h1", reply_address="resident-1", wants_reply=True,
    )  # fmt: skip
    return suggestion_repo.NewSuggestion(**{**values, **changes})


def test_category_import_keeps_staff_edits(categories):
    with categories.begin() as session:
        category = session.get(suggestion_repo.SuggestionCategory, "traffic")
        category.name_zh = "交通"
    with categories.begin() as session:
        assert category_repo.import_categories(session) == 0
        assert session.get(suggestion_repo.SuggestionCategory, "traffic").name_zh == "交通"


def test_create_gives_a_valid_reference_due_date_and_history(categories):
    with categories.begin() as session:
        saved, created = suggestion_repo.create_suggestion(session, new())
        assert created and is_valid(saved.reference)
        assert saved.topic == "community" and saved.status == "received"
        assert saved.answer_due == suggestion_repo.shanghai_today() + timedelta(days=15)
        assert [h.to_status for h in saved.history] == ["received"]


def test_confirming_twice_stores_once(categories):
    with categories.begin() as session:
        first, _ = suggestion_repo.create_suggestion(session, new("same"))
    with categories.begin() as session:
        again, created = suggestion_repo.create_suggestion(session, new("same"))
        assert not created and again.reference == first.reference
        assert session.scalar(select(func.count()).select_from(Suggestion)) == 1


def test_contact_is_kept_only_with_consent(categories):
    with categories.begin() as session:
        anonymous, _ = suggestion_repo.create_suggestion(
            session, new("a", wants_reply=False, contact_phone="13812345678")
        )
        assert anonymous.contact_phone_sealed is None and anonymous.reply_address is None
        consented, _ = suggestion_repo.create_suggestion(
            session, new("b", contact_phone="13812345678")
        )
        assert (
            unseal(consented.contact_phone_sealed) == "13812345678" and consented.contact_consent_at
        )


def test_closing_needs_a_published_reply_and_every_change_is_audited(categories):
    with categories.begin() as session:
        saved, _ = suggestion_repo.create_suggestion(session, new())
        with pytest.raises(ValueError):
            reply_repo.change_status(session, saved, status="answered", by="clerk")
        reply_repo.change_status(session, saved, status="in_review", by="clerk", note="看过")
        reply_repo.publish_reply(
            session, saved, text="已安排安装。", by="clerk", close_as="adopted"
        )
        assert saved.status == "adopted" and saved.closed_at is not None
        assert [(h.to_status, h.changed_by) for h in saved.history] == [
            ("received", "resident"),
            ("in_review", "clerk"),
            ("adopted", "clerk"),
        ]


def test_a_reply_queues_one_outbox_message_only_when_wanted(categories):
    with categories.begin() as session:
        wanted, _ = suggestion_repo.create_suggestion(session, new("w"))
        silent, _ = suggestion_repo.create_suggestion(session, new("s", wants_reply=False))
        reply_repo.publish_reply(session, wanted, text="收到", by="clerk")
        reply_repo.publish_reply(session, silent, text="收到", by="clerk")
    with categories.begin() as session:
        outbox = list(session.scalars(select(OutboxMessage)))
        assert (
            len(outbox) == 1 and outbox[0].address == "resident-1" and outbox[0].state == "pending"
        )
        assert wanted.reference in outbox[0].text and "收到" in outbox[0].text


def test_delete_personal_data(categories):
    with categories.begin() as session:
        saved, _ = suggestion_repo.create_suggestion(session, new(contact_phone="13812345678"))
        assert privacy_repo.delete_personal_data(session, sender_hash="h1") == 1
        assert (unseal(saved.contact_phone_sealed), saved.reply_address, saved.sender_hash) == (
            None,
            None,
            None,
        )
        assert saved.text == "建议小区增设充电桩"
        assert session.scalar(select(func.count()).select_from(DeletionRequest)) == 1


def test_purge_clears_contact_after_retention_only(categories):
    with categories.begin() as session:
        old, _ = suggestion_repo.create_suggestion(session, new("old", contact_phone="13812345678"))
        recent, _ = suggestion_repo.create_suggestion(
            session, new("new", contact_phone="13912345678")
        )
        for s in (old, recent):
            reply_repo.publish_reply(session, s, text="好", by="clerk", close_as="answered")
        old.closed_at = datetime.now(UTC) - timedelta(days=181)
    with categories.begin() as session:
        assert privacy_repo.purge_expired(session) == 1
    with categories.begin() as session:
        rows = {s.draft_id: s for s in session.scalars(select(Suggestion))}
        assert (
            rows["old"].contact_phone_sealed is None
            and unseal(rows["new"].contact_phone_sealed) == "13912345678"
        )


def test_rate_limit(categories):
    with categories.begin() as session:
        results = [
            rate_repo.hit(
                session, sender_hash="h", kind="lookup", limit=3, window=timedelta(minutes=10)
            )
            for _ in range(5)
        ]
    assert results == [True, True, True, False, False]


def test_overdue_listing(categories):
    with categories.begin() as session:
        saved, _ = suggestion_repo.create_suggestion(session, new())
        saved.answer_due = suggestion_repo.shanghai_today() - timedelta(days=1)
    with categories.begin() as session:
        overdue = suggestion_repo.list_suggestions(session, overdue=True)
        assert [s.draft_id for s in overdue] == ["d1"] and suggestion_repo.is_overdue(overdue[0])
