"""How often a resident does something: counted events within a window, and recent suggestions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import RateEvent, Suggestion, utcnow


def hit(session: Session, *, sender_hash: str, kind: str, limit: int, window: timedelta) -> bool:
    """Count one event; False when the sender already reached `limit` within `window`."""
    since = utcnow() - window
    count = session.scalar(
        select(func.count())
        .select_from(RateEvent)
        .where(RateEvent.sender_hash == sender_hash, RateEvent.kind == kind, RateEvent.at >= since)
    )
    if count >= limit:
        return False
    session.add(RateEvent(sender_hash=sender_hash, kind=kind))
    return True


def count_recent(session: Session, *, sender_hash: str, hours: int = 1) -> int:
    """How many suggestions the sender stored in the last `hours`."""
    since = utcnow() - timedelta(hours=hours)
    return session.scalar(
        select(func.count())
        .select_from(Suggestion)
        .where(Suggestion.sender_hash == sender_hash, Suggestion.created_at >= since)
    )
