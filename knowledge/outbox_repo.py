"""The outbox: staff replies waiting for the channel layer, with their delivery states."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import OutboxMessage, utcnow

STATES = ("pending", "sent", "failed", "uncertain")


def pending(
    session: Session, *, channel: str, address: str | None = None, limit: int = 50
) -> list[OutboxMessage]:
    """Messages still to deliver on `channel` (optionally to one address), oldest first."""
    query = select(OutboxMessage).where(
        OutboxMessage.channel == channel, OutboxMessage.state == "pending"
    )
    if address is not None:
        query = query.where(OutboxMessage.address == address)
    return list(session.scalars(query.order_by(OutboxMessage.id).limit(limit)))


def mark(session: Session, message_id: int, *, state: str, error: str = "") -> None:
    """Record a delivery attempt's outcome."""
    if state not in STATES:
        raise ValueError(state)
    message = session.get(OutboxMessage, message_id)
    message.state = state
    message.attempts += 1
    message.last_error = error[:500]
    if state == "sent":
        message.sent_at = utcnow()


def by_state(session: Session, *, state: str) -> list[OutboxMessage]:
    """Messages in one state (staff check the uncertain ones)."""
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.state == state).order_by(OutboxMessage.id)
        )
    )
