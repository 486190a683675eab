"""`make purge`: old conversations, conversations of residents who asked, expired contact details."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
)

from core import settings
from scripts import purge
from store import category_repo, contact_repo, privacy_repo, reply_repo, suggestion_repo
from store.contact_cipher import unseal
from store.identity import sender_hash
from store.models import DeletionRequest, HeldContact, Suggestion

NOW = datetime.now(UTC)


def days_ago(days: float) -> float:
    return (NOW - timedelta(days=days)).timestamp()


@pytest.fixture
def tracker(tmp_path, monkeypatch, database_url):
    """A tracker store with Rasa's `events` table, as the SQL tracker store makes it."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(url)
    metadata = MetaData()
    events = Table(
        "events", metadata, Column("id", Integer, primary_key=True), Column("sender_id", String(255)),
        Column("type_name", String(255)), Column("timestamp", Float), Column("data", Text),
    )  # fmt: skip
    metadata.create_all(engine)
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    settings.get_settings.cache_clear()
    yield engine, events
    engine.dispose()


def test_purge_removes_old_and_requested_conversations_and_expired_contacts(
    tracker, session_factory, capsys
):
    engine, events = tracker
    with engine.begin() as connection:
        connection.execute(insert(events), [
            {"sender_id": "tg-1", "type_name": "user", "timestamp": days_ago(181), "data": "old"},
            {"sender_id": "tg-1", "type_name": "user", "timestamp": days_ago(1), "data": "recent"},
            {"sender_id": "tg-2", "type_name": "user", "timestamp": days_ago(1), "data": "asked"},
            {"sender_id": "web-x", "type_name": "user", "timestamp": days_ago(2), "data": "kept"},
        ])  # fmt: skip
    with session_factory.begin() as session:
        category_repo.import_categories(session)
        privacy_repo.delete_personal_data(session, sender_hash=sender_hash("telegram", "tg-2"))
        for draft, closed_days, created_days in (
            ("closed", 181, 200),
            ("open", None, 181),
            ("new", None, 10),
        ):
            saved, _ = suggestion_repo.create_suggestion(session, suggestion_repo.NewSuggestion(
                draft_id=draft, text="建议增设路灯", category_key="other", channel="telegram",
                sender_hash="h", reply_address=f"tg-{draft}", wants_reply=True, contact_phone="13812345678",
            ))  # fmt: skip
            saved.created_at = NOW - timedelta(days=created_days)
            if closed_days:
                reply_repo.publish_reply(session, saved, text="好", by="clerk", close_as="answered")
                saved.closed_at = NOW - timedelta(days=closed_days)
        stale = contact_repo.hold(session, "h-stale", "13900000001")
        contact_repo.hold(session, "h-fresh", "13900000002")
        session.get(HeldContact, stale).created_at = NOW - contact_repo.HOLD - timedelta(minutes=1)

    assert purge.main() == 0
    assert (
        "cleared on 2 suggestions, 1 held numbers deleted, 2 conversation events deleted"
        in capsys.readouterr().out
    )
    with engine.begin() as connection:
        assert sorted(connection.execute(select(events.c.data)).scalars()) == ["kept", "recent"]
    with session_factory.begin() as session:
        phones = {
            s.draft_id: unseal(s.contact_phone_sealed) for s in session.scalars(select(Suggestion))
        }
        assert phones == {"closed": None, "open": None, "new": "13812345678"}
        assert session.scalars(select(HeldContact.sender_hash)).all() == ["h-fresh"]
        (request,) = session.scalars(select(DeletionRequest))
        assert request.conversations_purged_at is not None

    assert purge.main() == 0  # a second run finds nothing more
    assert (
        "cleared on 0 suggestions, 0 held numbers deleted, 0 conversation events deleted"
        in capsys.readouterr().out
    )


def test_a_tracker_store_rasa_has_not_made_yet_has_nothing_to_purge(
    tmp_path, monkeypatch, session_factory, capsys
):
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    settings.get_settings.cache_clear()
    assert purge.main() == 0
    assert "0 conversation events deleted" in capsys.readouterr().out


@pytest.mark.parametrize("broken", ["not a database", "unreachable"])
def test_a_tracker_store_that_cannot_be_read_fails_the_run(
    broken, tmp_path, monkeypatch, session_factory, capsys, caplog
):
    if broken == "not a database":
        (tmp_path / "tracker.db").write_bytes(b"this is no SQLite file " * 100)
        url = f"sqlite:///{tmp_path / 'tracker.db'}"
    else:  # nothing listens on port 9 of the loopback
        url = "postgresql+psycopg://rasa:secret@127.0.0.1:9/tracker?connect_timeout=3"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    settings.get_settings.cache_clear()
    with session_factory.begin() as session:
        privacy_repo.delete_personal_data(session, sender_hash=sender_hash("telegram", "tg-2"))

    assert purge.main() == 1
    assert "purge:" not in capsys.readouterr().out  # no count of what was not done
    (line,) = [r for r in caplog.records if r.name == "scripts.purge"]
    assert line.levelname == "ERROR" and "retention not applied" in line.getMessage()
    assert "tracker" in line.getMessage() and "secret" not in line.getMessage()
    with session_factory.begin() as session:  # the request waits for the next run
        (request,) = session.scalars(select(DeletionRequest))
        assert request.conversations_purged_at is None
