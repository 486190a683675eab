"""The live queue of residents who asked for a person (SQLite, and PostgreSQL when DATABASE_URL
points there): office hours, take, say, end, the time limit, the outbox and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from store import audit_repo, handoff_repo
from store.handoff_repo import Hours
from store.models import Handoff, OutboxMessage, utcnow


def asked(session_factory, sender="web-abc", channel="webchat", language="zh") -> int:
    with session_factory.begin() as session:
        return handoff_repo.request(
            session, sender_id=sender, channel=channel, language=language
        ).id


def outbox(session_factory, sender="web-abc") -> list[str]:
    with session_factory.begin() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.address == sender).order_by(OutboxMessage.id)
        )
        return [row.text for row in rows]


def actions(session_factory, handoff_id: int) -> list[str]:
    with session_factory.begin() as session:
        found, _ = audit_repo.entries(session, object_type="handoff", object_id=str(handoff_id))
        return [entry.action for entry in reversed(found)]


def test_office_hours_are_read_in_shanghai():
    hours = Hours.parse("1-5 09:00-17:00")
    monday_10_shanghai = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
    assert hours.open_at(monday_10_shanghai)
    assert not hours.open_at(monday_10_shanghai + timedelta(hours=8))  # 18:00
    friday_evening = datetime(2026, 12, 11, 10, 0, tzinfo=UTC)  # Friday 18:00 in Shanghai
    opening = hours.next_opening(friday_evening)
    assert (opening.isoweekday(), opening.hour, opening.day) == (1, 9, 14)
    assert Hours.parse("1-7 00:00-24:00").open_at(friday_evening)
    for wrong in ("9-17", "5-1 09:00-17:00", "1-5 18:00-09:00", "1-5 25:00-26:00"):
        with pytest.raises(ValueError):
            Hours.parse(wrong)


def test_the_admins_hours_override_the_environments_and_are_audited(session_factory):
    with session_factory.begin() as session:
        assert handoff_repo.hours(session) == Hours.parse("1-5 09:00-17:00")
        handoff_repo.set_hours(session, "1-6 08:30-20:00", by="admin")
    with session_factory.begin() as session:
        assert handoff_repo.hours(session) == Hours.parse("1-6 08:30-20:00")
        with pytest.raises(ValueError):
            handoff_repo.set_hours(session, "whenever", by="admin")
        entries, _ = audit_repo.entries(session, object_id="handoff_hours")
        assert entries[0].after == {"value": "1-6 08:30-20:00"}


def test_a_request_waits_once_and_a_taken_conversation_pauses_the_assistant(session_factory):
    first = asked(session_factory)
    assert asked(session_factory) == first  # asking again keeps the place
    with session_factory.begin() as session:
        assert [h.id for h in handoff_repo.queue(session)] == [first]
        assert not handoff_repo.paused(session, "web-abc")
        handoff_repo.take(session, first, by="clerk")
    with session_factory.begin() as session:
        assert handoff_repo.paused(session, "web-abc")
        with pytest.raises(ValueError):
            handoff_repo.take(session, first, by="other")  # taken already
    assert outbox(session_factory) == [handoff_repo.TOLD["taken"]["zh"]]


def test_only_the_taker_writes_and_the_messages_go_through_the_outbox(session_factory):
    handoff_id = asked(session_factory, sender="tg-42", channel="telegram", language="en")
    with session_factory.begin() as session:
        handoff_repo.take(session, handoff_id, by="clerk")
        handoff_repo.say(session, handoff_id, "  Hello, how can I help?  ", by="clerk")
        with pytest.raises(ValueError):
            handoff_repo.say(session, handoff_id, "me too", by="other")
        with pytest.raises(ValueError):
            handoff_repo.say(session, handoff_id, "   ", by="clerk")
    with session_factory.begin() as session:
        handoff = session.get(Handoff, handoff_id)
        sent = handoff_repo.said(session, handoff)
        assert [(m.channel, m.address) for m in sent] == [("telegram", "tg-42")] * 2
        assert [m.text for m in sent] == [
            handoff_repo.TOLD["taken"]["en"],
            "Hello, how can I help?",
        ]


def test_ending_resumes_tells_the_resident_and_everything_is_audited(session_factory):
    handoff_id = asked(session_factory)
    with session_factory.begin() as session:
        with pytest.raises(ValueError):
            handoff_repo.end(session, handoff_id, by="clerk")  # not taken yet
        handoff_repo.take(session, handoff_id, by="clerk")
        handoff_repo.say(session, handoff_id, "您好", by="clerk")
        handoff_repo.end(session, handoff_id, by="clerk")
    with session_factory.begin() as session:
        handoff = session.get(Handoff, handoff_id)
        assert (handoff.state, handoff.closed_by) == ("ended", "clerk")
        assert not handoff_repo.paused(session, "web-abc") and not handoff_repo.queue(session)
    assert outbox(session_factory)[-1] == handoff_repo.TOLD["ended"]["zh"]
    assert actions(session_factory, handoff_id) == [
        "handoff_request", "handoff_take", "handoff_say", "handoff_end"
    ]  # fmt: skip


def test_an_unanswered_request_falls_back_with_an_apology_after_the_time_limit(session_factory):
    late, taken = asked(session_factory, sender="web-late"), asked(session_factory, sender="web-b")
    with session_factory.begin() as session:
        handoff_repo.take(session, taken, by="clerk")
    with session_factory.begin() as session:
        assert handoff_repo.expire(session, now=utcnow() + timedelta(minutes=4)) == []
    with session_factory.begin() as session:
        expired = handoff_repo.expire(session, now=utcnow() + timedelta(minutes=6))
        assert [h.id for h in expired] == [late]
    with session_factory.begin() as session:
        assert session.get(Handoff, late).state == "expired"
        assert session.get(Handoff, taken).state == "active"  # a taken one never expires
    assert outbox(session_factory, "web-late") == [handoff_repo.TOLD["expired"]["zh"]]
    assert actions(session_factory, late)[-1] == "handoff_expire"
    assert asked(session_factory, sender="web-late") != late  # asking again: a new request
