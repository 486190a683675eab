"""Dates a resident sees are Shanghai dates: a number dated the 30th is submitted on the 30th."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from actions.suggestion_status import describe
from store import category_repo, reply_repo, suggestion_repo
from store.models import Suggestion, SuggestionStatusChange

LATE_EVENING_UTC = datetime(2026, 11, 29, 17, 30, tzinfo=UTC)  # 2026-11-30 01:30 in Shanghai


def test_submitted_and_status_dates_are_shanghai_dates(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
        saved, _ = suggestion_repo.create_suggestion(
            session,
            suggestion_repo.NewSuggestion(
                draft_id="d1", text="建议小区增设充电桩", category_key="facilities",
                channel="rest", sender_hash="h1", reply_address="r1",
            ),
        )  # fmt: skip
        saved.reference = "JY-20261130-AB3K-7"
        saved.created_at = LATE_EVENING_UTC
        reply_repo.change_status(session, saved, status="in_review", by="clerk")
        session.flush()
        for change in saved.history:
            change.changed_at = LATE_EVENING_UTC
    with session_factory.begin() as session:
        found = session.scalars(select(Suggestion)).one()
        assert all(isinstance(c, SuggestionStatusChange) for c in found.history)
        zh, en = describe(found, "zh", owner=False), describe(found, "en", owner=True)
    assert "2026-11-30提交" in zh and "2026-11-29" not in zh
    assert "(sent 2026-11-30)" in en and "under review (2026-11-30)" in en


def test_shanghai_day_of_aware_moments_and_naive_ones_refused():
    assert str(suggestion_repo.shanghai_day(LATE_EVENING_UTC)) == "2026-11-30"
    with pytest.raises(ValueError, match="naive"):  # a moment without a zone is never guessed
        suggestion_repo.shanghai_day(LATE_EVENING_UTC.replace(tzinfo=None))
