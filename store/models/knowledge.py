"""What the assistant knows: its entries (answers) and every saved version of them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.db import Base
from store.models.columns import UtcDateTime, utcnow


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
    # What entries awaiting staff detail lack (addresses, opening hours, office phone numbers),
    # written by staff; numbers in it may appear in the answer.
    staff_detail_zh: Mapped[str] = mapped_column(Text, default="")
    staff_detail_en: Mapped[str] = mapped_column(Text, default="")
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
    # The synchronised fields as last imported from the file (the common base of a three-way
    # comparison): a field differing from it was changed here, however and by whomever.
    imported: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="import")
    # the Chinese answer changed after the English one was last written or confirmed
    answer_en_outdated: Mapped[bool] = mapped_column(Boolean, default=False)


class FaqEntryVersion(Base):
    """One saved version of an entry (every save, import and restore keeps one). Append-only."""

    __tablename__ = "faq_entry_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("faq_entry.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict] = mapped_column(JSON)
    saved_by: Mapped[str] = mapped_column(String(64))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(200), default="")
