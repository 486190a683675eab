"""The dashboard's figures: Shanghai days at the midnight boundary, turns by topic, channel and
outcome, suggestions by status, category and place, the median time to a closing reply and the
overdue count. Run on PostgreSQL too: DATABASE_URL=postgresql+psycopg://… pytest …"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from store import category_repo, dashboard_repo, reply_repo, suggestion_repo
from store.models import ConversationTurn

TODAY = date(2026, 11, 30)
NEW = suggestion_repo.NewSuggestion


@pytest.fixture
def session(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
        yield session


def turn(session, at: datetime, *, topic="elevator", channel="webchat", outcome="answered"):
    session.add(ConversationTurn(at=at, sender_hash="h", channel=channel, language="zh",
                                 intent=f"{topic}_x", topic=topic, outcome=outcome))  # fmt: skip


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def suggestion(session, n: int, *, created: datetime, **fields):
    values = {"draft_id": f"d{n}", "text": f"建议{n}", "category_key": "other",
              "channel": "webchat", "sender_hash": f"h{n}", "reply_address": None}  # fmt: skip
    made = suggestion_repo.create_suggestion(session, NEW(**values))[0]
    made.created_at = created
    for name, value in fields.items():
        setattr(made, name, value)
    session.flush()
    return made


def close(session, made, *, replied: datetime, closed: datetime | None = None):
    reply_repo.publish_reply(session, made, text="已处理", by="wang", close_as="answered")
    made.replies[-1].published_at = replied
    made.closed_at = closed or replied
    session.flush()


def test_a_turn_belongs_to_the_shanghai_date_it_was_made_on_at_midnight(session):
    turn(session, utc(2026, 11, 23, 15, 59, 59))  # 23 Nov 23:59:59 in Shanghai: outside 7 days
    turn(session, utc(2026, 11, 23, 16, 0, 0))  # 24 Nov 00:00 in Shanghai: the first day
    turn(session, utc(2026, 11, 29, 15, 59, 59))  # 29 Nov 23:59:59
    turn(session, utc(2026, 11, 29, 16, 0, 0))  # 30 Nov 00:00
    turn(session, utc(2026, 11, 30, 15, 59, 59))  # 30 Nov 23:59:59
    turn(session, utc(2026, 11, 30, 16, 0, 0))  # 1 Dec: after today
    session.flush()

    found = dashboard_repo.conversations(session, days=7, today=TODAY)

    assert found.days == [f"2026-11-{d}" for d in range(24, 31)]
    assert found.by_topic == {"elevator": [1, 0, 0, 0, 0, 1, 2]}
    assert found.total == 4


def test_turns_are_counted_by_topic_channel_and_outcome(session):
    noon = utc(2026, 11, 30, 4)
    for topic, channel, outcome, n in (("elevator", "webchat", "answered", 3),
                                       ("eldercare", "telegram", "answered", 2),
                                       ("eldercare", "webchat", "fallback", 1),
                                       ("", "rest", "handoff", 1)):  # fmt: skip
        for _ in range(n):
            turn(session, noon, topic=topic, channel=channel, outcome=outcome)
    turn(session, noon - timedelta(days=1), topic="employment", channel="telegram")
    session.flush()

    found = dashboard_repo.conversations(session, days=30, today=TODAY)

    assert len(found.days) == 30 and found.days[-1] == "2026-11-30"
    assert found.by_topic["elevator"][-1] == 3
    assert found.by_topic["eldercare"][-1] == 3
    assert found.by_topic["employment"][-2:] == [1, 0]
    assert found.by_topic[""][-1] == 1
    assert list(found.by_topic)[:2] == ["eldercare", "elevator"]  # biggest first, then by name
    assert found.by_channel["webchat"][-1] == 4 and found.by_channel["telegram"][-2:] == [1, 2]
    assert found.outcomes == {"answered": 6, "fallback": 1, "handoff": 1}
    assert (
        dashboard_repo.conversations(session, days=7, today=TODAY - timedelta(days=30)).total == 0
    )


def test_suggestions_by_status_category_and_the_reports_places(session):
    now = utc(2026, 11, 30, 2)
    suggestion(session, 1, created=now, location_std="延川路", category_key="elevator")
    suggestion(session, 2, created=now, location_std="延川路", status="in_review")
    suggestion(session, 3, created=now, location_std="金沙江路")
    suggestion(session, 4, created=now, location_std="别的路")  # not in the report
    suggestion(session, 5, created=now)  # no place
    suggestion(session, 6, created=now - timedelta(days=40), location_std="延川路")  # too old

    found = dashboard_repo.suggestions(session, days=30, today=TODAY)

    assert found.by_status == {"received": 4, "in_review": 1}
    assert found.by_category == {"elevator": 1, "other": 4}
    assert found.total == 5
    assert found.category_names["elevator"][0]
    assert found.places[:2] == [("延川路", "road", 2), ("金沙江路", "road", 1)]
    assert found.places[-1] == (dashboard_repo.OTHER_PLACE, "", 2)
    named = {name for name, _kind, _n in found.places[:-1]}
    assert named == {name for name, _kind in dashboard_repo.report_places()}  # zeros listed too
    assert ("申汉小区", "estate", 0) in found.places


def test_the_median_time_to_a_closing_reply(session):
    start = utc(2026, 11, 20, 1)
    for n, hours in enumerate((2, 30, 10), start=1):
        close(
            session, suggestion(session, n, created=start), replied=start + timedelta(hours=hours)
        )
    # closed long ago: outside the window
    old = utc(2026, 9, 1)
    close(session, suggestion(session, 4, created=old), replied=old + timedelta(hours=1))
    # a reply published after the closing one does not move the time to close
    late = suggestion(session, 5, created=start)
    close(session, late, replied=start + timedelta(hours=4))
    reply_repo.publish_reply(session, late, text="补充", by="wang")
    late.replies[-1].published_at = start + timedelta(hours=100)
    session.flush()

    median, closed = dashboard_repo.median_closing_seconds(
        session, since=dashboard_repo.window(30, today=TODAY)[0]
    )
    assert closed == 4
    assert median == pytest.approx((4 + 10) / 2 * 3600, abs=1)  # 2, 4, 10, 30 hours

    assert dashboard_repo.median_closing_seconds(session, since=utc(2026, 11, 29)) == (None, 0)


def test_the_overdue_count_is_the_queues(session):
    due_past = suggestion_repo.shanghai_today() - timedelta(days=1)
    now = datetime.now(UTC)
    suggestion(session, 1, created=now, answer_due=due_past)
    suggestion(session, 2, created=now, answer_due=due_past, status="in_review")
    closed = suggestion(session, 3, created=now, answer_due=due_past)
    close(session, closed, replied=now)
    suggestion(session, 4, created=now)  # not yet due

    assert dashboard_repo.overdue_count(session) == 2
    assert dashboard_repo.suggestions(session, days=7).overdue == 2


def test_the_answered_share_is_over_questions_only():
    found = dashboard_repo.Conversations(
        days=[], by_topic={}, by_channel={},
        outcomes={"answered": 2, "fallback": 1, "conversation": 5, "suggestion": 3, "rating": 1},
    )  # fmt: skip
    assert found.total == 12 and found.questions == 3
    assert found.answered_share == 2 / 3
    assert dashboard_repo.Conversations([], {}, {}, {"conversation": 4}).answered_share is None
