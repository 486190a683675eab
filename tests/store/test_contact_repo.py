"""Call-back numbers: sealed at rest, held during a suggestion, revealed only with an audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import select, text

from store import (
    casework_repo,
    category_repo,
    contact_cipher,
    contact_repo,
    privacy_repo,
    suggestion_repo,
)
from store.models import AuditEntry, HeldContact, Suggestion, utcnow

PHONE = "13812345678"


def dump(session) -> str:
    """Every row of the suggestion and held_contact tables, as text."""
    rows = [*session.execute(text("SELECT * FROM suggestion")), *session.execute(
        text("SELECT * FROM held_contact"))]  # fmt: skip
    return "\n".join("\t".join(str(value) for value in row) for row in rows)


@pytest.fixture
def categories(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
    return session_factory


def new(draft: str, **fields) -> suggestion_repo.NewSuggestion:
    values = {
        "draft_id": draft, "text": "建议修路灯", "category_key": "other", "channel": "rest",
        "sender_hash": "who", "reply_address": "r-1", "wants_reply": True, **fields,
    }  # fmt: skip
    return suggestion_repo.NewSuggestion(**values)


def test_a_sealed_number_opens_only_with_its_key(monkeypatch):
    sealed = contact_cipher.seal(PHONE)
    assert PHONE not in sealed and contact_cipher.unseal(sealed) == PHONE
    monkeypatch.setenv("CONTACT_KEY", "another key")
    with pytest.raises(InvalidToken):
        contact_cipher.unseal(sealed)


def test_a_consented_number_is_stored_sealed_and_revealed_with_an_audit(categories):
    session_factory = categories
    with session_factory.begin() as session:
        saved, _ = suggestion_repo.create_suggestion(session, new("d1", contact_phone=PHONE))
        assert PHONE not in dump(session)
        assert casework_repo.reveal_phone(session, saved, by="wang") == PHONE
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "reveal_phone")).one()
        assert audit.actor == "wang" and PHONE not in repr(audit.after)


def test_a_held_number_is_taken_once_by_its_resident_and_then_gone(session_factory):
    with session_factory.begin() as session:
        ref = contact_repo.hold(session, "who", PHONE)
        other = contact_repo.hold(session, "who", "13900001111")
        assert PHONE not in dump(session)
        assert contact_repo.take(session, ref, "someone else") is None
    with session_factory.begin() as session:
        ref = contact_repo.hold(session, "who", PHONE)
        assert contact_repo.take(session, ref, "who") == PHONE
        assert contact_repo.held_refs(session, "who") == []  # the other one went too
        assert contact_repo.take(session, other, "who") is None


def test_forget_and_expiry_delete_held_numbers(session_factory):
    with session_factory.begin() as session:
        contact_repo.hold(session, "a", PHONE)
        contact_repo.hold(session, "b", PHONE)
        assert contact_repo.forget(session, "a") == 1
        assert contact_repo.held_refs(session, "a") == []
        old = contact_repo.hold(session, "c", PHONE)
        session.get(HeldContact, old).created_at = utcnow() - contact_repo.HOLD - timedelta(1)
    with session_factory.begin() as session:
        assert contact_repo.take(session, old, "c") is None
        assert contact_repo.purge_expired(session) == 0  # (taken: already gone)
        contact_repo.hold(session, "d", PHONE)
        later = utcnow() + contact_repo.HOLD + timedelta(minutes=1)
        assert contact_repo.purge_expired(session, now=later) == 2  # b's and d's
        assert session.scalars(select(HeldContact)).all() == []


def test_deleting_my_data_forgets_held_numbers_and_clears_the_sealed_one(categories):
    session_factory = categories
    with session_factory.begin() as session:
        suggestion_repo.create_suggestion(session, new("d2", contact_phone=PHONE))
        contact_repo.hold(session, "who", "13900001111")
        privacy_repo.delete_personal_data(session, sender_hash="who")
    with session_factory.begin() as session:
        assert session.scalars(select(HeldContact)).all() == []
        assert session.scalars(select(Suggestion)).one().contact_phone_sealed is None


def test_numbers_stored_in_clear_before_are_sealed_by_the_migration(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from core.settings import ROOT
    from tests.conftest import create_database

    url, drop = create_database(tmp_path)
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "store" / "migrations"))
    config.attributes["url"] = url
    engine = create_engine(url)
    try:
        command.upgrade(config, "0011")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO suggestion_category (key, name_zh, name_en, keywords, active, "
                "sort_order, location_matters) VALUES ('other', '其他', 'Other', '[]', true, 0, true)"
            ))  # fmt: skip
            connection.execute(text(
                "INSERT INTO suggestion (reference, draft_id, text, category_key, language, urgent,"
                " status, wants_reply, channel, contact_phone, created_at, answer_due) VALUES "
                "('JY-1', 'd', '建议', 'other', 'zh', false, 'received', true, 'rest', :phone, "
                "CURRENT_TIMESTAMP, CURRENT_DATE)"
            ), {"phone": PHONE})  # fmt: skip
        command.upgrade(config, "0012")
        with engine.begin() as connection:
            (sealed,) = connection.execute(
                text("SELECT contact_phone_sealed FROM suggestion")
            ).one()
        assert PHONE not in sealed and contact_cipher.unseal(sealed) == PHONE
        command.downgrade(config, "0011")
        with engine.begin() as connection:
            assert (
                connection.execute(text("SELECT contact_phone FROM suggestion")).scalar() == PHONE
            )
    finally:
        engine.dispose()
        drop()
