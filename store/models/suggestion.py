"""Residents' suggestions (人民建议): the record, its category, history, replies, notes, search tokens,
and the number held sealed while one is written."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.db import Base
from store.models.columns import UtcDateTime, utcnow

if TYPE_CHECKING:
    from store.models.staff import StaffAccount


class SuggestionCategory(Base):
    """A staff-editable category of suggestions, mapped to a topic key where one exists."""

    __tablename__ = "suggestion_category"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(String(32), nullable=True)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    location_matters: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Suggestion(Base):
    """A resident's suggestion (人民建议): text masked, contact only with consent."""

    __tablename__ = "suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    # The conversation's draft id: confirming twice never makes two records.
    draft_id: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    category_key: Mapped[str] = mapped_column(ForeignKey("suggestion_category.key"))
    topic: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    location_text: Mapped[str | None] = mapped_column(String(200), nullable=True)
    location_std: Mapped[str | None] = mapped_column(String(100), nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="zh")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    wants_reply: Mapped[bool] = mapped_column(Boolean, default=False)
    # Keyed hash of channel + sender: who may see the text and the reply, and analytics.
    sender_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    # Where to deliver the staff reply (channel address); cleared after closing + retention.
    channel: Mapped[str] = mapped_column(String(32), default="rest")
    reply_address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The call-back number, sealed (`store/contact_cipher.py`): read only on an audited reveal.
    contact_phone_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    contact_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    answer_due: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id"), nullable=True, index=True
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("suggestion.id"), nullable=True)
    # reference, text and place folded for search (store/search_index.py)
    search_text: Mapped[str] = mapped_column(Text, default="")
    forwarded_to: Mapped[str | None] = mapped_column(String(100), nullable=True)  # a department
    # an urgent one acknowledged by staff (who, when), whatever its status
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    assignee: Mapped[StaffAccount | None] = relationship()
    duplicate_of: Mapped[Suggestion | None] = relationship(remote_side="Suggestion.id")
    notes: Mapped[list[SuggestionNote]] = relationship(
        order_by="SuggestionNote.id", cascade="all, delete-orphan"
    )
    history: Mapped[list[SuggestionStatusChange]] = relationship(
        back_populates="suggestion",
        order_by="SuggestionStatusChange.id",
        cascade="all, delete-orphan",
    )
    replies: Mapped[list[SuggestionReply]] = relationship(
        back_populates="suggestion", order_by="SuggestionReply.id", cascade="all, delete-orphan"
    )


class SuggestionStatusChange(Base):
    """One status change, timestamped with who made it."""

    __tablename__ = "suggestion_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    suggestion: Mapped[Suggestion] = relationship(back_populates="history")


class SuggestionReply(Base):
    """A staff reply, published to the resident."""

    __tablename__ = "suggestion_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    published_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    suggestion: Mapped[Suggestion] = relationship(back_populates="replies")


class SuggestionNote(Base):
    """An internal note on a suggestion; residents never see it."""

    __tablename__ = "suggestion_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SuggestionToken(Base):
    """One character, or two neighbouring characters, of a suggestion's search text: search by
    any part of a word through indexed lookups (store/search_index.py)."""

    __tablename__ = "suggestion_token"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        ForeignKey("suggestion.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class HeldContact(Base):
    """A number typed during a suggestion, sealed, until the resident agrees to a call-back (it
    moves into the suggestion) or refuses, cancels or goes quiet (it is deleted). Slots and Rasa's
    events name it only by `ref` beside a masked form."""

    __tablename__ = "held_contact"

    ref: Mapped[str] = mapped_column(String(32), primary_key=True)
    sender_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone_sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
