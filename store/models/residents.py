"""What the project counts and keeps about a resident's requests: rate-limited events and requests
to delete their personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from store.db import Base
from store.models.columns import UtcDateTime, utcnow


class RateEvent(Base):
    """One counted event (a lookup, a suggestion) per keyed sender, for rate limits."""

    __tablename__ = "rate_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_hash: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class DeletionRequest(Base):
    """A resident asked for their personal data to be deleted; `make purge` also clears conversations."""

    __tablename__ = "deletion_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_hash: Mapped[str] = mapped_column(String(64), index=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    conversations_purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
