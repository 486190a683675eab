"""Retention: clear expired contact details (closed, or never closed, for RETENTION_DAYS) and old conversations.

Rasa's tracker store keeps raw conversations; they get the same retention (RETENTION_DAYS), and
the conversations of residents who asked for deletion go at once. `make purge`; `make run` also
runs it daily.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import MetaData, Table, delete, select

from knowledge import suggestion_repo
from knowledge.db import get_sessionmaker, make_engine
from knowledge.identity import sender_hash
from knowledge.models import DeletionRequest
from knowledge.settings import get_settings


def purge_conversations(cutoff: datetime, forget: set[str]) -> int:
    """Delete tracker events older than `cutoff`, and every event of residents in `forget`."""
    engine = make_engine(get_settings().tracker_database_url)
    try:
        metadata = MetaData()
        metadata.reflect(engine, only=["events"])
    except Exception:  # no tracker store yet
        engine.dispose()
        return 0
    events = Table("events", metadata)
    removed = 0
    with engine.begin() as connection:
        removed += connection.execute(
            delete(events).where(events.c.timestamp < cutoff.timestamp())
        ).rowcount
        senders = connection.execute(select(events.c.sender_id).distinct()).scalars()
        gone = [
            s
            for s in senders
            if any(sender_hash(c, s) in forget for c in ("rest", "telegram", "webchat"))
        ]
        if gone:
            removed += connection.execute(
                delete(events).where(events.c.sender_id.in_(gone))
            ).rowcount
    engine.dispose()
    return removed


def main() -> int:
    """One purge run; prints what it removed."""
    now = datetime.now(UTC)
    with get_sessionmaker().begin() as session:
        cleared = suggestion_repo.purge_expired(session, now=now)
        requests = list(
            session.scalars(
                select(DeletionRequest).where(DeletionRequest.conversations_purged_at.is_(None))
            )
        )
        forget = {r.sender_hash for r in requests}
    events = purge_conversations(now - timedelta(days=get_settings().retention_days), forget)
    with get_sessionmaker().begin() as session:
        for request in session.scalars(
            select(DeletionRequest).where(DeletionRequest.sender_hash.in_(forget))
        ):
            request.conversations_purged_at = now
    print(
        f"purge: contact details cleared on {cleared} suggestions, {events} conversation events deleted"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
