"""analytics_repo: one row per turn (the actions of one turn share it), ratings one per answer."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.settings import get_settings
from knowledge import faq_repo, faq_sync
from knowledge.entries_io import load_entries
from store import analytics_repo
from store.models import AnswerRating, ConversationTurn


@pytest.fixture
def imported(session_factory):
    with session_factory.begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
    return session_factory


def turn(session, *, who="r1", key=None, outcome="answered", entry="elevator_progress", text=None):
    return analytics_repo.record_turn(
        session, sender_hash=who, channel="rest", language="zh", intent=entry or "greet",
        confidence=0.9, outcome=outcome, entry_id=entry, masked_text=text, turn_key=key,
    )  # fmt: skip


def count(session, model=ConversationTurn) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_the_actions_of_one_turn_write_one_row_the_last_outcome_wins(session_factory):
    with session_factory.begin() as session:
        turn(session, key="m1", outcome="suggestion", entry=None)
    with session_factory.begin() as session:
        turn(session, key="m1", outcome="handoff", entry=None, text="我家在[地址]")
        turn(session, key="m2", outcome="conversation", entry=None)
        turn(session, who="r2", key="m1", outcome="conversation", entry=None)  # another resident
    with session_factory.begin() as session:
        assert count(session) == 3
        row = session.scalars(select(ConversationTurn).where(ConversationTurn.turn_key == "m1",
                                                             ConversationTurn.sender_hash == "r1")).one()  # fmt: skip
        assert (row.outcome, row.masked_text) == ("handoff", "我家在[地址]")


def test_only_unanswered_turns_keep_their_masked_text(session_factory):
    with session_factory.begin() as session:
        for outcome in analytics_repo.OUTCOMES:
            turn(session, key=outcome, outcome=outcome, entry=None, text="masked")
    with session_factory.begin() as session:
        kept = {t.outcome: t.masked_text for t in session.scalars(select(ConversationTurn))}
        assert kept == {o: "masked" if o in ("fallback", "handoff") else None
                        for o in analytics_repo.OUTCOMES}  # fmt: skip
        assert {t.outcome for t in analytics_repo.unanswered(session)} == {"fallback", "handoff"}
    with session_factory.begin() as session, pytest.raises(ValueError):
        turn(session, outcome="shrug")


def test_a_second_rating_changes_the_first_and_only_the_residents_own(imported):
    with imported.begin() as session:
        mine, other = turn(session, key="a"), turn(session, who="r2", key="b")
        session.flush()
        mine_id, other_id = mine.id, other.id
    with imported.begin() as session:
        assert analytics_repo.rate_answer(session, sender_hash="r1", rating="up", turn_id=mine_id)
        assert analytics_repo.rate_answer(session, sender_hash="r1", rating="down", turn_id=other_id) is None  # fmt: skip
    with imported.begin() as session:
        analytics_repo.rate_answer(session, sender_hash="r1", rating="down", turn_id=mine_id)
    with imported.begin() as session:
        assert count(session, AnswerRating) == 1
        assert analytics_repo.rating_of(session, turn_id=mine_id) == "down"
        assert analytics_repo.rating_of(session, turn_id=other_id) is None


def test_without_a_turn_the_latest_answer_is_rated_never_a_social_turn(imported):
    with imported.begin() as session:
        first = turn(session, key="a", entry="elevator_progress")
        last = turn(session, key="b", entry="hotline_contact")
        turn(session, key="c", outcome="conversation", entry=None)
        session.flush()
        first_id, last_id = first.id, last.id
    with imported.begin() as session:
        rated = analytics_repo.rate_answer(session, sender_hash="r1", rating="up")
        assert rated.id == last_id
        assert analytics_repo.rate_answer(session, sender_hash="nobody", rating="up") is None
    with imported.begin() as session:
        assert analytics_repo.rating_of(session, turn_id=first_id) is None
        with pytest.raises(ValueError):
            analytics_repo.rate_answer(session, sender_hash="r1", rating="meh")


def test_without_a_turn_a_rated_latest_answer_keeps_its_rating(imported):
    with imported.begin() as session:
        answered = turn(session, key="a")
        session.flush()
        answered_id = answered.id
        assert analytics_repo.rate_answer(
            session, sender_hash="r1", rating="down", turn_id=answered_id
        )
    with imported.begin() as session:
        assert analytics_repo.rate_answer(session, sender_hash="r1", rating="up") is None
        assert analytics_repo.rating_of(session, turn_id=answered_id) == "down"
        assert analytics_repo.rate_answer(
            session, sender_hash="r1", rating="up", turn_id=answered_id
        )
        assert analytics_repo.rating_of(session, turn_id=answered_id) == "up"


def test_worst_rated_lists_entries_by_their_share_of_thumbs_down(imported):
    votes = {"elevator_progress": ["up", "down", "up", "up"], "hotline_contact": ["down", "down"],
             "eldercare_overview": ["up"], "elevator_cost": ["down", "up"]}  # fmt: skip
    with imported.begin() as session:
        for entry, ratings in votes.items():
            for i, rating in enumerate(ratings):
                row = turn(session, who=f"{entry}-{i}", key="k", entry=entry)
                session.flush()
                analytics_repo.rate_answer(session, sender_hash=row.sender_hash, rating=rating,
                                           turn_id=row.id)  # fmt: skip
    with imported.begin() as session:
        rated = analytics_repo.worst_rated(session)
        order = [r.entry_id for r in rated]
        assert order == ["hotline_contact", "elevator_cost", "elevator_progress", "eldercare_overview"]  # fmt: skip
        first = rated[0]
        assert (first.up, first.down, first.down_share) == (0, 2, 1.0)
        assert first.title == faq_repo.get_by_intent(session, intent="hotline_contact").title_zh
        assert rated[2].down_share == 0.25 and rated[2].last_rated is not None
        assert analytics_repo.worst_rated(session, lang="en")[0].title != first.title
