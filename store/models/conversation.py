"""Residents' conversations as the project keeps them: one row per turn, the answers' ratings,
handoffs to a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.db import Base
from store.models.columns import UtcDateTime, utcnow


class ConversationTurn(Base):
    """One resident message and what became of it, for the analytics (no text when answered;
    the masked text when not, so staff can teach the assistant the question)."""

    __tablename__ = "conversation_turn"
    # The dashboard counts turns of a date range by day, topic, channel and outcome from the
    # first index alone (migration 0011); the second makes a turn one row (migration 0008).
    __table_args__ = (
        Index("ix_conversation_turn_dashboard", "at", "topic", "channel", "outcome"),
        Index("ix_conversation_turn_key", "sender_hash", "turn_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    sender_hash: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    intent: Mapped[str] = mapped_column(String(96))
    topic: Mapped[str] = mapped_column(String(32), index=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    # answered (an entry), fallback (entries offered as buttons), handoff (told to call 12345)
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    masked_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Staff handled an unanswered turn (the unanswered list): added as an example question of an
    # entry (`example`), made a new entry (`new_entry`), or not a question for the town (`dismissed`).
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    handled_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    handled_as: Mapped[str | None] = mapped_column(String(16), nullable=True)
    handled_entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The resident's message this row stands for (Rasa's message id): every action of the turn
    # writes the same row, so a turn is one row however many actions it runs.
    turn_key: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AnswerRating(Base):
    """A resident's 👍 / 👎 for one answered turn: one row per turn, a second press changes it."""

    __tablename__ = "answer_rating"

    turn_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_turn.id", ondelete="CASCADE"), primary_key=True
    )
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    rating: Mapped[str] = mapped_column(String(8))  # up or down
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Handoff(Base):
    """A resident asked for a person (store/handoff_repo.py): waiting → active (a staff member
    took it; Rasa is paused for the resident) → ended, or waiting → expired (nobody took it in
    time: the assistant goes on, with an apology)."""

    __tablename__ = "handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(200), index=True)  # Rasa's conversation id
    channel: Mapped[str] = mapped_column(String(32))  # the outbox channel that reaches them
    language: Mapped[str] = mapped_column(String(8), default="zh")
    state: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    taken_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
