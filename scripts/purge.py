"""Retention: clear expired contact details (closed, or never closed, for the retention period) and
old conversations.

Rasa's tracker store keeps raw conversations; they get the same retention, and the conversations
of residents who asked for deletion go at once. The retention period is the one admins set in the
console (`settings_repo`; RETENTION_DAYS is only its default). One function per kind of data.
`make purge`; `make run` also runs it daily. A database that cannot be read or written fails the
run (a log line, exit status 1): retention is never skipped in silence.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import MetaData, Table, delete, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from store import contact_repo, settings_repo, suggestion_repo

from core import logs
from store.db import get_sessionmaker, make_engine
from store.identity import sender_hash
from store.models import DeletionRequest
from core.settings import get_settings

logger = logging.getLogger(__name__)
EVENTS = "events"  # Rasa's SQL tracker store's table


def purge_contact_details(now: datetime) -> int:
    """Clear contact details and reply addresses kept past the retention period; how many."""
    with get_sessionmaker().begin() as session:
        return suggestion_repo.purge_expired(session, now=now)


def purge_held_numbers(now: datetime) -> int:
    """Delete call-back numbers held for a suggestion never confirmed (`contact_repo.HOLD`)."""
    with get_sessionmaker().begin() as session:
        return contact_repo.purge_expired(session, now=now)


def purge_conversations(now: datetime) -> int:
    """Delete tracker events older than the retention period, and every event of residents who
    asked for deletion (their requests are then marked done); how many events."""
    with get_sessionmaker().begin() as session:
        cutoff = now - timedelta(days=settings_repo.get_int(session, "retention_days"))
        requests = select(DeletionRequest).where(DeletionRequest.conversations_purged_at.is_(None))
        forget = {r.sender_hash for r in session.scalars(requests)}
    removed = delete_events(cutoff, forget)
    with get_sessionmaker().begin() as session:
        for request in session.scalars(
            select(DeletionRequest).where(DeletionRequest.sender_hash.in_(forget))
        ):
            request.conversations_purged_at = now
    return removed


def delete_events(cutoff: datetime, forget: set[str]) -> int:
    """Delete the tracker store's events older than `cutoff` and those of residents in `forget`.
    0 when the store has no events table (Rasa has not run yet)."""
    engine = make_engine(get_settings().tracker_database_url)
    try:
        if not inspect(engine).has_table(EVENTS):
            return 0
        events = Table(EVENTS, MetaData(), autoload_with=engine)
        with engine.begin() as connection:
            removed = connection.execute(
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
        return removed
    finally:
        engine.dispose()


def _databases() -> str:
    """The two databases a run uses, passwords hidden."""
    settings = get_settings()
    urls = (settings.database_url, settings.tracker_database_url)
    return " and ".join(make_url(u).render_as_string(hide_password=True) for u in urls)


def main() -> int:
    """One purge run; prints what it removed. Exit status 1 when a database failed."""
    now = datetime.now(UTC)
    try:
        cleared = purge_contact_details(now)
        held = purge_held_numbers(now)
        events = purge_conversations(now)
    except SQLAlchemyError as error:
        logger.error("purge failed, retention not applied (%s): %s", _databases(), error)
        return 1
    print(
        f"purge: contact details cleared on {cleared} suggestions, {held} held numbers deleted, "
        f"{events} conversation events deleted"
    )
    return 0


if __name__ == "__main__":
    logs.configure(get_settings().log_level)
    raise SystemExit(main())
