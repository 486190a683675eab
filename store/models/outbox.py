"""Messages to residents waiting for the channel layer (staff replies, staff chat alerts)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.db import Base
from store.models.columns import UtcDateTime, utcnow

if TYPE_CHECKING:
    from store.models.suggestion import Suggestion


class OutboxMessage(Base):
    """One outgoing message to a resident; the channel layer delivers it."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestion.id"), nullable=True, index=True
    )
    channel: Mapped[str] = mapped_column(String(32), index=True)
    address: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    # pending → sending (claimed by one bridge or web chat page, with a lease) → sent | failed |
    # uncertain. Telegram: uncertain (a lease expired, or a timeout after sending) waits for staff,
    # never resent alone. Web chat: a claim the page never acknowledged is handed out again after
    # its lease (the page skips ids it already showed), so nothing is shown twice or lost.
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    suggestion: Mapped[Suggestion | None] = relationship()
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
