"""Typed ORM models of the knowledge base."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.db import Base


def utcnow() -> datetime:
    """Timezone-aware now in UTC."""
    return datetime.now(UTC)


class FaqEntry(Base):
    """One answer of the assistant; served by `action_answer_faq` for its intent."""

    __tablename__ = "faq_entry"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32), index=True)
    intent: Mapped[str] = mapped_column(String(96), unique=True, index=True)
    title_zh: Mapped[str] = mapped_column(String(100), default="")
    title_en: Mapped[str] = mapped_column(String(100), default="")
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer_zh: Mapped[str] = mapped_column(Text)
    detail_zh: Mapped[str] = mapped_column(Text, default="")
    answer_en: Mapped[str] = mapped_column(Text)
    detail_en: Mapped[str] = mapped_column(Text, default="")
    next_questions_zh: Mapped[list[str]] = mapped_column(JSON, default=list)
    next_questions_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_zh: Mapped[str] = mapped_column(String(200))
    source_en: Mapped[str] = mapped_column(String(200))
    source_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    awaiting_detail: Mapped[bool] = mapped_column(Boolean, default=False)
    last_reviewed: Mapped[date] = mapped_column(Date)
    # Hash of the answer fields as last imported from knowledge/entries; when the database copy
    # no longer hashes to it, somebody edited it here and an import must not overwrite it.
    import_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="import")
